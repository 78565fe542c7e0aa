"""A link checker for the built site: every internal link and anchor resolves.

Reads every HTML file once, collects `href`/`src` targets and element ids,
and reports links to files that do not exist or anchors missing from their
page. External links (http:, https:, mailto:) are not fetched: the site is
checked offline. `javascript:` and `data:` URLs are always reported, since
the archive never writes them and record text must never become one.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP_SCHEMES = {"http", "https", "mailto", "tel"}
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the page holding the link
    target: str  # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append(value)


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8", errors="replace"))
    return c


def _resolve(site: Path, page: Path, target_path: str) -> Path | None:
    """The file a link from `page` to `target_path` names, or None when it is missing."""
    if target_path.startswith("/"):
        rel = target_path.lstrip("/")
    else:
        base = page.parent.relative_to(site).as_posix()
        rel = posixpath.normpath(posixpath.join(base, target_path))
    if rel.startswith(".."):
        return None
    candidate = site / rel
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def folders_without_index(site: Path, pages: list[Path]) -> list[BrokenLink]:
    """Every folder of the site that holds a page, or a folder that does, with no index.html:
    a URL trimmed to it ("/regions/knee/page/") would find nothing. Folders of assets only
    (stylesheets, scripts, the search index) are not pages' folders."""
    folders: set[Path] = set()
    for page in pages:
        folder = page.parent
        while folder != site and folder not in folders:
            folders.add(folder)
            folder = folder.parent
    return [
        BrokenLink(f.relative_to(site).as_posix() + "/", "index.html", "folder has no index page")
        for f in sorted(folders)
        if not (f / "index.html").is_file()
    ]


def check_site(site: Path, *, base_path: str = "/") -> list[BrokenLink]:
    """Every broken internal link or anchor of the site in `site` (served at `base_path`),
    and every folder of pages without an index page (folders_without_index)."""
    pages = sorted(site.rglob("*.html"))
    parsed: dict[Path, _Collector] = {}

    def info(p: Path) -> _Collector:
        if p not in parsed:
            parsed[p] = _parse(p)
        return parsed[p]

    broken: list[BrokenLink] = []
    for page in pages:
        shown = page.relative_to(site).as_posix()
        for link in info(page).links:
            parts = urlsplit(link)
            scheme = parts.scheme.lower()
            if scheme in FORBIDDEN_SCHEMES:
                broken.append(BrokenLink(shown, link[:80], f"{scheme}: URL"))
                continue
            if scheme in SKIP_SCHEMES or parts.netloc:
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(base_path):
                    broken.append(BrokenLink(shown, link, f"outside the site's path {base_path}"))
                    continue
                path = "/" + path[len(base_path) :]
            target = page if not path else _resolve(site, page, path)
            if target is None:
                broken.append(BrokenLink(shown, link, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html":
                fragment = unquote(parts.fragment)
                if fragment not in info(target).ids:
                    broken.append(BrokenLink(shown, link, f"no element with id {fragment!r}"))
    return broken + folders_without_index(site, pages)
