"""How a determination is dated: the one year rule, and the order of listings.

The year of a determination is the year of its decision date, else of its letter
date, else of the latest date printed in the letter (:func:`year_and_source`). The
reader applies it to the letter's text and records `year` and `year_source`; the site
counts a determination under :func:`counted_year`, the recorded year, else the same
rule over the dates the record holds (a hand-edited record without a year). Listings,
the determination search and the build date go newest first by :func:`sort_date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.record.models import Determination, YearSource

UNDATED = dt.date(1900, 1, 1)  # where a determination with no date sorts (last)


def year_and_source(
    decision: dt.date | None, letter: dt.date | None, latest: dt.date | None
) -> tuple[int | None, YearSource | None]:
    """(year, year_source) by the one rule: the decision date, else the letter date,
    else `latest`, the latest date printed in the letter; (None, None) when undated."""
    if decision is not None:
        return decision.year, "decision_date"
    if letter is not None:
        return letter.year, "letter_date"
    if latest is not None:
        return latest.year, "latest_date_in_text"
    return None, None


def counted_year(record: Determination) -> int | None:
    """The year the site counts a determination under (the CSV's `counted_year`):
    its recorded year, else the year rule over its dates, else None."""
    if record.year is not None:
        return record.year
    d = record.dates
    dates = [
        x
        for x in (d.decision, d.letter, d.assigned, d.ur_denial, d.application_received, d.injury)
        if x is not None
    ]
    return year_and_source(d.decision, d.letter, max(dates, default=None))[0]


def sort_date(record: Determination) -> dt.date:
    """The date listings sort by: decision, else letter, else 1 January of its counted
    year, else UNDATED."""
    d = record.dates
    if d.decision or d.letter:
        return d.decision or d.letter  # type: ignore[return-value]
    year = counted_year(record)
    return dt.date(year, 1, 1) if year is not None else UNDATED


def _newest_first_key(record: Determination) -> tuple[int, str]:
    return (-sort_date(record).toordinal(), record.id)


def newest_first(records: Iterable[Determination]) -> list[Determination]:
    """The records newest first (ties by id): the order of every listing."""
    return sorted(records, key=_newest_first_key)
