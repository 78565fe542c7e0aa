"""Pure counting over determinations and their disputed items.

Counting rules (also stated on the site's About page):

- an item is one disputed service; a determination with several items counts
  once per item in the item counts;
- the overturn rate is overturned items / items (None when there are none);
- the year of a determination is its decision year or, failing that, the
  year of the latest date printed in the letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Determination, Item


@dataclass(frozen=True)
class Counts:
    determinations: int = 0
    items: int = 0
    upheld: int = 0
    overturned: int = 0

    @property
    def overturn_rate(self) -> float | None:
        """Overturned items / items, or None when there are no items."""
        return self.overturned / self.items if self.items else None


Selection = tuple[Determination, Sequence[Item]]


def count(selection: Iterable[Selection]) -> Counts:
    """Counts for (determination, the items of it that are in scope) pairs."""
    determinations = items = upheld = overturned = 0
    for _record, chosen in selection:
        determinations += 1
        for item in chosen:
            items += 1
            if item.decision == "upheld":
                upheld += 1
            else:
                overturned += 1
    return Counts(determinations, items, upheld, overturned)


def format_rate(rate: float | None) -> str:
    """'42%' (rounded), or an en dash when there is nothing to count."""
    return "–" if rate is None else f"{round(rate * 100)}%"


def record_year(record: Determination) -> int | None:
    """The decision year, else the year of the latest date in the letter, else None."""
    if record.year is not None:
        return record.year
    d = record.dates
    dates = [
        x
        for x in (d.decision, d.letter, d.assigned, d.ur_denial, d.application_received, d.injury)
        if x is not None
    ]
    return max(dates).year if dates else None
