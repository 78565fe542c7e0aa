"""Index pages: every determination newest first, and a page for every folder. Pure.

`/determinations/` lists all determinations, newest first, `page_size` to a page
(`/determinations/page/<n>/` for the older ones, numbered from the oldest:
generator.pages.paging). A URL trimmed to any folder of the site
(`/regions/knee/page/`, say) must reach a page too: :func:`folder_indexes` gives each
folder of the docs that has no `index.md` one, listing what the folder holds.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence

import yaml

from generator.pages.listing import listing_rows
from generator.pages.markdown import front_matter, join_page, link, md_escape, plain_title
from generator.pages.paging import KeepPage, listing_pages, pager
from generator.pages.urls import DETERMINATIONS_DIR

DETERMINATIONS_INDEX = f"{DETERMINATIONS_DIR}/index.md"
DEFAULT_INDEX_PAGE_SIZE = 100


def determinations_index(ordered: Sequence, page_size: int = DEFAULT_INDEX_PAGE_SIZE,
                         keep: KeepPage | None = None):
    """[(docs path, Markdown)] of the determinations index; `ordered` newest first. Its
    pages are numbered from the oldest (generator.pages.paging); those `keep` says are
    made already are left out."""
    pages = listing_pages(DETERMINATIONS_INDEX, ordered, page_size)
    out = []
    for i, page in enumerate(pages):
        here = page.path
        if i == 0:
            title = "All determinations"
            shown = f"the newest {len(page.entries)} of {len(ordered)}" if len(pages) > 1 else (
                f"{len(ordered)}")
        else:
            title = f"All determinations, page {page.number}"
            shown = f"{page.first}–{page.last}, counted from the oldest"
        around = pager(pages, i, here)
        lines = [
            front_matter({"title": title, "search": {"exclude": True}}),
            f"# {title}",
            "",
            f"Every determination of the archive, newest first (by decision date): {shown}.",
            "",
            *around,
        ]
        if i and keep is not None and keep(here, "\n".join(lines), [r.id for r in page.entries]):
            continue
        lines += listing_rows(page.entries, here) if page.entries else [
            "*No determinations yet.*", ""]
        lines += around
        out.append((here, join_page(lines)))
    return out


# front matter as markdown.front_matter writes it for a listing's pages, with a title that
# needs no escape (nor any character YAML reads otherwise): its title read without YAML
_PLAIN = "[^\"\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*"
_PLAIN_HEAD = re.compile(
    f'title: "({_PLAIN})"(?:\nsearch:(?:\n  exclude: true|\n  boost: [0-9.]+)+)?'
    f'(?:\ndescription: "{_PLAIN}")?'
)


def page_title(markdown: str) -> str | None:
    """The `title` of a page's front matter, or None."""
    if not markdown.startswith("---\n"):
        return None
    head, sep, _rest = markdown[4:].partition("\n---\n")
    if not sep:
        return None
    plain = _PLAIN_HEAD.fullmatch(head)
    if plain:
        return plain.group(1) or None
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError:
        return None
    title = meta.get("title") if isinstance(meta, dict) else None
    return str(title) if title else None


def _folders(path: str) -> Iterable[str]:
    """The folders above a docs path, innermost first ('a/b/c.md' -> 'a/b', 'a')."""
    folder = posixpath.dirname(path)
    while folder:
        yield folder
        folder = posixpath.dirname(folder)


def folder_indexes(pages: Mapping[str, str], files: Iterable[str] = ()) -> dict[str, str]:
    """An index.md for every folder of `pages` and `files` (docs paths) that has none:
    a list of the pages and folders in it, and a link up to the page above."""
    contents: dict[str, set[str]] = {}
    for path in [*pages, *files]:
        child = path
        for folder in _folders(path):
            contents.setdefault(folder, set()).add(child)
            child = folder
    out: dict[str, str] = {}
    for folder in sorted(contents):
        here = f"{folder}/index.md"
        if here in pages:
            continue
        out[here] = _folder_page(folder, sorted(contents[folder], key=_natural), pages)
    return out


def _natural(path: str) -> list:
    """'page/10.md' after 'page/9.md'."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def _entry(child: str, pages: Mapping[str, str]) -> tuple[str, str] | None:
    """(link text, docs path) of a folder's child: a page, or a sub-folder's index."""
    if child.endswith(".md"):
        target = child
    elif posixpath.splitext(child)[1]:
        return None  # a data file: its folder's page links it
    else:
        target = f"{child}/index.md"
    text = page_title(pages.get(target, "")) or posixpath.basename(child).removesuffix(".md")
    return text, target


def _folder_page(folder: str, children: list[str], pages: Mapping[str, str]) -> str:
    here = f"{folder}/index.md"
    parent = posixpath.dirname(folder)
    up = f"{parent}/index.md" if parent else "index.md"
    up_title = page_title(pages.get(up, "")) or (parent if parent else "Home")
    title = plain_title(f"{up_title}: {posixpath.basename(folder)}")
    entries = [e for e in (_entry(c, pages) for c in children) if e is not None]
    holds = "This folder holds:" if entries else (
        "This folder holds data files only (no pages); the pages that use them link them."
    )
    lines = [
        front_matter({"title": title, "search": {"exclude": True}}),
        f"# {md_escape(title)}",
        "",
        f"Part of {link(md_escape(up_title), here, up)}. {holds}",
        "",
    ]
    lines += [f"- {link(md_escape(text), here, target)}" for text, target in entries]
    return join_page(lines)
