"""What the determination search knows of one disputed item: its words, the citation
terms its filters look up, and the card a result shows.

- The item's own words: the determination's id, the service as printed (and the other
  names of a drug it names: hydrocodone <-> Norco, generator/search/synonyms.py), its
  category and subcategory names, its body regions and the guidelines (and sections) it
  cites. A query matches these by default.
- Its wider text: the claims administrator's and the reviewer's guideline statements, the
  rationale, and its determination's clinical summary and diagnoses (the "also rationale
  and clinical summary" option).
- Citation terms: ``~`` + who (``r`` reviewer, ``c`` claims administrator) + hub key, and
  the same + ``@`` + each page cited (``~racoem-2004/ch-12@303``), for the guideline id
  too. They sort after every word, so they live in the words' postings chunks; a citation
  filter ("ACOEM ch. 12 p. 303", "cited by the reviewer") reads the postings of a few.
"""

from __future__ import annotations

import csv
import io

from generator.letters.citation_spans import page_ranges
from generator.pages.opendata import COLUMNS, _cell
from generator.pages.urls import determination_url
from generator.record import guideline_hubs, taxonomy
from generator.record.dating import counted_year
from generator.record.models import Citation, Determination, Item
from generator.search.synonyms import also_known_as

WHO = {"reviewer": "r", "claims_administrator": "c"}
MAX_PAGES = 200  # pages of one citation made into terms (a range wider is cut)


def own_text(record: Determination, item: Item) -> str:
    """The words a query matches by default."""
    cited: list[str] = []
    for _who, c in item.citations:
        guideline = taxonomy.label_or_id("guideline", c.guideline)
        cited += [guideline, guideline_hubs.title(c.key, c.title)]
    return "\n".join(
        filter(
            None,
            [
                record.id,
                record.case_number,
                item.service,
                *also_known_as(item.service),
                taxonomy.label_or_id("category", item.category),
                taxonomy.label_or_id("subcategory", item.subcategory),
                *(taxonomy.label_or_id("region", r) for r in item.body_regions),
                *dict.fromkeys(cited),
            ],
        )
    )


def wide_text(item: Item) -> str:
    """The item's further words of the wider search: statements and rationale."""
    text = [item.claims_administrator.text, item.reviewer_guideline.text, item.rationale]
    return "\n".join(filter(None, text))


def shared_text(record: Determination) -> str:
    """Its determination's further words, shared by its items: clinical summary, diagnoses."""
    return "\n".join(filter(None, [record.clinical_summary, *record.diagnoses]))


def _cited_pages(c: Citation) -> list[int]:
    pages: list[int] = []
    for lo, hi in page_ranges(c.pages) if c.pages else []:
        pages += range(lo, min(hi, lo + MAX_PAGES) + 1)
    return sorted(set(pages))[:MAX_PAGES]


def citation_terms(item: Item) -> set[str]:
    """The item's citation terms (module docstring)."""
    out: set[str] = set()
    for who, c in item.citations:
        w = WHO[who]
        keys = {c.key, c.guideline}
        pages = _cited_pages(c)
        for key in keys:
            out.add(f"~{w}{key}")
            out.update(f"~{w}{key}@{p}" for p in pages)
    return out


def cite_term(who: str, key: str, page: int | None = None) -> str:
    return f"~{who}{key}" + (f"@{page}" if page is not None else "")


def csv_lines(record: Determination) -> list[str]:
    """Each item's line of the open-data CSV (generator/pages/opendata.py), CRLF ended."""
    lines = []
    for k, item in enumerate(record.items, 1):
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(
            [_cell(c, c.get(record, k, item)) for c in COLUMNS]
        )
        lines.append(out.getvalue())
    return lines


def card(record: Determination) -> dict:
    """A result's card: id, page URL (from the site root), year, synthetic, and per item
    its service, outcome, subcategory name and open-data CSV line."""
    return {
        "id": record.id,
        "url": determination_url(record.id),
        "year": counted_year(record),
        "synthetic": record.synthetic,
        "items": [
            [
                " ".join(i.service.split()),
                i.decision,
                taxonomy.label_or_id("subcategory", i.subcategory),
            ]
            for i in record.items
        ],
        "csv": csv_lines(record),
        "text": " ".join(record.clinical_summary.split()),
    }
