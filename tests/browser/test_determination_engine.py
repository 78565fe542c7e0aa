"""The determination search engine in Chromium against the records: the browser reads
words as generator/search/tokens.py does, a query returns exactly the determinations with
items whose own words hold it (tests/search_oracle.py), and facet counts under a query are
the item counts the records give."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from generator.record.dating import newest_first
from generator.search.tokens import STOPWORDS, stem, terms
from tests.conftest import SEED_ID
from tests.search_oracle import select

from .test_faceted_search import SETTLED, facet_count, shown_ids

pytestmark = pytest.mark.browser

TRICKY = [
    "Naïve CAFÉ résumé — Ångström",
    "x-rays, L5-S1; C5/6 (2013) 1/2 tab q.i.d.",
    "ﬁbromyalgia ﬂexion",  # ligatures
    "Therapies injections classes toes status diagnosis ms",
    "Straße İstanbul ÆSOP",
    "tab\ttab\nline  space",
    "knee\u034fpain mri\ufe0fscan ab\u1b44cd",  # marks of combining class 0, and Mc ones
    "",
]


def _search(page: Page, site_url: str, query: str) -> set[str]:
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    page.locator("#imr-dsearch-q").fill(query)
    page.wait_for_selector(SETTLED)
    return shown_ids(page)


def _expected(records, query: str, **filters: list[str]) -> set[str]:
    """The determinations with an item the oracle selects."""
    return {rid for rid, _k in select(records, query, filters)}


def test_browser_reads_words_as_the_index_does(page: Page, site_url: str, records) -> None:
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    texts = TRICKY + [r.clinical_summary for r in records[:120]]
    texts += [i.service + " " + i.rationale for r in records[:120] for i in r.items]
    got = page.evaluate(
        "([texts, stop]) => texts.map(t => IMRSearch.terms(t, stop))", [texts, sorted(STOPWORDS)]
    )
    mismatches = [(t, g, terms(t)) for t, g in zip(texts, got, strict=True) if g != terms(t)]
    assert mismatches == []
    words = ["injections", "therapies", "muscles", "status", "toes", "mri", "classes", "2013"]
    assert page.evaluate("ws => ws.map(IMRSearch.stem)", words) == [stem(w) for w in words]


@pytest.mark.parametrize(
    "query", ["cervical", "lumbar MRI", "acupuncture", "physical therap", "physical the"]
)
def test_a_query_finds_exactly_the_determinations_of_the_items_with_its_words(
    page: Page, site_url: str, records, query: str
) -> None:
    expected = _expected(records, query)
    assert 0 < len(expected) < len(records)  # the query is selective
    assert _search(page, site_url, query) == expected


def test_a_determination_id_brings_it_up_first(page: Page, site_url: str) -> None:
    _search(page, site_url, SEED_ID)
    first = page.locator("li.imr-dsearch__result a.imr-dsearch__result-link").first
    assert first.inner_text() == SEED_ID


def test_counts_under_a_query_are_the_records_item_counts(
    page: Page, site_url: str, records
) -> None:
    query = "lumbar"
    page.goto(f"{site_url}/search/?q={query}&outcome=upheld")
    page.wait_for_selector(SETTLED)
    assert shown_ids(page) == _expected(records, query, outcome=["upheld"])
    # a facet's own choice does not narrow its counts; the other facets' choices do
    for outcome in ("upheld", "overturned"):
        n = len(select(records, query, {"outcome": [outcome]}))
        assert facet_count(page, "outcome", outcome) == n
    n = len(select(records, query, {"outcome": ["upheld"], "region": ["low-back-lumbar"]}))
    assert n > 0 and facet_count(page, "region", "low-back-lumbar") == n


def test_a_query_of_stop_words_says_so_and_keeps_the_totals(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    total = facet_count(page, "outcome", "upheld")
    page.locator("#imr-dsearch-q").fill("of")
    page.wait_for_function(
        "() => document.getElementById('imr-dsearch-status').textContent.includes('too common')"
    )
    assert page.locator("li.imr-dsearch__result").count() == 0
    assert facet_count(page, "outcome", "upheld") == total


def test_values_the_archive_lacks_leave_the_address(page: Page, site_url: str, records) -> None:
    page.goto(f"{site_url}/search/?year=1999&outcome=upheld")
    page.wait_for_selector(SETTLED)
    assert shown_ids(page) == _expected(records, "", outcome=["upheld"])
    page.wait_for_function("() => !location.search.includes('1999')")
    assert page.locator("#imr-dsearch-filters summary").inner_text() == "Filters (1 chosen)"


def _shown_in_order(page: Page) -> list[str]:
    shown_ids(page)  # every page of results shown
    links = page.locator("li.imr-dsearch__result a.imr-dsearch__result-link")
    return links.all_inner_texts()


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_results_in_date_order(page: Page, site_url: str, records, order: str) -> None:
    query = "lumbar"
    matching = [r for r in records if r.id in _expected(records, query)]
    newest = [r.id for r in newest_first(matching)]  # each listed once, at its first item
    page.goto(f"{site_url}/search/?q={query}&sort={order}")
    page.wait_for_selector(SETTLED)
    assert page.locator("#imr-dsearch-sort").input_value() == order
    assert _shown_in_order(page) == (newest if order == "newest" else newest[::-1])


def test_choosing_an_order_keeps_it_in_the_address(page: Page, site_url: str) -> None:
    _search(page, site_url, "lumbar")
    best = _shown_in_order(page)
    page.locator("#imr-dsearch-sort").select_option("newest")
    page.wait_for_selector(SETTLED)
    page.wait_for_function("() => new URL(location.href).searchParams.get('sort') === 'newest'")
    by_date = _shown_in_order(page)
    assert sorted(best) == sorted(by_date) and best != by_date
