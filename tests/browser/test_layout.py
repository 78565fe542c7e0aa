"""Page layout at 1366 px and 390 px, light and dark (issue 15): no table content cut off,
a visible focus on every control reached by Tab, skip links, axe-core at phone width."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SEED_ID
from tests.browser.test_accessibility import _axe, _url, axe_detail

pytestmark = pytest.mark.browser

# one page of each type
PAGE_TYPES = {
    "home": "",
    "search": "search/",
    "determination": f"determinations/{SEED_ID}/",
    "determinations index": "determinations/",
    "family": "regions/",
    "region hub": "regions/low-back-lumbar/",
    "service hub": "services/pharmaceuticals/",
    "guideline section": "guidelines/acoem-2004/ch-07/",
    "year hub": "years/2015/",
    "outcomes": "outcomes/",
    "crosstab": "crosstabs/region-by-service/",
    "data": "data/",
    "about": "about/",
}
WIDTHS = {"desktop": 1366, "phone": 390}

# For every table: where it ends against what its scroll container shows, whether the
# container is a focusable region when it scrolls, and the cells whose text is cut.
TABLES = """
() => {
  const out = [];
  for (const table of document.querySelectorAll('.md-typeset table')) {
    const wrap = table.closest('.md-typeset__scrollwrap');
    const box = (wrap || table.parentElement).getBoundingClientRect();
    const scrolls = wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false;
    const cut = [];
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) cut.push(cell.textContent.trim().slice(0, 40));
    }
    const tb = table.getBoundingClientRect();
    out.push({
      head: table.querySelector('th') ? table.querySelector('th').textContent.trim() : '',
      columns: table.querySelectorAll('thead th').length,
      wrapped: !!wrap,
      scrolls,
      focusable: !!wrap && wrap.tabIndex === 0 && wrap.getAttribute('role') === 'region'
        && !!wrap.getAttribute('aria-label'),
      // with no scrolling, the table must end inside its container and the viewport
      overflow: scrolls ? 0 : Math.max(tb.right - box.right, tb.right - window.innerWidth),
      cut,
      hidden: getComputedStyle(table).display === 'none' || tb.width === 0,
    });
  }
  return out;
}
"""

# The focused element and whether it shows a ring: an outline (not none, wider than 0)
# or a box shadow; Material's hidden option inputs (palette toggle) show it on their label.
FOCUSED = """
() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  let shown = el;
  if (el.matches('input.md-option, input.md-toggle') && el.nextElementSibling) {
    shown = el.nextElementSibling;
  }
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = shown.getBoundingClientRect();
  return {
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
      + ' ' + (el.textContent || el.value || '').trim().slice(0, 30),
    ring: outline || shadow,
    visible: r.width > 0 && r.height > 0,
  };
}
"""


def _open(page, site_url: str, path: str, width: int, scheme: str) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto(_url(site_url, path))
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.documentElement.hasAttribute('data-imr-tables')")
    page.wait_for_timeout(150)  # the resize check of imr-tables.js


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_table_content_is_cut_off(page, site_url, name, width, scheme):
    _open(page, site_url, PAGE_TYPES[name], WIDTHS[width], scheme)
    want = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == want
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"{name} scrolls sideways by {sideways}px at {WIDTHS[width]}px"
    for t in page.evaluate(TABLES):
        if t["hidden"]:
            continue
        where = f"{name} at {WIDTHS[width]}px [{scheme}], table {t['head']!r}"
        assert t["wrapped"], f"{where}: not in a scroll container"
        assert t["overflow"] <= 1, f"{where}: {t['overflow']:.0f}px cut off"
        assert not t["cut"], f"{where}: text cut in cells {t['cut'][:5]}"
        if t["scrolls"]:
            assert t["focusable"], f"{where}: scrolls but is no focusable, named region"
            # on a phone only a wide table (a cross-tab) scrolls; the others are stacked
            assert t["columns"] > 6, f"{where}: {t['columns']} columns scroll sideways"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_control_reached_by_tab_shows_focus(page, site_url, name, width, scheme):
    _open(page, site_url, PAGE_TYPES[name], WIDTHS[width], scheme)
    seen, missing = 0, []
    for _ in range(45):
        page.keyboard.press("Tab")
        got = page.evaluate(FOCUSED)
        if got is None:
            continue
        seen += 1
        if got["visible"] and not got["ring"]:
            missing.append(got["what"])
    assert seen >= 5, f"{name}: Tab reached {seen} controls"
    assert not missing, f"{name} at {WIDTHS[width]}px: no visible focus on {missing}"


@pytest.mark.parametrize("name", ["home", "region hub", "crosstab", "determination"])
def test_first_tab_offers_to_skip_to_content(page, site_url, name):
    _open(page, site_url, PAGE_TYPES[name], 1366, "light")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.wait_for_timeout(400)  # Material fades it in
    assert page.evaluate("getComputedStyle(document.activeElement).opacity") == "1"


def test_search_page_skips_the_filters_to_the_results(page, site_url):
    _open(page, site_url, "search/", 1366, "light")
    page.fill("#imr-dsearch-q", "lumbar")
    page.wait_for_selector("#imr-dsearch-results li a")
    page.focus("#imr-dsearch-q")
    presses = 0
    while page.evaluate("document.activeElement.textContent.trim()") != "Skip to results":
        presses += 1
        assert presses <= 7, "no 'Skip to results' within 7 Tabs of the query box"
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["ring"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # the results area: its CSV button, then the results (not the filters)
    focused = page.evaluate("document.activeElement.closest('#imr-dsearch-main') !== null")
    assert focused, "the Tab after 'Skip to results' is not in the results"


def test_desktop_content_uses_the_width(page, site_url):
    _open(page, site_url, "search/", 1366, "light")
    assert not page.is_visible(".md-sidebar--primary")
    width = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
    assert width > 1000, f"the search page's content is {width}px wide at 1366px"
    _open(page, site_url, "regions/low-back-lumbar/", 1366, "light")
    assert not page.is_visible(".md-sidebar--primary")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_axe_violations(page, site_url, name, width, scheme):
    _open(page, site_url, PAGE_TYPES[name], WIDTHS[width], scheme)
    bad = _axe(page)
    assert bad == [], f"{name} [{WIDTHS[width]}px, {scheme}]:\n" + axe_detail(bad)
