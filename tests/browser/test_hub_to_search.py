"""Hub -> search: every hub links to /search/ with its filter set, and a guideline
section's most cited pages link to the search for that page. The items the search then
lists are the oracle's (tests/search_oracle.py) for those parameters, and (but for
regions, which the search reads at the determination) as many as the hub counts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from tests.search_oracle import select

from .test_item_search import SETTLED, shown_items

pytestmark = pytest.mark.browser

HUBS = ["regions/knee", "services/pharmaceuticals", "services/pharmaceuticals/opioids",
        "guidelines/acoem-2004/ch-12", "guidelines/odg", "years/2014", "outcomes/overturned"]
LINK = "a:has-text('Open this hub in the determination search')"


def _filters(url: str) -> dict:
    params = parse_qs(urlsplit(url).query)
    return {k: (v[0] if k == "page" else v) for k, v in params.items()}


def _hub_items(page: Page) -> int:
    cells = page.locator("article table").first.locator("tbody td").all_inner_texts()
    return int(cells[1])  # Determinations, Disputed items, ...


@pytest.mark.parametrize("hub", HUBS)
def test_hub_links_to_its_search(page: Page, site_url: str, records, hub: str) -> None:
    page.goto(f"{site_url}/{hub}/")
    counted = _hub_items(page)
    page.locator(LINK).first.click()
    page.wait_for_selector(SETTLED)
    filters = _filters(page.url)
    assert filters, page.url
    expected = select(records, "", filters)
    assert sorted(shown_items(page)) == sorted(expected)
    if not hub.startswith("regions/"):
        assert len(expected) == counted


def test_most_cited_pages_link_to_the_search_for_that_page(
    page: Page, site_url: str, records
) -> None:
    page.goto(f"{site_url}/guidelines/acoem-2004/ch-12/")
    links = page.locator("article a[href*='search/'][href*='page=']")
    assert links.count() > 0
    href = links.first.get_attribute("href") or ""
    filters = _filters(href)
    assert filters["section"] == ["acoem-2004/ch-12"] and filters["page"]
    links.first.click()
    page.wait_for_selector(SETTLED)
    expected = select(records, "", filters)
    assert expected and sorted(shown_items(page)) == sorted(expected)
