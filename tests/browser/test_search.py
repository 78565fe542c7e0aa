"""The header search of the built site, driven like a user: open it, type, read and click results.

Material renders the first 10 results and appends more (4 at a time) as the result panel is
scrolled to its end, so "among the results" means: after scrolling the panel until the
wanted links appear or every result is rendered. Assertions are on link paths (the `?h=`
highlight query and `#section` anchors are ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from .conftest import SEED_ID

pytestmark = pytest.mark.browser

SEED = f"/determinations/{SEED_ID}/"
CH07 = "/guidelines/acoem-2004/ch-07/"

from tests.browser.searchbox import ITEM, LINK, META, WORKER_PROBE, type_query  # noqa: E402

# Scrolls the result panel to its end until every wanted path is linked or every result is
# rendered; returns the paths of all rendered result links, in order.
REVEAL = """
async ({ want, maxMs, item, link, meta }) => {
  const wrap = document.querySelector(".md-search__scrollwrap");
  const items = () => document.querySelectorAll(item);
  const paths = () => [...document.querySelectorAll(item + " " + link)]
    .map(a => new URL(a.href).pathname);
  const total = () => {
    const m = /^\\s*(\\d+)/.exec(document.querySelector(meta).textContent);
    return m ? Number(m[1]) : 0;
  };
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const start = performance.now();
  while (!want.every(p => paths().includes(p)) && items().length < total()
         && performance.now() - start < maxMs) {
    // leave the end of the panel, then reach it again: Material appends the next results
    wrap.scrollTop = Math.max(0, wrap.scrollHeight - wrap.clientHeight - 64);
    await frame();
    wrap.scrollTop = wrap.scrollHeight;
    await frame();
    await frame();
  }
  return { paths: paths(), rendered: items().length, total: total() };
}
"""


@dataclass
class Results:
    query: str
    meta: str
    paths: list[str]  # every rendered result link (pages and their sections), in order
    rendered: int  # result items (pages) rendered
    total: int  # result items (pages) found

    def describe(self) -> str:
        pages = list(dict.fromkeys(self.paths))
        shown = ", ".join(pages[:15]) + (" …" if len(pages) > 15 else "")
        return (
            f"query {self.query!r}: {self.meta!r}, {self.rendered}/{self.total} rendered; "
            f"pages: {shown}"
        )

    def rank(self, path: str) -> int | None:
        """Position (0-based) of the result item (page) linking to path, or None."""
        pages = list(dict.fromkeys(self.paths))
        return pages.index(path) if path in pages else None


def open_home(page: Page, site_url: str) -> None:
    page.add_init_script(WORKER_PROBE)
    page.goto(site_url + "/")
    expect(page.locator("h1")).to_have_text(re.compile("IMR Archive"))


def search(page: Page, query: str, *, open_with: str = "key") -> Results:
    """Open the header search, type the query key by key and wait for its results."""
    type_query(page, query, open_with=open_with)
    return Results(query=query, meta=page.locator(META).inner_text(), paths=[], rendered=0, total=0)


def reveal(page: Page, results: Results, *want: str, max_ms: int = 20_000) -> Results:
    """Scroll the result panel until every wanted path is linked (or all results are shown)."""
    args = {"want": list(want), "maxMs": max_ms, "item": ITEM, "link": LINK, "meta": META}
    out = page.evaluate(REVEAL, args)
    results.paths, results.rendered, results.total = out["paths"], out["rendered"], out["total"]
    return results


def click_result(page: Page, path: str) -> None:
    """Click the result item (page link, not a section link) leading to path."""
    links = page.locator(f"{ITEM} > {LINK}")
    hrefs = links.evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    assert path in hrefs, f"no result item links to {path}: {hrefs}"
    link = links.nth(hrefs.index(path))
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(lambda url: url.split("?")[0].split("#")[0].endswith(path))


@pytest.mark.parametrize("query", ["ACOEM chapter 7", "Independent Medical Examinations"])
def test_chapter_7_query_finds_hub_and_seed_determination(page: Page, site_url: str, query: str):
    open_home(page, site_url)
    results = search(page, query)
    # the hub (search boost 2) is on the first screen of results, before any scrolling
    first_screen = reveal(page, results, max_ms=0)
    hub_rank = first_screen.rank(CH07)
    assert hub_rank is not None and hub_rank < 10, (
        f"{CH07} not among the first results; {first_screen.describe()}"
    )
    results = reveal(page, results, CH07, SEED)
    assert CH07 in results.paths, f"no result links to the chapter 7 hub; {results.describe()}"
    assert SEED in results.paths, f"no result links to the seed determination; {results.describe()}"
    # the links are real, visible result links in the header search panel
    for path in (CH07, SEED):
        link = page.locator(f"{ITEM} > {LINK}[href*='{path}']").first
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()


@pytest.mark.parametrize("query", ["spondylosis", "hardware removal"])
def test_clinical_summary_words_find_seed_determination(page: Page, site_url: str, query: str):
    open_home(page, site_url)
    results = reveal(page, search(page, query), SEED)
    assert SEED in results.paths, f"no result links to the seed determination; {results.describe()}"
    if query == "hardware removal":  # only the seed letter mentions it
        assert results.rank(SEED) == 0, results.describe()
        # its clinical summary section is linked too
        sections = page.locator(f"{ITEM} {LINK}").evaluate_all(
            "els => els.map(a => new URL(a.href).pathname + new URL(a.href).hash)"
        )
        assert f"{SEED}#clinical-summary" in sections, sections


def test_clicking_a_result_opens_the_determination(page: Page, site_url: str):
    open_home(page, site_url)
    results = reveal(page, search(page, "hardware removal", open_with="click"), SEED)
    assert SEED in results.paths, results.describe()
    click_result(page, SEED)
    expect(page.locator("article h1")).to_have_text(re.compile(f"IMR determination {SEED_ID}"))
    expect(page.locator("article")).to_contain_text("hardware removal")
    # the search panel closed on navigation and the page is the determination
    assert page.evaluate("location.pathname") == SEED


def test_clicking_the_hub_result_opens_the_chapter_7_hub(page: Page, site_url: str):
    open_home(page, site_url)
    results = reveal(page, search(page, "ACOEM chapter 7"), CH07)
    assert CH07 in results.paths, results.describe()
    click_result(page, CH07)
    assert page.evaluate("location.pathname") == CH07
    expect(page.locator("article h1")).to_have_text(
        re.compile(r"Chapter 7\W+Independent Medical Examinations and Consultations")
    )
