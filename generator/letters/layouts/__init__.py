"""The published letter layouts: cleaned letter text -> its parts.

One module per layout, each with ``detect(text)`` and ``split(text, raw) ->
Parts``; everything after (reviewer, patient, items -> Item) is shared and
lives in :mod:`generator.letters.parse`.

- :mod:`.format_2016`: the 2016-17 MAXIMUS layout (credentials as labelled lines);
- :mod:`.final_determination`: late 2013 and 2014-15 (three section headings);
- :mod:`.imr_decisions`: "Independent Medical Review" with "IMR DECISION(S) AND RATIONALE(S)";
- :mod:`.professional_review`: "MEDICAL PROFESSIONAL REVIEW" with "ISSUE AT DISPUTE:" ...;
- :mod:`.notice_2013`: the early 2013 "Notice of IMR Determination".

The items of the first three are read by :mod:`.items`; :mod:`.parts` holds
what they all give the parser. A letter in none of them is refused with the
headings that were looked for, never half read.
"""

from __future__ import annotations

from generator.letters.layouts import (
    final_determination,
    format_2016,
    imr_decisions,
    notice_2013,
    professional_review,
)
from generator.letters.layouts.parts import (
    BLOCK_NAMES,
    BLOCKS,
    LetterError,
    Parts,
    RawItem,
    line_of,
)

__all__ = ["BLOCKS", "BLOCK_NAMES", "LetterError", "Parts", "RawItem", "line_of", "split_letter"]

# most specific first: the first layout whose marks the letter carries reads it
LAYOUTS = (format_2016, final_determination, imr_decisions, professional_review, notice_2013)

UNKNOWN = (
    "not an IMR determination letter: none of the headings of a known layout was found "
    "('HOW THE IMR FINAL DETERMINATION WAS MADE', 'CLINICAL CASE SUMMARY', 'IMR ISSUES, "
    "DECISIONS AND RATIONALES'; the 2013 notice's 'INDEPENDENT MEDICAL REVIEW DECISION AND "
    "RATIONALE'; 'IMR DECISION(S) AND RATIONALE(S)'; 'MEDICAL PROFESSIONAL REVIEW' / "
    "'ISSUE AT DISPUTE:')"
)


def split_letter(text: str, raw: str) -> Parts:
    """The parts of a cleaned letter, whichever layout it is in."""
    for layout in LAYOUTS:
        if layout.detect(text):
            return layout.split(text, raw)
    if final_determination.sections(text):  # some of its headings, not the items'
        return final_determination.split(text, raw)
    raise LetterError(UNKNOWN)
