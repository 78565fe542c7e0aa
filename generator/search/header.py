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
from generator.pages.opendata import csv_text
from generator.pages.stats import MIN_RATE_ITEMS
from generator.pages.urls import SEARCH_INDEX_DIR, SEARCH_PAGE, slugify, specialty_names
from generator.record import guideline_hubs, taxonomy
from generator.record.dating import counted_year
from generator.record.models import Determination, Item

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

# (filter name, label shown on the search page, level); the filter name is the URL
# parameter. An item-level filter looks at the disputed item itself, a determination-level
# one at the facts its determination's items share.
FACET_LEVELS: list[tuple[str, str, str]] = [
    ("outcome", "Outcome", "item"),
    ("service", "Service category", "item"),
    ("subcategory", "Service subcategory", "item"),
    ("guideline", "Guideline cited", "item"),
    ("section", "Guideline section cited", "item"),
    ("region", "Body region", "determination"),
    ("year", "Year", "determination"),
    ("specialty", "Reviewer specialty", "determination"),
]
FACETS: list[tuple[str, str]] = [(name, label) for name, label, _level in FACET_LEVELS]
FACET_NAMES = [name for name, _label in FACETS]
ITEM_FACETS = [name for name, _label, level in FACET_LEVELS if level == "item"]
DETERMINATION_FACETS = [name for name, _label, level in FACET_LEVELS if level != "item"]

# --- facets ----------------------------------------------------------------------------


def item_facet_values(item: Item) -> dict[str, list[str]]:
    """The item-level filter values of a disputed item (sorted, no repeats). Ids."""
    return {
        "outcome": [item.decision],
        "service": [item.category],
        "subcategory": [item.subcategory] if item.subcategory else [],
        "guideline": sorted({c.guideline for _p, c in item.citations if c.guideline}),
        "section": sorted({c.key for _p, c in item.citations if "/" in c.key}),
    }


def determination_facet_values(record: Determination) -> dict[str, list[str]]:
    """The determination-level filter values of a record (sorted, no repeats). Ids."""
    year = counted_year(record)
    return {
        "region": sorted(set(record.body_regions)),
        "year": [str(year) if year is not None else UNDATED],
        "specialty": sorted({slugify(s) for s in record.reviewer.specialties}),
    }


def facet_values(record: Determination) -> dict[str, list[str]]:
    """Every filter value of a record, its items' together, by facet (sorted, no repeats)."""
    out: dict[str, set[str]] = {name: set() for name in ITEM_FACETS}
    for item in record.items:
        for name, values in item_facet_values(item).items():
            out[name].update(values)
    shared = determination_facet_values(record)
    return {name: shared[name] if name in shared else sorted(out[name]) for name in FACET_NAMES}


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
        "subcategory": lambda v: taxonomy.label_or_id("subcategory", v),
        "guideline": lambda v: taxonomy.label_or_id("guideline", v),
        "section": guideline_hubs.title,
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
    '<label class="imr-dsearch__label" for="imr-dsearch-q">Disputed services, or a guideline '
    "citation</label>",
    '<input class="imr-dsearch__input md-input" id="imr-dsearch-q" name="q" type="search" '
    'autocomplete="off" spellcheck="false" placeholder="e.g. lumbar MRI, or ACOEM ch. 12 p. 303">',
    '<label class="imr-dsearch__wide"><input type="checkbox" id="imr-dsearch-wide" name="wide" '
    'value="1"> Also search rationales and clinical summaries</label>',
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
    '<fieldset class="imr-dsearch__facet imr-dsearch__ranges">',
    '<legend class="imr-dsearch__legend">Citation and dates</legend>',
    '<label>Cited by <select id="imr-dsearch-by"><option value="">anyone</option>'
    '<option value="reviewer">the reviewer</option>'
    '<option value="claims-administrator">the claims administrator</option></select></label>',
    '<label>Cited page(s) <input id="imr-dsearch-page" type="text" inputmode="numeric" '
    'size="7" placeholder="303 or 76-80"></label>',
    '<label>Decided from <input id="imr-dsearch-decided-from" type="date"></label>',
    '<label>Decided to <input id="imr-dsearch-decided-to" type="date"></label>',
    '<label>Injured from <input id="imr-dsearch-injured-from" type="date"></label>',
    '<label>Injured to <input id="imr-dsearch-injured-to" type="date"></label>',
    "</fieldset>",
    '<div class="imr-dsearch__facets" id="imr-dsearch-facets"></div>',
    "</details>",
    '<div class="imr-dsearch__main" id="imr-dsearch-main" tabindex="-1">',
    '<p class="imr-dsearch__status" id="imr-dsearch-status" role="status" aria-live="polite">'
    "Loading the search index…</p>",
    '<p class="imr-dsearch__outcome" id="imr-dsearch-outcome"></p>',
    '<button class="md-button imr-dsearch__csv" id="imr-dsearch-csv" type="button" hidden>'
    "Download these items (CSV)</button>",
    '<ol class="imr-dsearch__results" id="imr-dsearch-results"></ol>',
    '<button class="md-button imr-dsearch__more" id="imr-dsearch-more" type="button" '
    "hidden>Show more results</button>",
    "</div>",
    "</div>",
)


def _citation_titles() -> dict[str, str]:
    """Hub key -> title, for saying which citation a query was read as."""
    return {key: guideline_hubs.title(key) for key in guideline_hubs.all_keys()}


def _intro(n: int) -> str:
    """What the page searches and what it counts (the first thing the page says)."""
    return (
        f"Search the disputed items of all {n:,} determinations: words, or a guideline "
        f"citation such as *ACOEM ch. 12 p. 303*. **Counted: disputed items** (a determination "
        f"may decide several); a rate only from {MIN_RATE_ITEMS} items."
    )


def _help(where: str) -> list[str]:
    """How the search works, folded below the results."""
    return [
        '<details class="imr-dsearch__help"><summary>How this search works</summary>',
        "<p>One result is one disputed item: a service a determination decides. Results list "
        "the items found under their determination; the outcome counts and the overturn rate "
        "are item counts, and a rate is shown only from "
        f"{MIN_RATE_ITEMS} items (fewer are said as counts). Words match the item itself: its "
        "service, category and subcategory, body regions and the guidelines it cites (a "
        "drug's brand or generic name finds the other names too: Norco, hydrocodone); tick "
        "<em>Also search rationales and clinical summaries</em> to widen them. A guideline "
        "citation in the box (ACOEM ch. 12 p. 303, CPMTG opioids 76-80, MTUS chronic pain page "
        "79, ODG knee) finds the items whose reviewer or claims administrator cited it. "
        "Filters look at the item (outcome, service, guideline cited, who cited it, page) or "
        "at its determination (region, year, specialty, dates). Choices in one group widen "
        "the search (any of them); groups narrow it; the numbers are how many items each "
        "choice would give. The address of this page keeps your search, so you can bookmark "
        f"or share it; the CSV has the columns of the open-data CSV. {where}</p>",
        "</details>",
    ]


def search_page(records: Sequence[Determination], *, header_search_covers: bool = True) -> str:
    """Markdown of the "Search determinations" page: the form, facets and result list,
    filled in by theme/assets/javascripts/imr-determination-search.js."""
    here = SEARCH_PAGE
    labels = facet_labels(records)
    config = {
        "index": rel(here, SEARCH_INDEX_DIR + "/index").removesuffix("index"),
        "facets": [{"name": n, "label": lab, "values": labels[n]} for n, lab in FACETS],
        "root": rel(here, "x").removesuffix("x"),
        "sections": _citation_titles(),
        "csvHeader": csv_text([]),
        "minRate": MIN_RATE_ITEMS,
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
    citations = rel(here, "assets/javascripts/imr-search-citations.js")
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
        _intro(n),
        "",
        *_SEARCH_FORM,
        f'<script type="application/json" id="imr-dsearch-config">{data}</script>',
        "<noscript><p>The determination search needs JavaScript. Every determination is also "
        "listed on the hubs (regions, services, guidelines, years, outcomes, reviewers).</p>"
        "</noscript>",
        *_help(where),
        "</div>",
        "",
        f'<script src="{citations}"></script>',
        f'<script src="{engine}"></script>',
        f'<script src="{script}"></script>',
        "",
    ]
    return join_page(lines)
