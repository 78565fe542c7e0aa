"""Open data: JSON Lines and CSV round-trip to the records, gzip is byte-stable, per-hub CSVs."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib

import pytest

from generator.pages import opendata
from generator.pages.assemble import DuplicatePathError, Site, assemble
from generator.pages.opendata import COLUMNS, archive_files, csv_text, item_rows
from generator.pages.urls import CSV_PATH, JSONL_PATH, SCHEMA_PATH
from generator.record.models import json_schema
from generator.record.store import from_data, load_records
from tests.conftest import ROOT
from tests.factories import make_citation, make_item, make_record, seed_like_record
from tests.test_assemble import counts_of, mixed_records

NAMES = [c.name for c in COLUMNS]


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == NAMES
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def split(cell: str) -> list[str]:
    return cell.split("; ") if cell else []


def unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


@pytest.fixture(scope="module")
def bundled():
    records, errors = load_records(ROOT / "content" / "records")
    assert not errors
    return records, archive_files(records)


def test_jsonl_lines_are_the_records_sorted_by_id(bundled):
    records, files = bundled
    assert gzip.decompress(files[JSONL_PATH]).decode("utf-8").endswith("\n")
    lines = gzip.decompress(files[JSONL_PATH]).decode("utf-8").splitlines()
    assert len(lines) == len(records)
    back = [from_data(json.loads(line), f"line {n}") for n, line in enumerate(lines, 1)]
    assert back == sorted(records, key=lambda r: r.id)
    # the same data as the record files
    for line, r in zip(lines, back, strict=True):
        on_disk = json.loads((ROOT / "content" / "records" / f"{r.id}.json").read_text("utf-8"))
        assert json.loads(line) == on_disk


def test_csv_rows_regroup_to_the_items(bundled):
    records, files = bundled
    rows = read_csv(gzip.decompress(files[CSV_PATH]))
    assert len(rows) == sum(len(r.items) for r in records)
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    by_id = {r.id: r for r in records}
    assert set(grouped) == set(by_id)
    for rid, group in grouped.items():
        record = by_id[rid]
        group.sort(key=lambda row: int(row["item_index"]))
        assert [int(row["item_index"]) for row in group] == list(range(1, len(record.items) + 1))
        for row, item in zip(group, record.items, strict=True):
            assert unguard(row["service"]) == item.service
            assert row["category"] == item.category
            assert row["subcategory"] == (item.subcategory or "")
            assert row["decision"] == item.decision
            assert split(row["item_body_regions"]) == item.body_regions
            assert split(row["ca_citation_keys"]) == [
                c.key for c in item.claims_administrator.citations
            ]
            assert split(row["reviewer_citation_keys"]) == [
                c.key for c in item.reviewer_guideline.citations
            ]
            mtus = item.reviewer_guideline.mtus_applied
            assert row["mtus_applied"] == ("" if mtus is None else str(mtus).lower())
            # the determination's fields, repeated
            assert row["case_number"] == (record.case_number or "")
            assert row["synthetic"] == str(record.synthetic).lower()
            assert row["year"] == ("" if record.year is None else str(record.year))
            assert row["decision_date"] == (
                record.dates.decision.isoformat() if record.dates.decision else ""
            )
            assert split(row["body_regions"]) == record.body_regions
            assert split(unguard(row["reviewer_specialties"])) == record.reviewer.specialties
            assert row["items_in_determination"] == str(len(record.items))


def test_schema_file_is_the_model_schema(bundled):
    _records, files = bundled
    assert json.loads(files[SCHEMA_PATH]) == json_schema()


def test_gzip_files_are_byte_identical_and_carry_no_time(bundled):
    records, files = bundled
    again = archive_files(list(reversed(records)))
    assert again == files
    for path in (JSONL_PATH, CSV_PATH):
        data = files[path]
        assert data[:2] == b"\x1f\x8b"
        assert data[4:8] == b"\0\0\0\0"  # MTIME
        assert not data[3] & 0x08  # FLG.FNAME: no file name stored


def test_formula_like_text_is_guarded_but_ids_are_not():
    item = make_item(service='=HYPERLINK("http://x")')
    record = make_record(items=[item], specialties=["@Pain", "Ortho"])
    [row] = read_csv(csv_text(item_rows([(record, record.items)])).encode("utf-8"))
    assert row["service"] == '\'=HYPERLINK("http://x")'
    assert row["reviewer_specialties"] == "'@Pain; Ortho"
    assert row["id"] == record.id


def test_csv_quotes_commas_quotes_and_newlines():
    item = make_item(service='MRI, "lumbar"\nspine')
    record = make_record(items=[item])
    [row] = read_csv(csv_text(item_rows([(record, record.items)])).encode("utf-8"))
    assert row["service"] == 'MRI, "lumbar"\nspine'


def test_hub_csvs_have_one_row_per_counted_item():
    records = mixed_records()
    site = assemble(records)
    for hub_dir in [
        "outcomes/overturned",
        "services/pharmaceuticals/opioids",
        "guidelines/acoem-2004/ch-07",
        "regions/neck-cervical",
        "years/2014",
    ]:
        rows = read_csv(site.files[f"{hub_dir}/items.csv"])
        _d, items, upheld, overturned, _rate = counts_of(site.pages[f"{hub_dir}/index.md"])
        assert len(rows) == items, hub_dir
        assert sum(r["decision"] == "upheld" for r in rows) == upheld
        assert sum(r["decision"] == "overturned" for r in rows) == overturned
        assert (
            f'download="imr-{hub_dir.replace("/", "-")}.csv"' in site.pages[f"{hub_dir}/index.md"]
        )
    opioid_rows = read_csv(site.files["services/pharmaceuticals/opioids/items.csv"])
    assert {r["subcategory"] for r in opioid_rows} == {"opioids"}
    assert {r["item_index"] for r in opioid_rows} == {"2"}  # the second item of its letter


def test_data_page_describes_every_column_and_links_every_file():
    site = assemble([seed_like_record(), make_record()], extra_pages={"about.md": "# About\n"})
    page = site.pages["data/index.md"]
    for name in NAMES:
        assert f"| `{name}` |" in page, name
    for path in (JSONL_PATH, CSV_PATH, SCHEMA_PATH):
        assert f"]({path.removeprefix('data/')})" in page
    assert "## Counting rules" in page and "[counting rules](#counting-rules)" in page
    assert "An item is one disputed service" in page  # the rules themselves, on every archive
    home = site.pages["index.md"]
    for path in (JSONL_PATH, CSV_PATH, SCHEMA_PATH, "data/index.md"):
        assert f"]({path})" in home
    # the data page never depends on a hand-written page (strict builds would fail)
    assert "about.md" not in assemble([make_record()]).pages["data/index.md"]


def test_site_files_share_the_duplicate_path_protection():
    site = Site()
    site.add("data/x.csv.md", "# x\n")
    site.add_file("data/x.csv", b"a")
    with pytest.raises(DuplicatePathError):
        site.add_file("data/x.csv", b"b")
    with pytest.raises(DuplicatePathError):
        site.add("data/x.csv", "# clash\n")
    with pytest.raises(ValueError):
        site.add_file("page.md", b"# not a file\n")


def test_citation_keys_keep_their_order_and_repeats():
    cites = [
        make_citation(),
        make_citation(key="mtus-cpmtg/opioids", guideline="mtus-cpmtg", chapter=None),
        make_citation(),
    ]
    record = make_record(items=[make_item(reviewer_citations=cites)])
    [row] = read_csv(csv_text(item_rows([(record, record.items)])).encode("utf-8"))
    assert row["reviewer_citation_keys"] == "acoem-2004/ch-07; mtus-cpmtg/opioids; acoem-2004/ch-07"


def test_archives_are_runs_that_new_records_leave_be(monkeypatch):
    monkeypatch.setattr(opendata, "RUN_CUT", 4)
    records = [make_record(id=f"CM20-{k:07d}") for k in range(0, 120, 2)]
    made: list[tuple[str, tuple[str, ...]]] = []

    class Recording:
        def member(self, kind, run, make):
            made.append((kind, tuple(r.id for r in run)))
            return make()

    files = archive_files(records, Recording())
    assert files == archive_files(records)  # the same bytes, with or without a memo
    text = zlib.decompress(files[JSONL_PATH], 31)  # one gzip member: read whole by any reader
    assert [json.loads(line)["id"] for line in text.splitlines()] == [r.id for r in records]
    assert len(read_csv(zlib.decompress(files[CSV_PATH], 31))) == 60  # a header, then the runs
    runs = [ids for kind, ids in made if kind == "jsonl"]
    assert len(runs) > 3 and [i for ids in runs for i in ids] == [r.id for r in records]
    middle = make_record(id="CM20-0000061")  # between two ids of the middle
    made.clear()
    archive_files(sorted([*records, middle], key=lambda r: r.id), Recording())
    again = [ids for kind, ids in made if kind == "jsonl"]
    assert len(again) == len(runs)
    changed = [(a, b) for a, b in zip(runs, again, strict=True) if a != b]
    assert len(changed) == 1 and middle.id in changed[0][1]  # only the run it joined
