"""The home page: a dashboard of the archive. Pure: no I/O.

Totals and overturn rate, items and overturn rate by year and by service
category (charts with their numbers as tables), the most-cited guideline
passages, the newest determinations, the ways in (hub families) and the
downloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.pages import charts
from generator.pages.hubs import Link, counting_note, counts_block
from generator.pages.indexes import DETERMINATIONS_INDEX
from generator.pages.listing import listing_rows
from generator.pages.markdown import (
    SYNTHETIC_LABEL,
    download_link,
    join_page,
    link,
    md_escape,
    pages_phrase,
    plain_title,
    table,
)
from generator.pages.stats import (
    Counts,
    by_key,
    by_year,
    count,
    format_rate,
    rate_text,
    shown_rate,
)
from generator.pages.urls import (
    CSV_PATH,
    DATA_PAGE,
    HOME_PAGE,
    JSONL_PATH,
    SCHEMA_PATH,
    guideline_hub_path,
    hub_path,
    normalize_key,
)
from generator.record import guideline_hubs, taxonomy
from generator.record.models import Determination, Item

HERE = HOME_PAGE
# the home page's sections are a dashboard: the header search keeps its first lines only
NOT_IN_SEARCH = " { data-search-exclude }"
LATEST = 10
TOP_PASSAGES = 10


@dataclass(frozen=True)
class Passage:
    """A guideline section and the pages cited in it, with the items citing them."""

    key: str  # normalized citation key (a hub path below guidelines/)
    pages: str
    title: str  # plain text
    counts: Counts


def top_passages(ordered: Sequence[Determination], n: int = TOP_PASSAGES) -> list[Passage]:
    """The `n` most-cited (section, pages) pairs, by items citing them (by either party).

    An item citing the same passage twice counts once; ties go by key then pages.
    """
    picked: dict[tuple[str, str], dict[str, tuple[Determination, list[Item]]]] = {}
    titles: dict[str, str] = {}
    for r in ordered:
        for item in r.items:
            seen = set()
            for _party, c in item.citations:
                if not c.pages:
                    continue
                key = normalize_key(c.key)
                titles.setdefault(key, c.title or c.topic or "")
                if (key, c.pages) in seen:
                    continue
                seen.add((key, c.pages))
                picked.setdefault((key, c.pages), {}).setdefault(r.id, (r, []))[1].append(item)
    tallies = [(k, p, count(v.values())) for (k, p), v in picked.items()]
    tallies.sort(key=lambda t: (-t[2].items, t[0], t[1]))
    return [
        Passage(k, p, plain_title(guideline_hubs.title(k, titles.get(k) or None)), c)
        for k, p, c in tallies[:n]
    ]


def _overturned_share(c: Counts) -> str:
    """'**36%** of the items were overturned'; a count below MIN_RATE_ITEMS items (the n is
    said just before)."""
    rate = shown_rate(c)
    if rate is None:
        return f"**{c.overturned}** of them were overturned"
    return f"**{format_rate(rate)}** of the items were overturned"


def _rate_row(c: Counts) -> list[str]:
    return [str(c.items), str(c.overturned), rate_text(c)]


def _categories(ordered: Sequence[Determination]) -> list[str]:
    counted = by_key(((r, r.items) for r in ordered), lambda i: i.category)
    rows = [
        (cid, taxonomy.label("category", cid), counted[cid])
        for cid in taxonomy.categories()
        if cid in counted
    ]
    rows.sort(key=lambda row: (-row[2].items, row[1]))  # the most disputed first
    chart = charts.bar_chart(
        [(label, c) for _cid, label, c in rows],
        "all determinations",
        "imr-chart-categories",
        "Service category",
    )
    cells = [
        [link(md_escape(label), HERE, hub_path("services", cid)), *_rate_row(c)]
        for cid, label, c in rows
    ]
    return [
        f"## Items by service category{NOT_IN_SEARCH}",
        "",
        chart,
        "",
        *table(["Service category", "Items", "Overturned", "Overturn rate"], cells),
        counting_note(HERE),
        "",
    ]


def _passages(ordered: Sequence[Determination]) -> list[str]:
    top = top_passages(ordered)
    if not top:
        return []
    cells = [
        [
            link(md_escape(p.title), HERE, guideline_hub_path(p.key)),
            pages_phrase(p.pages),
            *_rate_row(p.counts),
        ]
        for p in top
    ]
    return [
        f"## Most-cited guideline passages{NOT_IN_SEARCH}",
        "",
        "The guideline sections and pages cited for the most disputed items, by the claims "
        "administrator or the reviewer.",
        "",
        *table(
            ["Guideline section", "Pages", "Items citing", "Overturned", "Overturn rate"], cells
        ),
        counting_note(HERE),
        "",
    ]


def _downloads() -> list[str]:
    files = [
        download_link("all records (JSON Lines, gzip)", HERE, JSONL_PATH),
        download_link("all disputed items (CSV, gzip)", HERE, CSV_PATH),
        download_link("the record JSON Schema", HERE, SCHEMA_PATH),
    ]
    return [
        f"## Open data{NOT_IN_SEARCH}",
        "",
        f"Download {', '.join(files)}; every column is described on the "
        f"{link('data page', HERE, DATA_PAGE)}.",
        "",
    ]


def _ways_in(
    ways: Sequence[tuple[Link, int, Sequence[Link]]], crosstabs: Sequence[Link]
) -> list[str]:
    lines = [f"## Ways in{NOT_IN_SEARCH}", ""]
    for family, n_hubs, top in ways:
        lines += [f"### {link(md_escape(family.title), HERE, family.path)}{NOT_IN_SEARCH}", ""]
        hubs = ", ".join(
            f"{link(md_escape(t.title), HERE, t.path)} ({t.counts.determinations})" for t in top
        )
        most = f" Most determinations: {hubs}." if hubs else ""
        lines += [f"{n_hubs} {'hub' if n_hubs == 1 else 'hubs'}.{most}", ""]
    if crosstabs:
        tabs = ", ".join(link(md_escape(t.title), HERE, t.path) for t in crosstabs)
        lines += [
            f"### Cross-tabulations{NOT_IN_SEARCH}",
            "",
            f"Counts and overturn rates by {tabs}.",
            "",
        ]
    return lines


def home_page(
    ordered: Sequence[Determination],
    ways: Sequence[tuple[Link, int, Sequence[Link]]],
    crosstabs: Sequence[Link] = (),
    site_name: str = "IMR Archive",
) -> str:
    """index.md for `ordered` (newest first): the dashboard, then the ways in."""
    totals = count((r, r.items) for r in ordered)
    synthetic = sum(r.synthetic for r in ordered)
    lines = [
        # no title: Material then titles the home page with the site name
        f"# {md_escape(site_name)}",
        "",
        "California workers' compensation Independent Medical Review (IMR) final "
        "determinations, structured and searchable.",
        "",
        f"The archive holds **{totals.determinations}** determinations deciding "
        f"**{totals.items}** disputed items; {_overturned_share(totals)} (found medically "
        "necessary).",
        "",
        *counts_block(totals, HERE),
    ]
    if synthetic:
        lines += [
            f"{synthetic} of the {totals.determinations} determinations are synthetic "
            "records made for demonstration; they are labelled "
            f"{SYNTHETIC_LABEL} wherever they appear.",
            "",
        ]
    else:
        lines += ["None of the determinations are synthetic.", ""]
    series = by_year((r, r.items) for r in ordered)
    lines += [
        f"## By year{NOT_IN_SEARCH}",
        "",
        charts.year_chart(series, "all determinations"),
        "",
    ]
    lines += _categories(ordered)
    lines += _passages(ordered)
    if ordered:
        latest = listing_rows(ordered[:LATEST], HERE)
        lines += [f"## Latest determinations{NOT_IN_SEARCH}", "", *latest]
        every = link(f"All {len(ordered)} determinations, newest first", HERE, DETERMINATIONS_INDEX)
        lines += [f"{every} · [Atom feed of the newest](feed.xml)", ""]
    lines += _downloads()
    lines += _ways_in(ways, crosstabs)
    return join_page(lines)
