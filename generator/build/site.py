"""The I/O edge: content folder -> docs -> MkDocs build -> site folder, swapped in whole.

Everything about pages is decided by :mod:`generator.pages.assemble`; this module
reads records and hand-written pages, writes the docs to a temporary folder,
hands MkDocs (:mod:`generator.build.mkdocs_run`, in a process of its own) the
configuration plus the generated `nav` and `not_in_nav`, and replaces the site
folder (:mod:`generator.build.swap`) only once the build has succeeded, so a
failed build leaves the previous site whole.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from generator.build import letters as original_letters
from generator.build.errors import SiteBuildError  # raised here; importable from here
from generator.build.mkdocs_run import in_child, peak_kib
from generator.build.swap import check_site_dir, new_work_dir, swap_in
from generator.pages.assemble import Site, assemble
from generator.pages.urls import SEARCH_INDEX_DIR
from generator.record.dating import UNDATED, sort_date
from generator.record.store import RecordError, RecordsInvalid, load_records
from generator.search import determinations as determination_search
from generator.search import header as header_search

LARGE_PAGE_BYTES = 500_000  # listing pages paginate so that no built page exceeds this

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the command line to print."""

    site_dir: Path
    records: int = 0
    pages: int = 0
    files: int = 0  # data files (CSV, JSON Lines, schema) shipped beside the pages
    letters: int = 0  # original letters published beside their pages
    errors: list[RecordError] = field(default_factory=list)  # records left out (keep_going)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each phase
    indexed: int = 0  # determinations in the determination search (generator.search.determinations)
    index_bytes: int = 0  # the determination search's index, all files
    in_header_search: bool = True  # determination pages are in the header search
    largest_page: tuple[str, int] = ("", 0)  # the biggest built HTML page and its bytes
    generator_peak_kib: int = 0  # this process's peak memory after load + assemble + write
    mkdocs_peak_kib: int = 0  # the MkDocs build's own process (VmHWM)
    linkcheck_peak_kib: int = 0  # the link check's largest process (VmHWM)
    linkcheck_peaks_kib: list[int] = field(default_factory=list)  # its own, then its workers'

    @property
    def generator_seconds(self) -> float:
        """The generator's own time: load + assemble + write docs."""
        return sum(self.seconds.get(k, 0.0) for k in ("load", "assemble", "write"))

    def summary_text(self) -> str:
        lines = [f"{self.records} determination(s) -> {self.pages} page(s) in {self.site_dir}"]
        if self.errors:
            lines.append(f"{len(self.errors)} record error(s); those records were left out:")
            lines += [f"  {e}" for e in self.errors]
        return "\n".join(lines)


def read_pages(pages_dir: Path) -> dict[str, str]:
    """Hand-written pages: docs path (relative, '/'-separated) -> Markdown, sorted by path."""
    if not pages_dir.is_dir():
        return {}
    return {
        p.relative_to(pages_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(pages_dir.rglob("*.md"))
    }


def write_docs(
    pages: dict[str, str],
    docs_dir: Path,
    files: dict[str, bytes] | None = None,
    *,
    progress: bool = False,
) -> None:
    """Write the pages (UTF-8) and the other files (bytes, copied by MkDocs) into docs_dir."""
    made: set[Path] = set()

    def target(rel: str) -> Path:
        path = docs_dir / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        return path

    bar = None if progress else True  # tqdm: a bar on a terminal only
    for rel, markdown in tqdm(
        pages.items(), desc="write docs", unit="page", disable=bar, leave=False
    ):
        target(rel).write_bytes(markdown.encode("utf-8"))
    for rel, data in (files or {}).items():
        target(rel).write_bytes(data)


def site_settings(config_file: Path) -> dict:
    """`extra: imr:` of the MkDocs configuration (INHERIT followed), or {}; plus its
    `site_name` and `site_url` under those keys."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as f:
        config = yaml_load(f) or {}
    imr = (config.get("extra") or {}).get("imr") or {}
    settings = dict(imr) if isinstance(imr, dict) else {}
    settings.setdefault("site_name", str(config.get("site_name") or "IMR Archive"))
    settings.setdefault("site_url", str(config.get("site_url") or ""))
    return settings


def largest_page(site: Path) -> tuple[str, int]:
    """The biggest HTML page of a built site (site-relative path, bytes)."""
    best = ("", 0)
    for page in site.rglob("*.html"):
        size = page.stat().st_size
        if size > best[1]:
            best = (page.relative_to(site).as_posix(), size)
    return best


# load_config keys build_site sets itself; overriding them would break the build or the swap
RESERVED_OVERRIDES = frozenset(
    {"config_file", "docs_dir", "site_dir", "strict", "nav", "not_in_nav"}
)


def build_epoch(records: list) -> int:
    """A build date that comes from the content, not the clock (SOURCE_DATE_EPOCH).

    MkDocs stamps the sitemap with the build date; using the newest
    determination's date keeps two builds of the same content identical.
    """
    import calendar

    dated = [d for d in map(sort_date, records) if d != UNDATED]
    newest = max(dated, default=None)  # none dated: 0, 1970 (MkDocs refuses dates before it)
    return calendar.timegm(newest.timetuple()) if newest else 0


@contextmanager
def _phase(report: BuildReport, name: str, what: str, show: bool) -> Iterator[None]:
    """Time a build phase into report.seconds; announce it on stderr when `show`."""
    if show:
        print(f"[build] {name}: {what}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[name] = time.perf_counter() - start
        if show:
            print(f"[build] {name}: {report.seconds[name]:.1f} s", file=sys.stderr, flush=True)


def build_site(
    content_dir: Path,
    site_dir: Path,
    *,
    config_file: Path,
    strict: bool = True,
    keep_going: bool = False,
    config_overrides: dict | None = None,
    check_links: bool = True,
    noindex: bool | None = None,
    header_search_max: int | None = None,
    progress: bool = True,
) -> BuildReport:
    """Build the static site for `content_dir` (records/ required, pages/ optional) into site_dir.

    `config_overrides` go to MkDocs' `load_config` over the configuration file (e.g.
    `{"site_url": "https://example.org/imr/"}`); RESERVED_OVERRIDES raise ValueError.

    Determination pages stay in the header search while the archive has at most
    `header_search_max` of them (default: `extra: imr: header_search_max_determinations`
    of the configuration, else 320; a negative value: always). The determination search's
    index (generator.search.determinations) covers them all; it is written from the records
    and moved into the built site before the swap, as are the original letters
    (generator.build.letters). `progress`: the phases on stderr (bars on a terminal).

    `noindex` (default: `extra: noindex`) asks search engines to stay away (robots).

    Raises RecordsInvalid when a record is invalid (unless keep_going: then the valid ones
    are built and the report lists the others) and SiteBuildError when MkDocs fails or
    (check_links) the built HTML has a broken internal link or anchor or a folder of pages
    without an index. site_dir is replaced only by a complete, checked build.
    """
    _check_overrides(config_overrides)
    content_dir, site_dir, config_file = _checked_paths(content_dir, site_dir, config_file)
    settings = site_settings(config_file)
    report = BuildReport(site_dir)
    site_url = _site_url(config_overrides, settings)
    records, site, letters = _load_and_assemble(
        content_dir, settings, header_search_max, keep_going, report, progress, site_url
    )
    work = new_work_dir(site_dir)
    try:
        (work / "pid").write_text(str(os.getpid()))
        site = _write_docs_phase(site, work / "docs", report, progress)
        _index_phase(records, work, report, progress)
        report.records, epoch = len(records), build_epoch(records)
        del records  # MkDocs holds every page at once: give it the records' memory
        gc.collect()
        report.generator_peak_kib = peak_kib()
        with _source_date_epoch(epoch):
            out_dir = _mkdocs_phase(
                work, config_file, strict, site, config_overrides, noindex, report, progress
            )
            _letters_phase(letters, out_dir, report, progress)
            if check_links:
                _linkcheck_phase(out_dir, _base_path(config_overrides, settings), report, progress)
            _swap_phase(out_dir, site_dir, work, report, progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _checked_paths(content_dir: Path, site_dir: Path, config_file: Path) -> tuple[Path, Path, Path]:
    """The paths made absolute where it matters; SiteBuildError for an unsafe site_dir."""
    content_dir, site_dir = Path(content_dir), Path(site_dir).resolve()
    config_file = Path(config_file).resolve()
    check_site_dir(site_dir, content_dir, config_file)
    return content_dir, site_dir, config_file


def _site_url(config_overrides: dict | None, settings: dict) -> str:
    """The site's public address: given to the build, else the configuration's, else ''."""
    return str((config_overrides or {}).get("site_url") or settings["site_url"] or "")


def _base_path(config_overrides: dict | None, settings: dict) -> str:
    """The URL path the site is served under ("/" by default), for the link check."""
    return urlsplit(_site_url(config_overrides, settings) or "/").path or "/"


def _letters_phase(
    letters: dict[str, original_letters.FoundLetter], out_dir: Path, report: BuildReport, show: bool
) -> None:
    """The original letters into the built site, beside their pages (after MkDocs)."""
    with _phase(report, "letters", f"{len(letters)} original letter(s)", show):
        report.letters = original_letters.copy_letters(letters, out_dir)


def _header_search_max(given: int | None, settings: dict) -> int:
    """The header search's limit: `given`, else (None) the configuration's
    `header_search_max_determinations`, else DEFAULT_HEADER_SEARCH_MAX. Negative: no limit."""
    if given is not None:
        return given
    configured = settings.get("header_search_max_determinations")
    return int(configured) if configured is not None else header_search.DEFAULT_HEADER_SEARCH_MAX


def _check_overrides(config_overrides: dict | None) -> None:
    reserved = sorted(RESERVED_OVERRIDES & set(config_overrides or {}))
    if reserved:
        raise ValueError(f"config_overrides cannot set {', '.join(reserved)}: build_site sets it")


def _load_and_assemble(
    content_dir: Path,
    settings: dict,
    header_search_max: int | None,
    keep_going: bool,
    report: BuildReport,
    progress: bool,
    site_url: str = "",
) -> tuple[list, Site, dict[str, original_letters.FoundLetter]]:
    """Read the records (report.errors: those left out), find their original letters
    (unchanged since ingest) and assemble the pages. header_search_max: see
    _header_search_max."""
    limit = _header_search_max(header_search_max, settings)
    with _phase(report, "load", f"reading records from {content_dir / 'records'}", progress):
        records, errors = load_records(content_dir / "records")
    if errors and not keep_going:
        raise RecordsInvalid(errors)
    report.errors = errors
    with _phase(report, "find letters", "the letters the records were made from", progress):
        letters = original_letters.find_letters(records, content_dir)
    bar = None if progress else True

    def each(rs):
        return tqdm(rs, desc="determination pages", unit="page", disable=bar, leave=False)

    with _phase(report, "assemble", f"{len(records)} determination(s)", progress):
        site = assemble(
            records,
            extra_pages=read_pages(content_dir / "pages"),
            site_name=settings["site_name"],
            header_search_max=limit,
            progress=each,
            letters={i: f.letter for i, f in letters.items()},
            site_url=site_url,
        )
    report.in_header_search = header_search.in_header_search(len(records), limit)
    return records, site, letters


def _write_docs_phase(site: Site, docs_dir: Path, report: BuildReport, progress: bool) -> Site:
    """Write the pages and files into docs_dir; return the site without them (memory)."""
    report.pages, report.files = len(site.pages), len(site.files)
    with _phase(report, "write", f"{report.pages} page(s), {report.files} file(s)", progress):
        write_docs(site.pages, docs_dir, site.files, progress=progress)
    return Site(nav=site.nav, not_in_nav=site.not_in_nav)


def _index_phase(records: list, work: Path, report: BuildReport, progress: bool) -> None:
    """The determination search's index, into work/ (moved into the site after MkDocs)."""
    with _phase(report, "index", f"determination search, {len(records)} record(s)", progress):
        indexed = determination_search.write_index(records, work / SEARCH_INDEX_DIR)
    report.indexed, report.index_bytes = indexed.determinations, indexed.bytes


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (MkDocs' build date) for the block, then restore it."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _mkdocs_phase(
    work: Path,
    config_file: Path,
    strict: bool,
    site: Site,
    config_overrides: dict | None,
    noindex: bool | None,
    report: BuildReport,
    progress: bool,
) -> Path:
    """MkDocs builds work/docs into work/site, the search index is moved in: work/site."""
    docs_dir, out_dir = work / "docs", work / "site"
    with _phase(report, "mkdocs", f"building {report.pages} page(s)", progress):
        _none, report.mkdocs_peak_kib = in_child(
            "mkdocs", docs_dir, out_dir, config_file, strict, site, config_overrides, noindex
        )
    shutil.rmtree(docs_dir, ignore_errors=True)
    (work / SEARCH_INDEX_DIR).rename(out_dir / SEARCH_INDEX_DIR)
    return out_dir


def _linkcheck_phase(out_dir: Path, base_path: str, report: BuildReport, progress: bool) -> None:
    """Raise SiteBuildError when the built site has a broken internal link or anchor."""
    with _phase(report, "linkcheck", "internal links and anchors", progress):
        (broken, workers), own = in_child("linkcheck", out_dir, base_path, progress)
    report.linkcheck_peaks_kib = [own, *workers]
    report.linkcheck_peak_kib = max(report.linkcheck_peaks_kib)
    if broken:
        shown = "\n".join(f"  {b}" for b in broken[:20])
        more = f"\n  ... and {len(broken) - 20} more" if len(broken) > 20 else ""
        raise SiteBuildError(f"{len(broken)} broken link(s) in the built site:\n{shown}{more}")


def _swap_phase(
    out_dir: Path, site_dir: Path, work: Path, report: BuildReport, progress: bool
) -> None:
    """Note the largest page (a warning when too large), then swap the site in."""
    report.largest_page = largest_page(out_dir)
    if report.largest_page[1] > LARGE_PAGE_BYTES:
        log.warning("largest page %s is %d bytes (over %d)", *report.largest_page, LARGE_PAGE_BYTES)
    with _phase(report, "swap", f"into {site_dir}", progress):
        swap_in(out_dir, site_dir, work)
