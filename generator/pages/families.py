"""The hub families: regions, services, guidelines, years, outcomes, reviewers. Pure.

Each builder takes the records (newest first) and the archive totals and
returns the family's catalogue hub and its hubs; which items a hub counts
follows the counting rules (see :mod:`generator.pages.stats` and the data page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from generator.pages.hubs import Hub, Link, Listed
from generator.pages.markdown import DECISION_LABELS, link, md_escape, plain_title, table
from generator.pages.stats import Counts, YearSeries, by_year, count, format_rate
from generator.pages.urls import (
    guideline_hub_path,
    hub_csv_path,
    hub_path,
    key_prefixes,
    normalize_key,
    slugify,
    specialty_names,
)
from generator.record import guideline_hubs, taxonomy
from generator.record.dating import counted_year
from generator.record.models import Determination, Item


def _counts(entries: Iterable[Listed]) -> Counts:
    return count((e.record, e.items) for e in entries)


# Header search weights: a citation typed in the search box should land on its
# guideline hub, before determinations and cross-tab cells that mention it.
# A section beats its whole guideline when the query names the section too.
GUIDELINE_HUB_BOOST = 2
SECTION_HUB_BOOST = 2
CROSSTAB_CELL_BOOST = 0.5


def hub_of(path: str, title: str, entries: Sequence[Listed], **kw) -> Hub:
    """A hub listing `entries` (newest first), with its counts, series and CSV path."""
    entries = tuple(entries)
    return Hub(
        path=path,
        title=plain_title(title),
        counts=_counts(entries),
        entries=entries,
        series=by_year((e.record, e.items) for e in entries),
        csv=hub_csv_path(path),
        **kw,
    )


def link_of(hub: Hub) -> Link:
    return Link(hub.title, hub.path, hub.counts)


@dataclass(frozen=True)
class Totals:
    counts: Counts
    series: YearSeries


def _family(
    title: str, segment: str, totals: Totals, subs: Sequence[Hub], label: str, intro: str = ""
) -> Hub:
    return Hub(
        path=hub_path(segment),
        title=title,
        counts=totals.counts,
        listed=False,
        subhubs=tuple(link_of(s) for s in subs),
        subhub_label=label,
        intro=intro,
        # no chart: it would be the home page's whole-archive chart again
    )


def _with_parent(hub: Hub, parent: Hub) -> Hub:
    return Hub(**{**hub.__dict__, "parent": Link(parent.title, parent.path, parent.counts)})


# --- one pass over the records ---------------------------------------------------
#
# Every hub of a family is built from one pass that files each record's items under
# the hub keys they belong to, so the cost is the items times the hubs per item, not
# the records times the hubs. Each group lists its records newest first, with their
# items in record order.

K = TypeVar("K", bound=Hashable)


def group_entries(
    ordered: Sequence[Determination],
    item_keys: Callable[[Determination, Item], Iterable[K]],
    record_keys: Callable[[Determination], Iterable[K]] | None = None,
) -> dict[K, list[Listed]]:
    """Key -> entries: each record with its items whose item_keys include the key; a
    key in record_keys(record) lists the record even with no such item (0 items)."""
    out: dict[K, list[Listed]] = defaultdict(list)
    for r in ordered:
        chosen: dict[K, list[Item]] = {}
        for i in r.items:
            for k in item_keys(r, i):
                got = chosen.setdefault(k, [])
                if not got or got[-1] is not i:  # a key given twice takes the item once
                    got.append(i)
        if record_keys is not None:
            for k in record_keys(r):
                chosen.setdefault(k, [])
        for k, items in chosen.items():
            out[k].append(Listed(r, tuple(items)))
    return out


def group_records(
    ordered: Sequence[Determination], record_keys: Callable[[Determination], Iterable[K]]
) -> dict[K, list[Listed]]:
    """Key -> entries of the records (with all their items) whose record_keys include it."""
    out: dict[K, list[Listed]] = defaultdict(list)
    for r in ordered:
        items = None
        for k in dict.fromkeys(record_keys(r)):
            if items is None:
                items = tuple(r.items)
            out[k].append(Listed(r, items))
    return out


# --- hub families --------------------------------------------------------------


def item_regions(r: Determination, i: Item) -> list[str]:
    """The regions an item is about: its own, else its determination's."""
    return i.body_regions or r.body_regions


def regions(ordered, totals) -> tuple[Hub, list[Hub]]:
    groups = group_entries(ordered, item_regions, lambda r: r.body_regions)
    subs = [
        hub_of(
            hub_path("regions", rid),
            taxonomy.label("region", rid),
            groups.get(rid, ()),
        )
        for rid in taxonomy.regions()
    ]
    family = _family(
        "Regions",
        "regions",
        totals,
        subs,
        "Body region",
        "Determinations by the body region of the disputed services.",
    )
    return family, [_with_parent(s, family) for s in subs]


def services(ordered, totals) -> tuple[Hub, list[Hub]]:
    by_cat = group_entries(ordered, lambda r, i: (i.category,))
    by_sub = group_entries(ordered, lambda r, i: (i.subcategory,))
    cats, subs = [], []
    for cid, spec in taxonomy.categories().items():
        children = [
            hub_of(
                hub_path("services", cid, sid),
                taxonomy.label("subcategory", sid),
                by_sub.get(sid, ()),
            )
            for sid in spec.get("subcategories") or {}
        ]
        cat = hub_of(
            hub_path("services", cid),
            taxonomy.label("category", cid),
            by_cat.get(cid, ()),
            subhubs=tuple(link_of(c) for c in children),
            subhub_label="Subcategory",
        )
        cats.append(cat)
        subs += [_with_parent(c, cat) for c in children]
    family = _family(
        "Services",
        "services",
        totals,
        cats,
        "Service category",
        "Determinations by the category of the disputed service.",
    )
    return family, [_with_parent(c, family) for c in cats] + subs


def _guideline_keys(ordered: Sequence[Determination]) -> tuple[list[str], dict[str, str]]:
    """Every hub key (catalogue, cited keys and their prefixes), and fallback titles."""
    keys: list[str] = list(guideline_hubs.all_keys())
    fallback: dict[str, str] = {}
    for r in ordered:
        for item in r.items:
            for _p, c in item.citations:
                keys += key_prefixes(c.key)
                fallback.setdefault(normalize_key(c.key), c.title or c.topic or "")
    return list(dict.fromkeys(keys)), fallback


def cited_keys(i: Item) -> set[str]:
    """The guideline hub keys an item belongs to: every prefix of each cited key,
    and the cited guidelines (top-level keys)."""
    out: set[str] = set()
    for _p, c in i.citations:
        out.update(key_prefixes(c.key))
        if "/" not in c.guideline:
            out.add(c.guideline)
    return out


def guidelines(ordered, totals) -> tuple[Hub, list[Hub]]:
    keys, fallback = _guideline_keys(ordered)
    groups = group_entries(ordered, lambda r, i: cited_keys(i))
    children_of: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        if "/" in k:
            children_of[k.rsplit("/", 1)[0]].append(k)
    built: dict[str, Hub] = {}
    # deepest first, so each hub knows its sub-hubs
    for key in sorted(keys, key=lambda k: -k.count("/")):
        children = [built[k] for k in children_of.get(key, ())]
        top = "/" not in key
        built[key] = hub_of(
            guideline_hub_path(key),
            guideline_hubs.title(key, fallback.get(key) or None),
            groups.get(key, ()),
            subhubs=tuple(link_of(c) for c in children),
            subhub_label="Section",
            citation_key=None if top else key,
            spellings=tuple(guideline_hubs.spellings(key)),
            search_boost=GUIDELINE_HUB_BOOST if top else SECTION_HUB_BOOST,
        )
    family = _family(
        "Guidelines",
        "guidelines",
        totals,
        [built[k] for k in keys if "/" not in k],
        "Guideline",
        "Determinations by the guideline cited, by the claims administrator or by the reviewer.",
    )
    out = []
    for key in keys:
        parent = built[key.rsplit("/", 1)[0]] if "/" in key else family
        out.append(_with_parent(built[key], parent))
    return family, out


def years(ordered, totals) -> tuple[Hub, list[Hub]]:
    found = sorted({y for r in ordered if (y := counted_year(r)) is not None}, reverse=True)
    groups = group_records(ordered, lambda r: (counted_year(r),))
    subs = [hub_of(hub_path("years", str(y)), str(y), groups.get(y, ())) for y in found]
    undated = sum(1 for r in ordered if counted_year(r) is None)
    intro = "Determinations by decision year (or, failing that, the latest date in the letter)."
    if undated:
        intro += f" {undated} determinations have no date and are not listed here."
    family = _family("Years", "years", totals, subs, "Year", intro)
    return family, [_with_parent(s, family) for s in subs]


def outcomes(ordered, totals) -> tuple[Hub, list[Hub]]:
    groups: dict[str, list[Listed]] = group_entries(ordered, lambda r, i: (i.decision,))
    subs = [
        replace(hub_of(hub_path("outcomes", d), label, groups.get(d) or []), series=None)
        for d, label in DECISION_LABELS.items()
    ]
    intro = (
        "*Upheld*: the utilization review denial stands (not medically necessary). "
        "*Overturned*: the service was found medically necessary. Each disputed item has one "
        "outcome; a determination with items of both outcomes is listed under each.\n\n"
        + "\n".join(outcome_tables(ordered, subs, hub_path("outcomes")))
    )
    family = replace(
        _family("Outcomes", "outcomes", totals, subs, "Outcome", intro), subhub_table=False
    )
    return family, [_with_parent(s, family) for s in subs]


def outcome_tables(ordered: Sequence[Determination], subs: Sequence[Hub], here: str) -> list[str]:
    """Items by outcome, and determinations by how their items were decided: two tables
    that each add up to the archive."""
    items = sum(s.counts.items for s in subs)
    rows = [
        [link(md_escape(s.title), here, s.path), str(s.counts.items), _share(s.counts.items, items)]
        for s in subs
    ]
    rows.append(["**All items**", f"**{items}**", "100%" if items else "–"])
    kinds = {"upheld": 0, "overturned": 0, "both": 0}
    for r in ordered:
        decisions = {i.decision for i in r.items}
        kinds["both" if len(decisions) > 1 else next(iter(decisions), "upheld")] += 1
    n = len(ordered)
    det_rows = [
        ["Every item upheld", str(kinds["upheld"]), _share(kinds["upheld"], n)],
        ["Every item overturned", str(kinds["overturned"]), _share(kinds["overturned"], n)],
        ["Partly overturned (some items each way)", str(kinds["both"]), _share(kinds["both"], n)],
        ["**All determinations**", f"**{n}**", "100%" if n else "–"],
    ]
    return [
        *_label_left(table(["Outcome", "Disputed items", "Share"], rows, "--:")),
        *_label_left(table(["Determinations", "Number", "Share"], det_rows, "--:")),
    ]


def _label_left(lines: list[str]) -> list[str]:
    """A table of numbers whose first column (the labels) is aligned left."""
    return [lines[0], lines[1].replace("--:", "---", 1), *lines[2:]]


def _share(part: int, whole: int) -> str:
    return format_rate(part / whole if whole else None)


def reviewers(ordered, totals) -> tuple[Hub, list[Hub]]:
    names = specialty_names(s for r in ordered for s in r.reviewer.specialties)
    groups = group_records(ordered, lambda r: [slugify(s) for s in r.reviewer.specialties])
    subs = [
        hub_of(hub_path("reviewers", slug), names[slug], groups.get(slug, ()))
        for slug in sorted(names)
    ]
    family = _family(
        "Reviewers",
        "reviewers",
        totals,
        subs,
        "Reviewer specialty",
        "Determinations by the specialty of the physician reviewer.",
    )
    return family, [_with_parent(s, family) for s in subs]
