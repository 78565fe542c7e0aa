"""Letters headed "Independent Medical Review", known by their section headings:
"DOCUMENTS REVIEWED" and "IMR DECISION(S) AND RATIONALE(S)".

What the headings make readable: the header block before the first heading;
the items under "IMR DECISION(S) AND RATIONALE(S)", in the item shapes of the
final determination ("<service>: Upheld" with the three labelled blocks), or
an item line followed by unlabelled text, which is then its rationale; the
reviewer's qualifications and the clinical case summary when the letter
prints the final determination's headings for them. The list of documents
reviewed is not part of the record and is left out (never read as a summary).
"""

from __future__ import annotations

from generator.letters import patterns as rx
from generator.letters.layouts.items import split_items
from generator.letters.layouts.parts import LetterError, Parts, cut_at, line_of

NAME = "imr-decisions"
_HEADINGS = (
    ("how", rx.SECTION_HOW),
    ("summary", rx.SECTION_SUMMARY),
    ("docs", rx.IR_DOCUMENTS),
    ("issues", rx.IR_DECISIONS),
)


def detect(text: str) -> bool:
    return bool(rx.IR_DECISIONS.search(text))


def split(text: str, raw: str) -> Parts:
    marks = sorted(
        (m.start(), m.end(), name) for name, pat in _HEADINGS for m in pat.finditer(text)
    )
    sections = cut_at(text, marks)
    items = split_items(sections["issues"].strip("\n"), raw, rationale_default=True)
    if not items:
        raise LetterError(
            "no disputed item found: expected lines like '<service>: Upheld' after "
            "'IMR DECISION(S) AND RATIONALE(S)'",
            line_of(raw, "AND RATIONALE"),
        )
    for item in items:  # an item printed with no labels has its rationale only
        if not item.blocks["ca"] and not item.blocks["rev"]:
            item.expected = ("rat",)
    summary = rx.SUMMARY_INTRO.sub("", sections.get("summary", "").strip("\n"), count=1)
    return Parts(NAME, text[: marks[0][0]], sections.get("how", ""), summary, items)
