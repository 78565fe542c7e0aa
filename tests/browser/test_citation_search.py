"""Citation spellings typed into the real header search (Chromium) land on the right hub.

The rows of tests/data/search_queries.yml marked `browser: true` are typed key by key into
Material's header search of the bundled site (fixtures of tests/browser/conftest.py); the
first result's link must be the row's hub. The browser's first results (pages and the
scores Material puts on them) must also be those tests.searchcheck computes offline
from the same search_index.json, which is what makes the offline table test trustworthy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from tests.searchcheck import MaterialSearch

pytestmark = pytest.mark.browser

TABLE = Path(__file__).resolve().parents[1] / "data" / "search_queries.yml"
ROWS = [r for r in yaml.safe_load(TABLE.read_text(encoding="utf-8")) if r.get("browser")]

from tests.browser.searchbox import ITEM, WORKER_PROBE, type_query  # noqa: E402

# The page link of each rendered result item and the score Material shows on it.
FIRST_RESULTS = """
(item) => [...document.querySelectorAll(item)].slice(0, 5).map(li => {
  const a = li.querySelector("a.md-search-result__link");
  return [new URL(a.href).pathname, a.querySelector("article").dataset.mdScore];
})
"""


@pytest.fixture(scope="module")
def offline(built_site: Path) -> MaterialSearch:
    return MaterialSearch.load(built_site)


def _type(page: Page, query: str) -> list[list[str]]:
    type_query(page, query)
    return page.evaluate(FIRST_RESULTS, ITEM)


@pytest.mark.parametrize("row", ROWS, ids=[r["query"] for r in ROWS])
def test_citation_query_in_header_search(
    page: Page, site_url: str, offline: MaterialSearch, row: dict[str, Any]
) -> None:
    page.add_init_script(WORKER_PROBE)
    page.goto(site_url + "/")
    results = _type(page, row["query"])
    assert results, f"no results for {row['query']!r}"
    assert results[0][0] == row["first"], f"first results in the browser: {results}"
    # the offline replay ranks and scores exactly as the browser does
    expected = [
        [f"/{g.href}", f"{next(i for i in g.items if i.location == g.page).score:.2f}"]
        for g in offline.search(row["query"])[:5]
    ]
    assert results == expected
