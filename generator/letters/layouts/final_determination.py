"""The final determination (late 2013 with no header, 2014-15 under a header block).

Three section headings cut the letter: "HOW THE IMR FINAL DETERMINATION WAS
MADE" (the reviewer's qualifications), "CLINICAL CASE SUMMARY" and "IMR
ISSUES, DECISIONS AND RATIONALES" (the items, read by
:mod:`generator.letters.layouts.items`). What comes before the first heading
is the header block.
"""

from __future__ import annotations

import re

from generator.letters import patterns as rx
from generator.letters.layouts.items import split_items
from generator.letters.layouts.parts import LetterError, Parts, last_line, line_of

NAME = "final-determination"
SECTIONS = (("how", rx.SECTION_HOW), ("summary", rx.SECTION_SUMMARY), ("issues", rx.SECTION_ISSUES))


def detect(text: str) -> bool:
    return bool(rx.SECTION_ISSUES.search(text))


def sections(text: str) -> dict[str, re.Match[str]]:
    """The section headings found, by name."""
    return {name: m for name, pat in SECTIONS if (m := pat.search(text))}


def split(text: str, raw: str, layout: str = NAME) -> Parts:
    """Cut the cleaned letter at its three section headings."""
    found = sections(text)
    if "issues" not in found:
        last = last_line(text, raw)
        raise LetterError(
            "truncated letter: no 'IMR ISSUES, DECISIONS AND RATIONALES' section after line "
            f"{last or '?'}",
            last,
        )
    order = sorted(found.items(), key=lambda kv: kv[1].start())
    parts = {name: "" for name, _ in SECTIONS}
    for i, (name, m) in enumerate(order):
        end = order[i + 1][1].start() if i + 1 < len(order) else len(text)
        parts[name] = text[m.end() : end].strip("\n")
    header = text[: order[0][1].start()]
    summary = rx.SUMMARY_INTRO.sub("", parts["summary"], count=1)
    items = split_items(parts["issues"], raw)
    if not items:
        raise LetterError(
            "no disputed item found: expected lines like '<service> :  Upheld' after "
            "'IMR ISSUES, DECISIONS AND RATIONALES'",
            line_of(raw, "IMR ISSUES"),
        )
    return Parts(layout, header, parts["how"], summary, items)
