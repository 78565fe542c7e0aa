"""Letters headed "MEDICAL PROFESSIONAL REVIEW", known by their section headings.

"ISSUE AT DISPUTE:" (the service; a numbered list names several, a question
"Is the request for X medically necessary?" names X), "CASE SUMMARY:",
"DOCUMENTS REVIEWED FOR DETERMINATION:" (not part of the record),
"MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:"
(the reviewer's guideline statement), "RATIONALE FOR WHY THE REQUESTED
TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:" (the rationale; its
heading states the decision: the denial upheld) and "MEDICAL REVIEWER
QUALIFICATIONS:". There is no claims administrator block. The sections may
repeat per issue: guideline and rationale go to the issue before them.
"""

from __future__ import annotations

from generator.letters import patterns as rx
from generator.letters.clean import join_lines
from generator.letters.layouts.parts import LetterError, Parts, RawItem, cut_at, last_line, line_of

NAME = "professional-review"
_HEADINGS = (
    ("issue", rx.MPR_ISSUE),
    ("summary", rx.MPR_SUMMARY),
    ("docs", rx.MPR_DOCUMENTS),
    ("rev", rx.MPR_GUIDELINES),
    ("rat", rx.MPR_RATIONALE),
    ("qual", rx.MPR_QUALIFICATIONS),
)


def detect(text: str) -> bool:
    return bool(rx.MPR_TITLE.search(text) or rx.MPR_ISSUE.search(text)
                or rx.MPR_RATIONALE.search(text))


def split(text: str, raw: str) -> Parts:
    marks = sorted(
        (m.start(), m.end(), name) for name, pat in _HEADINGS for m in pat.finditer(text)
    )
    if not any(name == "issue" for _, _, name in marks):
        last = last_line(text, raw)
        raise LetterError("a MEDICAL PROFESSIONAL REVIEW letter with no 'ISSUE AT DISPUTE:' "
                          f"section (read up to line {last or '?'})", last)
    warnings: list[str] = []
    items = _items(text, marks, warnings)
    if not items:
        raise LetterError("the 'ISSUE AT DISPUTE:' section names no service",
                          line_of(raw, "ISSUE AT DISPUTE"))
    sections = cut_at(text, marks)
    header = text[: marks[0][0]]
    return Parts(NAME, header, sections.get("qual", ""), sections.get("summary", "").strip("\n"),
                 items, warnings=warnings)


def _items(text: str, marks: list[tuple[int, int, str]], warnings: list[str]) -> list[RawItem]:
    """One item per service at dispute; the guideline and rationale after an issue are its."""
    items: list[RawItem] = []
    group: list[RawItem] = []  # the items of the last issue section
    for k, (_, end, name) in enumerate(marks):
        body = text[end : marks[k + 1][0] if k + 1 < len(marks) else len(text)].strip("\n")
        if name == "issue":
            group = [RawItem(s, "upheld", s, expected=("rev", "rat")) for s in _services(body)]
            if len(group) > 1:
                warnings.append(f"items {len(items) + 1}-{len(items) + len(group)} share one "
                                "guideline and rationale section")
            items += group
        elif name in ("rev", "rat"):
            for item in group:
                item.blocks[name].append(body)
    return items


def _services(issue: str) -> list[str]:
    """The services an issue names: a numbered list, or one (perhaps as a question)."""
    joined = join_lines(issue)
    parts = rx.ISSUE_NUMBER.split(joined) if rx.ISSUE_NUMBER.match(joined) else [joined]
    out = []
    for part in parts:
        m = rx.ISSUE_QUESTION.match(part.strip(" ;,"))
        if m and m.group("service").strip():
            out.append(m.group("service").strip())
    return out
