"""What builds keep for the next (generator/build/segments.py): the records
(recordmemo.py: a load takes from the memo the records whose files are unchanged and
reads the others; what it returns is what reading every file returns, whatever the memo
holds) and the search index's cards (indexmemo.py)."""

from __future__ import annotations

import gc
import gzip
import json
import logging
import os
import time
from pathlib import Path

import pytest

from generator.build import recordmemo, segments
from generator.build.indexmemo import CardMemo
from generator.build.recordmemo import RecordMemo
from generator.build.reuse import ArchiveMemo
from generator.build.site import build_site
from generator.pages.opendata import archive_files
from generator.pages.urls import JSONL_PATH
from generator.record import lean
from generator.record.store import load_records
from generator.search.determinations import write_index
from tests.helpers import some_records

ROOT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_racy_wait(monkeypatch):
    """Files written by a test are seconds old at most: kept all the same (each change
    below waits for the kernel's clock to tick, as the memo's wait is meant to)."""
    monkeypatch.setattr(recordmemo, "RACY_NS", 0)


def _files(records: Path) -> list[Path]:
    return sorted(p for p in records.glob("*.json") if not p.name.startswith("."))


def _touch(path: Path) -> None:
    """A new change time for `path`, the same bytes."""
    time.sleep(0.03)
    path.rename(path.with_name("X" + path.name))
    path.with_name("X" + path.name).rename(path)


def _load(records: Path, memo_dir: Path, fresh: bool = False):
    digests: dict[str, bytes] = {}
    memo = RecordMemo(memo_dir, fresh=fresh)
    loaded, errors = load_records(records, lean=True, digests=digests, memo=memo)
    memo.save()
    return loaded, errors, digests, memo


def _plain(records) -> list[dict]:
    return [lean.dump(r) for r in records]


def _truth(records: Path):
    digests: dict[str, bytes] = {}
    loaded, errors = load_records(records, lean=True, digests=digests)
    return _plain(loaded), errors, digests


def test_a_second_load_reads_only_the_files_that_changed(tmp_path):
    records = some_records(tmp_path / "content") / "records"
    memo_dir = tmp_path / "memo"
    first, _e, _d, memo = _load(records, memo_dir)
    assert len(memo.new) == len(first) and not memo.taken
    again, errors, digests, memo = _load(records, memo_dir)
    assert not memo.new and len(memo.taken) == len(first)  # nothing read
    assert (_plain(again), errors, digests) == _truth(records)
    # a record rewritten with the same size and modification time: its change time moved
    path = _files(records)[2]
    data = json.loads(path.read_text())
    data["clinical_summary"] = data["clinical_summary"][::-1]
    st = path.stat()
    time.sleep(0.03)
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    third, errors, digests, memo = _load(records, memo_dir)
    assert set(memo.new) == {path.name}
    assert (_plain(third), errors, digests) == _truth(records)


def test_removed_and_invalid_files_are_as_without_a_memo(tmp_path):
    records = some_records(tmp_path / "content") / "records"
    memo_dir = tmp_path / "memo"
    _load(records, memo_dir)
    paths = _files(records)
    paths[0].unlink()
    paths[1].write_text("{ not json")
    loaded, errors, digests, memo = _load(records, memo_dir)
    assert (_plain(loaded), errors, digests) == _truth(records)
    assert len(errors) == 1 and paths[1].name in errors[0].path
    assert paths[1].name not in memo.new  # an invalid record is read again each time
    _loaded, errors, _d, _m = _load(records, memo_dir)
    assert len(errors) == 1


def test_segments_are_appended_then_written_again_as_one(tmp_path, monkeypatch):
    records = some_records(tmp_path / "content", count=12) / "records"
    memo_dir = tmp_path / "memo"
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 3)
    _load(records, memo_dir)
    for path in _files(records)[:2]:  # a changed file each time
        _touch(path)
        _load(records, memo_dir)
    assert len(list(memo_dir.glob("*.pickle"))) == 3
    _touch(_files(records)[3])
    _loaded, _e, _d, memo = _load(records, memo_dir)
    assert len(list(memo_dir.glob("*.pickle"))) == 1  # compacted
    loaded, errors, digests, memo = _load(records, memo_dir)
    assert not memo.new and (_plain(loaded), errors, digests) == _truth(records)


def test_a_memo_of_other_code_or_unreadable_is_dropped(tmp_path, monkeypatch, caplog):
    records = some_records(tmp_path / "content", count=6) / "records"
    memo_dir = tmp_path / "memo"
    n = len(_load(records, memo_dir)[0])
    code = recordmemo.code
    monkeypatch.setattr(recordmemo, "code", lambda: "other code")
    _loaded, _e, _d, memo = _load(records, memo_dir)
    assert len(memo.new) == n and not memo.taken  # all read again
    monkeypatch.setattr(recordmemo, "code", code)
    for segment in memo_dir.glob("*.pickle"):
        segment.write_bytes(b"torn")
    with caplog.at_level(logging.WARNING):
        loaded, errors, digests, memo = _load(records, memo_dir)
    assert "cannot read the memo" in caplog.text
    assert len(memo.new) == n and (_plain(loaded), errors, digests) == _truth(records)
    _loaded, _e, _d, memo = _load(records, memo_dir, fresh=True)  # --full: not used
    assert len(memo.new) == n and len(list(memo_dir.glob("*.pickle"))) == 1


def test_a_file_changed_just_before_the_load_is_read_again_next_time(tmp_path, monkeypatch):
    records = some_records(tmp_path / "content", count=6) / "records"
    n = len(_files(records))
    monkeypatch.setattr(recordmemo, "RACY_NS", 10**12)  # every file changed "just now"
    _loaded, _e, _d, memo = _load(records, tmp_path / "memo")
    assert not memo.new and not list((tmp_path / "memo").glob("*.pickle"))
    monkeypatch.setattr(recordmemo, "RACY_NS", 0)
    _loaded, _e, _d, memo = _load(records, tmp_path / "memo")
    assert len(memo.new) == n


def test_a_build_reads_only_new_record_files(tmp_path):
    content = some_records(tmp_path / "content")
    spare = next(p for p in _files(ROOT_DIR / "content" / "records")
                 if not (content / "records" / p.name).exists())
    build = dict(config_file=ROOT_DIR / "mkdocs.yml", progress=False, jobs=2)
    first = build_site(content, tmp_path / "out" / "site", **build)
    assert first.records_read == first.records
    time.sleep(0.03)
    (content / "records" / spare.name).write_bytes(spare.read_bytes())
    second = build_site(content, tmp_path / "out" / "site", **build)
    assert second.records == first.records + 1 and second.records_read == 1
    # what loading the memos froze is collectable again (imr-archive serve builds again)
    assert gc.get_freeze_count() == 0


def _index_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _rewrite_one(records: Path) -> None:
    """A record file edited: another clinical summary (the memos' keys follow its bytes)."""
    path = _files(records)[0]
    data = json.loads(path.read_text())
    data["clinical_summary"] = "An edited summary: lumbar strain, physical therapy."
    time.sleep(0.03)
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def test_the_index_takes_cards_of_unchanged_records_from_its_memo(tmp_path):
    """generator/build/indexmemo.py: cards kept by their record file's digest; the index is
    the bytes an index made without the memo has, before and after a record changes."""
    records = some_records(tmp_path / "content", count=12) / "records"
    loaded, _e, digests, _m = _load(records, tmp_path / "memo")
    memo = CardMemo(tmp_path / "cards", digests)
    write_index(loaded, tmp_path / "first", cards_made=memo)
    memo.save()
    assert len(memo.new) == len(loaded) and not memo.taken
    write_index(loaded, tmp_path / "plain")
    assert _index_files(tmp_path / "first") == _index_files(tmp_path / "plain")
    _rewrite_one(records)
    loaded, _e, digests, _m = _load(records, tmp_path / "memo")
    memo = CardMemo(tmp_path / "cards", digests)
    write_index(loaded, tmp_path / "again", cards_made=memo)
    assert len(memo.new) == 1 and len(memo.taken) == len(loaded) - 1
    write_index(loaded, tmp_path / "plain2")
    assert _index_files(tmp_path / "again") == _index_files(tmp_path / "plain2")
    assert _index_files(tmp_path / "again") != _index_files(tmp_path / "first")


def test_archive_runs_are_made_once_for_the_same_record_files(tmp_path):
    """generator/build/reuse.py: a compressed run of the downloads is kept by its records'
    file digests; a record changed makes its run again, and the files are those made
    without the memo."""
    records = some_records(tmp_path / "content", count=12) / "records"
    loaded, _e, digests, _m = _load(records, tmp_path / "memo")
    memo = ArchiveMemo(tmp_path / "members", digests)
    first = archive_files(loaded, memo)
    memo.save()
    assert first == archive_files(loaded) and memo.new and not memo.taken
    memo = ArchiveMemo(tmp_path / "members", digests)
    assert archive_files(loaded, memo) == first
    assert not memo.new and memo.taken
    _rewrite_one(records)
    loaded, _e, digests, _m = _load(records, tmp_path / "memo")
    memo = ArchiveMemo(tmp_path / "members", digests)
    again = archive_files(loaded, memo)
    assert len(memo.new) == 2  # its run's JSON Lines and CSV, made again
    assert again == archive_files(loaded) and again != first
    assert b"An edited summary" in gzip.decompress(again[JSONL_PATH])
