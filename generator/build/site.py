"""The I/O edge: content folder -> docs -> MkDocs build -> site folder, swapped in whole.

Everything about pages is decided by :mod:`generator.pages.assemble`; this module
reads records and hand-written pages, writes the docs to a temporary folder,
hands MkDocs the configuration plus the generated `nav` and `not_in_nav`, and
replaces the site folder only once the build has succeeded, so a failed build
leaves the previous site whole.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from generator.search import header as searchindex
from generator.search import determinations as textindex
from generator.pages.assemble import Site, assemble
from generator.build.linkcheck import check_site
from generator.paths import theme_dir
from generator.record.store import RecordError, RecordsInvalid, load_records

LARGE_PAGE_BYTES = 500_000  # listing pages paginate so that no built page exceeds this

log = logging.getLogger(__name__)


class SiteBuildError(RuntimeError):
    """MkDocs could not build the site (in strict mode: any warning). The old site is kept."""


@dataclass
class BuildReport:
    """What a build did, for the command line to print."""

    site_dir: Path
    records: int = 0
    pages: int = 0
    files: int = 0  # data files (CSV, JSON Lines, schema) shipped beside the pages
    errors: list[RecordError] = field(default_factory=list)  # records left out (keep_going)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each phase
    indexed: int = 0  # determinations in the determination search (generator.search.determinations)
    index_bytes: int = 0  # the determination search's index, all files
    in_header_search: bool = True  # determination pages are in the header search
    largest_page: tuple[str, int] = ("", 0)  # the biggest built HTML page and its bytes
    generator_peak_kib: int = 0  # this process's peak memory after load + assemble + write
    mkdocs_peak_kib: int = 0  # the MkDocs build's own process (VmHWM)
    linkcheck_peak_kib: int = 0  # the link check's own process (VmHWM)

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


ROBOTS_NOINDEX = (
    "# This archive asks not to be indexed (imr-archive build --noindex).\n"
    "User-agent: *\nDisallow: /\n"
)


def build_epoch(records: list) -> int:
    """A build date that comes from the content, not the clock (SOURCE_DATE_EPOCH).

    MkDocs stamps the sitemap with the build date; using the newest
    determination's date keeps two builds of the same content identical.
    """
    import calendar

    newest = max((r.sort_date for r in records), default=None)
    return calendar.timegm(newest.timetuple()) if newest else 0


def _remove_stale_builds(parent: Path, name: str) -> None:
    """Delete work folders left by builds that were killed (their process is gone)."""
    for work in parent.glob(f".{name}.build-*"):
        try:
            pid = int((work / "pid").read_text())
            os.kill(pid, 0)
            continue  # still building
        except (OSError, ValueError):
            shutil.rmtree(work, ignore_errors=True)


def _page_memory_plugin():
    """A MkDocs plugin that keeps the memory of a build small at 100,000 pages.

    MkDocs renders every page before it writes any, holding all of them at once: the
    source (page.markdown) is dropped once rendered, the HTML (page.content) is kept
    zlib-compressed until its page is written, then dropped.
    """
    import zlib

    from mkdocs.plugins import BasePlugin, event_priority

    class PageMemory(BasePlugin):
        @event_priority(-100)  # after every other plugin has seen the HTML
        def on_page_content(self, html, page, config, files):
            page.markdown = ""  # not None: MkDocs reads a None source as "no title"
            page._imr_packed = zlib.compress(html.encode("utf-8"), 1)
            return ""

        @event_priority(100)  # before every other plugin reads it
        def on_page_context(self, context, page, config, nav):
            packed = getattr(page, "_imr_packed", None)
            if packed is not None:
                page.content = zlib.decompress(packed).decode("utf-8")
                page._imr_packed = None
            return context

        @event_priority(-100)
        def on_post_page(self, output, page, config):
            page.content = None
            return output

    return PageMemory()


def _mkdocs_build(
    docs_dir: Path,
    out_dir: Path,
    config_file: Path,
    strict: bool,
    site: Site,
    overrides: dict | None = None,
    noindex: bool | None = None,
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(
            config_file=str(config_file),
            docs_dir=str(docs_dir),
            site_dir=str(out_dir),
            strict=strict,
            nav=site.nav,
            not_in_nav="\n".join(site.not_in_nav),
            **(overrides or {}),
        )
        if config.theme.custom_dir is None:  # an `imr-archive init` site: our theme
            config.theme.dirs.insert(0, str(theme_dir()))
        if noindex is not None:  # theme/main.html writes the robots meta tag
            config.extra["noindex"] = noindex
        if config.extra.get("noindex"):
            (docs_dir / "robots.txt").write_text(ROBOTS_NOINDEX, encoding="utf-8")
        config.plugins["imr-archive/memory"] = _page_memory_plugin()
        build(config)
    except MkDocsException as e:
        raise SiteBuildError(f"MkDocs build failed ({config_file}): {e}") from e


# --- steps in a process of their own --------------------------------------------------
#
# MkDocs and the link check run in child processes started with "spawn": a fresh
# interpreter that does not carry the generator's records and pages (which CPython
# rarely gives back to the system), and whose peak memory is its own.


def peak_kib() -> int:
    """This process's peak resident memory (VmHWM, KiB); 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the build that started it dies (a killed
    build must not leave a step writing into its work folder)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child_main(conn, name: str, args: tuple) -> None:
    _die_with_parent()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    try:
        result = _CHILD_STEPS[name](*args)
        conn.send(("ok", result, peak_kib()))
    except SiteBuildError as e:
        conn.send(("error", str(e), peak_kib()))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", f"{name} failed: {type(e).__name__}: {e}", peak_kib()))
    finally:
        conn.close()


def _in_child(name: str, *args):
    """Run _CHILD_STEPS[name](*args) in a spawned process: (its result, its peak KiB).
    A SiteBuildError (or any error) there is raised here as SiteBuildError."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(send, name, args), name=f"imr-{name}")
    proc.start()
    send.close()
    try:
        message = receive.recv()
    except EOFError:
        message = None
    finally:
        proc.join()
        receive.close()
    if message is None:
        raise SiteBuildError(f"{name}: its process died (exit code {proc.exitcode})")
    kind, value, peak = message
    if kind != "ok":
        raise SiteBuildError(value)
    return value, peak


def _check_links(out_dir: Path, base_path: str) -> list:
    return check_site(out_dir, base_path=base_path)


_CHILD_STEPS: dict[str, Callable[..., Any]] = {"mkdocs": _mkdocs_build, "linkcheck": _check_links}


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


SITE_MARKER = ".imr-archive-site"  # written into every built site: safe to replace


def check_site_dir(site_dir: Path, content_dir: Path, config_file: Path) -> None:
    """Refuse a site folder whose replacement would delete something else.

    The folder must not exist, be empty, or hold a site this tool built (its
    marker file); it must not contain the content or the configuration.
    """
    site_dir = site_dir.resolve()
    for other, what in ((content_dir.resolve(), "content"), (config_file.parent, "configuration")):
        if other == site_dir or site_dir in other.parents:
            raise SiteBuildError(
                f"--site-dir {site_dir} holds the {what} ({other}); choose another folder"
            )
    built = (site_dir / SITE_MARKER).exists() or all(
        (site_dir / name).is_file() for name in ("sitemap.xml", "404.html", "index.html")
    )  # an earlier imr-archive/MkDocs build, from before the marker
    if site_dir.is_dir() and any(site_dir.iterdir()) and not built:
        raise SiteBuildError(
            f"{site_dir} is not empty and was not built by imr-archive; it is left alone "
            "(choose an empty or new folder, or remove it yourself)"
        )
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteBuildError(f"{site_dir} is a file, not a folder")


def _swap_in(built: Path, site_dir: Path, work: Path) -> None:
    """Replace site_dir by built: rename the old site aside, rename the new one in."""
    (built / SITE_MARKER).write_text(
        "built by imr-archive; `imr-archive build` replaces this folder\n"
    )
    old = work / "previous-site"
    if site_dir.exists():
        os.replace(site_dir, old)
    try:
        os.replace(built, site_dir)
    except OSError:
        if old.exists():
            os.replace(old, site_dir)
        raise


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

    `config_overrides` are passed to MkDocs' `load_config` on top of the
    configuration file (e.g. `{"site_url": "https://example.org/imr/"}`); the
    keys build_site sets itself (RESERVED_OVERRIDES) raise ValueError.

    Determination pages stay in the header search while the archive has at most
    `header_search_max` of them (default: `extra: imr: header_search_max_determinations`
    of the configuration, else 320; a negative value: always). The determination search's
    index (generator.search.determinations) covers them all; it is written from the records and moved
    into the built site before the swap. `progress` prints the phases on stderr (and
    progress bars on a terminal).

    `noindex` (default: `extra: noindex` of the configuration) asks search engines
    to stay away: a robots meta tag on every page and a robots.txt.

    Raises RecordsInvalid when a record is invalid (unless keep_going: then the
    valid ones are built and the report lists the others) and SiteBuildError
    when MkDocs fails or (check_links) the built HTML has a broken
    internal link or anchor. site_dir is replaced only by a complete, checked build.
    """
    reserved = sorted(RESERVED_OVERRIDES & set(config_overrides or {}))
    if reserved:
        raise ValueError(f"config_overrides cannot set {', '.join(reserved)}: build_site sets it")
    content_dir, site_dir = Path(content_dir), Path(site_dir).resolve()
    config_file = Path(config_file).resolve()
    check_site_dir(site_dir, content_dir, config_file)
    settings = site_settings(config_file)
    if header_search_max is None:
        header_search_max = int(
            settings.get("header_search_max_determinations", searchindex.DEFAULT_HEADER_SEARCH_MAX)
        )
    report = BuildReport(site_dir)
    with _phase(report, "load", f"reading records from {content_dir / 'records'}", progress):
        records, errors = load_records(content_dir / "records")
    if errors and not keep_going:
        raise RecordsInvalid(errors)
    bar = None if progress else True

    def each(rs):
        return tqdm(rs, desc="determination pages", unit="page", disable=bar, leave=False)

    with _phase(report, "assemble", f"{len(records)} determination(s)", progress):
        site = assemble(
            records,
            extra_pages=read_pages(content_dir / "pages"),
            site_name=settings["site_name"],
            header_search_max=None if header_search_max < 0 else header_search_max,
            progress=each,
        )
    report.in_header_search = header_search_max < 0 or len(records) <= header_search_max

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(site_dir.parent, site_dir.name)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.build-", dir=site_dir.parent))
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        (work / "pid").write_text(str(os.getpid()))
        docs_dir, out_dir = work / "docs", work / "site"
        n_pages, n_files = len(site.pages), len(site.files)
        with _phase(report, "write", f"{n_pages} page(s), {n_files} file(s)", progress):
            write_docs(site.pages, docs_dir, site.files, progress=progress)
        nav, not_in_nav = site.nav, site.not_in_nav
        site = Site(nav=nav, not_in_nav=not_in_nav)  # the pages are on disk: free them
        index_dir = work / searchindex.INDEX_DIR
        with _phase(report, "index", f"determination search, {len(records)} record(s)", progress):
            indexed = textindex.write_index(records, index_dir)
        report.indexed, report.index_bytes = indexed.documents, indexed.bytes
        os.environ["SOURCE_DATE_EPOCH"] = str(build_epoch(records))
        n_records = len(records)
        del records  # MkDocs holds every page at once: give it the records' memory
        gc.collect()
        report.generator_peak_kib = peak_kib()
        with _phase(report, "mkdocs", f"building {n_pages} page(s)", progress):
            _none, report.mkdocs_peak_kib = _in_child(
                "mkdocs", docs_dir, out_dir, config_file, strict, site, config_overrides, noindex
            )
        shutil.rmtree(docs_dir, ignore_errors=True)
        index_dir.rename(out_dir / searchindex.INDEX_DIR)
        if check_links:
            with _phase(report, "linkcheck", "internal links and anchors", progress):
                url = (config_overrides or {}).get("site_url") or settings["site_url"] or "/"
                base_path = urlsplit(url).path or "/"
                broken, report.linkcheck_peak_kib = _in_child("linkcheck", out_dir, base_path)
            if broken:
                shown = "\n".join(f"  {b}" for b in broken[:20])
                more = f"\n  ... and {len(broken) - 20} more" if len(broken) > 20 else ""
                raise SiteBuildError(
                    f"{len(broken)} broken link(s) in the built site:\n{shown}{more}"
                )
        report.largest_page = largest_page(out_dir)
        if report.largest_page[1] > LARGE_PAGE_BYTES:
            log.warning(
                "largest page %s is %d bytes (over %d)", *report.largest_page, LARGE_PAGE_BYTES
            )
        with _phase(report, "swap", f"into {site_dir}", progress):
            _swap_in(out_dir, site_dir, work)
    finally:
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
        shutil.rmtree(work, ignore_errors=True)
    report.records, report.pages, report.files, report.errors = (
        n_records,
        n_pages,
        n_files,
        errors,
    )
    return report
