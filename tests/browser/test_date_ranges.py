"""Date ranges in the item search (/search/) against the oracle over the records
(tests/search_oracle.py), the days files a range loads (those of the years it cuts only),
and the browser's reading of date columns (imr-search-engine.js inRange) against the bytes
generator/search/datecolumn.py writes: one and two bytes a year, years 1 and 9999."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from generator.search.datecolumn import encode
from tests.search_oracle import select

from .test_item_search import ITEM, SETTLED, _url, shown_items

pytestmark = pytest.mark.browser

D = dt.date
# (filters, how many years' days they load); the bundled records: injuries 1998-2024,
# decisions 2014-2024 or none
RANGES = [
    ({"injured-from": "2010-03-15", "injured-to": "2012-06-30"}, 2),  # cuts 2010 and 2012
    ({"injured-from": "2011-01-01", "injured-to": "2011-12-31"}, 0),  # a whole year
    ({"injured-to": "2005-07-01"}, 1),
    ({"decided-from": "2016-02-10", "decided-to": "2019-11-30"}, 2),
    ({"decided-from": "2024-12-31", "injured-from": "2000-01-01"}, 1),
    ({"decided-from": "2019-01-01", "decided-to": "2018-01-01"}, 0),  # nothing
]


def _cut(year: int, lo: str | None, hi: str | None) -> bool:
    """Some of the year's days in [lo, hi] and some not (ISO dates, None: open)."""
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    inside = (not lo or first >= lo) and (not hi or last <= hi)
    outside = bool((lo and last < lo) or (hi and first > hi))
    return not inside and not outside


def _days_loaded(requests: list[str]) -> set[str]:
    return {m.group(1) for r in requests if (m := re.search(r"/(r-\w+-\d+-[0-9a-f]{12}\.bin)", r))}


@pytest.mark.parametrize(("filters", "cut"), RANGES, ids=[json.dumps(r) for r, _n in RANGES])
@pytest.mark.parametrize("query", ["", "MRI"])
def test_a_date_range_lists_the_oracle_items_and_loads_the_days_of_the_years_it_cuts(
    page: Page, site_url: str, records, built_site: Path, browser_log, query, filters, cut
):
    expected = select(records, query, filters)
    page.goto(_url(site_url, query, filters))
    page.wait_for_selector("#imr-dsearch[data-state=done]")
    if expected:
        page.wait_for_selector(SETTLED)
        assert sorted(shown_items(page)) == sorted(expected)
    else:
        assert page.locator(ITEM).count() == 0
    meta = json.loads((built_site / "search-index" / "meta.json").read_text())
    want = {
        file
        for name in ("decided", "injured")
        if filters.get(f"{name}-from") or filters.get(f"{name}-to")
        for year, file in meta["dates"][name]["days"]
        if _cut(year, filters.get(f"{name}-from"), filters.get(f"{name}-to"))
    }
    assert len(want) == cut and _days_loaded(browser_log.requests) == want


def test_a_one_day_range_finds_that_day(page: Page, site_url: str, records) -> None:
    day = max(r.dates.injury for r in records if r.dates.injury).isoformat()
    filters = {"injured-from": day, "injured-to": day}
    expected = select(records, "", filters)
    assert expected
    page.goto(_url(site_url, "", filters))
    page.wait_for_selector(SETTLED)
    assert sorted(shown_items(page)) == sorted(expected)


COLUMNS = {
    "one byte": [D(2011, 1, 1), None, D(2010, 12, 31), D(2012, 2, 29), D(2012, 12, 31),
                 D.min, D(1969, 12, 31), D(1970, 1, 1), D.max, D(2011, 7, 4), None],
    "two bytes": [None, *[D(1700 + k, 1 + k % 12, 1 + k % 28) for k in range(300)][::-1],
                  D.min, D.max, D(2012, 2, 29), None],
}
BOUNDS = [(D(2010, 12, 31), D(2012, 2, 29)), (None, D(1969, 12, 31)), (D(1970, 1, 1), None),
          (D.min, D.min), (D(9999, 6, 1), None), (D(1800, 3, 1), D(1850, 2, 28)), (None, None)]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_the_browser_reads_a_date_column_as_python_writes_it(page: Page, site_url: str, name):
    dates = COLUMNS[name]
    column = encode(dates)
    years = sorted(column.days)
    epoch = D(1970, 1, 1)
    cases = []
    for lo, hi in BOUNDS:
        lo_iso, hi_iso = lo and lo.isoformat(), hi and hi.isoformat()
        days = [list(column.days[y]) if _cut(y, lo_iso, hi_iso) else None for y in years]
        cases.append([days, lo and (lo - epoch).days, hi and (hi - epoch).days])
    page.goto(f"{site_url}/search/")
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    got = page.evaluate(
        """([column, width, years, cases]) => cases.map(([days, from, to]) => Array.from(
            IMRSearch.inRange(new Uint8Array(column), width, years,
                              days.map(d => d && new Uint8Array(d)), from, to)))""",
        [list(column.years), column.width, years, cases],
    )
    assert column.width == (1 if name == "one byte" else 2)
    for (lo, hi), flags in zip(BOUNDS, got, strict=True):
        want = [int(d is not None and (lo is None or d >= lo) and (hi is None or d <= hi))
                for d in dates]
        assert flags == want, (lo, hi)
