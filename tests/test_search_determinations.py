"""The determination search's index (generator/search/determinations.py): tokens, postings, facet
columns, cards, chunking and reproducibility. The browser side is checked against the
same rules in tests/browser/test_determination_engine.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from generator.record.dating import newest_first, sort_date
from generator.record.store import load_records
from generator.search import determinations
from generator.search.determinations import (
    card,
    document_terms,
    stem,
    terms,
    weight,
    write_index,
)
from generator.search.header import FACET_NAMES, facet_values
from tests.conftest import CONTENT, SEED_ID
from tests.factories import make_item, make_record, seed_like_record
from tests.helpers import unpack

STEMS = [
    ("injections", "injection"),
    ("therapies", "therapy"),
    ("muscles", "muscle"),
    ("x-rays", "x-rays"),  # not a token: terms() splits it first
    ("rays", "ray"),
    ("diagnosis", "diagnosis"),
    ("status", "status"),
    ("class", "class"),
    ("classes", "classe"),
    ("knees", "knee"),
    ("toes", "toe"),
    ("mri", "mri"),
    ("ms", "ms"),
    ("2013", "2013"),
    ("l5s1", "l5s1"),
]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_stem_folds_plurals_only(word, expected):
    assert stem(word) == expected


def test_terms_fold_case_accents_and_drop_stop_words():
    assert terms("The MRI of the LEFT knee") == ["mri", "left", "knee"]
    assert terms("Naïve café, x-rays: L5-S1 (2013)") == ["naive", "cafe", "ray", "l5", "s1", "2013"]
    assert terms("a b c") == []  # single characters and stop words are not indexed


def _index(tmp_path: Path, records) -> Path:
    out = tmp_path / "index"
    write_index(records, out)
    return out


def _postings(out: Path) -> dict[str, dict[int, int]]:
    """term -> {doc: weight}, decoded from every chunk of the directory."""
    meta = json.loads((out / "meta.json").read_text())
    got: dict[str, dict[int, int]] = {}
    firsts = []
    for first, name in meta["chunks"]:
        chunk = unpack((out / name).read_bytes())
        assert next(iter(chunk)) == first and list(chunk) == sorted(chunk)
        firsts.append(first)
        for term, flat in chunk.items():
            doc, docs = 0, {}
            for i in range(0, len(flat), 2):
                doc += flat[i]
                docs[doc] = flat[i + 1]
            got[term] = docs
    assert firsts == sorted(firsts)
    return got


@pytest.fixture(scope="module")
def bundled():
    records, errors = load_records(CONTENT / "records")
    assert not errors
    return records


def test_every_term_of_every_record_finds_it(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    postings = _postings(out)
    docs = newest_first(bundled)
    expected: dict[str, set[int]] = {}
    for n, r in enumerate(docs):
        for t in document_terms(r):
            expected.setdefault(t, set()).add(n)
    assert {t: set(d) for t, d in postings.items()} == expected
    assert all(1 <= w <= 22 for d in postings.values() for w in d.values())


def test_documents_are_numbered_newest_first_and_cards_say_what_results_show(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    docs = newest_first(bundled)
    dates = [sort_date(r) for r in docs]
    assert dates == sorted(dates, reverse=True)
    seed_n = [r.id for r in docs].index(SEED_ID)
    cards = out / json.loads((out / "meta.json").read_text())["cards"]
    assert cards.name.startswith("d-") and len(cards.name) == 14
    seed = unpack((cards / f"{seed_n}.bin").read_bytes())
    assert seed["id"] == SEED_ID and seed["url"] == f"determinations/{SEED_ID}/"
    assert seed["year"] == 2013 and seed["synthetic"] is False
    assert seed["services"] == [["Spine consultant w/non MPN", "upheld"]]
    assert "anterior cervical discectomy" in seed["text"]
    assert len(list(cards.glob("*.bin"))) == len(bundled)


def test_facet_columns_and_counts_match_the_records(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    meta = json.loads((out / "meta.json").read_text())
    docs = newest_first(bundled)
    assert meta["documents"] == len(docs) and list(meta["facets"]) == sorted(FACET_NAMES)
    for name in FACET_NAMES:
        facet = meta["facets"][name]
        column = unpack((out / facet["column"]).read_bytes())
        assert len(column) == len(docs)
        for r, value in zip(docs, column, strict=True):
            idx = [value] if isinstance(value, int) else value
            assert [facet["values"][i] for i in idx] == facet_values(r)[name]
        counts = Counter(v for r in docs for v in facet_values(r)[name])
        assert dict(zip(facet["values"], facet["counts"], strict=True)) == dict(counts)


def test_same_records_same_bytes(bundled, tmp_path):
    a, b = _index(tmp_path / "a", bundled), _index(tmp_path / "b", list(reversed(bundled)))
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def test_chunks_split_large_indexes_and_keep_each_term_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(determinations, "CHUNK_BYTES", 200)
    records = [
        make_record(id=f"imr-{i:016x}", items=[make_item(service=f"Service word{i} lumbar")])
        for i in range(40)
    ]
    out = _index(tmp_path, records)
    meta = json.loads((out / "meta.json").read_text())
    assert len(meta["chunks"]) > 3
    postings = _postings(out)
    assert len(postings["lumbar"]) == 40  # in one chunk, however big


def test_weight_rewards_frequency_and_short_documents():
    assert weight(1, 100, 100) < weight(3, 100, 100) < weight(30, 100, 100) <= 22
    assert weight(2, 50, 100) > weight(2, 200, 100)
    assert weight(1, 10_000, 10) == 1


def test_services_and_id_weigh_more_than_the_text():
    record = seed_like_record()
    tf = document_terms(record)
    assert tf["spine"] >= determinations.FIELD_WEIGHTS["services"]
    assert tf[record.id.split("-")[1]] == determinations.FIELD_WEIGHTS["id"]


def test_card_text_is_one_line_and_synthetic_is_flagged():
    record = make_record(clinical_summary="First line.\n\nSecond   line.", synthetic=True)
    c = card(record)
    assert c["synthetic"] is True and "\n" not in c["text"]
    assert "First line. Second line." in c["text"]


def test_index_of_the_seed_letter_golden(bundled, tmp_path, golden):
    """The whole index of the real seed letter's record, decoded: directory, postings,
    facet columns and card."""
    [seed] = [r for r in bundled if r.id == SEED_ID]
    out = _index(tmp_path, [seed])
    meta = json.loads((out / "meta.json").read_text())
    decoded = {
        "meta.json": meta,
        "postings": {name: unpack((out / name).read_bytes()) for _first, name in meta["chunks"]},
        "columns": {
            f: unpack((out / facet["column"]).read_bytes()) for f, facet in meta["facets"].items()
        },
        "card 0": unpack((out / meta["cards"] / "0.bin").read_bytes()),
    }
    text = json.dumps(decoded, indent=1, ensure_ascii=False) + "\n"
    golden("search-determinations/seed-index.json", text)
