"""Pure counting over determinations and their disputed items.

Counting rules (also stated on the site's About page):

- an item is one disputed service; a determination with several items counts
  once per item in the item counts (a partially overturned determination adds
  its upheld items to `upheld` and its overturned items to `overturned`) and
  once in `determinations`;
- the overturn rate is overturned items / items (None when there are none); it is
  shown with its n, and only from MIN_RATE_ITEMS items: fewer are shown as counts
  ("3 of 7 overturned"), never as a percentage or a point on a chart;
- a determination counts under its year, :func:`generator.record.dating.counted_year`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from generator.record.dating import counted_year
from generator.record.models import Determination, Item


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


MIN_RATE_ITEMS = 10  # fewer items: counts, not a rate


def shown_rate(c: Counts) -> float | None:
    """The overturn rate to show or draw: None without MIN_RATE_ITEMS items."""
    return c.overturn_rate if c.items >= MIN_RATE_ITEMS else None


def rate_text(c: Counts) -> str:
    """'25% of 57' (the rate and its n); '3 of 7 overturned' below MIN_RATE_ITEMS items;
    an en dash when there are none."""
    rate = shown_rate(c)
    if rate is None:
        return f"{c.overturned} of {c.items} overturned" if c.items else "–"
    return f"{format_rate(rate)} of {c.items}"


def format_rate(rate: float | None) -> str:
    """'42%' (rounded), or an en dash when there is nothing to count."""
    return "–" if rate is None else f"{round(rate * 100)}%"


@dataclass(frozen=True)
class YearSeries:
    """Counts per year (every year from the first to the last, gaps as zero counts)."""

    years: tuple[tuple[int, Counts], ...] = ()
    undated: Counts = Counts()  # the selection's determinations with no year


def by_year(selection: Iterable[Selection]) -> YearSeries:
    """Counts of a selection per year of its determinations (see dating.counted_year)."""
    groups: dict[int | None, list[Selection]] = defaultdict(list)
    for record, chosen in selection:
        groups[counted_year(record)].append((record, chosen))
    undated = count(groups.pop(None, []))
    if not groups:
        return YearSeries((), undated)
    years = [y for y in groups if y is not None]
    first, last = min(years), max(years)
    return YearSeries(tuple((y, count(groups.get(y, []))) for y in range(first, last + 1)), undated)


def by_key(selection: Iterable[Selection], key: Callable[[Item], Hashable]) -> dict:
    """Counts of the items of a selection grouped by key(item) (one key per item).

    A determination counts once in each group any of its chosen items falls in.
    """
    groups: dict[Hashable, dict[str, tuple[Determination, list[Item]]]] = defaultdict(dict)
    for record, chosen in selection:
        for item in chosen:
            groups[key(item)].setdefault(record.id, (record, []))[1].append(item)
    return {k: count(v.values()) for k, v in groups.items()}
