"""The pattern catalogue for letters: every regular expression the letter
parser uses, named and commented, with the phrasing it was written for.

Guideline citations have their own catalogue (`citations.py`, built from
`data/guidelines.yml`); vocabulary signals live in `data/*.yml`.
"""

from __future__ import annotations

import re

I = re.I
M = re.M

# --- dates -------------------------------------------------------------------

# 06/11/10, 6/11/2010, 06-11-2010
NUMERIC_DATE = r"\b(?P<m>\d{1,2})[/-](?P<d>\d{1,2})[/-](?P<y>\d{4}|\d{2})\b"
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# August 12, 2013 / Aug. 12, 2013 / 12 August 2013
WORD_DATE = (
    rf"\b(?P<mon>{MONTHS})\.?\s+(?P<wd>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<wy>\d{{4}})\b"
    rf"|\b(?P<wd2>\d{{1,2}})\s+(?P<mon2>{MONTHS})\.?,?\s+(?P<wy2>\d{{4}})\b"
)
ANY_DATE = re.compile(rf"{NUMERIC_DATE}|{WORD_DATE}", I)
DATE_VALUE = rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}})|(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})"

# --- header block (2014 and later) -------------------------------------------
# "Case Number:  CM14-0123456", "IMR Case Number: CM13-0012345 Date Assigned: 10/4/2013"
# Fields may stand one per line or two to a line; labels are matched anywhere.
CASE_NUMBER = re.compile(r"\b(CM\d{2}-\d{7})\b")
HEADER_FIELDS: dict[str, re.Pattern[str]] = {
    "case_number": re.compile(r"\b(?:IMR\s+)?Case\s+(?:Number|No\.?|#)\s*:?\s*(CM\d{2}-\d{7})", I),
    "assigned": re.compile(rf"\bDate\s+Assigned\s*:?\s*({DATE_VALUE})", I),
    "injury": re.compile(rf"\bDate\s+of\s+Injury\s*:?\s*({DATE_VALUE})", I),
    "decision": re.compile(rf"\bDecision\s+Date\s*:?\s*({DATE_VALUE})", I),
    "ur_denial": re.compile(rf"\bUR\s+Denial\s+Date\s*:?\s*({DATE_VALUE})", I),
    "application_received": re.compile(
        rf"\bApplication\s+Received(?:\s+Date)?\s*:?\s*({DATE_VALUE})", I
    ),
    # early 2013 notices: "Dated: 9/26/2013"
    "letter": re.compile(rf"^\s*Dated\s*:?\s*({DATE_VALUE})", I | M),
}
PRIORITY = re.compile(r"\bPriority\s*:?\s*(Standard|Expedited|Regular|Urgent)\b", I)

# --- section headings ----------------------------------------------------------
SECTION_HOW = re.compile(r"^\s*HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE\s*$", I | M)
SECTION_SUMMARY = re.compile(r"^\s*CLINICAL\s+CASE\s+SUMMARY\s*:?\s*$", I | M)
SECTION_ISSUES = re.compile(r"^\s*IMR\s+ISSUES,?\s+DECISIONS,?\s+AND\s+RATIONALES?\s*$", I | M)

# Boilerplate that opens sections (dropped from the summary and item list).
SUMMARY_INTRO = re.compile(
    r"^\s*The\s+expert\s+reviewer\s+developed\s+the\s+following\s+clinical\s+case\s+summary"
    r".*?(?:medical\s+records|case\s+file)\s*:\s*",
    I | re.S,
)
ISSUES_INTRO = re.compile(
    r"^\s*The\s+Final\s+Determination\s+was\s+based\s+on\s+decisions\s+for\s+the\s+disputed"
    r"\s+items/services\s+set\s+forth\s+below\s*:?\s*",
    I,
)
SYNTHETIC_MARKER = re.compile(r"^\s*SYNTHETIC LETTER\b.*$", M)

# --- reviewer paragraph --------------------------------------------------------
# "The physician reviewer is Board Certified in Orthopedic Surgery and is licensed
#  to practice in Conneticuit, California, and Pennsylvania."
# "... is Board Certified in Physical Medicine & Rehabilitation, has a subspecialty
#  in Pain Medicine and is licensed to practice in California."
BOARD_CERTIFIED = re.compile(r"\bBoard[\s-]+Certified\s+in\s+(.+?)(?=,|\s+and\s+is\b|\.\s)", I)
NOT_BOARD_CERTIFIED = re.compile(r"\bnot\s+(?:Board[\s-]+)?Certified\b|\bBoard\s+eligible\b", I)
SUBSPECIALTY = re.compile(r"\bsub-?specialty\s+in\s+(.+?)(?=,|\s+and\s+is\b|\.\s|\.$)", I)
LICENSED_IN = re.compile(r"\blicensed\s+to\s+practice\s+in\s+(.+?)\.(?:\s|$)", I)
STATE_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", I)

# --- patient -----------------------------------------------------------------------
AGE = re.compile(r"\b(\d{1,3})[\s-]+(?:year|yr)s?[\s-]+old\b", I)
FEMALE = re.compile(r"\b(?:female|woman|lady|she)\b", I)
MALE = re.compile(r"\b(?:male|man|gentleman|he)\b", I)
SEX_EXCLUDE = re.compile(r"\bhe\s*/\s*she\b|\bhis\s*/\s*her\b|\bhim\s*/\s*her\b", I)
# "injured in a work related accident on 06/11/10", "reported an injury on 01/02/2012",
# "date of injury of 5/30/2012"
INJURY_DATE = re.compile(
    rf"\b(?:injur(?:ed|y)|accident|incident)\b[^.]{{0,80}}?\b(?:on|of|dated?)\s+({DATE_VALUE})",
    I,
)
# "The diagnoses include lumbar radiculopathy and ...", "diagnosed with ..."
DIAGNOSES = re.compile(
    r"\b(?:diagnos(?:es|is)\s+(?:include[sd]?|are|is|was|were|of)\s*:?|diagnosed\s+with)\s+(.+?)(?:\.\s|\.$)",
    I,
)
DIAGNOSIS_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+(?=[a-z])", I)

# --- items -----------------------------------------------------------------------
DECISION_WORD = r"(?P<decision>Upheld|Overturned)"
# "Spine consultant w/non MPN :  Upheld" (the service may contain colons: take the last)
ITEM_LINE = re.compile(rf"^(?P<service>.*\S)\s*:\s*{DECISION_WORD}\s*\.?\s*$", I)
# a decision that wrapped: "... consultant :" then "Upheld"
ITEM_OPEN = re.compile(r"^(?P<service>.*\S)\s*:\s*$")
DECISION_ALONE = re.compile(rf"^\s*{DECISION_WORD}\s*\.?\s*$", I)
# ... or wrapped before its colon: "Assistant surgeon" then ":  Upheld"
COLON_DECISION = re.compile(rf"^\s*:\s*{DECISION_WORD}\s*\.?\s*$", I)
# a line shaped like an item line but with another word: "Norco :  Modified"
ITEM_LINE_OTHER_WORD = re.compile(
    r"^(?P<service>.*\S)\s+:\s+(?P<word>[A-Z][a-z]+(?:\s+in\s+part)?)\s*\.?\s*$"
)
# Block labels of an item.
LABEL_CA = re.compile(r"^\s*Claims\s+Administrator\s+guidelines?\s*:\s*", I)
LABEL_REVIEWER = re.compile(
    r"^\s*(?:MAXIMUS|Expert\s+Reviewer(?:'s)?|Reviewer)\s+guidelines?\s*(?:basis\s+)?:\s*", I
)
LABEL_RATIONALE = re.compile(r"^\s*Decision\s+rationale\s*:\s*", I)
# Final sentence of a rationale: "... is not medically necessary and appropriate."
NECESSITY = re.compile(
    r"\bis\s+(?P<neg>not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?", I
)
