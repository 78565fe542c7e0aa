"""Accessibility: axe-core finds no serious or critical violation; keyboard and phone work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import SEED_ID

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "region hub": "regions/neck-cervical/",
    "guideline section hub": "guidelines/acoem-2004/ch-07/",
    "determination": f"determinations/{SEED_ID}/",
    "determination search": "search/",
}

pytestmark = pytest.mark.browser


def _url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path


def _axe(page) -> list[dict]:
    assert AXE.is_file(), f"{AXE} missing: run `npm ci` (make test does)"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # inline: no request
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"
    )
    return [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]


def axe_detail(violations: list[dict]) -> str:
    """Each violation on a line: rule, impact, help and where (its first three nodes)."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_axe_violations(page, site_url, name, scheme):
    page.goto(_url(site_url, PAGES[name]))
    page.evaluate("s => { document.body.setAttribute('data-md-color-scheme', s); }", scheme)
    page.wait_for_load_state("networkidle")
    bad = _axe(page)
    assert bad == [], f"{name} [{scheme}]:\n" + axe_detail(bad)


def test_keyboard_only_search_and_navigation(page, site_url):
    page.goto(_url(site_url, ""))
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type("Independent Medical Examinations", delay=20)
    # results for the whole query (their links carry it as the highlight parameter)
    page.wait_for_selector('a.md-search-result__link[href*="h=independent+medical+examinations"]')
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guidelines/acoem-2004/ch-07/**")
    page.wait_for_load_state("networkidle")
    # tab from the top of a page reaches the nav tabs and follows one with Enter
    page.goto(_url(site_url, ""))
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.textContent")
        if focused and focused.strip() == "Regions":
            break
    else:
        pytest.fail("the Regions tab was not reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/regions/")
    page.wait_for_load_state("networkidle")


def test_phone_width_layout(page, site_url, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("", f"determinations/{SEED_ID}/", "guidelines/acoem-2004/ch-07/"):
        page.goto(_url(site_url, path))
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"/{path} scrolls sideways by {overflow}px at 390px"
        shot = tmp_path / f"phone-{path.replace('/', '_') or 'home'}.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 5_000
    # the navigation drawer opens from the menu button
    page.goto(_url(site_url, ""))
    page.click("label.md-header__button[for='__drawer']")
    page.wait_for_selector("nav.md-nav--primary a:has-text('Regions')", state="visible")
