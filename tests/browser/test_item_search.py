"""The item search on the bundled site against the oracle over the records
(tests/search_oracle.py): the items listed, the counts shown, the CSV downloaded, and the
citation parser of the browser against Python's."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import yaml
from playwright.sync_api import Page

from generator.pages.stats import format_rate
from generator.search import citequery
from tests.conftest import ROOT as REPO
from tests.search_oracle import csv_of, outcome_counts, select

pytestmark = pytest.mark.browser

SETTLED = "#imr-dsearch[data-state=done][data-counts=ready]"
ITEM = "li.imr-dsearch__item[data-item]"

QUERIES = ["lumbar MRI", "ACOEM ch. 12 p. 303", "functional restoration", "", "knee"]
FILTERS: list[dict] = [
    {"outcome": ["overturned"]},
    {"subcategory": ["opioids"]},
    {"decided-from": "2014-01-01", "decided-to": "2015-06-30"},
    {"section": ["acoem-2004/ch-12"], "by": "reviewer"},
    {},
]
CASES = [(q, f) for q in QUERIES for f in FILTERS if q or f]


def _url(site_url: str, query: str, filters: dict, wide: bool = False) -> str:
    params: list[tuple[str, str]] = [("q", query)] if query else []
    if wide:
        params.append(("wide", "1"))
    for name, value in filters.items():
        params += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return f"{site_url}/search/?{urlencode(params)}"


def shown_items(page: Page) -> list[tuple[str, int]]:
    more = page.locator("#imr-dsearch-more")
    while more.is_visible():
        more.click()
        page.wait_for_selector(SETTLED)
    keys = page.locator(ITEM).evaluate_all("els => els.map(e => e.dataset.item)")
    out = [(k.rsplit("#", 1)[0], int(k.rsplit("#", 1)[1])) for k in keys]
    assert len(set(out)) == len(out), "an item listed twice"
    return out


@pytest.mark.parametrize(("query", "filters"), CASES, ids=[f"{q}|{f}" for q, f in CASES])
def test_items_and_counts_equal_the_oracle(page: Page, site_url: str, records, query, filters):
    expected = select(records, query, filters)
    page.goto(_url(site_url, query, filters))
    if not expected:
        page.wait_for_selector("#imr-dsearch[data-state=done]")
        assert page.locator(ITEM).count() == 0
        return
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(expected)
    items, overturned = outcome_counts(records, expected)
    root = page.locator("#imr-dsearch")
    assert root.get_attribute("data-items") == str(items)
    assert root.get_attribute("data-overturned") == str(overturned)
    status = page.inner_text("#imr-dsearch-status")
    assert status.startswith(f"{items:,} item"), status
    outcome = page.inner_text("#imr-dsearch-outcome")
    assert f"{overturned:,} overturned" in outcome and f"n = {items}" in outcome
    assert ("%" in outcome) == (items >= 10), outcome
    if items >= 10:  # the rate as the hubs print it (stats.format_rate)
        assert f"overturn rate {format_rate(overturned / items)} (n = {items}" in outcome


def test_wider_search_equals_the_oracle(page: Page, site_url: str, records) -> None:
    expected = select(records, "lumbar MRI", {"outcome": ["overturned"]}, wide=True)
    narrow = select(records, "lumbar MRI", {"outcome": ["overturned"]})
    assert len(expected) > len(narrow)
    page.goto(_url(site_url, "lumbar MRI", {"outcome": ["overturned"]}, wide=True))
    page.wait_for_selector(SETTLED)
    assert page.locator("#imr-dsearch-wide").is_checked()
    assert sorted(shown_items(page)) == sorted(expected)


def test_a_brand_name_finds_the_generic_and_back(page: Page, site_url: str, records) -> None:
    """hydrocodone <-> Norco (generator/data/drug-synonyms.yml) in /search/ too."""
    expected = select(records, "hydrocodone")
    assert expected and select(records, "norco") == expected
    for query in ("norco", "hydrocodone"):
        page.goto(_url(site_url, query, {}))
        page.wait_for_selector(SETTLED)
        assert sorted(shown_items(page)) == sorted(expected), query


def test_a_wide_page_range_reads_all_its_pages(page: Page, site_url: str, records) -> None:
    """The cited-page filter over a range of 70 pages equals the oracle's (the items citing
    pages 303-310 of chapter 12 included; the browser once read only 61 pages of a range)."""
    filters = {"section": ["acoem-2004/ch-12"], "page": "240-310"}
    expected = select(records, "", filters)
    assert len(expected) > len(select(records, "", {**filters, "page": "240-300"}))
    page.goto(_url(site_url, "", filters))
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(expected)


def test_a_guideline_chosen_beside_a_section_and_page_narrows(
    page: Page, site_url: str, records
) -> None:
    """Filter groups narrow: ACOEM ch. 12, page 303 and the guideline ODG are the items citing
    both (the page's section read from the postings used to drop the guideline filter)."""
    filters = {"section": ["acoem-2004/ch-12"], "page": "303", "guideline": ["odg"]}
    expected = select(records, "", filters)
    wider = select(records, "", {"section": ["acoem-2004/ch-12"], "page": "303"})
    assert expected and len(expected) < len(wider)
    page.goto(_url(site_url, "", filters))
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(expected)


def test_the_cited_page_box_applies_to_a_citation_typed(page: Page, site_url: str, records):
    """'ACOEM ch. 12' typed and 303 in the cited-page box: the items citing ch. 12 page 303,
    as the status line says (the box was ignored beside a typed citation)."""
    expected = select(records, "ACOEM ch. 12", {"page": "303"})
    assert expected == select(records, "ACOEM ch. 12 p. 303")
    assert len(expected) < len(select(records, "ACOEM ch. 12"))
    page.goto(_url(site_url, "ACOEM ch. 12", {"page": "303"}))
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(expected)
    assert "page 303" in page.inner_text("#imr-dsearch-status")


def test_a_page_without_a_citation_is_said_not_applied(page: Page, site_url: str, records):
    """A cited page with nothing cited to read it against filters nothing (the oracle
    agrees); the status line says so rather than 'page 303' as if it did."""
    filters = {"outcome": ["overturned"], "page": "303"}
    assert select(records, "", filters) == select(records, "", {"outcome": ["overturned"]})
    page.goto(_url(site_url, "", filters))
    page.wait_for_selector(SETTLED)
    assert "page 303 (not applied" in page.inner_text("#imr-dsearch-status")
    page.goto(_url(site_url, "", {**filters, "section": ["acoem-2004/ch-12"]}))
    page.wait_for_selector(SETTLED)
    status = page.inner_text("#imr-dsearch-status")
    assert "page 303" in status and "not applied" not in status


def test_acoem_chapter_12_page_303_lists_exactly_its_citing_items(
    page: Page, site_url: str, records
) -> None:
    expected = sorted(
        (r.id, k)
        for r in records
        for k, item in enumerate(r.items, 1)
        if any(
            c.guideline == "acoem-2004" and c.chapter == 12 and c.pages
            and any(lo <= 303 <= hi for lo, hi in _ranges(c.pages))
            for _who, c in item.citations
        )
    )
    assert expected
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    page.locator("#imr-dsearch-q").press_sequentially("ACOEM ch. 12 p. 303")
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == expected
    assert "ACOEM 2004, Chapter 12" in page.inner_text("#imr-dsearch-status")


def _ranges(spec: str) -> list[tuple[int, int]]:
    from generator.letters.citation_spans import page_ranges

    return page_ranges(spec)


def test_header_link_gives_the_citation_results(page: Page, site_url: str, records) -> None:
    page.goto(f"{site_url}/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("ACOEM ch. 12 p. 303")
    page.locator("a[data-imr-search-all]").click()
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(select(records, "ACOEM ch. 12 p. 303"))


@pytest.mark.parametrize(
    ("query", "filters"),
    [("lumbar MRI", {}), ("", {"subcategory": ["opioids"], "outcome": ["overturned"]}),
     ("ACOEM ch. 12 p. 303", {"decided-from": "2014-01-01"})],
)
def test_csv_download_equals_the_open_data_csv_filtered(
    page: Page, site_url: str, records, query, filters
) -> None:
    expected = select(records, query, filters)
    page.goto(_url(site_url, query, filters))
    page.wait_for_selector(SETTLED)
    with page.expect_download() as info:
        page.locator("#imr-dsearch-csv").click()
    with open(info.value.path(), encoding="utf-8", newline="") as f:
        got = f.read()
    assert got == csv_of(records, expected)


def _parser_queries() -> list[str]:
    table = yaml.safe_load((REPO / "tests" / "data" / "search_queries.yml").read_text())
    extra = ["ACOEM ch. 12 p. 303 MRI", "MTUS chronic pain page 79", "lumbar MRI", "knee",
             "ODG knee MRI 2015", "CPMTG pages 74-96", "acupuncture", "ESI", "ACOEM 2nd edition",
             "chapter 7 pp. 127-128", "p. 303", "Ch 12", ""]
    return [r["query"] for r in table] + extra


def test_browser_reads_citations_as_python_does(page: Page, site_url: str) -> None:
    queries = _parser_queries()
    assert len(queries) >= 50
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    got = page.evaluate(
        """async (queries) => {
            const meta = await (await fetch('../search-index/meta.json')).json();
            const resp = await fetch('../search-index/' + meta.lists.citations);
            const stream = resp.body.pipeThrough(new DecompressionStream('gzip'));
            const table = JSON.parse(await new Response(stream).text());
            return queries.map(q => window.IMRCitations.parse(q, table, meta.stopwords));
        }""",
        queries,
    )
    want = [citequery.parse(q) for q in queries]
    assert got == want
    named = dict(zip(queries, want, strict=True))
    assert named["ACOEM ch. 12 p. 303"] == {"key": "acoem-2004/ch-12", "pages": [303, 303],
                                           "rest": ""}
    assert named["CPMTG opioids 76-80"]["pages"] == [76, 80]
    assert named["MTUS chronic pain page 79"]["key"].startswith("mtus-cpmtg")
    assert named["ODG knee"]["key"] == "odg/knee-leg"
    assert named["lumbar MRI"] is None
