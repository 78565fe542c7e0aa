"""Markdown of a determination's page. Pure: no I/O.

Every string that comes from a record goes through :func:`md_escape` (or
:func:`md_paragraphs`); see :mod:`generator.pages.markdown` for the escaping rules.
Hub pages are built by :mod:`generator.pages.hubs`, the home page by
:mod:`generator.pages.home`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.pages import describe
from generator.pages.markdown import (
    badge,
    front_matter,
    html_text,
    join_page,
    link,
    md_escape,
    md_paragraphs,
    pages_phrase,
    plain_title,
    region_links,
    table,
)
from generator.pages.urls import (
    determination_path,
    guideline_hub_path,
    hub_path,
    specialty_path,
)
from generator.record import guideline_hubs, taxonomy
from generator.record.dating import counted_year
from generator.record.models import Citation, Determination, Item

# --- determination page -------------------------------------------------------


@dataclass(frozen=True)
class OriginalLetter:
    """The letter a record was made from, as published beside its page."""

    name: str  # file name in the page's folder: '<id>.pdf' or '<id>.txt'
    size: int  # bytes

    @property
    def kind(self) -> str:
        return "PDF" if self.name.endswith(".pdf") else "text"

    @property
    def mime(self) -> str:
        return "application/pdf" if self.name.endswith(".pdf") else "text/plain"


_DATE_LABELS = [
    ("decision", "Decision date"),
    ("letter", "Letter date"),
    ("injury", "Date of injury"),
    ("assigned", "Date assigned"),
    ("ur_denial", "UR denial date"),
    ("application_received", "Application received"),
]
# attr_list: sections left out of the header search: it keeps each determination's
# title, clinical summary, diagnoses and services (small at any size); the
# determination search (generator/search/determinations.py) indexes the whole text.
NOT_IN_HEADER = " { data-search-exclude }"
HEADER_EXCLUDE_BLOCK = "{: data-search-exclude }"

_YEAR_SOURCES = {
    "decision_date": "from the decision date",
    "letter_date": "from the letter date",
    "latest_date_in_text": "from the latest date in the letter",
}


def _facts(record: Determination, here: str) -> list[str]:
    rows: list[tuple[str, str]] = []
    if record.case_number:
        rows.append(("IMR case number", md_escape(record.case_number)))
    if record.id != record.case_number:  # an id of our own: no case number printed
        rows.append(("Archive id", md_escape(record.id)))
    rows.append(("Outcome", md_escape(record.decision_summary)))
    year = counted_year(record)
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
        rows.append(("Body regions", region_links(record.body_regions, here)))
    return ["## Facts" + NOT_IN_HEADER, "", *table(["Field", "Value"], rows)]


def _citation_line(citation: Citation, here: str) -> str:
    title = plain_title(guideline_hubs.title(citation.key, citation.title or citation.topic))
    parts = [link(md_escape(title), here, guideline_hub_path(citation.key))]
    if citation.pages:
        parts.append(pages_phrase(citation.pages))
    # the verbatim citation is in the statement above; the line names the hub and pages
    return "- " + ", ".join(parts)


def _statement(heading: str, text: str, citations: Sequence[Citation], here: str) -> list[str]:
    stated = md_paragraphs(text) or "*Not stated in the letter.*"
    # the statement's words stay out of the header search; its citations (below) stay in
    stated = "\n\n".join(p + "\n" + HEADER_EXCLUDE_BLOCK for p in stated.split("\n\n"))
    lines = [f"### {heading}", "", stated, ""]
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
        facts.append(f"**Body regions:** {region_links(item.body_regions, here)}")
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
        "### Rationale" + NOT_IN_HEADER,
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


def letter_link(letter: OriginalLetter | None) -> str:
    """'Original letter (PDF, 42 KB)', linking the file published beside the page; raw
    HTML, so MkDocs does not look for it among the docs (generator.build.letters copies
    it into the built site, where the link check finds it)."""
    if letter is None:
        return ""
    kb = max(1, round(letter.size / 1024))
    return (
        f'<a class="imr-letter" href="{html_text(letter.name)}" type="{letter.mime}">'
        f"Original letter ({letter.kind}, {kb} KB)</a>"
    )


# Shown by imr-citation.js only when the reader came from the determination search: it then
# leads back to that search, query and filters included. Raw HTML, so the URL is the built
# page's (determinations/<id>/) relative URL of the search page.
BACK_TO_SEARCH = (
    '<a class="imr-back" href="../../search/" data-imr-back hidden>← Back to search</a>'
)


def citation_button(record: Determination, site_name: str) -> str:
    """The "Copy citation" button: the citation is in data-imr-citation; the theme's
    imr-citation.js adds the page's permalink and copies it as plain text."""
    text = html_text(describe.citation(record, site_name))
    return (
        f'<span class="imr-cite" data-imr-citation="{text}">'
        '<button type="button" class="md-button imr-cite__button">Copy citation</button> '
        '<span class="imr-cite__status" role="status" aria-live="polite"></span></span>'
    )


RELATED_NOTE = (
    "Those decided nearest before and after this one, three before and two after (more on "
    "one side when the other has fewer): the same kind of service citing the same guideline "
    "section first, then others about the same kind of service; newest first within each."
)


def _related_section(related: Sequence[Determination], here: str) -> list[str]:
    if not related:
        return []
    lines = ["## Related determinations" + NOT_IN_HEADER, ""]
    # as generator.pages.related chooses and orders them (its DEFAULT_LIMIT, 3 before)
    lines += [RELATED_NOTE, ""]
    for other in related:
        name = md_escape(describe.title(other))
        lines.append(f"- {link(name, here, determination_path(other.id))}")
    return [*lines, ""]


def _head(record: Determination, search: dict, site_name: str, letter: OriginalLetter | None):
    what, tail = describe.what_was_decided(record), describe.title(record).rsplit(" — ", 1)[1]
    meta = {
        "title": f"{plain_title(what, 80)} — {plain_title(tail)}",
        "description": plain_title(describe.description(record), 300),
        "search": search,
    }
    actions = " ".join(
        p for p in (BACK_TO_SEARCH, letter_link(letter), citation_button(record, site_name)) if p
    )
    return [
        front_matter(meta),
        f"# {md_escape(describe.title(record))}",
        "",
        md_escape(describe.summary(record)),
        "{: .imr-summary }",
        "",
        f'<p class="imr-actions">{actions}</p>',
        "",
    ]


def determination_page(
    record: Determination,
    *,
    header_search: bool = True,
    related: Sequence[Determination] = (),
    letter: OriginalLetter | None = None,
    site_name: str = "IMR Archive",
) -> str:
    """The Markdown of `determinations/<id>.md`.

    Every determination is in the determination search (generator/search/determinations.py);
    `header_search=False` leaves the page out of the header search.
    Synthetic records always stay out of it: the header search is for the archive's
    hubs and real letters. `related`: the determinations listed under "Related
    determinations" (generator.pages.related); `letter`: the original letter published
    beside the page, if any. The parser's warnings stay in the record and the data
    files: readers do not see them.
    """
    here = determination_path(record.id)
    search = {"boost": 1} if header_search and not record.synthetic else {"exclude": True}
    lines = _head(record, search, site_name, letter)
    if record.synthetic:
        lines += SYNTHETIC_NOTICE
    lines += [
        *_facts(record, here),
        "## Clinical summary",
        "",
        md_paragraphs(record.clinical_summary) or "*No clinical summary in the letter.*",
        "",
    ]
    if record.diagnoses:
        lines += ["## Diagnoses", ""]
        lines += [f"- {md_escape(d)}" for d in record.diagnoses] + [""]
    for item in record.items:
        lines += _item_section(item, here)
    lines += _related_section(related, here)
    return join_page(lines)
