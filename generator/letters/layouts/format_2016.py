"""The 2016-17 MAXIMUS layout ("format E").

The sections of the final determination (:mod:`.final_determination`), with
the reviewer's credentials as labelled lines under "The Expert Reviewer has
the following credentials:" ("State(s) of Licensure: ...",
"Certification(s)/Specialty: ..."), header labels run together by the PDF
text layer, partly authorized requests as item paragraphs ("X was the
original request. ... The remaining IMR eligible portion of the original
request, Z is: Upheld": the item line shapes cover them) and the guideline
statements read by :mod:`generator.letters.statements`.
"""

from __future__ import annotations

import re

from generator.letters import patterns as rx
from generator.letters.layouts import final_determination
from generator.letters.layouts.parts import Parts

NAME = "format-2016"
CREDENTIALS = re.compile(
    r"^[ \t]*The\s+Expert\s+Reviewer\s+has\s+the\s+following\s+credentials", re.I | re.M
)


def detect(text: str) -> bool:
    return bool(
        rx.SECTION_ISSUES.search(text)
        and (CREDENTIALS.search(text) or rx.LICENSURE_LINE.search(text)
             or rx.SPECIALTY_LINE.search(text))
    )


def split(text: str, raw: str) -> Parts:
    return final_determination.split(text, raw, NAME)
