"""The header search takes people to the right guideline hub, whatever spelling they type.

tests/data/search_queries.yml is a table of queries and the hub each must return first.
Each row is run against a site built (once per session, in a tmp folder) from the bundled
content with the project's mkdocs.yml, through tests.searchcheck, which replays
Material 9.8's search worker with lunr.py: "first" is the page of the first entry of
Material's results list. Rows with `pending:` need a change of the hub pages and are
expected to fail until it lands (XPASS then: drop the `pending:`).

The worker replay itself is checked here on small inputs, and against Chromium in
tests/browser/test_citation_search.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.searchcheck import MaterialSearch, parse_search_query, tokenize, transform

TABLE = Path(__file__).parent / "data" / "search_queries.yml"
QUERIES: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
HUB = re.compile(r"/guidelines/[a-z0-9-]+/(?:[a-z0-9-]+/)?")


@pytest.fixture(scope="session")
def material(built_site: Path) -> MaterialSearch:
    return MaterialSearch.load(built_site)


def _row(row: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=row["pending"], strict=False)] if row.get("pending") else []
    return pytest.param(row, id=row["query"], marks=marks)


@pytest.mark.parametrize("row", [_row(r) for r in QUERIES])
def test_query_returns_hub_first(row: dict[str, Any], material: MaterialSearch) -> None:
    groups = material.search(row["query"])
    if row.get("empty"):  # a hub with no determinations is not listed
        listed = [f"/{g.href}" for g in groups]
        assert row["first"] not in listed, f"empty hub {row['first']} listed: {listed[:5]}"
        return
    got = [f"/{g.href}" for g in groups[:5]]
    scores = [round(g.score, 1) for g in groups[:5]]
    assert got and got[0] == row["first"], f"first results {list(zip(got, scores, strict=True))}"


def test_table() -> None:
    assert len(QUERIES) >= 30
    assert len({r["query"] for r in QUERIES}) == len(QUERIES)
    for r in QUERIES:
        assert set(r) <= {"query", "first", "pending", "browser", "empty"}, r
        assert HUB.fullmatch(r["first"]), r
    # the queries the issue names
    named = {
        "ACOEM chapter 12 page 303",
        "ACOEM ch. 12 p. 303",
        "chapter 12 low back",
        "CPMTG opioids 76-80",
        "chronic pain guidelines page 76",
        "ODG knee",
        "Official Disability Guidelines low back",
        "MTUS acupuncture",
        "ACOEM chapter 7",
        "Independent Medical Examinations",
        "Low Back Disorders 2016",
        "ODG pain chronic",
        "NSAIDs 67-68",
        "topical analgesics",
        "postsurgical",
        "ODG-TWC",
        "MTUS/ACOEM",
    }
    assert named <= {r["query"] for r in QUERIES}
    assert 4 <= sum(1 for r in QUERIES if r.get("browser")) <= 6
    assert not any(r.get("browser") and r.get("pending") for r in QUERIES)


def test_hubs_exist(built_site: Path) -> None:
    for r in QUERIES:
        assert (built_site / r["first"].strip("/") / "index.html").is_file(), r["first"]


def test_index_uses_the_project_search_config(material: MaterialSearch) -> None:
    """mkdocs.yml's search options reach search_index.json (the browser reads them there)."""
    config = material.config
    assert config["lang"] == ["en"]
    assert re.split(config["separator"], "ODG, Pain (Chronic)") == ["ODG", "Pain", "Chronic", ""]
    assert re.split(config["separator"], "ch. 12 MTUS/ACOEM 76-80") == [
        "ch.",
        "12",
        "MTUS/ACOEM",
        "76",
        "80",
    ]
    assert config["fields"]["title"]["boost"] == 3
    assert config["pipeline"] == ["stopWordFilter"]


# --- the worker replay on small inputs -------------------------------------------------------

SEP = re.compile(r"[\s\-]+")


def test_transform_matches_material() -> None:
    assert transform("  ODG knee ") == "ODG* knee*"
    assert transform('"low back" ODG') == "* +low +back ODG*"  # "" kept by the plain visitor
    assert transform("+odg -knee title:knee~ x^") == "+odg -knee title:knee~1 x^1"
    assert transform("a - b") == "a* b*"  # a lone control character is dropped


def test_transform_search_query_splits_like_the_worker() -> None:
    ms = MaterialSearch(
        {
            "config": {
                "lang": ["en"],
                "separator": r"[\s\-]+",
                "pipeline": ["stopWordFilter"],
                "fields": {},
            },
            "docs": [{"location": "", "title": "x", "text": ""}],
        }
    )
    # each piece of a term is emitted with the rest of the part (Material's lexer hack)
    assert ms.transform_search_query("CPMTG opioids 76-80") == "CPMTG* opioids* 76-80* 76-80*"
    assert ms.transform_search_query("ODG-TWC") == "ODG-TWC* ODG-TWC*"
    assert ms.transform_search_query('"low back" ODG') == "+low +back ODG*"
    # a part lexed as a field name that is not one ("Page(s):") yields no term
    assert ms.transform_search_query("Page(s): 76") == "76*"
    assert [c.term for c in parse_search_query("76-80* 76-80*")] == ["76", "80", "76", "80"]


def test_tokenize_reads_text_outside_tags() -> None:
    html = "<p>Also cited as</p> <ul> <li>ACOEM ch. 12</li> <li>pages 76-80</li> </ul>"
    assert tokenize(html, SEP) == ["also", "cited", "as", "acoem", "ch.", "12", "pages", "76", "80"]
    assert tokenize(None, SEP) == []


def _tiny(docs: list[dict[str, Any]]) -> MaterialSearch:
    return MaterialSearch(
        {
            "config": {
                "lang": ["en"],
                "separator": r"[\s\-]+",
                "pipeline": ["stopWordFilter"],
                "fields": {"title": {"boost": 1000}, "text": {"boost": 1}},
            },
            "docs": docs,
        }
    )


def test_results_are_grouped_by_page() -> None:
    ms = _tiny(
        [
            {"location": "a/", "title": "Alpha", "text": "nothing here"},
            {"location": "a/#knee", "title": "Knee", "text": "knee knee"},
            {"location": "b/", "title": "Knee guide", "text": "knee"},
            {"location": "c/", "title": "Gamma", "text": "nothing", "boost": 0.5},
        ]
    )
    groups = ms.search("knee")
    assert [g.page for g in groups] == ["b/", "a/"]
    # a section's page is listed with it (score 0 when the page itself did not match)
    assert [(i.location, i.score) for i in groups[1].items][1] == ("a/", 0.0)
    assert groups[0].items[0].terms == {"knee": True}
    assert ms.search("") == [] and ms.search("zzz") == []
    assert ms.search("+knee +zzz") == []  # a required term nowhere: nothing


def test_page_matches_outrank_section_matches() -> None:
    """Material's post-query boost: pages +1, and the share of query terms matched."""
    ms = _tiny(
        [
            {"location": "a/", "title": "A", "text": "alpha"},
            {"location": "a/#s", "title": "S", "text": "alpha beta"},
            {"location": "b/", "title": "B", "text": "alpha beta"},
        ]
    )
    groups = ms.search("alpha beta")
    assert groups[0].page == "b/"
    by_location = {i.location: i for g in groups for i in g.items}
    assert by_location["a/"].terms == {"alpha": True, "beta": False}
