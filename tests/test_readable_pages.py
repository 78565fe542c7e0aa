"""Pages people read (issue 15): one counting rule stated beside every table, /outcomes/
adding up, charts only where they show something, empty hubs out of the header search and
its results one or two lines, drug names that find their brand names."""

from __future__ import annotations

import json
import re

import pytest

from generator.build.site import build_site
from generator.pages import charts
from generator.pages.assemble import assemble
from generator.pages.stats import Counts, YearSeries
from generator.record.store import write_record
from generator.search import synonyms
from tests.conftest import ROOT
from tests.factories import make_item, make_record


def _records() -> list:
    out = []
    for k in range(30):
        items = [make_item(decision="upheld")]
        if k % 3 == 0:
            items.append(
                make_item(
                    service="Norco 10/325 mg #60",
                    decision="overturned",
                    category="pharmaceuticals",
                    subcategory="opioids",
                )
            )
        if k % 5 == 0:
            items = [make_item(decision="overturned")]
        out.append(make_record(id=f"CM1{k % 4}-{k:07d}", year=2013 + k % 4, items=items))
    return out


@pytest.fixture(scope="module")
def site():
    return assemble(_records())


# --- counting -----------------------------------------------------------------------


def test_every_table_of_counts_states_the_counting_rule(site):
    pages = [
        "index.md",
        "regions/index.md",
        "regions/low-back-lumbar/index.md",
        "services/pharmaceuticals/index.md",
        "outcomes/index.md",
        "crosstabs/region-by-service/index.md",
    ]
    for path in pages:
        text = site.pages[path]
        assert "Counted in disputed items, one service each" in text, path
        assert re.search(
            r"\[counting rules\]\((\.\./)*data/index\.md\)"
            r'|<a href="(\.\./)*data/">counting rules</a>',
            text,
        ), path


def test_outcomes_add_up_to_the_archive_and_are_not_circular(site):
    records = _records()
    text = site.pages["outcomes/index.md"]
    items = sum(len(r.items) for r in records)
    assert f"| **All items** | **{items}** | 100% |" in text
    assert f"| **All determinations** | **{len(records)}** | 100% |" in text
    rows = dict(
        re.findall(
            r"^\| (Every item upheld|Every item overturned|Partly[^|]*) \| (\d+) ", text, re.M
        )
    )
    assert sum(int(n) for n in rows.values()) == len(records)
    # no table of the outcome hubs with their own overturn rates (0% and 100%)
    assert "| Outcome | Determinations |" not in text
    assert "| Outcome | Disputed items | Share |" in text


# --- charts -----------------------------------------------------------------------


def test_charts_only_where_they_show_a_trend(site):
    assert "<svg" in site.pages["index.md"]  # the whole archive, once
    for family in ("regions", "services", "guidelines", "years", "outcomes", "reviewers"):
        assert "<svg" not in site.pages[f"{family}/index.md"], family
    assert "<svg" not in site.pages["years/2014/index.md"]  # one year: one bar
    assert "<svg" not in site.pages["outcomes/upheld/index.md"]
    one = Counts(1, 1, 1, 0)
    assert not charts.worth_charting(YearSeries(((2014, one), (2015, one), (2016, one))))
    many = Counts(9, 9, 5, 4)
    assert charts.worth_charting(YearSeries(((2014, many), (2015, many), (2016, many))))


# --- empty hubs ---------------------------------------------------------------------


def test_empty_hubs_stay_out_of_the_search_and_of_listings(site):
    empty = site.pages["regions/eye/index.md"]
    assert "search:\n  exclude: true" in empty
    assert "No determinations yet." in empty
    family = site.pages["regions/index.md"]
    table_part = family.split("## Body region", 1)[1].split("??? note", 1)[0]
    assert "Eye" not in table_part  # not listed in the table ...
    assert "more with no determinations yet" in family and "[Eye]" in family  # ... but named
    full = site.pages["regions/low-back-lumbar/index.md"]
    assert "exclude: true" not in full.split("---", 2)[1]


# --- synonyms -----------------------------------------------------------------------


def test_drug_names_find_their_brand_names_and_back():
    assert "hydrocodone" in synonyms.also_known_as("Norco 10/325 mg #60")
    assert "Norco" in synonyms.also_known_as("hydrocodone/APAP 10/325")
    assert {"OxyContin", "Percocet"} <= set(synonyms.also_known_as("oxycodone ER"))
    assert "Ultram" in synonyms.also_known_as("Tramadol 50 mg")
    assert "tramadol" in synonyms.also_known_as("ULTRAM")
    assert "Neurontin" in synonyms.also_known_as("gabapentin 600mg")
    assert "cyclobenzaprine" in synonyms.also_known_as("Flexeril 7.5")
    assert synonyms.also_known_as("physical therapy x 12") == []
    assert synonyms.also_known_as("Norcotic") == []  # whole words only
    table = synonyms.synonym_table()
    assert table["norco"] == table["hydrocodone"] and table["norco"][0] == "hydrocodone"


def test_synonyms_expand_a_search_index():
    index = {
        "docs": [
            {"location": "a/", "title": "Norco", "text": "<p>x</p>"},
            {"location": "b/", "title": "MRI", "text": "<p>lumbar</p>"},
        ]
    }
    assert synonyms.expand_index(index) == 1
    assert "hydrocodone" in index["docs"][0]["text"]
    assert index["docs"][1]["text"] == "<p>lumbar</p>"


def test_header_search_of_a_built_site(tmp_path):
    """Hub entries are a line or two (no statistics table, no list); empty hubs are not
    in the index; a real determination naming Norco is found as hydrocodone."""
    from tests.searchcheck import MaterialSearch

    content = tmp_path / "content"
    real = make_record(
        id="CM16-0213037",
        synthetic=False,
        year=2016,
        items=[
            make_item(
                service="Norco 10/325 mg #90", category="pharmaceuticals", subcategory="opioids"
            )
        ],
    )
    for r in [*_records(), real]:
        write_record(r, content / "records")
    build_site(content, tmp_path / "site", config_file=ROOT / "mkdocs.yml")
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    assert "regions/eye/" not in docs and "regions/low-back-lumbar/" in docs
    hub = docs["regions/low-back-lumbar/"]["text"]
    assert "Overturn rate" not in hub and "<li>" not in hub and "Download" not in hub
    assert re.fullmatch(
        r"<p>Part of Regions\. \d+ determinations, \d+ disputed items, \d+% "
        r"overturned\.</p>",
        hub,
    )
    assert not [loc for loc in docs if loc.startswith("regions/low-back-lumbar/#")]
    assert not [loc for loc in docs if loc.startswith("#")]  # the home page's dashboard
    groups = MaterialSearch.load(tmp_path / "site").search("hydrocodone")
    assert groups and groups[0].href.startswith("determinations/CM16-0213037/")
