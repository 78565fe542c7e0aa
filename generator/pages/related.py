"""Related determinations: the neighbours in decision order, same section first.

Pure: records in, records out. Decision order is the listings' order read backwards
(`dating.newest_first`: by `sort_date`, ties by id), so undated determinations come
before every dated one. A determination's related ones, up to `limit` (5):

1. Its neighbours among the determinations sharing one of its groups: an item of the
   same service subcategory (its category when it has none) citing the same guideline
   section (citation key, e.g. `acoem-2004/ch-12`). The nearest `(limit + 1) // 2` (3)
   decided before it and the nearest `limit // 2` (2) decided after it; when one side
   has fewer, the other side gives more, up to `limit` in all.
2. Only when (1) found fewer than `limit` (it then holds every one of them): the
   neighbours among those sharing a service subcategory, by the same rule for the
   places left, counting the ones (1) took before it towards the 3.

The page lists (1) then (2), each newest first. Built from an index of
(subcategory, section) -> records and subcategory -> records: one sort, then a bisect
and a few steps a group, so 100,000 records cost O(n log n), not n².

Why neighbours and not the newest: builds are incremental, and new letters are the
newest. Adding determinations all decided after every existing one changes the list
of an existing determination only if, in some group that a new one joins (a
(subcategory, section) group or a subcategory), it is among the last `limit // 2` (2)
existing ones, or the group had at most `limit` (5) existing ones. So at most 2
existing pages change per group joined (at most 5 in a group of at most 5), however
many are added (tests/test_related.py checks it). Taking more before than after keeps
that number small. Filling a short side from the other changes no further pages: a
page whose "after" side is short is among the newest 2 of its group, and one whose
"before" side is short changes only when "after" cannot fill it, in a group of at most
`limit`. (Determinations added at the old end, undated or decided before all others,
change pages at the oldest end of a group instead.)
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence

from generator.record.dating import newest_first
from generator.record.models import Determination, Item

DEFAULT_LIMIT = 5


def service_kind(item: Item) -> str:
    """An item's subcategory, else its category (prefixed, so the two never meet)."""
    return item.subcategory or f"category:{item.category}"


def _pairs(record: Determination) -> list[tuple[str, str]]:
    """(service kind, cited section) of every citation of every item, in record order."""
    seen: dict[tuple[str, str], None] = {}
    for item in record.items:
        for _who, c in item.citations:
            seen.setdefault((service_kind(item), c.key), None)
    return list(seen)


def _kinds(record: Determination) -> list[str]:
    return list(dict.fromkeys(service_kind(i) for i in record.items))


def _walk(positions: Sequence[int], i: int, step: int, skip: set[int], n: int) -> list[int]:
    """Up to `n` positions from index `i` on by `step` (1 or -1), leaving out `skip`."""
    reach = n + len(skip)  # enough: at most len(skip) of them are left out
    chunk = positions[i : i + reach] if step > 0 else positions[max(0, i - reach + 1) : i + 1][::-1]
    return [p for p in chunk if p not in skip][:n]


def _sides(
    lists: Iterable[Sequence[int]], pos: int, skip: set[int], n: int
) -> tuple[list[int], list[int]]:
    """(before, after): the `n` nearest positions decided before and after `pos` over
    the newest-first lists holding it, nearest first, without `pos` or `skip`."""
    before: set[int] = set()
    after: set[int] = set()
    for positions in lists:
        i = bisect_left(positions, pos)  # positions[i] == pos: a record is in its groups
        before.update(_walk(positions, i + 1, 1, skip, n))  # larger positions: older
        after.update(_walk(positions, i - 1, -1, skip, n))
    return sorted(before)[:n], sorted(after, reverse=True)[:n]


def _choose(before: list[int], after: list[int], n: int, want_before: int) -> list[int]:
    """`n` of the nearest: `want_before` before, the rest after; a short side's places
    go to the other."""
    take_before = min(len(before), max(min(want_before, n), n - len(after)))
    return before[:take_before] + after[: n - take_before]


def related(
    records: Iterable[Determination], limit: int = DEFAULT_LIMIT
) -> dict[str, list[Determination]]:
    """Record id -> up to `limit` related determinations, as listed (see the module)."""
    ordered = newest_first(records)
    pairs = [_pairs(r) for r in ordered]
    kinds = [_kinds(r) for r in ordered]
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pos in range(len(ordered)):  # positions ascend: each list is newest first
        for pair in pairs[pos]:
            by_pair[pair].append(pos)
        for kind in kinds[pos]:
            by_kind[kind].append(pos)
    want_before = (limit + 1) // 2
    out: dict[str, list[Determination]] = {}
    for pos, record in enumerate(ordered):
        sides = _sides((by_pair[p] for p in pairs[pos]), pos, set(), limit)
        best = _choose(*sides, limit, want_before)
        more: list[int] = []
        if len(best) < limit:
            left = limit - len(best)
            got_before = sum(1 for p in best if p > pos)
            sides = _sides((by_kind[k] for k in kinds[pos]), pos, set(best), left)
            more = _choose(*sides, left, max(0, want_before - got_before))
        out[record.id] = [ordered[p] for p in (*sorted(best), *sorted(more))]
    return out
