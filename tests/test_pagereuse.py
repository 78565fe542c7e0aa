"""A changed shard rebuilt in part (generator/build/pagereuse.py): what it keeps of its
cached output, and the output composed of the kept pages and the rebuilt ones."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build.pagereuse import DIGESTS, Reuse, changed_part, compose, reusable
from generator.build.shard_mkdocs import MANIFEST
from generator.build.shards import Shard

SEARCH = "search/search_index.json"


def _page(src: str) -> dict:
    url = src.removesuffix(".md") + "/"  # regions/a.md -> regions/a/ (no index.md here)
    dest = url + "index.html"
    return {"src": src, "dest": dest, "url": url, "canonical_url": None, "abs_url": "/" + url}


def _output(root: Path, srcs: list[str], digests: dict[str, str], settings: str = "s1") -> Path:
    """A shard's output as MkDocs and write_digests leave it."""
    pages = [_page(s) for s in srcs]
    for p in pages:
        (root / p["dest"]).parent.mkdir(parents=True, exist_ok=True)
        (root / p["dest"]).write_text(f"<html>{p['src']}</html>")
    (root / MANIFEST).write_text(json.dumps({"pages": pages, "root": False}))
    docs = [{"location": p["url"], "title": p["src"]} for p in pages]
    docs += [{"location": p["url"] + "#part", "title": p["src"] + " part"} for p in pages]
    (root / SEARCH).parent.mkdir(parents=True, exist_ok=True)
    (root / SEARCH).write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}))
    (root / DIGESTS).write_text(json.dumps({"settings": settings, "pages": digests}))
    return root


def _shard(pages: dict[str, str], settings: str = "s1") -> Shard:
    return Shard("regions", pages=sorted(pages), phantoms=["index.md"], digests=pages,
                 settings=settings)


def test_a_shard_keeps_the_pages_whose_markdown_and_settings_are_the_same(tmp_path):
    old = _output(tmp_path / "old", ["regions/a.md", "regions/b.md"],
                  {"regions/a.md": "1", "regions/b.md": "2"})
    shard = _shard({"regions/a.md": "1", "regions/b.md": "9", "regions/c.md": "3"})
    reuse = reusable(shard, old)
    assert reuse == Reuse(old, ("regions/a.md",))
    part = changed_part(shard, reuse)
    assert part.pages == ["regions/b.md", "regions/c.md"]
    assert part.phantoms == ["index.md", "regions/a.md"]  # the kept page still resolves
    assert reusable(_shard(shard.digests, settings="s2"), old) is None  # theme, config...
    assert reusable(Shard("root", pages=["index.md"], digests={"index.md": "1"},
                          settings="s1"), old) is None  # root is always built whole
    assert reusable(shard, None) is None
    (old / DIGESTS).write_text("{not json")
    assert reusable(shard, old) is None


def test_the_composed_output_is_the_whole_shard_in_mkdocs_order(tmp_path):
    old = _output(tmp_path / "old", ["regions/a.md", "regions/c.md"],
                  {"regions/a.md": "1", "regions/c.md": "3"})
    shard = _shard({"regions/a.md": "1", "regions/b.md": "2", "regions/c.md": "3"})
    reuse = reusable(shard, old)
    assert reuse is not None and reuse.kept == ("regions/a.md", "regions/c.md")
    built = _output(tmp_path / "built", ["regions/b.md"], {})
    dest = tmp_path / "shard"
    compose(shard, reuse, built, dest)
    manifest = json.loads((dest / MANIFEST).read_text())
    assert [p["src"] for p in manifest["pages"]] == ["regions/a.md", "regions/b.md",
                                                      "regions/c.md"]
    for src in ("a", "b", "c"):
        assert (dest / f"regions/{src}/index.html").read_text() == f"<html>regions/{src}.md</html>"
    assert (dest / "regions/a/index.html").stat().st_ino == (
        old / "regions/a/index.html").stat().st_ino  # linked, not copied
    index = json.loads((dest / SEARCH).read_text())
    assert [d["location"] for d in index["docs"]] == [
        "regions/a/", "regions/a/#part", "regions/b/", "regions/b/#part", "regions/c/",
        "regions/c/#part"]
    assert json.loads((dest / DIGESTS).read_text())["pages"] == shard.digests


def test_a_shard_whose_pages_only_went_is_composed_without_mkdocs(tmp_path):
    old = _output(tmp_path / "old", ["regions/a.md", "regions/b.md"],
                  {"regions/a.md": "1", "regions/b.md": "2"})
    shard = _shard({"regions/a.md": "1"})
    reuse = reusable(shard, old)
    assert reuse is not None
    assert changed_part(shard, reuse).pages == []
    dest = tmp_path / "shard"
    compose(shard, reuse, None, dest)
    assert [p["src"] for p in json.loads((dest / MANIFEST).read_text())["pages"]] == [
        "regions/a.md"]
    assert not (dest / "regions/b/index.html").exists()
    index = json.loads((dest / SEARCH).read_text())
    assert {d["location"] for d in index["docs"]} == {"regions/a/", "regions/a/#part"}
    assert index["config"] == {"lang": ["en"]}


def test_a_page_is_kept_only_while_its_links_lead_where_they_did():
    from generator.build.sharded import _Read

    docs = {
        "regions/a.md": b"[b](b.md) [c](c.md#part) [gone](../determinations/X.md)",
        "regions/b.md": b"# B",
        "regions/c.md": b"# C\n\n## Part",
    }

    def key(docs: dict, known: set) -> str:
        pages = _Read(list(docs), docs.__getitem__)
        links = pages.scan()
        return pages.reuse_key("regions/a.md", links["regions/a.md"], known)

    known = set(docs) | {"determinations/X.md"}
    before = key(docs, known)
    assert key(docs, set(known)) == before
    assert key({**docs, "regions/b.md": b"# B, again"}, known) == before  # no anchor: same
    assert key({**docs, "regions/c.md": b"# C"}, known) != before  # its anchor may be gone
    assert key(docs, known - {"determinations/X.md"}) != before  # MkDocs fails on it now
