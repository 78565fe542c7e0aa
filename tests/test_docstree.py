"""The docs tree kept between builds (generator/build/docstree.py, ondisk.py): an update
writes only the pages whose bytes changed, removes those no longer made, and a build
that did not finish leaves no note, so the next one starts from an empty tree."""

from __future__ import annotations

from pathlib import Path

from generator.build import docstree
from generator.build.ondisk import OnDisk
from generator.build.site import build_site
from generator.pages.urls import determination_path
from generator.record.store import load_records
from tests.helpers import some_records

ROOT_DIR = Path(__file__).resolve().parent.parent
CONFIG = ROOT_DIR / "mkdocs.yml"


def test_a_value_with_the_bytes_on_disk_is_not_written_again(tmp_path):
    first = OnDisk(tmp_path, text=True)
    first["a/b.md"] = "same"
    first["c.md"] = "old"
    same = (tmp_path / "a/b.md").stat()
    (tmp_path / "linked.md").hardlink_to(tmp_path / "c.md")  # as a shard's docs link it
    again = OnDisk(tmp_path, text=True, known=first.digests)
    again["a/b.md"] = "same"
    again["c.md"] = "new"
    assert (tmp_path / "a/b.md").stat().st_ino == same.st_ino
    assert (tmp_path / "a/b.md").stat().st_mtime_ns == same.st_mtime_ns
    assert (tmp_path / "linked.md").read_text() == "old"  # a new file, not new bytes
    assert again["c.md"] == "new" and again.digests.keys() == {"a/b.md", "c.md"}


def test_a_tree_without_its_note_is_set_aside_and_an_empty_one_made(tmp_path):
    cache, trash = tmp_path / "cache", tmp_path / "trash"
    root, memo = docstree.open_tree(cache, trash, fresh=False)
    pages = OnDisk(root, text=True)
    pages["index.md"] = "home"
    pages["determinations/x/index.md"] = "x"
    memo.digests = dict(pages.digests)
    docstree.save(cache, memo, held=())
    root, memo = docstree.open_tree(cache, trash, fresh=False)  # the note is taken
    assert memo.digests.keys() == {"index.md", "determinations/x/index.md"}
    assert not (cache / docstree.NOTE).exists()  # until this build succeeds
    root, memo = docstree.open_tree(cache, trash / "2", fresh=False)  # it did not
    assert memo.digests == {} and list(root.iterdir()) == []
    [aside] = (trash / "2").iterdir()  # removed with the work folder
    assert (aside / "index.md").read_text() == "home"


def test_a_full_build_starts_from_an_empty_tree_and_a_damaged_note_is_no_note(tmp_path):
    cache = tmp_path / "cache"
    root, memo = docstree.open_tree(cache, tmp_path / "t1", fresh=False)
    (root / "index.md").write_text("home")
    memo.digests = {"index.md": b"x"}
    docstree.save(cache, memo, held=())
    root, memo = docstree.open_tree(cache, tmp_path / "t2", fresh=True)
    assert memo.digests == {} and list(root.iterdir()) == []
    (cache / docstree.NOTE).write_bytes(b"not a pickle")
    assert docstree.open_tree(cache, tmp_path / "t3", fresh=False)[1].digests == {}


def test_links_found_by_other_code_are_not_trusted(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    root, memo = docstree.open_tree(cache, tmp_path / "t1", fresh=False)
    memo.digests = {"a.md": b"\x01" * 32}
    memo.links = {"a.md": (frozenset({"b.md"}), frozenset())}
    docstree.save(cache, memo, held=())
    monkeypatch.setattr(docstree, "_CODE", "an-upgrade")  # shards.py or sharded.py changed
    assert docstree.open_tree(cache, tmp_path / "t2", fresh=False)[1] == docstree.DocsMemo()


def test_the_note_round_trips(tmp_path):
    cache = tmp_path / "cache"
    root, memo = docstree.open_tree(cache, tmp_path / "t1", fresh=False)
    memo.digests = {"a.md": b"\x01" * 32, "data/x.csv": b"\x02" * 32}
    memo.links = {"a.md": (frozenset({"b.md", "c.md"}), frozenset({"c.md"}))}
    docstree.save(cache, memo, held=())
    assert docstree.open_tree(cache, tmp_path / "t2", fresh=False)[1] == memo


def test_save_removes_what_the_build_did_not_make_and_the_folders_it_empties(tmp_path):
    cache = tmp_path / "cache"
    root, memo = docstree.open_tree(cache, tmp_path / "trash", fresh=False)
    pages = OnDisk(root, text=True)
    for path in ("index.md", "determinations/a/index.md", "determinations/b/index.md"):
        pages[path] = path
    held = set(pages.digests)
    memo.digests = {p: d for p, d in pages.digests.items() if "/b/" not in p}
    docstree.save(cache, memo, held)
    assert not (root / "determinations" / "b").exists()
    assert (root / "determinations" / "a" / "index.md").is_file()


def _build(content: Path, site: Path, **kw):
    return build_site(content, site, config_file=CONFIG, progress=False, jobs=2, **kw)


def test_an_update_rewrites_only_the_pages_it_changes(tmp_path):
    content = some_records(tmp_path / "content")
    records, _ = load_records(content / "records")
    site = tmp_path / "out" / "site"
    _build(content, site)
    docs = tmp_path / "out" / ".site.shards" / docstree.DOCS
    before = _pages(docs)
    gone = records[0]
    (content / "records" / f"{gone.id}.json").unlink()
    _build(content, site)
    after = _pages(docs)
    assert determination_path(gone.id) in before
    assert determination_path(gone.id) not in after  # the withdrawn page left the tree
    same = [p for p in after if p in before and before[p][0] == after[p][0]]
    assert len(same) >= len(records) - 4  # most determination pages did not change...
    for path in same:  # ...and were not written: the file is the one of the first build
        assert after[path][1:] == before[path][1:], path
    assert any(before[p][0] != after[p][0] for p in after if p in before)  # hubs did


def _pages(docs: Path) -> dict[str, tuple[bytes, int, int]]:
    """path -> (bytes, inode, mtime) of each page of the docs tree."""
    return {p.relative_to(docs).as_posix(): (p.read_bytes(), p.stat().st_ino,
                                             p.stat().st_mtime_ns)
            for p in docs.rglob("*.md")}


def test_a_cache_folder_that_cannot_hold_the_tree_costs_a_scratch_tree(tmp_path, monkeypatch,
                                                                      caplog):
    content = some_records(tmp_path / "content", step=1, count=6)

    def read_only(*_a, **_k):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(docstree, "open_tree", read_only)
    report = _build(content, tmp_path / "out" / "site")
    records, _ = load_records(content / "records")
    assert report.records == len(records) > 0
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert "cannot keep the docs tree there" in caplog.text
    assert not (tmp_path / "out" / ".site.shards" / docstree.NOTE).exists()
