"""The link check of a new build limited to its new pages (generator/build/linkdelta.py)."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build import linkdelta
from generator.build.linkcheck import run_check


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


OLD = {
    "index.html": _page('<a href="a/">a</a> <a href="b/#part">b</a>'),
    "a/index.html": _page('<h2 id="top">A</h2><a href="../data.csv">csv</a>'),
    "b/index.html": _page('<h2 id="part">B</h2>'),
    "data.csv": "x\n",
}


def _next_site(tmp_path: Path, old: Path, changed: dict[str, str]) -> Path:
    """A new site as a build makes it: the files it kept are the old ones, linked."""
    new = tmp_path / "new"
    for rel in OLD:
        if rel not in changed:
            (new / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(old / rel, new / rel)
    return _write(new, changed)


def test_only_the_new_files_pages_are_checked(tmp_path):
    old = _write(tmp_path / "old", OLD)
    new = _next_site(tmp_path, old, {
        "b/index.html": _page('<h2 id="part">B</h2><h2 id="more">more</h2>'),
        "c/index.html": _page('<a href="../b/#gone">b</a>'),
    })
    only = linkdelta.pages_to_check(old, new)
    assert only == ["b/index.html", "c/index.html"]
    found = run_check(new, only=only, jobs=1)
    assert found.pages == 2
    assert [(b.page, b.target) for b in found.broken] == [("c/index.html", "../b/#gone")]


def test_a_file_gone_or_an_id_lost_means_checking_every_page(tmp_path):
    old = _write(tmp_path / "old", OLD)
    lost = _next_site(tmp_path, old, {"b/index.html": _page("<h2>B</h2>")})
    assert linkdelta.pages_to_check(old, lost) is None  # index.html links to b/#part
    (lost / "b/index.html").write_text(OLD["b/index.html"])
    assert linkdelta.pages_to_check(old, lost) == ["b/index.html"]
    (lost / "data.csv").unlink()
    assert linkdelta.pages_to_check(old, lost) is None  # a/ links to it
    assert linkdelta.pages_to_check(old, lost, unlinked=("data",)) == ["b/index.html"]


def test_only_the_site_the_last_build_checked_counts(tmp_path):
    cache, site = tmp_path / "cache", _write(tmp_path / "site", OLD)
    assert linkdelta.checked_site(cache, site, "/") is None
    linkdelta.remember(cache, site, "/")
    assert linkdelta.checked_site(cache, site, "/") == site
    assert linkdelta.checked_site(cache, site, "/archive/") is None  # another base path
    os.replace(site, tmp_path / "aside")
    _write(site, OLD)  # the same path, another folder: not the site that was checked
    assert linkdelta.checked_site(cache, site, "/") is None
    linkdelta.remember(cache, site, "/")
    linkdelta.forget(cache)
    assert linkdelta.checked_site(cache, site, "/") is None


def test_a_site_of_mostly_new_pages_is_checked_whole(tmp_path):
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", {**OLD, "c/index.html": _page("c")})  # no file kept
    assert linkdelta.pages_to_check(old, new) is None
