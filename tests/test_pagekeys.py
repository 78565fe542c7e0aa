"""Determination pages made only when their inputs change (generator/build/pagekeys.py):
a page's key follows its record, its related determinations' records, its letter and
the settings; an update makes the pages whose key changed, and its site equals a full
build's (tests/test_spare.py and tests/test_shards.py compare them byte for byte)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from generator.build import codehash, docstree, pagekeys
from generator.build.docstree import DocsMemo
from generator.build.pagekeys import PageKeys
from generator.build.site import build_site
from generator.pages.determination import OriginalLetter
from generator.pages.urls import determination_path
from generator.record.store import load_records, write_record
from tests.factories import make_item, make_record
from tests.helpers import some_records

ROOT_DIR = Path(__file__).resolve().parent.parent
CONFIG = ROOT_DIR / "mkdocs.yml"
A, B, C = (SimpleNamespace(id=i) for i in ("CM1", "CM2", "CM3"))


def _keys(records: dict[str, bytes], tree: DocsMemo | None = None, root: Path = Path("."),
          **settings) -> PageKeys:
    options = {"header_search": False, "site_name": "IMR Archive"} | settings
    return PageKeys(records, tree or DocsMemo(), root, **options)


def test_a_key_follows_the_record_its_related_ones_its_letter_and_the_settings():
    digests = {"CM1": b"1", "CM2": b"2", "CM3": b"3"}
    key = _keys(digests).key("CM1", [B], None)
    assert key == _keys(dict(digests)).key("CM1", [B], None)  # the same inputs
    assert key != _keys(digests | {"CM1": b"x"}).key("CM1", [B], None)
    assert key != _keys(digests | {"CM2": b"x"}).key("CM1", [B], None)  # a related one
    assert key != _keys(digests).key("CM1", [C], None)  # another related one
    assert key != _keys(digests).key("CM1", [B], OriginalLetter("CM1.pdf", 10))
    assert key != _keys(digests, header_search=True).key("CM1", [B], None)
    assert key != _keys(digests, site_name="Other").key("CM1", [B], None)
    assert _keys({"CM1": b"1"}).key("CM1", [B], None) is None  # a related digest unknown


def test_a_page_is_kept_only_when_the_tree_holds_it_with_its_key(tmp_path):
    digests = {"CM1": b"1", "CM2": b"2"}
    path = determination_path("CM1")
    key = _keys(digests).key("CM1", [B], None)
    tree = DocsMemo(digests={path: b"sha"}, inputs={path: key})
    keys = _keys(digests, tree, tmp_path)
    assert not keys.keep(A, [B], None)  # the note says so, but the file is not there
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text("page")
    keys = _keys(digests, tree, tmp_path)
    assert keys.keep(A, [B], None) and keys.kept == {path: b"sha"}
    assert not keys.keep(A, [], None)  # its related list changed: made again
    assert keys.keys[path] != key


def _build(content: Path, site: Path, **kw):
    return build_site(content, site, config_file=CONFIG, progress=False, jobs=2, **kw)


def test_an_update_makes_only_the_pages_whose_inputs_changed(tmp_path):
    content = some_records(tmp_path / "content")
    records, _ = load_records(content / "records")
    first = _build(content, tmp_path / "out" / "site")
    assert first.determinations_made == len(records)
    again = _build(content, tmp_path / "out" / "site")
    assert again.determinations_made == 0  # nothing changed
    changed = records[3]
    corrected = changed.model_copy(update={"clinical_summary": "A corrected clinical summary."})
    write_record(corrected, content / "records")
    third = _build(content, tmp_path / "out" / "site")
    # the changed one, and the pages that list it as related (their inputs changed)
    assert 1 <= third.determinations_made < len(records)
    docs = tmp_path / "out" / ".site.shards" / docstree.DOCS
    assert "A corrected clinical summary" in (docs / determination_path(changed.id)).read_text()
    full = _build(content, tmp_path / "full" / "site", full=True)
    assert full.determinations_made == len(records)
    assert _tree(tmp_path / "out" / "site") == _tree(tmp_path / "full" / "site")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_code_part_of_a_key_follows_the_libraries_the_pages_are_made_with(monkeypatch):
    before = pagekeys.code_digest()
    pagekeys.code_digest.cache_clear()
    monkeypatch.setattr(codehash.metadata, "version", lambda name: "99.0")  # an upgrade
    try:
        assert pagekeys.code_digest() != before
    finally:
        monkeypatch.undo()
        pagekeys.code_digest.cache_clear()
    assert pagekeys.code_digest() == before


def _listed_archive(records_dir: Path, n: int) -> list:
    """`n` small determinations of one service and region, a day apart: their hubs and
    /determinations/ run to numbered pages (generator.pages.paging)."""
    made = [make_record(id=f"CM20-{k:07d}", decision_date=dt.date(2020, 1, 1)
                        + dt.timedelta(days=k)) for k in range(n)]
    for record in made:
        write_record(record, records_dir)
    return made


def test_an_update_keeps_the_numbered_listing_pages_it_does_not_reach(tmp_path):
    records = tmp_path / "content" / "records"
    made = _listed_archive(records, 230)
    first = _build(tmp_path / "content", tmp_path / "out" / "site")
    assert first.listing_pages_kept == 0
    write_record(make_record(id="CM20-9999999", decision_date=dt.date(2021, 1, 1)), records)
    # a determination on an old numbered page, corrected: that page is made again
    old = made[5]
    write_record(old.model_copy(update={"items": [make_item(service="Corrected service")]}),
                 records)
    second = _build(tmp_path / "content", tmp_path / "out" / "site")
    docs = tmp_path / "out" / ".site.shards" / docstree.DOCS
    assert second.listing_pages_kept > 0
    assert "Corrected service" in (docs / "determinations" / "page" / "1.md").read_text()
    full = _build(tmp_path / "content", tmp_path / "full" / "site", full=True)
    assert full.listing_pages_kept == 0
    assert _tree(tmp_path / "out" / "site") == _tree(tmp_path / "full" / "site")
