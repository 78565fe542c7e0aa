"""The determination search's date columns, split by year so that a date range loads little.

A date column (the decision or the injury date of each determination, in document order)
is written as two kinds of bytes, each file gzip'd by generator/search/determinations.py:

- **the years**: per determination, the position of its date's year among the years that
  occur (sorted), as one byte, or two (little-endian) where more than 255 years occur; all
  ones (0xFF, 0xFFFF) for no date.
- **the days of a year**: per determination dated in that year, in document order, its day
  in the year (0 = 1 January) as a little-endian uint16.

A range reads the years, and the days of only the years it cuts: a year wholly inside or
outside the range decides its determinations by itself (theme/assets/javascripts/
imr-search-engine.js ``inRange``). Every date a ``datetime.date`` holds (years 1 to 9999)
is stored exactly: there is no epoch and no day limit, so no date can land on a wrong day.
At 100,000 synthetic determinations the injury years gzip to 56 KiB and one year's days to
at most 10 KB, against 215 KiB for the former column of day numbers in JSON and 173 KiB
for a column of uint16 days since an epoch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ONE_BYTE_YEARS = 0xFF  # positions 0-254 in one byte; 0xFF says "no date"


@dataclass(frozen=True)
class DateColumn:
    width: int  # bytes per determination in `years`
    years: bytes  # per determination: its year's position in `days`, or all ones
    days: dict[int, bytes]  # year -> the days in that year of its determinations (uint16 LE)


def none_marker(width: int) -> int:
    return (1 << (8 * width)) - 1


def encode(dates: Sequence[dt.date | None]) -> DateColumn:
    """The column of `dates` (one per determination, in document order)."""
    order = sorted({d.year for d in dates if d is not None})
    width = 1 if len(order) <= ONE_BYTE_YEARS else 2
    position = {year: k for k, year in enumerate(order)}
    none = none_marker(width).to_bytes(width, "little")
    years = bytearray()
    days: dict[int, bytearray] = {year: bytearray() for year in order}
    for date in dates:
        if date is None:
            years += none
            continue
        years += position[date.year].to_bytes(width, "little")
        days[date.year] += (date.toordinal() - dt.date(date.year, 1, 1).toordinal()).to_bytes(
            2, "little"
        )
    return DateColumn(width, bytes(years), {year: bytes(b) for year, b in days.items()})


def decode(width: int, years: bytes, days: Mapping[int, bytes]) -> list[dt.date | None]:
    """The dates back from a column's bytes (the browser's reading, in Python)."""
    order = sorted(days)
    seen = dict.fromkeys(order, 0)
    out: list[dt.date | None] = []
    for i in range(0, len(years), width):
        k = int.from_bytes(years[i : i + width], "little")
        if k == none_marker(width):
            out.append(None)
            continue
        year = order[k]
        at = 2 * seen[year]
        seen[year] += 1
        day = int.from_bytes(days[year][at : at + 2], "little")
        out.append(dt.date.fromordinal(dt.date(year, 1, 1).toordinal() + day))
    return out
