"""The I/O edge: content folder -> docs -> MkDocs build -> site folder, swapped in whole.

Everything about pages is decided by :mod:`generator.assemble`; this module
reads records and hand-written pages, writes the docs to a temporary folder,
hands MkDocs the configuration plus the generated `nav` and `not_in_nav`, and
replaces the site folder only once the build has succeeded, so a failed build
leaves the previous site whole.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .assemble import Site, assemble
from .linkcheck import check_site
from .records import RecordError, RecordsInvalid, load_records

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
    pages: dict[str, str], docs_dir: Path, files: dict[str, bytes] | None = None
) -> None:
    """Write the pages (UTF-8) and the other files (bytes, copied by MkDocs) into docs_dir."""
    for rel, markdown in pages.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
    for rel, data in (files or {}).items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# load_config keys build_site sets itself; overriding them would break the build or the swap
RESERVED_OVERRIDES = frozenset(
    {"config_file", "docs_dir", "site_dir", "strict", "nav", "not_in_nav"}
)


def theme_dir() -> Path:
    """The imr-archive theme overrides: inside the installed package, else the repository's."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "theme", package.parent / "theme"):
        if (candidate / "assets").is_dir():
            return candidate
    raise FileNotFoundError(f"imr-archive theme not found beside {package}")


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


def _mkdocs_build(
    docs_dir: Path,
    out_dir: Path,
    config_file: Path,
    strict: bool,
    site: Site,
    overrides: dict | None = None,
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
        build(config)
    except MkDocsException as e:
        raise SiteBuildError(f"MkDocs build failed ({config_file}): {e}") from e


def _swap_in(built: Path, site_dir: Path, work: Path) -> None:
    """Replace site_dir by built: rename the old site aside, rename the new one in."""
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
) -> BuildReport:
    """Build the static site for `content_dir` (records/ required, pages/ optional) into site_dir.

    `config_overrides` are passed to MkDocs' `load_config` on top of the
    configuration file (e.g. `{"site_url": "https://example.org/imr/"}`); the
    keys build_site sets itself (RESERVED_OVERRIDES) raise ValueError.

    Raises RecordsInvalid when a record is invalid (unless keep_going: then the
    valid ones are built and the report lists the others) and SiteBuildError
    when MkDocs fails or (check_links) the built HTML has a broken internal
    link or anchor. site_dir is replaced only by a complete, checked build.
    """
    reserved = sorted(RESERVED_OVERRIDES & set(config_overrides or {}))
    if reserved:
        raise ValueError(f"config_overrides cannot set {', '.join(reserved)}: build_site sets it")
    content_dir, site_dir = Path(content_dir), Path(site_dir).resolve()
    records, errors = load_records(content_dir / "records")
    if errors and not keep_going:
        raise RecordsInvalid(errors)
    site = assemble(records, extra_pages=read_pages(content_dir / "pages"))

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(site_dir.parent, site_dir.name)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.build-", dir=site_dir.parent))
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        (work / "pid").write_text(str(os.getpid()))
        docs_dir, out_dir = work / "docs", work / "site"
        write_docs(site.pages, docs_dir, site.files)
        os.environ["SOURCE_DATE_EPOCH"] = str(build_epoch(records))
        _mkdocs_build(
            docs_dir, out_dir, Path(config_file).resolve(), strict, site, config_overrides
        )
        if check_links:
            base_path = urlsplit((config_overrides or {}).get("site_url") or "/").path or "/"
            broken = check_site(out_dir, base_path=base_path)
            if broken:
                shown = "\n".join(f"  {b}" for b in broken[:20])
                more = f"\n  ... and {len(broken) - 20} more" if len(broken) > 20 else ""
                raise SiteBuildError(
                    f"{len(broken)} broken link(s) in the built site:\n{shown}{more}"
                )
        _swap_in(out_dir, site_dir, work)
    finally:
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
        shutil.rmtree(work, ignore_errors=True)
    return BuildReport(
        site_dir, records=len(records), pages=len(site.pages), files=len(site.files), errors=errors
    )
