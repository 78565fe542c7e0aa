"""Hub pages: counts, a chart by year, downloads, sub-hubs and a paginated listing. Pure.

A hub counts and lists the determinations it is about (see
:mod:`generator.pages.stats` for the counting rules); its first page shows the
counts, the chart of items and overturn rate by year, a link to the CSV of
its rows and to the data page, then its sub-hubs and the listing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.pages import charts, paging
from generator.pages.htmltable import cell_html, html_only
from generator.pages.htmltable import table as html_table
from generator.pages.listing import citation_rows, listing_rows
from generator.pages.markdown import (
    download_link,
    front_matter,
    join_page,
    link,
    md_escape,
    pages_phrase,
    plain_title,
)
from generator.pages.stats import Counts, YearSeries, format_rate, rate_text, shown_rate
from generator.pages.urls import (
    DATA_PAGE,
    key_within,
    normalize_key,
    search_link,
    search_params,
)
from generator.record.models import Determination, Item


@dataclass(frozen=True)
class Listed:
    """A determination listed on a hub, with the items of it the hub is about."""

    record: Determination
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Link:
    """A hub as seen from another page: title, docs path, counts."""

    title: str
    path: str
    counts: Counts


@dataclass(frozen=True)
class Hub:
    """A page that counts and lists determinations (paginated)."""

    path: str  # docs path of page 1 (`.../index.md`)
    title: str  # plain text (see plain_title)
    counts: Counts
    entries: tuple[Listed, ...] = ()  # newest first
    intro: str = ""  # trusted Markdown
    parent: Link | None = None
    subhubs: tuple[Link, ...] = ()
    subhub_label: str = ""
    listed: bool = True  # False: a catalogue of sub-hubs with no listing
    citation_key: str | None = None  # guideline section hubs: rows are citations of it
    search_boost: float | None = None  # header search weight (guideline hubs rank first)
    spellings: tuple[str, ...] = ()
    series: YearSeries | None = None  # counts by year, for the chart
    csv: str | None = None  # docs path of the CSV of the hub's items
    subhub_table: bool = True  # False: the intro's tables count the sub-hubs (outcomes)


def counting_note(here: str) -> str:
    """The one sentence beside every table of counts: what is counted, and where the rules are."""
    rules = link("counting rules", here, DATA_PAGE)
    return (
        "Counted in disputed items, one service each (the unit IMR decides); a determination "
        f"counts once on each page it is listed on. See the {rules}."
    )


def counts_table(counts: Counts, here: str) -> list[str] | None:
    return html_only(
        ["Determinations", "Disputed items", "Upheld", "Overturned", "Overturn rate"],
        [
            [
                str(counts.determinations),
                str(counts.items),
                str(counts.upheld),
                str(counts.overturned),
                rate_text(counts),
            ]
        ],
        here,
        "--:",
    )


def _subhub_table(hub: Hub) -> list[str]:
    """The sub-hubs with determinations; those without (catalogue sections no letter cited
    yet) are named below it, folded, as their pages say they have none yet."""
    rows = [
        [
            link(md_escape(s.title), hub.path, s.path),
            str(s.counts.determinations),
            str(s.counts.items),
            str(s.counts.overturned),
            rate_text(s.counts),
        ]
        for s in hub.subhubs
        if s.counts.determinations
    ]
    header = [hub.subhub_label or "Hub", "Determinations", "Items", "Overturned", "Overturn rate"]
    lines = html_table(header, rows, hub.path) if rows else ["*None has determinations yet.*", ""]
    empty = [s for s in hub.subhubs if not s.counts.determinations]
    if empty:
        what = f"{len(empty)} more with no determinations yet"
        lines += [f'??? note "{what}"', ""]
        lines += ["    " + " · ".join(link(md_escape(s.title), hub.path, s.path) for s in empty)]
        lines += [""]
    return lines


def _most_cited_pages(hub: Hub, top: int = 10) -> list[str]:
    tally: Counter[str] = Counter()
    for e in hub.entries:
        for item in e.items:
            for _party, c in item.citations:
                if c.pages and key_within(normalize_key(c.key), hub.citation_key or ""):
                    tally[c.pages] += 1
    if not tally:
        return []
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    params = search_params(hub.path)
    rows = [[_page_search(pages_phrase(p), p, params, hub.path), str(n)] for p, n in ranked]
    return ["## Most cited pages", "", *html_table(["Pages", "Citations"], rows, hub.path)]


def _page_search(text: str, pages: str, params: list[tuple[str, str]], here: str) -> str:
    """The pages (Markdown already), linking to the search for the items citing them (the
    first range of a list of ranges)."""
    first = pages.split(",")[0].strip()
    if not params or not first.replace("-", "").isdigit():
        return text
    url = search_link(here, [*params, ("page", first)])
    return f"[{text}]({url})"


def downloads_line(hub: Hub, here: str) -> list[str]:
    parts = []
    if hub.csv:
        n = hub.counts.items
        text = f"This hub's {n} disputed item{'' if n == 1 else 's'} as CSV"
        parts.append(download_link(text, here, hub.csv))
    parts.append(
        link("the whole archive (JSON Lines, CSV) and the data dictionary", here, DATA_PAGE)
    )
    return ["**Download:** " + " · ".join(parts), "{: data-search-exclude }", ""]


def summary_line(hub: Hub, here: str) -> str:
    """'Part of X. 12 determinations, 20 disputed items, 15% overturned.': the hub at a
    glance, and the header search's one line about it."""
    c = hub.counts
    part = ""
    if hub.parent:
        part = f"Part of {link(md_escape(hub.parent.title), here, hub.parent.path)}. "
    if not c.determinations:
        return part + "No determinations yet."
    det = f"{c.determinations} determination{'' if c.determinations == 1 else 's'}"
    items = f"{c.items} disputed item{'' if c.items == 1 else 's'}"
    if shown_rate(c) is None:  # under ten items: a count, not a percentage
        return f"{part}{det}, {items}: {rate_text(c)}."
    return f"{part}{det}, {items}, {format_rate(shown_rate(c))} overturned."


def counts_block(counts: Counts, here: str) -> list[str]:
    """The counts table with its counting note, left out of the header search (the
    summary line says it in one line)."""
    note, counts_html = cell_html(counting_note(here), here), counts_table(counts, here)
    if note is None or counts_html is None:  # numbers and a link: always HTML
        raise ValueError(f"{here}: the counts table cannot be written as HTML")
    return [
        '<div class="imr-counts" data-search-exclude>',
        *counts_html[:-1],
        f"<p>{note}</p>",
        "</div>",
        "",
    ]


def _search_line(hub: Hub, here: str) -> list[str]:
    """A link to the determination search with this hub's filter set; none from an empty
    hub (the search drops a filter value no item has, so it would open unfiltered)."""
    params = search_params(hub.path)
    if not params or not hub.counts.determinations:
        return []
    line = (
        f"**[Open this hub in the determination search]({search_link(here, params)})**: "
        "narrow its items by words, citation, outcome and dates"
    )
    if params[0][0] == "region":  # the search's region is the determination's
        line += " (there a region selects every item of a determination about it)"
    return [line + ".", "{: data-search-exclude }", ""]


def _hub_head(hub: Hub, here: str) -> list[str]:
    meta: dict = {"title": hub.title}
    if not hub.counts.determinations:  # an empty hub stays out of the header search
        meta["search"] = {"exclude": True}
    elif hub.search_boost is not None:
        meta["search"] = {"boost": hub.search_boost}
    lines = [front_matter(meta), f"# {md_escape(hub.title)}", "", summary_line(hub, here), ""]
    if hub.intro:
        lines += [hub.intro, ""]
    if hub.subhub_table:
        lines += counts_block(hub.counts, here)
    else:  # the intro's own tables count (outcomes): their note only
        lines += [counting_note(here), ""]
    if hub.spellings:  # collapsed, one paragraph: indexed by the search, one teaser line
        spellings = " · ".join(md_escape(s) for s in hub.spellings)
        lines += ['??? note "Also cited as"', "", f"    {spellings}", ""]
    lines += downloads_line(hub, here)
    lines += _search_line(hub, here)
    if hub.series is not None and charts.worth_charting(hub.series):
        lines += [
            "## By year { data-search-exclude }",
            "",
            charts.year_chart(hub.series, hub.title),
            "",
        ]
    if hub.subhubs and hub.subhub_table:
        label = md_escape(hub.subhub_label or "Sections")
        lines += [f"## {label} {{ data-search-exclude }}", "", *_subhub_table(hub), ""]
        lines += [counting_note(here), ""]
    if hub.citation_key:
        lines += _most_cited_pages(hub)
    return lines


def _later_head(hub: Hub, here: str, number: int) -> list[str]:
    title = plain_title(f"{hub.title}, page {number}")
    return [
        front_matter({"title": title, "search": {"exclude": True}}),
        f"# {md_escape(title)}",
        "",
        f"Back to {link(md_escape(hub.title), here, hub.path)}. Older entries, newest first; "
        "page 1 has the oldest.",
        "",
    ]


def hub_pages(hub: Hub, page_size: int = 50, keep: paging.KeepPage | None = None
              ) -> list[tuple[str, str]]:
    """(docs path, Markdown) of every page of a hub: its first page at hub.path, with
    the newest entries, then the older ones numbered from the oldest (generator.pages.paging),
    but the numbered pages `keep` says are made already."""
    pages = paging.listing_pages(hub.path, hub.entries if hub.listed else (), page_size)
    out = []
    for i, page in enumerate(pages):
        here = page.path
        lines = _hub_head(hub, here) if i == 0 else _later_head(hub, here, page.number)
        if hub.listed:
            # the listing is left out of the header search: each determination has its page
            lines += ["## Determinations { data-search-exclude }", ""]
            if not hub.entries:
                lines += ["*No determinations yet.*", ""]
            else:
                around = paging.pager(pages, i, here)
                if i and keep is not None and keep(here, "\n".join(
                        [*lines, *around, f"rows of {hub.citation_key or 'determinations'}"]),
                        [e.record.id for e in page.entries]):
                    continue
                lines += ["Newest first.", "", *around]
                if hub.citation_key:
                    lines += citation_rows(page.entries, here, hub.citation_key)
                else:
                    lines += listing_rows([e.record for e in page.entries], here)
                lines += around
        out.append((here, join_page(lines)))
    return out
