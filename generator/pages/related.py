"""Related determinations: the same service subcategory and cited section, newest first.

Pure: records in, ids out. A determination's related ones are those with an item of the
same service subcategory (its category when it has none) that cites the same guideline
section (citation key, e.g. `acoem-2004/ch-12`), newest first; when there are fewer than
`limit`, those with an item of the same subcategory follow, newest first. Built from an
index of (subcategory, section) -> records, so 100,000 records take one pass, not n².
"""

from __future__ import annotations

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


def _first(
    lists: Iterable[Sequence[int]], skip: int, taken: set[int], limit: int
) -> list[int]:
    """The `limit` smallest positions (newest) over sorted lists, not `skip` or taken."""
    found: set[int] = set()
    for positions in lists:
        n = 0
        for p in positions:
            if p == skip or p in taken or p in found:
                continue
            found.add(p)
            n += 1
            if n >= limit:
                break
    return sorted(found)[:limit]


def related(
    records: Iterable[Determination], limit: int = DEFAULT_LIMIT
) -> dict[str, list[Determination]]:
    """Record id -> up to `limit` related determinations, best first (see the module)."""
    ordered = newest_first(records)
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pos, record in enumerate(ordered):  # positions ascend: each list is newest first
        for pair in _pairs(record):
            by_pair[pair].append(pos)
        for kind in _kinds(record):
            by_kind[kind].append(pos)
    out: dict[str, list[Determination]] = {}
    for pos, record in enumerate(ordered):
        best = _first((by_pair[p] for p in _pairs(record)), pos, set(), limit)
        more = []
        if len(best) < limit:
            more = _first((by_kind[k] for k in _kinds(record)), pos, set(best), limit - len(best))
        out[record.id] = [ordered[p] for p in (*best, *more)]
    return out
