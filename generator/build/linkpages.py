"""The link check of a run of pages: what one worker of :mod:`generator.build.linkcheck` does.

Each page is read once and scanned (:func:`generator.build.linkscan.scan`) for its links
and ids. A link to a missing file, outside the site's path, or with a forbidden scheme is
broken; an anchor on the page itself is checked against the page's own ids there and
then. An anchor on another page is handed back as an :class:`AnchorRef`: the parent
gathers them and has only their target pages read again for ids (:func:`missing_anchors`),
so no process holds every page's ids.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit

from generator.build.linkscan import scan

SKIP_SCHEMES = {"http", "https", "mailto", "tel"}
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}
_SCHEME_REASONS = {f"{scheme}: URL" for scheme in FORBIDDEN_SCHEMES}
_MAX_CACHED = 100_000  # links and targets a process remembers (each: about 25 MB)


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the page holding the link
    target: str  # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


@dataclass(frozen=True)
class AnchorRef:
    """A link to an anchor on another page, checked once that page's ids are known."""

    target: str  # the page the link names (a path, as the file system is asked)
    fragment: str  # the anchor, unquoted
    order: tuple[int, int]  # (page number, link number on the page): the report's order
    page: str  # site-relative path of the page holding the link
    link: str  # the link as written


@dataclass
class Chunk:
    """What checking a run of pages found."""

    broken: list[tuple[tuple[int, int], BrokenLink]] = field(default_factory=list)
    anchors: list[AnchorRef] = field(default_factory=list)
    pages: int = 0
    pid: int = 0
    peak_kib: int = 0  # the process's peak so far (VmHWM)


def _is_html(path: str) -> bool:
    return PurePath(path).suffix == ".html"


def read_page(path: Path | str) -> str:
    """A page's text as the checker always read it (Path.read_text: undecodable bytes
    replaced, line ends made "\\n")."""
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _parse_link(link: str, base_path: str) -> tuple[str, str | None, str | None]:
    """(why the link is broken, or ""; the path it names in the site: "/..." from its
    top, relative, "" for the page itself, None where there is nothing to look for; the
    anchor, or None)."""
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme in FORBIDDEN_SCHEMES:
        return f"{scheme}: URL", None, None
    if scheme in SKIP_SCHEMES or parts.netloc:
        return "", None, None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return f"outside the site's path {base_path}", None, None
        path = "/" + path[len(base_path) :]
    return "", path, unquote(parts.fragment) if parts.fragment else None


class PageChecker:
    """Checks pages of one site; remembers where links lead (the same few hundred
    thousand files at most) across the pages it is given."""

    def __init__(self, site: Path, base_path: str) -> None:
        self.site, self.base_path = site, base_path
        self._targets: dict[str, str | None] = {}
        self._links: dict[str, tuple[str, str | None, str | None]] = {}

    def target(self, rel: str) -> str | None:
        """The file a site-relative path names (a folder: its index.html), or None."""
        try:
            return self._targets[rel]
        except KeyError:
            pass
        found = None
        if not rel.startswith(".."):
            candidate = self.site / rel
            if candidate.is_dir():
                candidate = candidate / "index.html"
            found = str(candidate) if candidate.is_file() else None
        if len(self._targets) >= _MAX_CACHED:
            self._targets.clear()
        self._targets[rel] = found
        return found

    def check_page(self, number: int, rel: str, out: Chunk) -> None:
        """Check the page `rel` (site-relative, the `number`th page): into `out`."""
        path = str(self.site / rel)
        try:
            links, ids = scan(read_page(path))
        except ValueError as e:
            raise ValueError(f"{rel}: {e}") from None
        folder, is_html = posixpath.dirname(rel), _is_html(path)
        for i, link in enumerate(links):
            reason, target, fragment = self._follow(folder, link)
            if reason:
                shown = link[:80] if reason in _SCHEME_REASONS else link
                out.broken.append(((number, i), BrokenLink(rel, shown, reason)))
            elif fragment is None or (target is None and not is_html):
                continue
            elif target is None or target == path:
                if fragment not in ids:
                    reason = f"no element with id {fragment!r}"
                    out.broken.append(((number, i), BrokenLink(rel, link, reason)))
            else:
                out.anchors.append(AnchorRef(target, fragment, (number, i), rel, link))

    def _follow(self, folder: str, link: str) -> tuple[str, str | None, str | None]:
        """(why the link is broken, or ""; the file it names, None for its own page; the
        anchor to look for in that file when it is a page, else None)."""
        try:
            reason, path, fragment = self._links[link]
        except KeyError:
            reason, path, fragment = _parse_link(link, self.base_path)
            if len(self._links) >= _MAX_CACHED:
                self._links.clear()
            self._links[link] = reason, path, fragment
        if path is None:
            return reason, None, None
        if not path:
            return "", None, fragment
        if path[0] == "/":
            target = self.target(path.lstrip("/"))
        else:
            target = self.target(posixpath.normpath(posixpath.join(folder, path)))
        if target is None:
            return "no such file", None, None
        return "", target, fragment if fragment is not None and _is_html(target) else None

    def check_pages(self, first: int, rels: list[str]) -> Chunk:
        """Check the pages `rels`, numbered from `first`."""
        out = Chunk(pages=len(rels), pid=os.getpid())
        for number, rel in enumerate(rels, first):
            self.check_page(number, rel, out)
        return out


def missing_anchors(wanted: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """(page, anchor) of every anchor in `wanted` (page -> anchors) not among its ids."""
    missing = []
    for target, fragments in wanted:
        _links, ids = scan(read_page(target))
        missing += [(target, f) for f in fragments if f not in ids]
    return missing
