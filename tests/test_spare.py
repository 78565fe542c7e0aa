"""An update writes only what changed (generator/build/tree.py, spare.py, publish.py).

The site a swap replaced is kept as the spare, and the next build brings it up to date
file by file instead of making a new tree: the result must be the site a full build
makes, byte for byte, with only the changed files linked and the changed letters copied;
a spare that is not as the cache noted it is never trusted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator.build import spare
from generator.build.linkcheck import check_site
from generator.build.site import build_site
from generator.build.tree import files, sync
from generator.record.models import Source
from generator.record.store import load_records, write_record

ROOT_DIR = Path(__file__).resolve().parent.parent
CONFIG = ROOT_DIR / "mkdocs.yml"


# --- a folder made to match a list ----------------------------------------------------


def _sources(tmp_path: Path, names: dict[str, str]) -> dict[str, tuple[Path, int]]:
    out = {}
    for rel, text in names.items():
        path = tmp_path / "src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        out[rel] = (path, path.stat().st_ino)
    return out


def test_an_empty_folder_gets_every_file_as_a_link(tmp_path):
    desired = _sources(tmp_path, {"a.html": "a", "x/y/b.html": "b"})
    done = sync(desired, tmp_path / "dest")
    assert (done.linked, done.kept, done.removed) == (2, 0, 0)
    assert files(tmp_path / "dest") == {rel: ino for rel, (_p, ino) in desired.items()}


def test_only_what_differs_is_linked_and_what_is_not_listed_goes(tmp_path):
    desired = _sources(tmp_path, {"a.html": "a", "x/b.html": "b", "x/c.html": "c"})
    dest = tmp_path / "dest"
    sync(desired, dest)
    (dest / "old/deep").mkdir(parents=True)
    (dest / "old/deep/gone.html").write_text("gone")
    (dest / "letter.pdf").write_text("kept by the caller")
    os.unlink(dest / "x/b.html")
    (dest / "x/b.html").write_text("a stale copy")  # another file than its source
    done = sync(desired, dest, keep={"letter.pdf"})
    assert (done.linked, done.kept, done.removed) == (1, 2, 1)
    assert not (dest / "old").exists()  # the folders it emptied went too
    assert (dest / "letter.pdf").read_text() == "kept by the caller"
    assert (dest / "x/b.html").stat().st_ino == desired["x/b.html"][1]
    assert (dest / "x/b.html").read_text() == "b"


def test_files_of_a_missing_folder_are_none(tmp_path):
    assert files(tmp_path / "nothing") == {}


# --- the spare: notes --------------------------------------------------------------------


def test_a_spare_is_taken_only_as_its_note_describes_it(tmp_path):
    cache, trash = tmp_path / "cache", tmp_path / "work" / "trash"
    site, replaced = tmp_path / "site", tmp_path / "work" / "previous-site"
    cache.mkdir()
    replaced.mkdir(parents=True)
    (replaced / "index.html").write_text("old")
    (replaced / "search-index").mkdir()
    site.mkdir()
    spare._write(cache / spare.SITE_NOTE, replaced.stat().st_ino, {"l.pdf": "ab"})
    note = spare.served(cache)
    assert note is not None and not (cache / spare.SITE_NOTE).exists()
    spare.keep(cache, replaced, note, site, {"m.pdf": "cd"}, trash)
    assert spare.served(cache)["inode"] == site.stat().st_ino  # the new site's note
    had = spare.take(cache, tmp_path / "out", trash, unmanaged=("search-index",))
    assert had == {"l.pdf": "ab"}
    assert (tmp_path / "out/index.html").read_text() == "old"
    assert not (tmp_path / "out/search-index").exists()  # replaced whole by the build
    # taken once: the note is gone, so a half-updated spare is never taken again
    assert spare.take(cache, tmp_path / "out2", trash) == {}
    assert list((tmp_path / "out2").iterdir()) == []


def test_a_spare_that_is_not_the_noted_folder_is_discarded(tmp_path):
    cache, trash = tmp_path / "cache", tmp_path / "trash"
    (cache / spare.SPARE).mkdir(parents=True)
    (cache / spare.SPARE / "index.html").write_text("someone's")
    spare._write(cache / spare.SPARE_NOTE, (cache / spare.SPARE).stat().st_ino + 1, {})
    assert spare.take(cache, tmp_path / "out", trash) == {}
    assert list((tmp_path / "out").iterdir()) == []
    assert not (cache / spare.SPARE).exists()


def test_a_full_build_does_not_take_the_spare(tmp_path):
    cache, trash = tmp_path / "cache", tmp_path / "trash"
    (cache / spare.SPARE).mkdir(parents=True)
    spare._write(cache / spare.SPARE_NOTE, (cache / spare.SPARE).stat().st_ino, {})
    assert spare.take(cache, tmp_path / "out", trash, use=False) == {}
    assert list((tmp_path / "out").iterdir()) == []


# --- builds -------------------------------------------------------------------------------


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _build(content: Path, site: Path, **kw):
    return build_site(content, site, config_file=CONFIG, progress=False, jobs=2, **kw)


def _give_letter(content: Path, record, text: str) -> None:
    """The record's original letter: content/letters/<id>.txt holding `text`."""
    path = content / "letters" / f"{record.id}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    sha = hashlib.sha256(text.encode()).hexdigest()
    source = Source(path=f"letters/{record.id}.txt", sha256=sha)
    write_record(record.model_copy(update={"source": source}), content / "records")


@pytest.fixture()
def grown(tmp_path) -> tuple[Path, list]:
    """24 bundled records, each with a letter; a few more held back to be added later."""
    content = tmp_path / "content"
    (content / "records").mkdir(parents=True)
    every = sorted((ROOT_DIR / "content" / "records").glob("*.json"))[::10][:30]
    for path in every:
        shutil.copy(path, content / "records" / path.name)
    records, errors = load_records(content / "records")
    assert not errors
    held = records[24:]
    assert len(held) >= 4
    for r in held:
        (content / "records" / f"{r.id}.json").unlink()
    for r in records[:24]:
        _give_letter(content, r, f"letter of {r.id}")
    return content, held


def test_an_update_brings_the_spare_up_to_date_and_equals_a_full_build(grown, tmp_path):
    content, held = grown
    site = tmp_path / "out" / "site"
    first = _build(content, site)
    assert first.letters == first.letters_copied == 24
    for r in held[:3]:
        _give_letter(content, r, f"letter of {r.id}")
    second = _build(content, site)  # the first site is kept as the spare after its swap
    assert second.site_files["kept"] == 0 and second.letters_copied == 27
    assert (tmp_path / "out" / ".site.shards" / spare.SPARE).is_dir()

    records, _ = load_records(content / "records")
    changed, gone = records[0], records[1]
    _give_letter(content, changed, "a corrected letter")  # new bytes, same record
    (content / "records" / f"{gone.id}.json").unlink()  # a record withdrawn
    for r in held[3:]:
        _give_letter(content, r, f"letter of {r.id}")
    third = _build(content, site)  # takes the spare: the first site, two builds behind
    assert third.site_files["kept"] > 0 and third.site_files["linked"] > 0
    assert third.site_files["removed"] > 0  # the withdrawn determination's page
    # the letters that the spare (the first site) did not hold with these bytes: the
    # held records added since, and the changed one; the withdrawn one is gone
    assert third.letters == 24 + len(held) - 1
    assert third.letters_copied == len(held) + 1
    assert not (site / "determinations" / gone.id).exists()
    assert (site / "determinations" / changed.id / f"{changed.id}.txt").read_text() == (
        "a corrected letter")
    assert check_site(site) == []
    full = _build(content, tmp_path / "full" / "site", full=True)
    assert full.letters_copied == third.letters
    assert _tree(site) == _tree(tmp_path / "full" / "site")


def test_a_spare_changed_behind_the_builds_back_is_not_trusted(grown, tmp_path):
    content, held = grown
    site = tmp_path / "out" / "site"
    _build(content, site)
    _give_letter(content, held[0], "one more")
    _build(content, site)
    kept = tmp_path / "out" / ".site.shards" / spare.SPARE
    copy = kept.with_name("copy")
    shutil.copytree(kept, copy)  # the same files, but not the folder the note is about
    shutil.rmtree(kept)
    copy.rename(kept)
    _give_letter(content, held[1], "and another")
    third = _build(content, site)
    assert third.site_files["kept"] == 0 and third.letters_copied == 26
    _build(content, tmp_path / "full" / "site", full=True)
    assert _tree(site) == _tree(tmp_path / "full" / "site")
