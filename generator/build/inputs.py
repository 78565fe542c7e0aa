"""What a build reads besides the records: hand-written pages, the configuration's
settings and the options derived from them (site URL, base path, header search limit,
reserved overrides), the build date; and what it measures of the result (the largest page)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from generator.record.dating import UNDATED, sort_date
from generator.search import header as header_search


def read_pages(pages_dir: Path) -> dict[str, str]:
    """Hand-written pages: docs path (relative, '/'-separated) -> Markdown, sorted by path."""
    if not pages_dir.is_dir():
        return {}
    return {
        p.relative_to(pages_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(pages_dir.rglob("*.md"))
    }


def site_settings(config_file: Path) -> dict:
    """`extra: imr:` of the MkDocs configuration (INHERIT followed), or {}; plus its
    `site_name` and `site_url` under those keys."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as f:
        config = yaml_load(f) or {}
    imr = (config.get("extra") or {}).get("imr") or {}
    settings = dict(imr) if isinstance(imr, dict) else {}
    custom = (config.get("theme") or {}).get("custom_dir")
    settings.setdefault("theme_custom_dir", str(config_file.parent / custom) if custom else "")
    settings.setdefault("site_name", str(config.get("site_name") or "IMR Archive"))
    settings.setdefault("site_url", str(config.get("site_url") or ""))
    return settings


def build_epoch(records: list) -> int:
    """A build date that comes from the content, not the clock (SOURCE_DATE_EPOCH).

    MkDocs stamps the sitemap with the build date; using the newest
    determination's date keeps two builds of the same content identical.
    """
    import calendar

    dated = [d for d in map(sort_date, records) if d != UNDATED]
    newest = max(dated, default=None)  # none dated: 0, 1970 (MkDocs refuses dates before it)
    return calendar.timegm(newest.timetuple()) if newest else 0


# load_config keys build_site sets itself; overriding them would break the build or the swap
RESERVED_OVERRIDES = frozenset(
    {"config_file", "docs_dir", "site_dir", "strict", "nav", "not_in_nav"}
)


def site_url(config_overrides: dict | None, settings: dict) -> str:
    """The site's public address: given to the build, else the configuration's, else ''."""
    return str((config_overrides or {}).get("site_url") or settings["site_url"] or "")


def base_path(config_overrides: dict | None, settings: dict) -> str:
    """The URL path the site is served under ("/" by default), for the link check."""
    return urlsplit(site_url(config_overrides, settings) or "/").path or "/"


def header_search_max(given: int | None, settings: dict) -> int:
    """The header search's limit: `given`, else (None) the configuration's
    `header_search_max_determinations`, else DEFAULT_HEADER_SEARCH_MAX. Negative: no limit."""
    if given is not None:
        return given
    configured = settings.get("header_search_max_determinations")
    return int(configured) if configured is not None else header_search.DEFAULT_HEADER_SEARCH_MAX


def check_overrides(config_overrides: dict | None) -> None:
    reserved = sorted(RESERVED_OVERRIDES & set(config_overrides or {}))
    if reserved:
        raise ValueError(f"config_overrides cannot set {', '.join(reserved)}: build_site sets it")
