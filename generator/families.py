"""The hub families: regions, services, guidelines, years, outcomes, reviewers. Pure.

Each builder takes the records (newest first) and the archive totals and
returns the family's catalogue hub and its hubs; a hub's items are chosen by
a `Pick` (see the counting rules in :mod:`generator.stats`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import citations, taxonomy
from .hubs import Entry, Hub, Link
from .markdown import plain_title
from .models import Determination, Item
from .pages import guideline_spellings, guideline_title
from .slugs import hub_path, key_within, normalize_key, slugify
from .stats import Counts, YearSeries, by_year, count, record_year

Pick = Callable[[Determination], Sequence[Item] | None]


def _entries(ordered: Sequence[Determination], pick: Pick) -> tuple[Entry, ...]:
    out = []
    for r in ordered:
        items = pick(r)
        if items is not None:
            out.append(Entry(r, tuple(items)))
    return tuple(out)


def _counts(entries: Iterable[Entry]) -> Counts:
    return count((e.record, e.items) for e in entries)


# Header search weights: a citation typed in the search box should land on its
# guideline hub, before determinations and cross-tab cells that mention it.
# A section beats its whole guideline when the query names the section too.
GUIDELINE_HUB_BOOST = 2
SECTION_HUB_BOOST = 2
CROSSTAB_CELL_BOOST = 0.5


def make_hub(path: str, title: str, ordered: Sequence[Determination], pick: Pick, **kw) -> Hub:
    entries = _entries(ordered, pick)
    return Hub(
        path=path,
        title=plain_title(title),
        counts=_counts(entries),
        entries=entries,
        series=by_year((e.record, e.items) for e in entries),
        csv=path.removesuffix("index.md") + "items.csv",
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
        series=totals.series,
    )


def _with_parent(hub: Hub, parent: Hub) -> Hub:
    return Hub(**{**hub.__dict__, "parent": Link(parent.title, parent.path, parent.counts)})


# --- hub families --------------------------------------------------------------


ItemTest = Callable[[Determination, Item], bool]


def region_test(region: str) -> ItemTest:
    """The item is about the region (an item with no regions takes its determination's)."""
    return lambda r, i: region in (i.body_regions or r.body_regions)


def _in_region(region: str) -> Pick:
    """Items about the region; a determination of the region with none is listed, 0 items."""
    about = region_test(region)

    def pick(r: Determination) -> list[Item] | None:
        items = [i for i in r.items if about(r, i)]
        return items if items or region in r.body_regions else None

    return pick


def _in_year(year: int) -> Pick:
    return lambda r: r.items if record_year(r) == year else None


def _by_specialty(slug: str) -> Pick:
    return lambda r: r.items if any(slugify(s) == slug for s in r.reviewer.specialties) else None


def regions(ordered, totals) -> tuple[Hub, list[Hub]]:
    subs = [
        make_hub(
            hub_path("regions", rid),
            taxonomy.label("region", rid),
            ordered,
            _in_region(rid),
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


def _matching(pred: Callable[[Item], bool]) -> Pick:
    def pick(r: Determination) -> list[Item] | None:
        items = [i for i in r.items if pred(i)]
        return items or None

    return pick


def _where(field_name: str, value: str) -> Pick:
    return _matching(lambda i: getattr(i, field_name) == value)


def services(ordered, totals) -> tuple[Hub, list[Hub]]:
    cats, subs = [], []
    for cid, spec in taxonomy.categories().items():
        children = [
            make_hub(
                hub_path("services", cid, sid),
                taxonomy.label("subcategory", sid),
                ordered,
                _where("subcategory", sid),
            )
            for sid in spec.get("subcategories") or {}
        ]
        cat = make_hub(
            hub_path("services", cid),
            taxonomy.label("category", cid),
            ordered,
            _where("category", cid),
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


def cites_test(prefix: str, guideline: str | None = None) -> Callable[[Item], bool]:
    """The item cites a key within `prefix` (or, for a guideline hub, that guideline)."""

    def pred(i: Item) -> bool:
        return any(
            key_within(normalize_key(c.key), prefix) or c.guideline == guideline
            for _p, c in i.citations
        )

    return pred


def _cites(prefix: str, guideline: str | None = None) -> Pick:
    return _matching(cites_test(prefix, guideline))


def _guideline_keys(ordered: Sequence[Determination]) -> tuple[list[str], dict[str, str]]:
    """Every hub key (catalogue, cited keys and their prefixes), and fallback titles."""
    keys: list[str] = list(citations.all_keys())
    fallback: dict[str, str] = {}
    for r in ordered:
        for item in r.items:
            for _p, c in item.citations:
                segments = normalize_key(c.key).split("/")
                for n in range(1, len(segments) + 1):
                    keys.append("/".join(segments[:n]))
                fallback.setdefault(normalize_key(c.key), c.title or c.topic or "")
    return list(dict.fromkeys(keys)), fallback


def guidelines(ordered, totals) -> tuple[Hub, list[Hub]]:
    keys, fallback = _guideline_keys(ordered)
    built: dict[str, Hub] = {}
    # deepest first, so each hub knows its sub-hubs
    for key in sorted(keys, key=lambda k: -k.count("/")):
        children = [built[k] for k in keys if "/" in k and k.rsplit("/", 1)[0] == key]
        top = "/" not in key
        built[key] = make_hub(
            hub_path("guidelines", *key.split("/")),
            guideline_title(key, fallback.get(key) or None),
            ordered,
            _cites(key, key if top else None),
            subhubs=tuple(link_of(c) for c in children),
            subhub_label="Section",
            citation_key=None if top else key,
            spellings=tuple(guideline_spellings(key)),
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
    found = sorted({y for r in ordered if (y := record_year(r)) is not None}, reverse=True)
    subs = [
        make_hub(
            hub_path("years", str(y)),
            str(y),
            ordered,
            _in_year(y),
        )
        for y in found
    ]
    undated = sum(1 for r in ordered if record_year(r) is None)
    intro = "Determinations by decision year (or, failing that, the latest date in the letter)."
    if undated:
        intro += f" {undated} determinations have no date and are not listed here."
    family = _family("Years", "years", totals, subs, "Year", intro)
    return family, [_with_parent(s, family) for s in subs]


def outcomes(ordered, totals) -> tuple[Hub, list[Hub]]:
    subs = [
        make_hub(hub_path("outcomes", d), label, ordered, _where("decision", d))
        for d, label in (("upheld", "Upheld"), ("overturned", "Overturned"))
    ]
    intro = (
        "*Upheld*: the utilization review denial stands (not medically necessary). "
        "*Overturned*: the service was found medically necessary. A determination is "
        "listed under each outcome any of its items has."
    )
    family = _family("Outcomes", "outcomes", totals, subs, "Outcome", intro)
    return family, [_with_parent(s, family) for s in subs]


def reviewers(ordered, totals) -> tuple[Hub, list[Hub]]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in ordered:
        for s in r.reviewer.specialties:
            spellings[slugify(s)][s] += 1
    subs = []
    for slug in sorted(spellings):
        name = sorted(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        subs.append(
            make_hub(
                hub_path("reviewers", slug),
                name,
                ordered,
                _by_specialty(slug),
            )
        )
    family = _family(
        "Reviewers",
        "reviewers",
        totals,
        subs,
        "Reviewer specialty",
        "Determinations by the specialty of the physician reviewer.",
    )
    return family, [_with_parent(s, family) for s in subs]
