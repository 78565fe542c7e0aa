"""What a determination is about, in words: its title, one-line summary and citation.

Pure functions over a record, used by the determination page (title, summary line,
meta description, "Copy citation"), the determinations index and the Atom feed, so
each says the same thing. Record text comes out plain (not escaped): callers escape
it for where it goes (Markdown, HTML, XML).

>>> title(record)  # doctest: +SKIP
'MRI of the lumbar spine upheld — IMR CM16-0213037, decided 2016-11-21'
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.record import taxonomy
from generator.record.models import Determination, Item

SERVICE_CHARS = 48  # a service named in a title or summary is cut at a word near this
_NAMED_ITEMS = 2  # up to this many items, the title names each; beyond, it counts them


def short_service(service: str, limit: int = SERVICE_CHARS) -> str:
    """A service as printed, one line, cut at a word boundary with '…' when too long."""
    text = " ".join(service.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-/") + "…"


def _decided(items: Sequence[Item], decision: str) -> list[Item]:
    return [i for i in items if i.decision == decision]


def what_was_decided(record: Determination) -> str:
    """'Lumbar MRI upheld', 'Lumbar MRI upheld, Norco overturned', 'Norco and Soma upheld'
    or, beyond two items, '3 requests: 2 upheld, 1 overturned'."""
    items = record.items
    if len(items) > _NAMED_ITEMS:
        counts = [
            f"{len(_decided(items, d))} {d}" for d in ("upheld", "overturned") if _decided(items, d)
        ]
        if len(counts) == 1:
            return f"{len(items)} requests, all {items[0].decision}"
        return f"{len(items)} requests: {', '.join(counts)}"
    if len(items) == 2 and items[0].decision == items[1].decision:
        names = " and ".join(short_service(i.service, SERVICE_CHARS // 2 + 8) for i in items)
        return f"{names} {items[0].decision}"
    limit = SERVICE_CHARS if len(items) == 1 else SERVICE_CHARS // 2 + 8
    return ", ".join(f"{short_service(i.service, limit)} {i.decision}" for i in items)


def reference(record: Determination) -> str:
    """'IMR CM16-0213037' (the case number), or 'IMR determination imr-…' without one."""
    if record.case_number:
        return f"IMR {record.case_number}"
    return f"IMR determination {record.id}"


def _dated(record: Determination) -> str:
    d = record.dates
    if d.decision:
        return f"decided {d.decision.isoformat()}"
    if d.letter:
        return f"letter dated {d.letter.isoformat()}"
    return ""


def title(record: Determination) -> str:
    """'Lumbar MRI upheld — IMR CM16-0213037, decided 2016-11-21' (plain text)."""
    tail = ", ".join(p for p in (reference(record), _dated(record)) if p)
    return f"{what_was_decided(record)} — {tail}"


def _names(items: Sequence[Item], limit: int = 3) -> str:
    names = [short_service(i.service, 40) for i in items[:limit]]
    more = len(items) - limit
    if more > 0:
        names.append(f"{more} more")
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _outcome_sentence(record: Determination) -> str:
    upheld, overturned = _decided(record.items, "upheld"), _decided(record.items, "overturned")
    parts = []
    if upheld:
        parts.append(f"Denial upheld (not medically necessary): {_names(upheld)}")
    if overturned:
        parts.append(f"Denial overturned (medically necessary): {_names(overturned)}")
    return " ".join(p if p.endswith("…") else p + "." for p in parts)


def _context_sentence(record: Determination) -> str:
    bits = []
    if record.body_regions:
        regions = [taxonomy.label("region", r) for r in record.body_regions if r != "other"]
        if regions:
            bits.append(", ".join(regions[:3]))
    if record.reviewer.specialties:
        bits.append(f"reviewer: {record.reviewer.specialties[0]}")
    dated = _dated(record)
    if dated:
        bits.append(dated)
    if not bits:
        return ""
    text = "; ".join(bits)
    return text[0].upper() + text[1:] + "."


def summary(record: Determination) -> str:
    """The one line under the title: what was upheld or overturned, the body regions,
    the reviewer's specialty and the date (plain text, one line)."""
    return " ".join(p for p in (_outcome_sentence(record), _context_sentence(record)) if p)


def description(record: Determination) -> str:
    """The page's meta description: the summary and the reference (so it differs on every
    page; links shared elsewhere preview it)."""
    return f"{reference(record)}: {summary(record)}"


def citation(record: Determination, site_name: str, permalink: str = "") -> str:
    """The plain-text citation "Copy citation" copies: 'Independent Medical Review
    CM16-0213037 (decided 2016-11-21): Lumbar MRI upheld. IMR Archive, <permalink>'.
    The page holds it without the permalink; the button adds the page's address."""
    ref = (
        f"Independent Medical Review {record.case_number}"
        if record.case_number
        else f"Independent Medical Review determination {record.id}"
    )
    dated = _dated(record)
    head = f"{ref} ({dated})" if dated else ref
    text = f"{head}: {what_was_decided(record)}. {site_name}"
    return f"{text}, {permalink}" if permalink else text
