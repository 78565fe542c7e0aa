"""A listing's pages numbered from the oldest (generator/pages/paging.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.pages.paging import listing_pages, numbered_path, pager


@given(st.integers(0, 400), st.integers(1, 60))
def test_every_entry_once_newest_first_and_numbered_pages_full(n, size):
    entries = list(range(n, 0, -1))  # newest first
    pages = listing_pages("regions/knee/index.md", entries, size)
    assert [e for p in pages for e in p.entries] == entries
    assert all(len(p.entries) == size for p in pages[1:])
    assert len(pages[0].entries) < 2 * size or n < size
    assert [p.number for p in pages] == [0, *range(len(pages) - 1, 0, -1)]
    for p in pages[1:]:  # a numbered page says which entries it holds, from the oldest
        assert (p.first, p.last) == (min(p.entries), max(p.entries))


@given(st.integers(0, 300), st.integers(1, 200), st.integers(1, 40))
def test_newer_entries_leave_every_numbered_page_but_the_newest_one(n, more, size):
    old = listing_pages("x/index.md", list(range(n, 0, -1)), size)
    new = listing_pages("x/index.md", list(range(n + more, 0, -1)), size)
    old_numbered = {p.path: list(p.entries) for p in old[1:]}
    new_numbered = {p.path: list(p.entries) for p in new[1:]}
    for path, entries in old_numbered.items():
        assert new_numbered[path] == entries
    # the pages' links: only the newest numbered page of before can gain a newer page
    for i, p in enumerate(old[1:], start=1):
        j = next(k for k, q in enumerate(new) if q.path == p.path)
        if i > 1:
            assert pager(new, j, p.path) == pager(old, i, p.path)


def test_the_pager_links_newer_and_older_pages():
    pages = listing_pages("regions/knee/index.md", list(range(10, 0, -1)), 3)
    assert [p.path for p in pages] == ["regions/knee/index.md", "regions/knee/page/2.md",
                                       "regions/knee/page/1.md"]
    assert pager(pages, 0, pages[0].path) == [
        "The newest entries · [Older →](page/2.md)", ""]
    assert pager(pages, 1, pages[1].path) == [
        "[← Newer](../index.md) · Page 2 of the older entries · [Older →](1.md)", ""]
    assert pager(pages, 2, pages[2].path) == [
        "[← Newer](2.md) · Page 1 of the older entries", ""]
    assert pager(pages[:1], 0, pages[0].path) == []


def test_numbered_pages_count_from_one():
    assert numbered_path("determinations/index.md", 1) == "determinations/page/1.md"
    with pytest.raises(ValueError):
        numbered_path("determinations/index.md", 0)
    with pytest.raises(ValueError):
        listing_pages("x/index.md", [1], 0)
