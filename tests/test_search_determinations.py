"""The determination search's item index (generator/search/determinations.py): tokens,
postings, facet columns, cards, chunking and reproducibility. The browser side is checked
against the same rules in tests/browser/test_determination_engine.py."""

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
    item_terms,
    stem,
    terms,
    weight,
    wide_terms,
    write_index,
)
from generator.search.header import (
    DETERMINATION_FACETS,
    FACET_NAMES,
    determination_facet_values,
    item_facet_values,
)
from generator.search.items import citation_terms
from tests.conftest import CONTENT, SEED_ID
from tests.factories import make_item, make_record, seed_like_record
from tests.helpers import read_dates, unpack

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


def _postings(out: Path, directory: str = "chunks") -> dict[str, dict[int, int]]:
    """term -> {item: weight}, decoded from every chunk of a term directory."""
    meta = json.loads((out / "meta.json").read_text())
    got: dict[str, dict[int, int]] = {}
    firsts = []
    for first, name in meta[directory]:
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


def test_every_term_of_every_item_finds_it(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    docs = newest_first(bundled)
    for directory, of in (("chunks", item_terms), ("wide", wide_terms)):
        postings = _postings(out, directory)
        expected: dict[str, set[int]] = {}
        n = 0
        for r in docs:
            for tf in of(r):
                for t in tf:
                    expected.setdefault(t, set()).add(n)
                n += 1
        assert {t: set(d) for t, d in postings.items()} == expected
        assert all(1 <= w <= 22 for d in postings.values() for w in d.values())


def test_items_are_numbered_newest_first_and_cards_say_what_results_show(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    docs = newest_first(bundled)
    dates = [sort_date(r) for r in docs]
    assert dates == sorted(dates, reverse=True)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["documents"] == sum(len(r.items) for r in docs)
    assert unpack((out / meta["lists"]["items"]).read_bytes()) == [len(r.items) for r in docs]
    seed_n = [r.id for r in docs].index(SEED_ID)
    cards = out / meta["cards"]
    assert cards.name.startswith("d-") and len(cards.name) == 14
    seed = unpack((cards / f"{seed_n}.bin").read_bytes())
    assert seed["id"] == SEED_ID and seed["url"] == f"determinations/{SEED_ID}/"
    assert seed["year"] == 2013 and seed["synthetic"] is False
    assert [i[:2] for i in seed["items"]] == [["Spine consultant w/non MPN", "upheld"]]
    assert seed["csv"][0].startswith(SEED_ID + ",") and seed["csv"][0].endswith("\r\n")
    assert "anterior cervical discectomy" in seed["text"]
    assert len(list(cards.glob("*.bin"))) == len(bundled)


def test_facet_columns_and_item_counts_match_the_records(bundled, tmp_path):
    out = _index(tmp_path, bundled)
    meta = json.loads((out / "meta.json").read_text())
    docs = newest_first(bundled)
    assert list(meta["facets"]) == sorted(FACET_NAMES)
    for name in FACET_NAMES:
        facet = meta["facets"][name]
        column = unpack((out / facet["column"]).read_bytes())
        shared = name in DETERMINATION_FACETS
        assert facet["level"] == ("determination" if shared else "item")
        rows = [(r, None) for r in docs] if shared else [(r, i) for r in docs for i in r.items]
        assert len(column) == len(rows)
        counts: Counter[str] = Counter()
        for (r, i), value in zip(rows, column, strict=True):
            idx = [value] if isinstance(value, int) else value
            want = determination_facet_values(r)[name] if i is None else item_facet_values(i)[name]
            assert [facet["values"][k] for k in idx] == want
            for v in want:
                counts[v] += len(r.items) if i is None else 1
        assert dict(zip(facet["values"], facet["counts"], strict=True)) == dict(counts)


def test_citation_terms_name_who_cited_which_hub_and_page():
    record = seed_like_record()
    [item] = record.items
    got = citation_terms(item)
    for who, c in item.citations:
        w = "r" if who == "reviewer" else "c"
        assert f"~{w}{c.key}" in got and f"~{w}{c.guideline}" in got
    assert all(t.startswith(("~r", "~c")) for t in got)


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


def test_the_item_own_words_are_its_service_names_regions_and_citations():
    record = seed_like_record()
    [tf] = item_terms(record)
    [item] = record.items
    assert "spine" in tf and record.id.split("-")[1] in tf
    assert not set(terms(record.clinical_summary)) <= set(tf)  # the summary is in `wide`
    [wide] = wide_terms(record)
    assert set(terms(record.clinical_summary)) <= set(wide)
    assert set(terms(item.rationale)) <= set(wide)


def test_a_drug_is_found_by_its_other_names():
    """The determination search finds a drug by its brand or generic name (issue 15:
    hydrocodone <-> Norco, generator/data/drug-synonyms.yml), as the header search does."""
    brand = make_record(items=[make_item("Norco 10/325mg #120", category="pharmaceuticals",
                                         subcategory="opioids")])
    generic = make_record(items=[make_item("Hydrocodone/APAP 10/325", category="pharmaceuticals",
                                           subcategory="opioids")])
    [tf_brand], [tf_generic] = item_terms(brand), item_terms(generic)
    assert {"hydrocodone", "vicodin", "norco"} <= set(tf_brand)
    assert {"norco", "vicodin", "hydrocodone"} <= set(tf_generic)
    [plain] = item_terms(make_record(items=[make_item("MRI of the knee")]))
    assert "norco" not in plain and "hydrocodone" not in plain


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
        "wide": {name: unpack((out / name).read_bytes()) for _first, name in meta["wide"]},
        "lists": {
            k: unpack((out / name).read_bytes())
            for k, name in meta["lists"].items()
            if k != "citations"
        },
        "dates": {
            name: [d and d.isoformat() for d in read_dates(out, name)] for name in meta["dates"]
        },
        "columns": {
            f: unpack((out / facet["column"]).read_bytes()) for f, facet in meta["facets"].items()
        },
        "card 0": unpack((out / meta["cards"] / "0.bin").read_bytes()),
    }
    text = json.dumps(decoded, indent=1, ensure_ascii=False) + "\n"
    golden("search-determinations/seed-index.json", text)


def test_a_label_or_else_the_id():
    """Facet labels and an item's words name a vocabulary id by its label; an id the
    vocabulary does not hold (a hand-edited record) by itself; no id by nothing."""
    from generator.record import taxonomy

    assert taxonomy.label_or_id("subcategory", "opioids") == "Opioids"
    assert taxonomy.label_or_id("guideline", "not-in-the-catalogue") == "not-in-the-catalogue"
    assert taxonomy.label_or_id("subcategory", None) == ""
