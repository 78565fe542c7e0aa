"""What the determination search must find, computed from the records alone.

An independent reading of the rules of the item search (generator/search/, README): the
unit is the disputed item; every word of the query must be one of the item's own words
(its determination's id, its service and the other names of a drug it names, its category
and subcategory names, body region names, the names of the guidelines and sections it
cites) or, with `wide`, also of its statements, rationale and its determination's clinical
summary and diagnoses; the last word may also be the start of one (from three letters). A
citation in the query (generator.search.citequery.parse) keeps the items whose reviewer or
claims administrator cited that hub (and its pages, else the `page` filter's); item
filters look at the item, determination filters at its record; dates are inclusive ISO
ranges.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from generator.letters.citation_spans import page_ranges
from generator.pages.opendata import csv_text, item_rows
from generator.record import guideline_hubs, taxonomy
from generator.record.dating import newest_first
from generator.record.models import Determination, Item
from generator.search.citequery import parse
from generator.search.header import determination_facet_values, item_facet_values
from generator.search.synonyms import synonym_table
from generator.search.tokens import STOPWORDS, fold, stem, terms

Selected = list[tuple[str, int]]  # (determination id, item position from 1)
WHO = {"reviewer": "reviewer", "claims-administrator": "claims_administrator"}


def own_words(record: Determination, item: Item) -> set[str]:
    name = taxonomy.label_or_id
    text = [record.id, record.case_number or "", item.service, name("category", item.category),
            name("subcategory", item.subcategory)]
    service = f" {fold(item.service)} "
    for drug, group in synonym_table().items():  # a drug's every name (hydrocodone, Norco)
        if re.search(rf"(?<![\w]){re.escape(drug)}(?![\w])", service):
            text += group
    text += [name("region", r) for r in item.body_regions]
    for _who, c in item.citations:
        text += [name("guideline", c.guideline), guideline_hubs.title(c.key, c.title)]
    return set(terms("\n".join(text)))


def wide_words(record: Determination, item: Item) -> set[str]:
    text = [item.claims_administrator.text, item.reviewer_guideline.text, item.rationale,
            record.clinical_summary, *record.diagnoses]
    return set(terms("\n".join(text)))


def _query_words(query: str) -> list[tuple[str | None, str | None]]:
    raw = re.findall(r"[a-z0-9]+", fold(query))
    out: list[tuple[str | None, str | None]] = []
    for i, w in enumerate(raw):
        prefix = w if i == len(raw) - 1 and len(w) >= 3 else None
        if len(w) > 1 and w not in STOPWORDS:
            out.append((stem(w), prefix))
        elif prefix:
            out.append((None, prefix))
    return out


def _word_matches(words: set[str], exact: str | None, prefix: str | None) -> bool:
    return exact in words or (prefix is not None and any(w.startswith(prefix) for w in words))


def _cites(item: Item, keys: Iterable[str], pages: Sequence[int] | None, who: str | None) -> bool:
    keys = set(keys)
    for by, c in item.citations:
        if who and by != who:
            continue
        if not ({c.key, c.guideline} & keys):
            continue
        if pages is None:
            return True
        lo, hi = pages
        if any(a <= hi and lo <= b for a, b in (page_ranges(c.pages) if c.pages else [])):
            return True
    return False


def _in(date: dt.date | None, lo: str | None, hi: str | None) -> bool:
    if not lo and not hi:
        return True
    if date is None:
        return False
    return (not lo or date.isoformat() >= lo) and (not hi or date.isoformat() <= hi)


def _facets_pass(record: Determination, item: Item, filters: dict) -> bool:
    values = {**item_facet_values(item), **determination_facet_values(record)}
    return all(
        set(values[f]) & set(chosen)
        for f, chosen in filters.items()
        if f in values and isinstance(chosen, list) and chosen
    )


def select(records: Sequence[Determination], query: str = "", filters: dict | None = None,
           wide: bool = False) -> Selected:
    """The items a search selects, in listing order (newest determination first)."""
    filters = dict(filters or {})
    cite = parse(query)
    words = _query_words(cite["rest"] if cite else query)
    who = WHO.get(filters.get("by", ""))
    page = filters.get("page")
    pages = [int(p) for p in page.split("-")] if page else None
    if pages and len(pages) == 1:
        pages = [pages[0], pages[0]]
    keys = filters.get("section") or filters.get("guideline")
    out: Selected = []
    for record in newest_first(records):
        decided, injured = record.dates.decision, record.dates.injury
        if not _in(decided, filters.get("decided-from"), filters.get("decided-to")):
            continue
        if not _in(injured, filters.get("injured-from"), filters.get("injured-to")):
            continue
        for k, item in enumerate(record.items, 1):
            found = own_words(record, item) | (wide_words(record, item) if wide else set())
            if not all(_word_matches(found, e, p) for e, p in words):
                continue
            if cite and not _cites(item, [cite["key"]], cite["pages"] or pages, who):
                continue
            if keys and (pages or who) and not _cites(item, keys, pages, who):
                continue
            if _facets_pass(record, item, filters):
                out.append((record.id, k))
    return out


def outcome_counts(records: Sequence[Determination], selected: Selected) -> tuple[int, int]:
    """(items, overturned) of a selection."""
    by_id = {r.id: r for r in records}
    overturned = sum(by_id[i].items[k - 1].decision == "overturned" for i, k in selected)
    return len(selected), overturned


def csv_of(records: Sequence[Determination], selected: Selected) -> str:
    """The open-data CSV (generator/pages/opendata.py) of the selected items."""
    chosen: dict[str, set[int]] = {}
    for i, k in selected:
        chosen.setdefault(i, set()).add(k)
    rows = [
        (r, [it for k, it in enumerate(r.items, 1) if k in chosen[r.id]])
        for r in sorted(records, key=lambda r: r.id)
        if r.id in chosen
    ]
    return csv_text(item_rows(rows))
