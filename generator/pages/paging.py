"""A listing's pages, numbered from the oldest, so that new determinations leave them be.

A listing (a hub's determinations or cited items, /determinations/) is shown newest
first. Its first page (the hub's own page) holds the newest entries: the newest full
page's and any past it, so between `size` and 2 x size - 1 of them (all of them when
there are fewer). The older entries are on numbered pages of exactly `size` entries,
``page/1/`` the oldest. New determinations are the newest, so they go to the first page
and every numbered page stays as it was; when they fill a page, a numbered page is added
and the one before it gains a link to it. An update then rebuilds a hub's first page
and at most two others, not every page of it (generator.build.pagereuse). Nothing on a
numbered page depends on how many entries come after it. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator.pages.markdown import link

T = TypeVar("T")

NEWER_OLDER = ("← Newer", "Older →")

# Asked before a numbered page of a listing is made: (its docs path, all it shows but its
# rows, the ids of the determinations its rows show) -> True when the page need not be
# made (the build holds it made from these inputs: generator.build.pagekeys). A row
# shows what its determination's record says, so its id stands for it.
KeepPage = Callable[[str, str, Sequence[str]], bool]


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    path: str  # docs path
    number: int  # 0: the first page; else counted from the oldest (1)
    entries: Sequence[T]  # newest first
    first: int  # its oldest entry's place, counted from the oldest (1-based)
    last: int  # its newest entry's place


def numbered_path(first_page: str, number: int) -> str:
    """Docs path of numbered page `number` of the listing whose first page is `first_page`:
    'regions/knee/index.md', 3 -> 'regions/knee/page/3.md'."""
    if number < 1:
        raise ValueError(f"numbered pages count from 1, not {number}")
    return f"{first_page.removesuffix('index.md')}page/{number}.md"


def listing_pages(first_page: str, newest_first: Sequence[T], size: int) -> list[ListingPage[T]]:
    """The listing's pages: its first page, then the numbered ones from the newest to
    the oldest (page 1)."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    n = len(newest_first)
    older = max(0, n // size - 1)  # numbered pages
    head = n - older * size
    pages = [ListingPage(first_page, 0, newest_first[:head], older * size + 1, n)]
    for k in range(older, 0, -1):
        chunk = newest_first[n - k * size : n - (k - 1) * size]
        pages.append(ListingPage(numbered_path(first_page, k), k, chunk, (k - 1) * size + 1,
                                 k * size))
    return pages


def pager(pages: Sequence[ListingPage], i: int, here: str) -> list[str]:
    """'← Newer · Page 3 of the older entries · Older →' for pages[i] (the newer and older
    pages around it); nothing when the listing has one page."""
    if len(pages) <= 1:
        return []
    parts = []
    if i > 0:
        parts.append(link(NEWER_OLDER[0], here, pages[i - 1].path))
    number = pages[i].number
    parts.append(f"Page {number} of the older entries" if number else "The newest entries")
    if i < len(pages) - 1:
        parts.append(link(NEWER_OLDER[1], here, pages[i + 1].path))
    return [" · ".join(parts), ""]
