"""A determination page as a reader uses it: its title and summary line, the original
letter beside it, "Copy citation" (the clipboard's text), related determinations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from generator.pages import describe
from generator.pages.related import related

from .conftest import CONTENT

pytestmark = pytest.mark.browser

CASE = "CM15-0406600"  # three items, a case number, a decision date


def _heading(text: str) -> re.Pattern:
    """An h1's text: `text`, then its permalink sign."""
    return re.compile("^" + re.escape(text) + "¶?$")


def _record(records, record_id: str):
    return next(r for r in records if r.id == record_id)


def test_title_summary_and_description(page: Page, site_url: str, records):
    record = _record(records, CASE)
    page.goto(f"{site_url}/determinations/{CASE}/")
    expect(page.locator("article h1")).to_have_text(_heading(describe.title(record)))
    expect(page.locator("article .imr-summary")).to_have_text(describe.summary(record))
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description and description.startswith(f"IMR {CASE}: ")
    assert page.title().startswith(describe.what_was_decided(record))


def test_original_letter_link_works(page: Page, site_url: str, records):
    record = _record(records, CASE)
    page.goto(f"{site_url}/determinations/{CASE}/")
    letter = page.locator("a.imr-letter")
    expect(letter).to_have_text(re.compile(r"^Original letter \((PDF|text), \d+ KB\)$"))
    href = letter.get_attribute("href")
    response = page.request.get(f"{site_url}/determinations/{CASE}/{href}")
    assert response.status == 200
    assert response.body() == (CONTENT.parent / record.source.path).read_bytes()


def test_copy_citation_puts_plain_text_on_the_clipboard(page: Page, site_url: str, records):
    record = _record(records, CASE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.goto(f"{site_url}/determinations/{CASE}/")
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".imr-cite__status")).to_have_text("Citation copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    permalink = f"{site_url}/determinations/{CASE}/"
    assert copied == describe.citation(record, "IMR Archive", permalink)
    assert CASE in copied and "decided 2015-" in copied and copied.endswith(permalink)


def test_related_determinations_listed_and_followed(page: Page, site_url: str, records):
    expected = related(records)[CASE]
    assert expected, "the bundled records give this case related determinations"
    page.goto(f"{site_url}/determinations/{CASE}/")
    section = page.locator("#related-determinations + p + ul")
    links = section.get_by_role("link")
    expect(links).to_have_count(len(expected))
    assert links.all_inner_texts() == [describe.title(r) for r in expected]
    links.first.click()
    page.wait_for_url(re.compile(re.escape(f"/determinations/{expected[0].id}/") + "$"))
    expect(page.locator("article h1")).to_have_text(_heading(describe.title(expected[0])))


def test_parser_warnings_not_shown(page: Page, site_url: str, records):
    warned = next(r for r in records if r.warnings)
    page.goto(f"{site_url}/determinations/{warned.id}/")
    expect(page.locator("article h1")).to_be_visible()
    text = page.locator("article").inner_text()
    assert "Parser warnings" not in text
    assert all(w not in text for w in warned.warnings)


def test_index_404_and_about(page: Page, site_url: str, records):
    page.goto(f"{site_url}/determinations/")
    expect(page.locator("article h1")).to_have_text(_heading("All determinations"))
    page.goto(f"{site_url}/about/")
    expect(page.locator("#about-the-data")).to_be_visible()
    expect(page.get_by_text("Last updated")).to_be_visible()


def test_back_to_the_search_it_came_from(page: Page, site_url: str):
    direct = f"{site_url}/determinations/{CASE}/"
    page.goto(direct)
    expect(page.locator("a.imr-back")).to_be_hidden()  # not come from a search
    search = f"{site_url}/search/?q=lumbar"
    page.goto(search)
    page.wait_for_selector("#imr-dsearch[data-state=done]")
    page.locator("a.imr-dsearch__result-link").first.click()
    page.wait_for_url(re.compile(r"/determinations/[^/]+/$"))
    back = page.locator("a.imr-back")
    expect(back).to_be_visible()
    assert back.get_attribute("href").startswith(f"{site_url}/search/?q=lumbar")
    back.click()
    page.wait_for_url(re.compile(r"/search/\?q=lumbar"))
