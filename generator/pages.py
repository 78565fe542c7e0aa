"""Markdown for the pages of the site, from records and hubs. Pure: no I/O.

Every string that comes from a record goes through :func:`md_escape` (or
:func:`md_paragraphs`, which calls it per paragraph) so that HTML, Markdown,
Jinja, front matter and pymdown syntax in a letter stay literal text. Page
titles, which Material prints unescaped into `<title>`, go through
:func:`plain_title`. Links are relative `.md` paths so MkDocs checks them.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from . import citations, taxonomy
from .models import Citation, Determination, Item
from .slugs import (
    determination_path,
    guideline_key_segments,
    hub_path,
    key_within,
    listing_page_path,
    normalize_key,
    specialty_path,
)
from .stats import Counts, format_rate, record_year

# --- escaping ----------------------------------------------------------------

# Characters Python-Markdown unescapes after a backslash (its ESCAPED_CHARS).
_BACKSLASH = frozenset("\\`*_{}[]()#+-.!")
# Characters written as entities: HTML, table cells, and syntax of optional
# extensions (pymdownx tilde/caret/mark/arithmatex/magiclink) that a backslash
# would not neutralise whatever extensions a site enables.
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    "$": "&#36;",
    "@": "&#64;",
    ":": "&#58;",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_escape(text: str) -> str:
    """Record text as one line of literal Markdown (safe in paragraphs, headings, table cells).

    Whitespace (newlines included) collapses to single spaces, so no block
    syntax (lists, headings, code, front matter, admonitions) can start.
    """
    text = " ".join(_CONTROL.sub(" ", text).split())
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if escaped.startswith("?"):  # `???` opens a pymdownx.details block
        escaped = "&#63;" + escaped[1:]
    return escaped


def md_paragraphs(text: str) -> str:
    """Record text with its paragraphs (split on blank lines) kept, each escaped."""
    paragraphs = [md_escape(p) for p in re.split(r"\n[ \t]*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


_TITLE_UNSAFE = re.compile(r"[^\w ,.;:/()'+%-]")


def plain_title(text: str, limit: int = 90) -> str:
    """A page title safe unescaped in HTML and YAML: letters, digits, spaces, simple punctuation."""
    text = _TITLE_UNSAFE.sub(" ", text.replace("&", " and "))
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or "Untitled"


def front_matter(meta: dict) -> str:
    """YAML front matter block (keys in the given order)."""
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{body}---\n"


def link(text_md: str, from_path: str, to_path: str) -> str:
    """A relative Markdown link from one docs page to another (`text_md` is already Markdown)."""
    rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return f"[{text_md}]({rel})"


DECISION_LABELS = {"upheld": "Upheld", "overturned": "Overturned"}
SYNTHETIC_LABEL = '<span class="imr-synthetic">synthetic</span>'


def badge(decision: str) -> str:
    return f'<span class="imr-badge imr-badge--{decision}">{DECISION_LABELS[decision]}</span>'


# --- guideline hub titles and spellings ---------------------------------------


def guideline_title(key: str, fallback: str | None = None) -> str:
    """Title of the hub of a citation key ('acoem-2004' or 'acoem-2004/ch-07'), plain text.

    Keys outside the catalogue (generator.citations) are named by their guideline and
    `fallback` (the title the letter printed) or the section id.
    """
    try:
        return plain_title(citations.hub_title(key))
    except KeyError:
        pass
    gid, _, sid = key.partition("/")
    try:
        name = citations.hub_title(gid)
    except KeyError:
        name = gid
    return plain_title(f"{name}: {fallback or sid}" if sid else name)


def guideline_spellings(key: str) -> list[str]:
    """The ways letters write this guideline or section (for search); [] outside the catalogue."""
    try:
        return citations.spellings(key)
    except KeyError:
        return []


def guideline_hub_path(key: str) -> str:
    return hub_path("guidelines", *guideline_key_segments(key))


# --- determination page -------------------------------------------------------

_DATE_LABELS = [
    ("decision", "Decision date"),
    ("letter", "Letter date"),
    ("injury", "Date of injury"),
    ("assigned", "Date assigned"),
    ("ur_denial", "UR denial date"),
    ("application_received", "Application received"),
]
_YEAR_SOURCES = {
    "decision_date": "from the decision date",
    "letter_date": "from the letter date",
    "latest_date_in_text": "from the latest date in the letter",
}


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "---") -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join([align] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines + [""]


def _region_links(regions: Sequence[str], here: str) -> str:
    return ", ".join(
        link(md_escape(taxonomy.label("region", r)), here, hub_path("regions", r)) for r in regions
    )


def _facts(record: Determination, here: str) -> list[str]:
    rows: list[tuple[str, str]] = [("Determination", md_escape(record.id))]
    if record.case_number:
        rows.append(("IMR case number", md_escape(record.case_number)))
    rows.append(("Outcome", md_escape(record.decision_summary)))
    year = record_year(record)
    if year is not None:
        note = _YEAR_SOURCES.get(record.year_source or "", "from the latest date in the letter")
        rows.append(("Year", f"{link(str(year), here, hub_path('years', str(year)))} ({note})"))
    for field, label in _DATE_LABELS:
        value = getattr(record.dates, field)
        if value is not None:
            rows.append((label, value.isoformat()))
    if record.priority:
        rows.append(("Priority", record.priority.capitalize()))
    patient = [
        f"{record.patient.age} years old" if record.patient.age is not None else "",
        record.patient.sex or "",
    ]
    if any(patient):
        rows.append(("Patient", ", ".join(p for p in patient if p)))
    rev = record.reviewer
    if rev.specialties:
        links = [link(md_escape(s), here, specialty_path(s)) for s in rev.specialties]
        rows.append(("Reviewer specialty", ", ".join(links)))
    if rev.board_certified is not None:
        rows.append(("Reviewer board certified", "Yes" if rev.board_certified else "No"))
    if rev.licensed_states:
        states = ", ".join(md_escape(taxonomy.label("state", s)) for s in rev.licensed_states)
        rows.append(("Reviewer licensed in", states))
    if record.body_regions:
        rows.append(("Body regions", _region_links(record.body_regions, here)))
    if record.source:
        rows.append(
            (
                "Source letter",
                f"{md_escape(record.source.path)} (sha256 {record.source.sha256[:12]}…)",
            )
        )
    return ["## Facts", "", *_table(["Field", "Value"], rows)]


def _pages_phrase(pages: str | None) -> str:
    if not pages:
        return ""
    word = "pages" if ("-" in pages or "," in pages) else "page"
    return f"{word} {md_escape(pages)}"


def _citation_line(citation: Citation, here: str) -> str:
    title = guideline_title(citation.key, citation.title or citation.topic)
    parts = [link(md_escape(title), here, guideline_hub_path(citation.key))]
    if citation.pages:
        parts.append(_pages_phrase(citation.pages))
    line = "- " + ", ".join(parts)
    if citation.text.strip():
        line += f": “{md_escape(citation.text)}”"
    return line


def _statement(heading: str, text: str, citations: Sequence[Citation], here: str) -> list[str]:
    lines = [f"### {heading}", "", md_paragraphs(text) or "*Not stated in the letter.*", ""]
    if citations:
        lines += ["Cited:", ""] + [_citation_line(c, here) for c in citations] + [""]
    return lines


def _category_links(item: Item, here: str) -> str:
    out = link(
        md_escape(taxonomy.label("category", item.category)),
        here,
        hub_path("services", item.category),
    )
    if item.subcategory:
        sub = link(
            md_escape(taxonomy.label("subcategory", item.subcategory)),
            here,
            hub_path("services", item.category, item.subcategory),
        )
        out += f" › {sub}"
    return out


def _item_section(item: Item, here: str) -> list[str]:
    facts = [
        f"**Decision:** {badge(item.decision)}",
        f"**Service type:** {_category_links(item, here)}",
    ]
    if item.body_regions:
        facts.append(f"**Body regions:** {_region_links(item.body_regions, here)}")
    mtus = {True: "yes", False: "no", None: "not stated"}[item.reviewer_guideline.mtus_applied]
    return [
        f"## {md_escape(item.service)}",
        "",
        " · ".join(facts),
        "",
        *_statement(
            "Claims administrator guideline",
            item.claims_administrator.text,
            item.claims_administrator.citations,
            here,
        ),
        *_statement(
            f"Reviewer guideline (MTUS applied: {mtus})",
            item.reviewer_guideline.text,
            item.reviewer_guideline.citations,
            here,
        ),
        "### Rationale",
        "",
        md_paragraphs(item.rationale) or "*Not stated in the letter.*",
        "",
    ]


SYNTHETIC_NOTICE = [
    '!!! warning "Synthetic record — not a real determination"',
    "",
    "    This record was generated for demonstration and testing. It is not an",
    "    IMR determination and describes no real person or case.",
    "",
]


def determination_page(record: Determination) -> str:
    """The Markdown of `determinations/<id>.md`."""
    here = determination_path(record.id)
    title = plain_title(f"{record.id}: {record.items[0].service}")
    upheld = sum(1 for i in record.items if i.decision == "upheld")
    n = len(record.items)
    lines = [
        front_matter({"title": title, "search": {"boost": 0.5}}),
        f"# Determination {md_escape(record.id)}",
        "",
    ]
    if record.synthetic:
        lines += SYNTHETIC_NOTICE
    lines += [
        f"{n} disputed item{'s' if n != 1 else ''}: {upheld} upheld, {n - upheld} overturned.",
        "",
        *_facts(record, here),
        "## Clinical summary",
        "",
        md_paragraphs(record.clinical_summary) or "*No clinical summary in the letter.*",
        "",
    ]
    if record.diagnoses:
        lines += ["## Diagnoses", ""] + [f"- {md_escape(d)}" for d in record.diagnoses] + [""]
    for item in record.items:
        lines += _item_section(item, here)
    if record.warnings:
        lines += [f'??? note "Parser warnings ({len(record.warnings)})"', ""]
        lines += [f"    - {md_escape(w)}" for w in record.warnings] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- hubs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
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
    entries: tuple[Entry, ...] = ()  # newest first
    intro: str = ""  # trusted Markdown
    parent: Link | None = None
    subhubs: tuple[Link, ...] = ()
    subhub_label: str = ""
    listed: bool = True  # False: a catalogue of sub-hubs with no listing
    citation_key: str | None = None  # guideline section hubs: rows are citations of it
    spellings: tuple[str, ...] = ()


def counts_table(counts: Counts) -> list[str]:
    return _table(
        ["Determinations", "Disputed items", "Upheld", "Overturned", "Overturn rate"],
        [
            [
                str(counts.determinations),
                str(counts.items),
                str(counts.upheld),
                str(counts.overturned),
                format_rate(counts.overturn_rate),
            ]
        ],
        "--:",
    )


def _subhub_table(hub: Hub) -> list[str]:
    rows = [
        [
            link(md_escape(s.title), hub.path, s.path),
            str(s.counts.determinations),
            str(s.counts.items),
            str(s.counts.overturned),
            format_rate(s.counts.overturn_rate),
        ]
        for s in hub.subhubs
    ]
    header = [hub.subhub_label or "Hub", "Determinations", "Items", "Overturned", "Overturn rate"]
    return _table(header, rows)


def _determination_cell(record: Determination, here: str) -> str:
    cell = link(md_escape(record.id), here, determination_path(record.id))
    return f"{cell} {SYNTHETIC_LABEL}" if record.synthetic else cell


def _year_cell(record: Determination) -> str:
    year = record_year(record)
    return str(year) if year is not None else "–"


def _listing_rows(entries: Sequence[Entry], here: str) -> list[str]:
    rows = []
    for e in entries:
        r = e.record
        services = "<br>".join(f"{md_escape(i.service)} {badge(i.decision)}" for i in r.items)
        regions = _region_links(r.body_regions, here) or "–"
        rows.append([_determination_cell(r, here), _year_cell(r), services, regions])
    return _table(["Determination", "Year", "Disputed services", "Regions"], rows)


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


def _citation_rows(entries: Sequence[Entry], here: str, key: str) -> list[str]:
    rows = []
    for e in entries:
        for item in e.items:
            who, pages = _who(item, key)
            rows.append(
                [
                    _determination_cell(e.record, here),
                    _year_cell(e.record),
                    md_escape(item.service),
                    badge(item.decision),
                    who,
                    md_escape("; ".join(pages)) or "–",
                ]
            )
    return _table(["Determination", "Year", "Service", "Outcome", "Cited by", "Pages"], rows)


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
    rows = [[_pages_phrase(p), str(n)] for p, n in ranked]
    return ["## Most cited pages", "", *_table(["Pages", "Citations"], rows)]


def _pager(hub: Hub, n: int, total: int, here: str) -> list[str]:
    if total <= 1:
        return []
    parts = []
    if n > 1:
        parts.append(link("← Previous page", here, listing_page_path(hub.path, n - 1)))
    parts.append(f"Page {n} of {total}")
    if n < total:
        parts.append(link("Next page →", here, listing_page_path(hub.path, n + 1)))
    return [" · ".join(parts), ""]


def _hub_head(hub: Hub, here: str) -> list[str]:
    meta: dict = {"title": hub.title}
    if hub.citation_key:
        meta["search"] = {"boost": 2}
    lines = [front_matter(meta), f"# {md_escape(hub.title)}", ""]
    if hub.parent:
        lines += [f"Part of {link(md_escape(hub.parent.title), here, hub.parent.path)}.", ""]
    if hub.intro:
        lines += [hub.intro, ""]
    lines += counts_table(hub.counts)
    if hub.spellings:  # collapsed, but indexed by the search
        lines += ['??? note "Also cited as"', ""]
        lines += [f"    - {md_escape(s)}" for s in hub.spellings] + [""]
    if hub.subhubs:
        lines += [f"## {md_escape(hub.subhub_label or 'Sections')}", "", *_subhub_table(hub)]
    if hub.citation_key:
        lines += _most_cited_pages(hub)
    return lines


def _later_head(hub: Hub, here: str, n: int, total: int) -> list[str]:
    title = plain_title(f"{hub.title} (page {n} of {total})")
    return [
        front_matter({"title": title, "search": {"exclude": True}}),
        f"# {md_escape(title)}",
        "",
        f"Back to {link(md_escape(hub.title), here, hub.path)}.",
        "",
    ]


def hub_pages(hub: Hub, page_size: int = 50) -> list[tuple[str, str]]:
    """(docs path, Markdown) of every page of a hub: page 1 at hub.path, then page/<n>."""
    chunks = [hub.entries[i : i + page_size] for i in range(0, len(hub.entries), page_size)]
    chunks = chunks or [()]
    if not hub.listed:
        chunks = [()]
    out = []
    for n, chunk in enumerate(chunks, start=1):
        here = listing_page_path(hub.path, n)
        total = len(chunks)
        lines = _hub_head(hub, here) if n == 1 else _later_head(hub, here, n, total)
        if hub.listed:
            # the listing is left out of the header search: each determination has its page
            lines += ["## Determinations { data-search-exclude }", ""]
            if not hub.entries:
                lines += ["*No determinations yet.*", ""]
            else:
                lines += ["Newest first.", "", *_pager(hub, n, total, here)]
                if hub.citation_key:
                    lines += _citation_rows(chunk, here, hub.citation_key)
                else:
                    lines += _listing_rows(chunk, here)
                lines += _pager(hub, n, total, here)
        out.append((here, "\n".join(lines).rstrip("\n") + "\n"))
    return out


# --- home page -----------------------------------------------------------------


def home_page(
    totals: Counts, synthetic: int, ways: Sequence[tuple[Link, int, Sequence[Link]]]
) -> str:
    """index.md: totals and the ways in (hub family, its number of hubs, its biggest hubs)."""
    here = "index.md"
    lines = [
        front_matter({"title": "IMR Archive"}),
        "# IMR Archive",
        "",
        "California workers' compensation Independent Medical Review (IMR) final "
        "determinations, structured and searchable.",
        "",
        f"The archive holds **{totals.determinations}** determinations deciding "
        f"**{totals.items}** disputed items; **{format_rate(totals.overturn_rate)}** of the "
        f"items were overturned (found medically necessary).",
        "",
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
    lines += ["## Ways in", ""]
    for family, n_hubs, top in ways:
        lines += [f"### {link(md_escape(family.title), here, family.path)}", ""]
        hubs = ", ".join(
            f"{link(md_escape(t.title), here, t.path)} ({t.counts.determinations})" for t in top
        )
        most = f" Most determinations: {hubs}." if hubs else ""
        lines += [f"{n_hubs} {'hub' if n_hubs == 1 else 'hubs'}.{most}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
