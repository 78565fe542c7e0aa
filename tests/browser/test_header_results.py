"""The header search's results (issue 15): a line or two each, no empty hubs, and a case
number that always leads to its determination or says the archive does not hold it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.searchbox import INPUT, ITEM, WORKER_PROBE, type_query

pytestmark = pytest.mark.browser

CASE_BOX = "[data-imr-case]"


def _open(page, site_url: str) -> None:
    page.add_init_script(WORKER_PROBE)
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")


def test_results_are_a_line_or_two_and_list_no_empty_hub(page, site_url, built_site):
    _open(page, site_url)
    type_query(page, "MTUS opioids")
    items = page.locator(ITEM)
    assert items.count() >= 3
    # each result: its title and at most two lines (before: the statistics table as words
    # and the whole "also cited as" list, a screen high)
    for k in range(min(items.count(), 6)):
        article = items.nth(k).locator("article").first
        lines = article.evaluate(
            """e => {
              const s = getComputedStyle(e);
              const h1 = e.querySelector('h1').getBoundingClientRect().height;
              const pad = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom);
              const text = e.getBoundingClientRect().height - pad - h1;
              const p = e.querySelector('p');
              const line = p ? p.getBoundingClientRect().height / p.getClientRects().length
                             : parseFloat(s.lineHeight);
              return text / (parseFloat(getComputedStyle(p || e).lineHeight) || line);
            }"""
        )
        assert lines <= 3.2, f"result {k + 1} has {lines:.1f} lines of text"
    hrefs = [a.get_attribute("href") for a in page.locator(f"{ITEM} > a").all()]
    for href in hrefs:
        path = urlsplit(href).path.lstrip("/")
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        assert "No determinations yet." not in html, f"empty hub listed: {href}"


@pytest.mark.parametrize("typed", ["CM14-1203064", "cm14-1203064", "cm14 1203064"])
def test_a_case_number_leads_to_its_determination(page, site_url, typed):
    _open(page, site_url)
    page.locator(INPUT).click()
    page.locator(INPUT).press_sequentially(typed)
    answer = page.locator(f"{CASE_BOX} a.imr-search-case__link")
    expect(answer).to_be_visible()
    expect(answer).to_have_text(re.compile(r"Determination CM14-1203064"))
    page.locator(INPUT).press("Enter")
    page.wait_for_url("**/determinations/CM14-1203064/")


def test_a_case_number_not_held_says_so(page, site_url):
    _open(page, site_url)
    page.locator(INPUT).click()
    page.locator(INPUT).press_sequentially("CM99-0000001")
    expect(page.locator(CASE_BOX)).to_have_text(
        "The archive does not hold determination CM99-0000001."
    )
    expect(page.locator(".md-search-result__meta")).to_be_hidden()
    # another query: the answer goes away
    page.locator(INPUT).fill("lumbar")
    expect(page.locator(CASE_BOX)).to_be_hidden()


def test_a_failed_lookup_is_not_an_answer_and_is_tried_again(page, site_url):
    """A lookup file that cannot be read (here: not JSON) must not make the search say the
    archive lacks a case it holds, and the next lookup fetches the file again."""
    _open(page, site_url)
    page.route("**/case-numbers/index.json", lambda route: route.fulfill(body="<html>oops"))
    page.locator(INPUT).click()
    page.locator(INPUT).press_sequentially("CM14-1203064")
    expect(page.locator(CASE_BOX)).to_contain_text("Could not look up determination CM14-1203064")
    expect(page.locator(CASE_BOX)).not_to_contain_text("does not hold")
    page.unroute("**/case-numbers/index.json")
    page.locator(INPUT).fill("")
    page.locator(INPUT).press_sequentially("CM14-1203064")
    answer = page.locator(f"{CASE_BOX} a.imr-search-case__link")
    expect(answer).to_have_text(re.compile(r"Determination CM14-1203064"))
