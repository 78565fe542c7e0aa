"""The "Search determinations" page: facets that combine, counts, the URL, and the
header search's "Search all determinations for …" link. Expected results come from the
records themselves (content/records), not from the site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from generator.search.header import facet_values
from tests.search_oracle import select

pytestmark = pytest.mark.browser

ROOT = "#imr-dsearch"
SETTLED = f"{ROOT}[data-state=done][data-counts=ready]"
RESULT_LINK = "li.imr-dsearch__result a.imr-dsearch__result-link"


def ids_where(records, **want: str) -> set[str]:
    return {
        r.id
        for r in records
        if all(value in facet_values(r)[facet] for facet, value in want.items())
    }


def shown_ids(page: Page) -> set[str]:
    """Every result of the current search (clicking "Show more results" until all are shown)."""
    more = page.locator("#imr-dsearch-more")
    while more.is_visible():
        before = page.locator(RESULT_LINK).count()
        more.click()
        page.wait_for_selector(SETTLED)  # every card of the next page is shown
        assert page.locator(RESULT_LINK).count() > before
    paths = page.locator(RESULT_LINK).evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    ids = {p.rstrip("/").rsplit("/", 1)[-1] for p in paths}
    assert all(p.startswith("/determinations/") for p in paths), paths
    assert len(ids) == len(paths), "a determination listed twice"
    return ids


def facet_count(page: Page, facet: str, value: str) -> int:
    box = page.locator(f'fieldset[data-facet="{facet}"] label:has(input[value="{value}"])')
    return int(box.locator(".imr-dsearch__count").inner_text())


def check(page: Page, facet: str, value: str) -> None:
    page.locator(f'fieldset[data-facet="{facet}"] input[value="{value}"]').check()
    page.wait_for_selector(SETTLED)


def test_region_and_outcome_facets_give_exactly_the_matching_determinations(
    page: Page, site_url: str, records
) -> None:
    knee = ids_where(records, region="knee")
    expected = ids_where(records, region="knee", outcome="overturned")
    assert 0 < len(expected) < len(knee) < len(records)  # the facets really narrow

    page.goto(f"{site_url}/search/")
    page.wait_for_selector(f"{ROOT}[data-state=idle][data-counts=ready]")
    # the numbers are items: a determination counts once per item
    assert facet_count(page, "region", "knee") == len(select(records, "", {"region": ["knee"]}))
    overturned = select(records, "", {"outcome": ["overturned"]})
    assert facet_count(page, "outcome", "overturned") == len(overturned)

    check(page, "region", "knee")
    assert shown_ids(page) == knee
    # counts now answer "how many would this choice leave"
    both = select(records, "", {"region": ["knee"], "outcome": ["overturned"]})
    assert facet_count(page, "outcome", "overturned") == len(both)

    check(page, "outcome", "overturned")
    assert shown_ids(page) == expected
    expect(page.locator("#imr-dsearch-status")).to_contain_text(f"{len(expected)} determination")

    # the search is in the address, and the address brings it back
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"region": ["knee"], "outcome": ["overturned"]}
    page.reload()
    page.wait_for_selector(SETTLED)
    expect(page.locator('fieldset[data-facet="region"] input[value="knee"]')).to_be_checked()
    expect(page.locator('fieldset[data-facet="outcome"] input[value="overturned"]')).to_be_checked()
    assert shown_ids(page) == expected


def test_query_and_filter_url_round_trips(page: Page, site_url: str, records) -> None:
    year = "2014"
    page.goto(f"{site_url}/search/?q=knee&year={year}")
    page.wait_for_selector(SETTLED)
    expect(page.locator("#imr-dsearch-q")).to_have_value("knee")
    expect(page.locator(f'fieldset[data-facet="year"] input[value="{year}"]')).to_be_checked()
    first = shown_ids(page)
    assert first and first <= ids_where(records, year=year)
    # Material's header search stays closed (it also reads `q`), and `q` stays in the address
    assert not page.locator("#__search").is_checked()
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'knee'")
    page.reload()
    page.wait_for_selector(SETTLED)
    assert shown_ids(page) == first
    # each result shows its id, year, and the items found with their outcomes
    result = page.locator("li.imr-dsearch__result").first
    expect(result.locator(".imr-dsearch__year")).to_have_text(year)
    expect(result.locator(".imr-dsearch__services .imr-badge").first).to_be_visible()
    # the wider search also shows a snippet of the clinical summary, its words marked
    page.locator("#imr-dsearch-wide").check()
    page.wait_for_selector(SETTLED)
    page.wait_for_function("() => new URL(location.href).searchParams.get('wide') === '1'")
    expect(page.locator("li.imr-dsearch__result .imr-dsearch__excerpt mark").first).to_be_visible()


def test_header_search_links_to_the_determination_search(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("lumbar MRI")
    link = page.locator("a[data-imr-search-all]")
    expect(link).to_be_visible()
    expect(link).to_contain_text("lumbar MRI")
    link.click()
    page.wait_for_url("**/search/?q=lumbar+MRI")
    page.wait_for_selector(SETTLED)
    expect(page.locator("#imr-dsearch-q")).to_have_value("lumbar MRI")
    assert page.locator(RESULT_LINK).count() > 0


def test_choices_within_a_facet_widen_the_search(page: Page, site_url: str, records) -> None:
    knee, shoulder = ids_where(records, region="knee"), ids_where(records, region="shoulder")
    overturned = ids_where(records, outcome="overturned")
    page.goto(f"{site_url}/search/?region=knee&region=shoulder&outcome=overturned")
    page.wait_for_selector(SETTLED)
    assert shown_ids(page) == (knee | shoulder) & overturned
    expect(page.locator("#imr-dsearch-status")).to_contain_text("Knee or Shoulder")


def test_filters_fold_on_a_phone_and_say_what_is_chosen(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}/search/?q=knee&outcome=upheld")
    page.wait_for_selector(SETTLED)
    filters = page.locator("#imr-dsearch-filters")
    summary = filters.locator("summary")
    expect(summary).to_have_text("Filters (1 chosen)")
    # folded: the first result comes right after the search box, above the filters' values
    assert not filters.evaluate("d => d.open")
    assert page.locator('fieldset[data-facet="region"]').is_hidden()
    expect(page.locator("li.imr-dsearch__result").first).to_be_in_viewport()
    summary.click()
    expect(page.locator('fieldset[data-facet="region"]')).to_be_visible()
    page.locator('fieldset[data-facet="outcome"] input[value="upheld"]').uncheck()
    page.wait_for_selector(SETTLED)
    expect(summary).to_have_text("Filters")


def test_filters_are_open_on_a_wide_screen(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/search/")
    page.wait_for_selector(f"{ROOT}[data-state=idle][data-counts=ready]")
    assert page.locator("#imr-dsearch-filters").evaluate("d => d.open")
    expect(page.locator('fieldset[data-facet="region"]')).to_be_visible()
