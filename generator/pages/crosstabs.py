"""Cross-tabulation pages: counts and overturn rates for a pair of hub dimensions. Pure.

A cross-tab has one row per hub of one family (e.g. regions), one column per
hub of another (service categories); each cell shows the items in both, with
their overturn rate, and links to the listing of those determinations (an
intersection hub built by :mod:`generator.pages.assemble`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from generator.pages.families import (
    CROSSTAB_CELL_BOOST,
    hub_of,
    link_of,
)
from generator.pages.htmltable import table as html_table
from generator.pages.hubs import Hub, Link, Listed, counting_note
from generator.pages.markdown import (
    front_matter,
    join_page,
    link,
    md_escape,
    plain_title,
    rel,
)
from generator.pages.stats import Counts, format_rate, shown_rate
from generator.pages.urls import guideline_hub_key, hub_path
from generator.record import taxonomy
from generator.record.models import Determination, Item

INDEX = hub_path("crosstabs")


@dataclass(frozen=True)
class Crosstab:
    """What a cross-tab page shows; every Link points at an existing hub page."""

    path: str  # docs path (`crosstabs/<slug>/index.md`)
    title: str  # plain text
    intro: str  # trusted Markdown
    row_label: str  # "Body region"
    col_label: str  # "Service category"
    rows: tuple[Link, ...]
    cols: tuple[Link, ...]
    cells: Mapping[tuple[int, int], Link]  # (row index, col index) -> intersection hub
    totals: Counts  # the whole archive


def cell_text(c: Counts) -> str:
    """'12 (25%)': items and overturn rate; '7 (3 overturned)' below MIN_RATE_ITEMS items."""
    rate = shown_rate(c)
    if rate is None:
        return f"{c.items} ({c.overturned} overturned)" if c.items else "0 (–)"
    return f"{c.items} ({format_rate(rate)})"


def _column_head(title: str, here: str, path: str) -> str:
    """A column's link, named without its parenthesis ("DMEPOS (durable medical
    equipment, ...)" -> "DMEPOS", the whole name as the link's title), so the header row
    stays one or two lines high on a phone."""
    short = title.split(" (", 1)[0]
    if short == title:
        return link(md_escape(title), here, path)
    full = md_escape(title.replace('"', "'"))
    return f'[{md_escape(short)}]({rel(here, path)} "{full}")'


def crosstab_page(tab: Crosstab) -> str:
    here = tab.path
    header = [
        tab.row_label,
        *(_column_head(c.title, here, c.path) for c in tab.cols),
        "Total",
    ]
    rows = []
    for r, row in enumerate(tab.rows):
        cells = [f"**{link(md_escape(row.title), here, row.path)}**"]
        for c in range(len(tab.cols)):
            hub = tab.cells.get((r, c))
            cells.append(link(cell_text(hub.counts), here, hub.path) if hub else "–")
        cells.append(cell_text(row.counts))
        rows.append(cells)
    rows.append(
        [
            "**Total**",
            *(cell_text(c.counts) for c in tab.cols),
            cell_text(tab.totals),
        ]
    )
    lines = [
        front_matter({"title": tab.title, "hide": ["navigation", "toc"]}),
        f"# {md_escape(tab.title)}",
        "",
        f"Part of {link('Cross-tabulations', here, INDEX)}.",
        "",
        tab.intro,
        "",
        "Each cell: **disputed items (overturn rate)**, linking to the determinations counted. "
        "*Total* repeats the counts of the row's (or column's) own hub; rows can overlap and "
        "some items belong to no row, so a total need not be the sum of its cells.",
        "",
        *html_table(header, rows, here),
        counting_note(here),
        "",
    ]
    return join_page(lines)


def crosstabs_index(tabs: Sequence[Crosstab]) -> str:
    lines = [
        front_matter({"title": "Cross-tabulations"}),
        "# Cross-tabulations",
        "",
        "Disputed items and overturn rates for pairs of dimensions. Each cell links to the "
        "determinations it counts.",
        "",
    ]
    lines += [f"- {link(md_escape(t.title), INDEX, t.path)}" for t in tabs] + [""]
    return join_page(lines)


# --- building the cross-tabs -------------------------------------------------------


# name, [(slug, label, hub, link)]: each row or column is an existing hub, whose entries
# are the determinations and items it is about
Dimension = tuple[str, list[tuple[str, str, Hub, Link]]]
ColumnOf = Callable[[Determination, Item], Hashable]  # the column slug of an item


def _region_dimension(hubs: dict[str, Hub]) -> Dimension:
    """Region hubs (items about the region: families.item_regions)."""
    return "Body region", [
        (rid, hubs[p].title, hubs[p], link_of(hubs[p]))
        for rid in taxonomy.regions()
        if (p := hub_path("regions", rid)) in hubs
    ]


def _category_of(r: Determination, i: Item) -> str:
    """The column of an item in the category dimension (its service category)."""
    return i.category


def _category_dimension(hubs: dict[str, Hub]) -> Dimension:
    out = []
    for cid in taxonomy.categories():
        path = hub_path("services", cid)
        out.append((cid, hubs[path].title, hubs[path], link_of(hubs[path])))
    return "Service category", out


def _guideline_dimension(hubs: dict[str, Hub]) -> Dimension:
    """Top-level guideline hubs (items citing the guideline), in the Guidelines family
    order."""
    out = []
    for path, hub in hubs.items():
        key = guideline_hub_key(path)
        if key is not None and "/" not in key:
            out.append((key, hub.title, hub, link_of(hub)))
    return "Guideline", out


def _cells(row: Hub, column_of: ColumnOf) -> dict[Hashable, list[Listed]]:
    """Column slug -> the row hub's entries cut down to their items in that column
    (entries without such items left out), newest first, items in record order."""
    out: dict[Hashable, list[Listed]] = defaultdict(list)
    for e in row.entries:
        chosen: dict[Hashable, list[Item]] = {}
        for i in e.items:
            chosen.setdefault(column_of(e.record, i), []).append(i)
        for col, items in chosen.items():
            out[col].append(Listed(e.record, tuple(items)))
    return out


def _crosstab(
    slug: str,
    title: str,
    intro: str,
    rows: Dimension,
    cols: Dimension,
    column_of: ColumnOf,
    totals: Counts,
) -> tuple[Crosstab, list[Hub]]:
    """The cross-tab page and a hub per non-empty cell (rows, columns without items dropped).

    A cell lists the items of its row hub that are in its column (column_of), so each
    row's entries are read once, not every record once per cell.
    """
    path = hub_path("crosstabs", slug)
    row_dims = [d for d in rows[1] if d[3].counts.items]
    col_dims = [d for d in cols[1] if d[3].counts.items]
    parent = Link(plain_title(title), path, totals)
    cells: dict[tuple[int, int], Link] = {}
    hubs = []
    for r, (rslug, rlabel, rhub_full, rhub) in enumerate(row_dims):
        by_column = _cells(rhub_full, column_of)
        for c, (cslug, clabel, _chub_full, chub) in enumerate(col_dims):
            entries = by_column.get(cslug)
            if not entries:
                continue
            cell_path = hub_path("crosstabs", slug, rslug, cslug)
            cell_intro = (
                f"Disputed items in both {link(md_escape(rhub.title), cell_path, rhub.path)} "
                f"({rows[0].lower()}) and {link(md_escape(chub.title), cell_path, chub.path)} "
                f"({cols[0].lower()})."
            )
            hub = hub_of(
                cell_path,
                f"{rlabel}: {clabel}",
                entries,
                intro=cell_intro,
                parent=parent,
                search_boost=CROSSTAB_CELL_BOOST,
            )
            cells[(r, c)] = link_of(hub)
            hubs.append(hub)
    tab = Crosstab(
        path=path,
        title=plain_title(title),
        intro=intro,
        row_label=rows[0],
        col_label=cols[0],
        rows=tuple(d[3] for d in row_dims),
        cols=tuple(d[3] for d in col_dims),
        cells=cells,
        totals=totals,
    )
    return tab, hubs


def build_crosstabs(hubs: dict[str, Hub], totals: Counts) -> list[tuple[Crosstab, list[Hub]]]:
    categories = _category_dimension(hubs)
    return [
        _crosstab(
            "region-by-service",
            "Body region by service category",
            "Items by the body region they concern and the category of the service.",
            _region_dimension(hubs),
            categories,
            _category_of,
            totals,
        ),
        _crosstab(
            "guideline-by-service",
            "Guideline by service category",
            "Items by the guideline cited for them (by the claims administrator or the "
            "reviewer) and the category of the service.",
            _guideline_dimension(hubs),
            categories,
            _category_of,
            totals,
        ),
    ]
