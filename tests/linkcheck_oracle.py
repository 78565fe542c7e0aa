"""The link checker as it was before generator/build/linkscan.py: html.parser.HTMLParser
collects each page's links and ids, one process reads every page and keeps the ids of
every page it has read. The oracle tests/test_linkscan.py holds the new scan and check to,
and benchmarks/linkcheck.py measures the new against.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.build.linkcheck import (
    FORBIDDEN_SCHEMES,
    SKIP_SCHEMES,
    BrokenLink,
    folders_without_index,
)


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


def collect(text: str) -> tuple[list[str], set[str]]:
    """A page's links and ids as the old link check collected them."""
    c = _Collector()
    c.feed(text)
    return c.links, c.ids


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
