"""The rows of a listing table: one per determination (hubs, /determinations/, the home
page), or one per cited item (a guideline's hub). Pure.

A determination is listed on a dozen hubs or more, and a listing page links fifty: its
cells are made once, and their links written straight as HTML (generator.pages.htmltable).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.pages.htmltable import Rendered, link_html, up_to_root
from generator.pages.htmltable import table as html_table
from generator.pages.markdown import SYNTHETIC_LABEL, badge, md_escape, region_links, rel
from generator.pages.urls import (
    DETERMINATIONS_DIR,
    determination_file,
    key_within,
    normalize_key,
)
from generator.record import taxonomy
from generator.record.dating import counted_year
from generator.record.models import Determination, Item

if TYPE_CHECKING:
    from generator.pages.hubs import Listed


@lru_cache(maxsize=4096)
def _determinations_from(folder: str) -> str:
    """The relative URL of the determinations folder from a page in `folder`, with its
    slash: what rel() gives for determination_path(id), less determination_file(id)."""
    return rel(posixpath.join(folder, "index.md"), DETERMINATIONS_DIR) + "/"


@lru_cache(maxsize=1 << 16)
def _escaped_id(record_id: str) -> str:
    return md_escape(record_id)


def determination_cell(record: Determination, here: str) -> str:
    # = link(md_escape(record.id), here, determination_path(record.id)), without a relpath
    # per row: listings link thousands of determinations from one folder
    url = _determinations_from(posixpath.dirname(here)) + determination_file(record.id)
    cell = f"[{_escaped_id(record.id)}]({url})"
    return f"{cell} {SYNTHETIC_LABEL}" if record.synthetic else cell


def _year_cell(record: Determination) -> str:
    year = counted_year(record)
    return str(year) if year is not None else "–"


# A determination is listed on a dozen hubs or more: its cells are made once (the
# regions cell once per folder, as its links are relative), not once per listing.


@lru_cache(maxsize=1 << 16)
def _services_cell(services: tuple[tuple[str, str], ...]) -> str:
    return "<br>".join(f"{md_escape(service)} {badge(decision)}" for service, decision in services)


@lru_cache(maxsize=1 << 16)
def _regions_cell(folder: str, regions: tuple[str, ...]) -> str:
    return region_links(regions, posixpath.join(folder, "index.md")) or "–"


def listing_rows(records: Sequence[Determination], here: str) -> list[str]:
    """The listing table: one row per determination, every item with its outcome."""
    rows = []
    folder = posixpath.dirname(here)
    first = here.partition("/")[0]
    up = up_to_root(here)  # the links' HTML made here when they leave here's first folder
    for r in records:
        services = _services_cell(tuple((i.service, i.decision) for i in r.items))
        regions = _regions_cell(folder, tuple(r.body_regions))
        cell = determination_cell(r, here)
        if first != DETERMINATIONS_DIR:
            cell = _rendered_determination(cell, r, up)
        if first != "regions" and r.body_regions:
            regions = _rendered_regions(regions, tuple(r.body_regions), up)
        rows.append([cell, _year_cell(r), services, regions])
    return html_table(["Determination", "Year", "Disputed services", "Regions"], rows, here)


# A listing's links written straight as HTML: the generic conversion (htmltable.cell_html)
# of a link cell was most of a hub's time. tests/test_htmltable.py checks every table of
# the bundled site against Python-Markdown and MkDocs.


def _rendered_determination(cell: str, record: Determination, up: str) -> str:
    html = link_html(_escaped_id(record.id), f"{up}{DETERMINATIONS_DIR}/{record.id}/")
    if html is None:
        return cell
    return Rendered(cell, f"{html} {SYNTHETIC_LABEL}" if record.synthetic else html)


def _rendered_regions(cell: str, regions: tuple[str, ...], up: str) -> str:
    links = [link_html(md_escape(taxonomy.label("region", r)), f"{up}regions/{r}/")
             for r in regions]
    if any(html is None for html in links):
        return cell
    return Rendered(cell, ", ".join(html for html in links if html is not None))


def _who(item: Item, key: str) -> tuple[str, list[str]]:
    who, pages = set(), []
    for party, c in item.citations:
        if key_within(normalize_key(c.key), key):
            who.add(party)
            if c.pages and c.pages not in pages:
                pages.append(c.pages)
    label = {
        frozenset({"claims_administrator"}): "claims administrator",
        frozenset({"reviewer"}): "reviewer",
    }.get(frozenset(who), "both")
    return label, pages


def citation_rows(entries: Sequence[Listed], here: str, key: str) -> list[str]:
    rows = []
    for e in entries:
        for item in e.items:
            who, pages = _who(item, key)
            rows.append(
                [
                    determination_cell(e.record, here),
                    _year_cell(e.record),
                    md_escape(item.service),
                    badge(item.decision),
                    who,
                    md_escape("; ".join(pages)) or "–",
                ]
            )
    return html_table(
        ["Determination", "Year", "Service", "Outcome", "Cited by", "Pages"], rows, here
    )
