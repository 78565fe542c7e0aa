"""The determination search's date columns (generator/search/datecolumn.py): the bytes of
the format, round trips with missing dates, far dates and many years, and the columns
write_index writes. The browser's reading of the same bytes is checked in
tests/browser/test_item_search.py."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from generator.record.dating import newest_first
from generator.record.models import Dates
from generator.search.datecolumn import decode, encode
from generator.search.determinations import write_index
from tests.factories import make_record
from tests.helpers import read_dates

D = dt.date


def _round_trip(dates: list[dt.date | None]) -> list[dt.date | None]:
    column = encode(dates)
    return decode(column.width, column.years, column.days)


def test_the_bytes_of_a_small_column():
    """Years by their position among the years that occur (sorted), 0xFF for none; per
    year the days in it (0 = 1 January) in document order, uint16 little-endian."""
    column = encode([D(2011, 1, 1), None, D(2010, 12, 31), D(2011, 1, 2), D(2012, 12, 31)])
    assert column.width == 1
    assert column.years == bytes([1, 0xFF, 0, 1, 2])
    assert column.days == {
        2010: (364).to_bytes(2, "little"),
        2011: bytes([0, 0, 1, 0]),
        2012: (365).to_bytes(2, "little"),  # a leap year's last day
    }


def test_round_trip_keeps_every_date_and_every_missing_one_in_order():
    dates = [
        D(2015, 3, 1), None, D(2012, 2, 29), D(2015, 3, 1), D(2009, 7, 4), None,
        D(2012, 12, 31), D(2011, 12, 31), D(2015, 1, 1), D(2009, 1, 1),
    ]
    assert _round_trip(dates) == dates


@pytest.mark.parametrize("dates", [[], [None], [None, None, None]])
def test_no_dates_at_all(dates):
    column = encode(dates)
    assert column.days == {} and column.years == b"\xff" * len(dates)
    assert _round_trip(dates) == dates


def test_dates_far_before_and_after_1970_are_kept_exactly():
    """No epoch and no 16-bit day count: a year's position and a day in that year, so every
    date a datetime.date holds is stored exactly (a uint16 of days since 1970 could not hold
    1969-12-31, and would have put 2149-06-07 onto 1970-01-01)."""
    dates = [D.min, D(1899, 12, 31), D(1969, 12, 31), D(1970, 1, 1), D(2149, 6, 7), D.max, None]
    column = encode(dates)
    assert column.width == 1
    assert _round_trip(dates) == dates


def test_more_than_255_years_widen_the_column_to_two_bytes():
    """Positions 0-254 fit a byte beside 0xFF (no date); more years take two bytes each
    (0xFFFF: no date) rather than wrapping onto another year."""
    years_255 = [D(1700 + k, 6, 1) for k in range(255)]
    narrow = encode([*years_255, None])
    assert narrow.width == 1 and narrow.years[254] == 254 and narrow.years[255] == 0xFF
    assert _round_trip([*years_255, None]) == [*years_255, None]
    many = [D(1700 + k, 1 + k % 12, 1 + k % 28) for k in range(300)][::-1]
    dates = [None, *many, D.min, D.max, None]
    column = encode(dates)
    assert column.width == 2 and len(column.years) == 2 * len(dates)
    assert column.years[:2] == b"\xff\xff" and int.from_bytes(column.years[2:4], "little") == 300
    assert _round_trip(dates) == dates


def test_write_index_writes_the_columns_the_records_give(tmp_path):
    records = [
        make_record(id=f"imr-{i:016x}", case_number=f"CM15-{i:07d}", dates=Dates(
            decision=D(2015, 1 + i % 12, 1 + i % 28) if i % 3 else None,
            injury=[D(2010, 2, 28), D.min, D.max, None, D(2011, 12, 31)][i % 5],
        ))
        for i in range(40)
    ]
    out = tmp_path / "index"
    write_index(records, out)
    docs = newest_first(records)
    assert read_dates(out, "decided") == [r.dates.decision for r in docs]
    assert read_dates(out, "injured") == [r.dates.injury for r in docs]
    meta = json.loads((out / "meta.json").read_text())
    injured = meta["dates"]["injured"]
    assert [year for year, _file in injured["days"]] == [1, 2010, 2011, 9999]
    assert re.fullmatch(r"r-injured-[0-9a-f]{12}\.bin", injured["years"])
    assert all(re.fullmatch(rf"r-injured-{y}-[0-9a-f]{{12}}\.bin", f) for y, f in injured["days"])
    assert "decided" not in meta["lists"] and "injured" not in meta["lists"]
