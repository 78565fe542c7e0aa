"""The determination search: facet values of a record and the search page.

Two searches share the site. The header search (Material's lunr index) covers hubs, the
guideline catalogue and, while the archive is small, determinations; above
`header_search_max_determinations` determination pages leave it (front matter
`search: {exclude: true}`) so its index stays small whatever the archive's size. The
"Search determinations" page (`search/index.md`, at /search/) searches every
determination through the static index generator/search/determinations.py writes from the records
(at /search-index/), read by theme/assets/javascripts/imr-search-engine.js.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from generator.pages.markdown import DECISION_LABELS, front_matter, join_page, rel
from generator.pages.urls import SEARCH_INDEX_DIR, SEARCH_PAGE, slugify, specialty_names
from generator.record import taxonomy
from generator.record.dating import counted_year
from generator.record.models import Determination

# Determinations kept in the header search up to this many. A determination
# adds about 2.3 KB to Material's search_index.json (its title, clinical
# summary, services and cited hubs); the hubs take about 0.25 MB. 320 keeps the
# index under 1 MB; above it the determination search is the way in.
DEFAULT_HEADER_SEARCH_MAX = 320


def in_header_search(determinations: int, header_search_max: int) -> bool:
    """Whether an archive of `determinations` keeps their pages in the header search:
    up to `header_search_max` of them; a negative header_search_max: always."""
    return header_search_max < 0 or determinations <= header_search_max

UNDATED = "undated"

# (filter name, label shown on the search page); the filter name is the URL parameter
FACETS: list[tuple[str, str]] = [
    ("region", "Body region"),
    ("service", "Service category"),
    ("guideline", "Guideline"),
    ("outcome", "Outcome"),
    ("year", "Year"),
    ("specialty", "Reviewer specialty"),
]
FACET_NAMES = [name for name, _label in FACETS]

# --- facets ----------------------------------------------------------------------------


def facet_values(record: Determination) -> dict[str, list[str]]:
    """The filter values of a record, by facet (sorted, no repeats). Ids, not labels."""
    categories = {i.category for i in record.items}
    guidelines = {c.guideline for i in record.items for _p, c in i.citations if c.guideline}
    year = counted_year(record)
    return {
        "region": sorted(set(record.body_regions)),
        "service": sorted(categories),
        "guideline": sorted(guidelines),
        "outcome": sorted({i.decision for i in record.items}),
        "year": [str(year) if year is not None else UNDATED],
        "specialty": sorted({slugify(s) for s in record.reviewer.specialties}),
    }


def _guideline_label(gid: str) -> str:
    try:
        return taxonomy.label("guideline", gid)
    except KeyError:
        return gid


def facet_labels(records: Iterable[Determination]) -> dict[str, dict[str, str]]:
    """Filter value -> label for every value the records use, by facet."""
    values: dict[str, set[str]] = defaultdict(set)
    specialties: list[str] = []
    for r in records:
        for facet, vals in facet_values(r).items():
            values[facet].update(vals)
        specialties += r.reviewer.specialties
    names = specialty_names(specialties)
    label: dict[str, Callable[[str], str]] = {
        "region": lambda v: taxonomy.label("region", v),
        "service": lambda v: taxonomy.label("category", v),
        "guideline": _guideline_label,
        "outcome": lambda v: DECISION_LABELS.get(v, v),
        "year": lambda v: "Undated" if v == UNDATED else v,
        "specialty": lambda v: names[v],
    }
    return {f: {v: label[f](v) for v in sorted(values[f])} for f in FACET_NAMES}


# --- the search page ---------------------------------------------------------------------


# the form, the filters and the result list, filled in by the script
_SEARCH_FORM = (
    '<div class="imr-dsearch" id="imr-dsearch">',
    '<form class="imr-dsearch__form" role="search" action="." method="get">',
    '<label class="imr-dsearch__label" for="imr-dsearch-q">Words in the determination</label>',
    '<input class="imr-dsearch__input md-input" id="imr-dsearch-q" name="q" type="search" '
    'autocomplete="off" spellcheck="false" placeholder="e.g. lumbar MRI radiculopathy">',
    '<label class="imr-dsearch__order">Order '
    '<select id="imr-dsearch-sort" name="sort">'
    '<option value="">best match</option>'
    '<option value="newest">newest first</option>'
    '<option value="oldest">oldest first</option>'
    "</select></label>",
    '<button class="md-button imr-dsearch__clear" type="reset">Clear all</button>',
    "</form>",
    # keyboard users skip the filters (dozens of checkboxes) to the results
    '<a class="imr-skip" href="#imr-dsearch-main">Skip to results</a>',
    '<div class="imr-dsearch__layout">',
    # open on wide screens; on narrow ones the script folds it below the search box
    '<details class="imr-dsearch__filters" id="imr-dsearch-filters" open>',
    '<summary class="imr-dsearch__filters-summary">Filters</summary>',
    '<div class="imr-dsearch__facets" id="imr-dsearch-facets"></div>',
    "</details>",
    '<div class="imr-dsearch__main" id="imr-dsearch-main" tabindex="-1">',
    '<p class="imr-dsearch__status" id="imr-dsearch-status" role="status" aria-live="polite">'
    "Loading the search index…</p>",
    '<ol class="imr-dsearch__results" id="imr-dsearch-results"></ol>',
    '<button class="md-button imr-dsearch__more" id="imr-dsearch-more" type="button" '
    "hidden>Show more results</button>",
    "</div>",
    "</div>",
)


def search_page(records: Sequence[Determination], *, header_search_covers: bool = True) -> str:
    """Markdown of the "Search determinations" page: the form, facets and result list,
    filled in by theme/assets/javascripts/imr-determination-search.js."""
    here = SEARCH_PAGE
    labels = facet_labels(records)
    config = {
        "index": rel(here, SEARCH_INDEX_DIR + "/index").removesuffix("index"),
        "facets": [{"name": n, "label": lab, "values": labels[n]} for n, lab in FACETS],
        "root": rel(here, "x").removesuffix("x"),
    }
    n = len(records)
    where = (
        "The search box in the header also finds hubs, guidelines and the real (not "
        "synthetic) determinations."
        if header_search_covers
        else "The search box in the header covers hubs and guidelines; this page covers "
        "every determination."
    )
    if not records:
        return join_page(
            [
                front_matter({"title": "Search determinations", "search": {"exclude": True}}),
                "# Search determinations",
                "",
                "*No determinations yet.*",
            ]
        )
    engine = rel(here, "assets/javascripts/imr-search-engine.js")
    script = rel(here, "assets/javascripts/imr-determination-search.js")
    data = json.dumps(config, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    lines = [
        front_matter(
            {
                "title": "Search determinations",
                "search": {"exclude": True},
                "hide": ["navigation", "toc"],  # the results take the page's width
            }
        ),
        "# Search determinations",
        "",
        f"Search the text of all {n:,} determinations and narrow them by body region, service "
        f"category, guideline, outcome, year and reviewer specialty. Choices in one group "
        f"widen the search (any of them); groups narrow it (a determination must match "
        f"each); the numbers are how many "
        f"determinations each choice would give. The address of this page keeps your search, "
        f"so you can bookmark or share it. {where}",
        "",
        *_SEARCH_FORM,
        f'<script type="application/json" id="imr-dsearch-config">{data}</script>',
        "<noscript><p>The determination search needs JavaScript. Every determination is also "
        "listed on the hubs (regions, services, guidelines, years, outcomes, reviewers).</p>"
        "</noscript>",
        "</div>",
        "",
        f'<script src="{engine}"></script>',
        f'<script src="{script}"></script>',
        "",
    ]
    return join_page(lines)
