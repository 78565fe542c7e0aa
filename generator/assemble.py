"""All records -> {docs path: Markdown} and the MkDocs nav. Pure: no I/O.

The site is a set of hubs (regions, services, guidelines, years, outcomes,
reviewer specialties), each counting and listing the determinations it is
about, plus one page per determination, the home page and hand-written pages.
The same records always give byte-identical pages; writing one path twice is
an error.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from . import citations, taxonomy
from .models import Determination, Item
from .pages import (
    Entry,
    Hub,
    Link,
    determination_page,
    guideline_spellings,
    guideline_title,
    home_page,
    hub_pages,
    plain_title,
)
from .slugs import (
    determination_path,
    hub_path,
    key_within,
    normalize_key,
    slugify,
)
from .stats import Counts, count, record_year

FAMILIES = [
    ("Regions", "regions"),
    ("Services", "services"),
    ("Guidelines", "guidelines"),
    ("Years", "years"),
    ("Outcomes", "outcomes"),
    ("Reviewers", "reviewers"),
]


class DuplicatePathError(ValueError):
    """Two pages were built for one docs path."""


@dataclass
class Site:
    """The generated docs: pages by docs path, the MkDocs nav, and nav exclusions."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    # gitignore-style patterns (MkDocs `not_in_nav`) for pages deliberately left out of nav
    not_in_nav: list[str] = field(default_factory=list)

    def add(self, path: str, markdown: str) -> None:
        if path in self.pages:
            raise DuplicatePathError(f"two pages for {path!r}")
        self.pages[path] = markdown


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


def _hub(path: str, title: str, ordered: Sequence[Determination], pick: Pick, **kw) -> Hub:
    entries = _entries(ordered, pick)
    return Hub(path=path, title=plain_title(title), counts=_counts(entries), entries=entries, **kw)


def _link(hub: Hub) -> Link:
    return Link(hub.title, hub.path, hub.counts)


def _family(
    title: str, segment: str, totals: Counts, subs: Sequence[Hub], label: str, intro: str = ""
) -> Hub:
    return Hub(
        path=hub_path(segment),
        title=title,
        counts=totals,
        listed=False,
        subhubs=tuple(_link(s) for s in subs),
        subhub_label=label,
        intro=intro,
    )


def _with_parent(hub: Hub, parent: Hub) -> Hub:
    return Hub(**{**hub.__dict__, "parent": Link(parent.title, parent.path, parent.counts)})


# --- hub families --------------------------------------------------------------


def _in_region(region: str) -> Pick:
    """Items about the region (an item with no regions takes its determination's)."""

    def pick(r: Determination) -> list[Item] | None:
        items = [i for i in r.items if region in (i.body_regions or r.body_regions)]
        return items if items or region in r.body_regions else None

    return pick


def _in_year(year: int) -> Pick:
    return lambda r: r.items if record_year(r) == year else None


def _by_specialty(slug: str) -> Pick:
    return lambda r: r.items if any(slugify(s) == slug for s in r.reviewer.specialties) else None


def _regions(ordered, totals) -> tuple[Hub, list[Hub]]:
    subs = [
        _hub(
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


def _services(ordered, totals) -> tuple[Hub, list[Hub]]:
    cats, subs = [], []
    for cid, spec in taxonomy.categories().items():
        children = [
            _hub(
                hub_path("services", cid, sid),
                taxonomy.label("subcategory", sid),
                ordered,
                _where("subcategory", sid),
            )
            for sid in spec.get("subcategories") or {}
        ]
        cat = _hub(
            hub_path("services", cid),
            taxonomy.label("category", cid),
            ordered,
            _where("category", cid),
            subhubs=tuple(_link(c) for c in children),
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


def _cites(prefix: str, guideline: str | None = None) -> Pick:
    def pred(i: Item) -> bool:
        return any(
            key_within(normalize_key(c.key), prefix) or c.guideline == guideline
            for _p, c in i.citations
        )

    return _matching(pred)


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


def _guidelines(ordered, totals) -> tuple[Hub, list[Hub]]:
    keys, fallback = _guideline_keys(ordered)
    built: dict[str, Hub] = {}
    # deepest first, so each hub knows its sub-hubs
    for key in sorted(keys, key=lambda k: -k.count("/")):
        children = [built[k] for k in keys if "/" in k and k.rsplit("/", 1)[0] == key]
        top = "/" not in key
        built[key] = _hub(
            hub_path("guidelines", *key.split("/")),
            guideline_title(key, fallback.get(key) or None),
            ordered,
            _cites(key, key if top else None),
            subhubs=tuple(_link(c) for c in children),
            subhub_label="Section",
            citation_key=None if top else key,
            spellings=tuple(guideline_spellings(key)),
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


def _years(ordered, totals) -> tuple[Hub, list[Hub]]:
    years = sorted({y for r in ordered if (y := record_year(r)) is not None}, reverse=True)
    subs = [
        _hub(
            hub_path("years", str(y)),
            str(y),
            ordered,
            _in_year(y),
        )
        for y in years
    ]
    undated = sum(1 for r in ordered if record_year(r) is None)
    intro = "Determinations by decision year (or, failing that, the latest date in the letter)."
    if undated:
        intro += f" {undated} determinations have no date and are not listed here."
    family = _family("Years", "years", totals, subs, "Year", intro)
    return family, [_with_parent(s, family) for s in subs]


def _outcomes(ordered, totals) -> tuple[Hub, list[Hub]]:
    subs = [
        _hub(hub_path("outcomes", d), label, ordered, _where("decision", d))
        for d, label in (("upheld", "Upheld"), ("overturned", "Overturned"))
    ]
    intro = (
        "*Upheld*: the utilization review denial stands (not medically necessary). "
        "*Overturned*: the service was found medically necessary. A determination is "
        "listed under each outcome any of its items has."
    )
    family = _family("Outcomes", "outcomes", totals, subs, "Outcome", intro)
    return family, [_with_parent(s, family) for s in subs]


def _reviewers(ordered, totals) -> tuple[Hub, list[Hub]]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in ordered:
        for s in r.reviewer.specialties:
            spellings[slugify(s)][s] += 1
    subs = []
    for slug in sorted(spellings):
        name = sorted(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        subs.append(
            _hub(
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


# --- the whole site ------------------------------------------------------------


def _top(hubs: Sequence[Link], n: int = 5) -> list[Link]:
    ranked = sorted(hubs, key=lambda h: (-h.counts.determinations, h.title))
    return [h for h in ranked if h.counts.determinations][:n]


def assemble(
    records: list[Determination],
    *,
    page_size: int = 50,
    extra_pages: dict[str, str] | None = None,
) -> Site:
    """Every page of the site for `records`; `extra_pages` (docs path -> Markdown) are added
    as they are and linked from the nav after the hubs."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    ordered = sorted(records, key=lambda r: (-r.sort_date.toordinal(), r.id))
    totals = count((r, r.items) for r in ordered)
    site = Site()
    for r in ordered:
        site.add(determination_path(r.id), determination_page(r))
    ways = []
    for build in (_regions, _services, _guidelines, _years, _outcomes, _reviewers):
        family, subs = build(ordered, totals)
        for hub in (family, *subs):
            for path, markdown in hub_pages(hub, page_size):
                site.add(path, markdown)
        ways.append((_link(family), len(family.subhubs), _top(family.subhubs)))
    site.add("index.md", home_page(totals, sum(r.synthetic for r in ordered), ways))
    extra = dict(extra_pages or {})
    for path in extra:
        site.add(path, extra[path])
    site.nav = [{"Home": "index.md"}]
    site.nav += [{title: hub_path(segment)} for title, segment in FAMILIES]
    site.nav += list(extra)
    site.not_in_nav = ["/determinations/"] + [f"/{segment}/*/" for _t, segment in FAMILIES]
    return site
