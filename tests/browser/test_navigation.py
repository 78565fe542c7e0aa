"""Browsing the built site by its links: home -> regions -> region hub -> determination -> hub."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import SEED_ID

pytestmark = pytest.mark.browser

SEED = f"/determinations/{SEED_ID}/"
NECK = "/regions/neck-cervical/"
CH07 = "/guidelines/acoem-2004/ch-07/"


def path_of(page: Page) -> str:
    return page.evaluate("location.pathname")


def article(page: Page) -> Locator:
    return page.locator("article.md-content__inner")


def follow(page: Page, link: Locator, path: str) -> None:
    """Click a link and check where it led."""
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(re.escape(path) + r"(?:[?#].*)?$"))
    assert path_of(page) == path


def find_in_listing(page: Page, name: str, max_pages: int = 50) -> Locator:
    """The listing link named `name` on this hub, following its 'Older' links if needed."""
    seen = []
    for _ in range(max_pages):
        links = article(page).get_by_role("link", name=name, exact=True)
        if links.count():
            return links.first
        seen.append(path_of(page))
        nxt = article(page).get_by_role("link", name=re.compile(r"^Older"))
        if not nxt.count():
            break
        nxt.first.click()
        page.wait_for_load_state("load")
    raise AssertionError(f"{name!r} not listed on {seen}")


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def colours(el: Locator) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(text colour, background colour) as computed by the browser."""
    got = el.evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }"
    )

    def rgb(css: str) -> tuple[int, int, int]:
        nums = re.findall(r"[\d.]+", css)
        assert len(nums) >= 3, css
        if len(nums) == 4:
            assert float(nums[3]) == 1, f"translucent colour {css}"
        return int(float(nums[0])), int(float(nums[1])), int(float(nums[2]))

    return rgb(got[0]), rgb(got[1])


def contrast(el: Locator) -> float:
    fg, bg = colours(el)
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_home_to_region_to_seed_to_guideline_hub(page: Page, site_url: str):
    page.goto(site_url + "/")
    expect(page.locator("h1")).to_have_text(re.compile("IMR Archive"))

    # home -> Regions hub
    follow(page, article(page).get_by_role("link", name="Regions", exact=True), "/regions/")
    expect(article(page).locator("h1")).to_have_text(re.compile("Regions"))

    # Regions -> Neck (cervical spine)
    follow(page, article(page).get_by_role("link", name="Neck (cervical spine)", exact=True), NECK)
    expect(article(page).locator("h1")).to_have_text(re.compile(r"Neck \(cervical spine\)"))

    # the seed is in the region's listing; click it
    follow(page, find_in_listing(page, SEED_ID), SEED)
    body = article(page)
    expect(body.locator("h1")).to_have_text(re.compile(f"IMR determination {SEED_ID}"))
    badge = body.locator(".imr-badge--upheld").first
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Upheld")
    expect(body.locator("h2", has_text="Spine consultant w/non MPN")).to_be_visible()
    # the seed is the real letter: no synthetic warning
    expect(body.get_by_text("Synthetic record", exact=False)).to_have_count(0)

    # the citation links to the ACOEM chapter 7 hub ...
    citation = body.locator(f"a[href$='{CH07.removeprefix('/')}']").filter(
        has_text=re.compile(r"Chapter 7\W+Independent Medical Examinations and Consultations")
    )
    expect(citation).to_have_count(1)
    hrefs = citation.evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    assert hrefs == [CH07], hrefs

    # ... which lists the seed
    follow(page, citation, CH07)
    expect(article(page).locator("h1")).to_have_text(
        re.compile(r"Chapter 7\W+Independent Medical Examinations and Consultations")
    )
    back = find_in_listing(page, SEED_ID)
    row = back.locator("xpath=ancestor::tr[1]")
    expect(row).to_contain_text("Spine consultant w/non MPN")
    expect(row).to_contain_text("127")
    expect(row.locator(".imr-badge--upheld")).to_have_text("Upheld")
    follow(page, back, SEED)


def test_synthetic_determination_shows_the_synthetic_warning(page: Page, site_url: str):
    page.goto(site_url + NECK)
    label = article(page).locator("td .imr-synthetic").first
    expect(label).to_be_visible()
    expect(label).to_have_text(re.compile("synthetic", re.I))
    link = label.locator("xpath=ancestor::td[1]").locator("a").first
    synthetic_id = link.inner_text().strip()
    assert synthetic_id and synthetic_id != SEED_ID
    follow(page, link, f"/determinations/{synthetic_id}/")
    warning = article(page).locator(".admonition.warning")
    expect(warning).to_be_visible()
    expect(warning.locator(".admonition-title")).to_have_text(
        "Synthetic record — not a real determination"
    )
    expect(warning).to_contain_text("not an IMR determination")


def test_dark_mode_toggle_keeps_the_badge_visible(page: Page, site_url: str):
    page.goto(site_url + SEED)
    body = page.locator("body")
    badge = article(page).locator(".imr-badge--upheld").first
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(badge).to_be_visible()
    light = colours(badge)
    assert contrast(badge) >= 4.5, f"badge contrast {contrast(badge):.2f} in the light scheme"

    toggle = page.locator("form[data-md-component=palette] label[title='Switch to dark mode']")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Upheld")
    dark = colours(badge)
    assert dark != light, f"the badge keeps its light colours {light} in the dark scheme"
    assert contrast(badge) >= 4.5, f"badge contrast {contrast(badge):.2f} in the dark scheme"

    # the choice survives a navigation, and toggles back
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    back = page.locator("form[data-md-component=palette] label[title='Switch to light mode']")
    expect(back).to_be_visible()
    back.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(badge).to_be_visible()
    assert colours(badge) == light
