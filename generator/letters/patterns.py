"""The pattern catalogue for letters: every regular expression the letter
parser uses, named and commented, with the phrasing it was written for.

Guideline citations have their own catalogue (`catalogue.py`, built from
`data/guidelines.yml`); vocabulary signals live in `data/*.yml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

I = re.I  # noqa: E741 - short flags keep the catalogue readable
M = re.M


def label(words: str) -> re.Pattern[str]:
    """A heading label at the start of a line, ending in a colon: "CASE SUMMARY:"."""
    return re.compile(r"^[ \t]*" + words + r"\s*:[ \t]*", I | M)


class LeadToEnd:
    """``lead (body) end`` where body is ``.+?`` (one line, up to the first `end`), run in
    linear time: as one pattern, each `lead` of a long line with no `end` reads to the end
    of the line, and a line of leads takes quadratic time. Here a lead is tried only when
    an `end` follows it on its line (found once and reused by the leads before it)."""

    def __init__(self, lead: str, body: str, end: str, flags: int) -> None:
        self.lead, self.end = re.compile(lead, flags), re.compile(end, flags)
        self.full = re.compile(f"{lead}{body}(?:{end})", flags)
        self.pattern = self.full.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos, end_at, nl_at = 0, (-1, -1), (-1, -1)  # (searched from, found at) caches
        while (lead := self.lead.search(text, pos)) is not None:
            body = lead.end() + 1  # the body has one character at least
            if not end_at[0] <= body <= end_at[1]:
                m = self.end.search(text, body)
                end_at = (body, m.start() if m else len(text) + 1)
            if not nl_at[0] <= lead.end() <= nl_at[1]:
                nl = text.find("\n", lead.end())
                nl_at = (lead.end(), nl if nl >= 0 else len(text))
            full = self.full.match(text, lead.start()) if end_at[1] <= nl_at[1] else None
            if full is None:
                pos = lead.start() + 1
                continue
            yield full
            pos = max(full.end(), full.start() + 1)

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)

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
DATE_VALUE = (
    rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}})"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})"
)

# --- header block (2014 and later) -------------------------------------------
# "Case Number:  CM14-0123456", "IMR Case Number: CM13-0012345 Date Assigned: 10/4/2013"
# Fields may stand one per line or two to a line; labels are matched anywhere.
CASE_NUMBER = re.compile(r"\b(CM[0-9]{2}-[0-9]{7})(?![0-9])", I)
HEADER_FIELDS: dict[str, re.Pattern[str]] = {
    "case_number": re.compile(
        r"\b(?:IMR\s+)?Case\s+(?:Number|No\.?|#)\s*(?::\s*)?(CM[0-9]{2}-[0-9]{7})(?![0-9])", I
    ),
    "assigned": re.compile(rf"\bDate\s+Assigned\s*(?::\s*)?({DATE_VALUE})", I),
    "injury": re.compile(rf"\bDate\s+of\s+Injury\s*(?::\s*)?({DATE_VALUE})", I),
    "decision": re.compile(
        rf"\b(?:Decision\s+Date|Date\s+of\s+(?:IMR\s+)?Decision)\s*(?::\s*)?({DATE_VALUE})", I
    ),
    # "UR Denial Date: 02/20/2014"; early notices: "Date of UR Decision: 8/5/2013"
    "ur_denial": re.compile(
        rf"\b(?:UR\s+Denial\s+Date|Date\s+of\s+UR\s+(?:Decision|Denial))"
        rf"\s*(?::\s*)?({DATE_VALUE})",
        I,
    ),
    "application_received": re.compile(
        rf"\bApplication\s+Received(?:\s+Date)?\s*(?::\s*)?({DATE_VALUE})", I
    ),
    # early 2013 notices: "Dated: 9/26/2013"
    "letter": re.compile(rf"^[ \t]*Dated\s*(?::\s*)?({DATE_VALUE})", I | M),
}
PRIORITY = re.compile(r"\bPriority\s*(?::\s*)?(Standard|Expedited|Regular|Urgent)\b", I)

# --- section headings ----------------------------------------------------------
SECTION_HOW = re.compile(r"^\s*HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE\s*$", I | M)
SECTION_SUMMARY = re.compile(r"^\s*CLINICAL\s+CASE\s+SUMMARY\s*(?::\s*)?$", I | M)
SECTION_ISSUES = re.compile(r"^\s*IMR\s+ISSUES,?\s+DECISIONS,?\s+AND\s+RATIONALES?\s*$", I | M)

# Boilerplate that opens sections (dropped from the summary and item list).
SUMMARY_INTRO = re.compile(
    r"^\s*The\s+expert\s+reviewer\s+developed\s+the\s+following\s+clinical\s+case\s+summary"
    r".*?(?:medical\s+records|case\s+file)\s*:\s*",
    I | re.S,
)
ISSUES_INTRO = re.compile(
    r"^\s*The\s+Final\s+Determination\s+was\s+based\s+on\s+decisions\s+for\s+the\s+disputed"
    r"\s+items/services\s+set\s+forth\s+below\s*(?::\s*)?",
    I,
)
SYNTHETIC_MARKER = re.compile(r"^\s*SYNTHETIC LETTER\b.*$", M)

# --- reviewer paragraph --------------------------------------------------------
# "The physician reviewer is Board Certified in Orthopedic Surgery and is licensed
#  to practice in Conneticuit, California, and Pennsylvania."
# "... is Board Certified in Physical Medicine & Rehabilitation, has a subspecialty
#  in Pain Medicine and is licensed to practice in California."
# (a specialty is a few words: at most 300 characters are read for one)
BOARD_CERTIFIED = re.compile(
    r"\bBoard[\s-]+Certified\s+in\s+(.{1,300}?)(?=,|\s+and\s+is\b|\.\s)", I
)
NOT_BOARD_CERTIFIED = re.compile(r"\bnot\s+(?:Board[\s-]+)?Certified\b|\bBoard\s+eligible\b", I)
SUBSPECIALTY = re.compile(r"\bsub-?specialty\s+in\s+(.{1,300}?)(?=,|\s+and\s+is\b|\.\s|\.$)", I)
# 2016-17 letters: labelled lines; a value may wrap onto following lines up to a blank line
SPECIALTY_LINE = re.compile(
    r"^[ \t]*Certifications?\s*(?:\(s\))?\s*/\s*Specialt(?:y|ies)(?:\s*\(ies\))?\s*:[ \t]*"
    r"(?P<value>[^\n]*(?:\n(?![ \t]*\n)(?![ \t]*[A-Z][A-Za-z()/ ]{2,40}:)[^\n]*)*)",
    I | M,
)
LICENSURE_LINE = re.compile(
    r"^[ \t]*States?\s*(?:\(s\))?\s+of\s+Licens(?:ure|e)\s*:[ \t]*(?P<value>[^\n]*)", I | M
)
LICENSED_IN = re.compile(r"\blicensed\s+to\s+practice\s+in\s+(.{1,500}?)\.(?:\s|$)", I)
STATE_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", I)

# --- patient -----------------------------------------------------------------------
# ASCII digits only; "-3-year-old" is no age
AGE = re.compile(r"(?<![\w-])([0-9]{1,3})[\s-]+(?:year|yr)s?[\s-]+old\b", I)
# "a 45-year-old female", "a 52 year old gentleman": the noun after the age decides
FEMALE_NOUN = re.compile(r"\b(?:female|woman|lady|girl|Mrs|Ms|Miss)\b", I)
MALE_NOUN = re.compile(r"\b(?:male|man|gentleman|boy|Mr)\b", I)
AGE_SEX = re.compile(
    r"\b\d{1,3}[\s-]+(?:year|yr)s?[\s-]+old[\s,]+(?:(?:right|left)[\s-]+hand(?:ed)?[\s,]+|"
    r"(?:injured|employed|working)\s+)?(?P<noun>female|woman|lady|male|man|gentleman)\b",
    I,
)
# pronouns, when no noun says it: "she", "her" / "he", "his", "him"
FEMALE = re.compile(r"\b(?:female|woman|lady|she|her|hers|herself)\b", I)
MALE = re.compile(r"\b(?:male|man|gentleman|he|his|him|himself)\b", I)
# "he/she", "his or her", "s/he": boilerplate, not the patient's sex
SEX_EXCLUDE = re.compile(
    r"\b(?:he|his|him)\s*(?:/|\bor\b)\s*(?:she|her|hers)\b|\b(?:she|her)\s*(?:/|\bor\b)\s*(?:he|his|him)\b"
    r"|\bs/he\b",
    I,
)
# "injured in a work related accident on 06/11/10", "reported an injury on 01/02/2012",
# "date of injury of 5/30/2012"
INJURY_DATE = re.compile(
    rf"\b(?:injur(?:ed|y)|accident|incident)\b[^.]{{0,80}}?\b(?:on|of|dated?)\s+({DATE_VALUE})",
    I,
)
# "The diagnoses include lumbar radiculopathy and ...", "The diagnoses have included ...",
# "Diagnoses: 1) cervical strain 2) ...", "diagnosed with ..." - up to the end of the sentence
# (not the dot of a list number "2. ")
_DIAGNOSES_LEAD = (
    r"\b(?:diagnos(?:es|is)(?:,\s+and-or\s+impressions,)?\s+(?:(?:has|have|had|that)\s+)?"
    r"(?:(?:are|is|were|was)\s+(?:documented\s+as|noted\s+to\s+include)|"
    r"include[sd]?|included|are|is|was|were|of|consists?\s+of|consisted\s+of)\s*:?|"
    r"diagnos(?:es|is)\s*:|"
    r"diagnosed\s+(?:with|as\s+having)|(?:being|been)\s+treated\s+for(?:\s+the\s+diagnos[ie]s\s+of)?|"
    r"undergoing\s+treatments?\s+for\s*:?)\s+"
    r"(?!(?:unclear|uncertain|unknown|not|pending|deferred)\b)"
)
DIAGNOSES = LeadToEnd(
    _DIAGNOSES_LEAD, r"(.+?)", r"(?<![\s:]\d)(?<![\s:]\d\d)\.(?:\s|$)|$", I
)
# the worker's own complaints ("complaints of neck, back and right shoulder pain",
# "reported discomfort of the neck, right knee and ankle", "as well as pain in the neck")
COMPLAINTS = re.compile(
    r"\b(?:(?:complain(?:s|ed|ing)?|complaints?)\s+(?:of|about|include[sd]?|including|was|were|is)|"
    r"(?<!progress )(?:reported|reports|reporting)(?!\s+(?:an?\s+)?(?:\w+\s+)?injur)|"
    r"presented\s+with|attributes|subjective\s+(?:data|complaints?)"
    r"(?:\s+on\s+[\d/-]+)?\s+included?|(?<!radiating )(?<!radicular )pain\s+(?:in|to|at))"
    r"\s+([^.]{1,240})",
    I,
)
# what a complaint says of somewhere else: pain radiating there, numbness or
# tingling (a nerve's sign, not the injured part), a symptom denied
NOT_THE_SITE = re.compile(
    r"\b(?:radiat\w*|(?<!going )down|(?:\w+\s+){0,2}(?:numbness|tingling|paresthesias?)|"
    r"rule\s+out|r/o|(?:no|denie[sd]|denying|without)\s+(?:\w+\s+){0,2}?(?:pain|numbness|tingling|"
    r"paresthesias?|weakness|complaints?))\b[^,;]{0,160}",
    I,
)
# a list of diagnoses: ";" when the letter uses it, else commas and "and"; list numbers
DIAGNOSIS_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+(?=(?-i:[a-z]))", I)
DIAGNOSIS_SEMICOLONS = re.compile(r"\s*;\s*(?:and\s+)?", I)
DIAGNOSIS_NUMBER = re.compile(r"(?:^|\s+|,\s*)\(?\d{1,2}\s*[.)]\s+")

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
# Partly authorized requests (2016-17): "X was the original request. Y was authorized by
# the Claims Administrator. The remaining IMR eligible portion of the original request, Z
# is: Upheld" / "..., leaving the original request IMR eligible. The original request, X
# is: Overturned". The decided service is the last "original request, ..." part.
ORIGINAL_REQUEST = re.compile(r"^(?P<original>.+?)\s+was\s+the\s+original\s+request\b", I | re.S)
DECIDED_PORTION = re.compile(
    r"\boriginal\s+request\s*,\s*(?P<decided>(?:(?!original\s+request\s*,).)+?)"
    r"(?:\s+(?:is|are))?\s*$",
    I | re.S,
)
LABEL_CA = re.compile(r"^\s*Claims\s+Administrator\s+guidelines?\s*:\s*", I)
LABEL_REVIEWER = re.compile(
    r"^\s*(?:MAXIMUS|Expert\s+Reviewer(?:'s)?|Reviewer)\s+guidelines?\s*(?:basis\s+)?:\s*", I
)
LABEL_RATIONALE = re.compile(r"^\s*Decision\s+rationale\s*:\s*", I)
# Final sentence of a rationale: "... is not medically necessary and appropriate."
NECESSITY = re.compile(
    r"\bis\s+(?P<neg>not\s*)?medically\s+necessary(?:\s+and\s+appropriate)?", I
)
# An item heading in sentence form (2014+ letters print either shape):
# "Norco 10/325mg #120 is not medically necessary and appropriate."
# "1. Retrospective request for Lumbar MRI is medically necessary and appropriate."
# (Runs of white space are taken whole, and the service ends before one, not inside it:
# else each character of a long run of odd spaces (U+2003, which joining lines keeps)
# was tried as the service's end, reading the rest of the run each time.)
ITEM_SENTENCE = re.compile(
    r"^(?:\d{1,2}\s*+[.)]\s++)?(?:The\s++)?(?:request\s++for\s++)?(?P<service>\S.*?)(?<!\s)"
    r"\s++(?:is|are)\s++(?P<neg>not\s*+)?medically\s++necessary"
    r"(?:\s++(?:and|or)\s++appropriate)?\s*+\.?\s*+$",
    I | re.S,
)
# "2. Norco :  Upheld": the number in front of an item line is not part of the service
ITEM_NUMBER = re.compile(r"^\d{1,2}\s*[.)]\s+(?=\S)")

# --- early 2013 "Notice of IMR Determination" ------------------------------------
# Headings may wrap: words are joined by \s+ and matched over the cleaned text.
# The heading stands on its own line, or runs on after the last finding on the same line
# ("... is not medically necessary and appropriate. INDEPENDENT MEDICAL REVIEW ...").
EARLY_DECISION_AND_RATIONALE = re.compile(
    r"(?:^[ \t]*|(?<=[.!?])[ \t]+)INDEPENDENT\s+MEDICAL\s+REVIEW\s+DECISION\s+AND\s+RATIONALES?"
    r"[ \t]*:?[ \t]*$",
    I | M,
)
EARLY_QUALIFICATIONS = label(r"Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewers?")
EARLY_SUMMARY = label(r"(?:Expert\s+Reviewer(?:'s)?\s+)?Case\s+Summary")
EARLY_DOCUMENTS = label(
    r"(?:Documents|Medical\s+Records?)\s+Reviewed(?:\s+for\s+Determination)?"
)
# "Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:" (and by the
# Expert Reviewer), "Rationale for the Decision:"
_RELIED = r"Medical\s+Treatment\s+Guidelines?\s*(?:\(s\))?\s+Relied\s+Upon\s+by\s+the\s+"
EARLY_LABEL_CA = label(_RELIED + r"Claims\s+Administrator")
EARLY_LABEL_REVIEWER = label(_RELIED + r"Expert\s+Reviewer")
EARLY_LABEL_RATIONALE = label(r"Rationale\s+for\s+the\s+Decision")
# "1) Regarding the request for Norco 10/325mg #120:" (a heading before an item's blocks)
EARLY_ITEM_HEADING = re.compile(
    r"^[ \t]*(?:\d{1,2}\s*[).:-]\s*)?(?:Regarding|In\s+regards?\s+to|With\s+regard\s+to|Re:)\s+"
    r"(?:the\s+)?(?:request(?:ed)?\s+(?:for\s+)?)?(?P<service>\S[^\n]*(?:\n[^\n]+)*?)\s*:?[ \t]*\Z",
    I | M,
)
EARLY_NUMBERED_HEADING = re.compile(
    r"^[ \t]*\d{1,2}\s*\)\s+(?P<service>\S[^\n]*(?:\n[^\n]+)*?)\s*:?[ \t]*\Z", M
)
# "1) MAXIMUS Federal Services, Inc. has determined the request for <service> is not
#  medically necessary and appropriate." (on joined text)
FINDING = re.compile(
    r"(?:(?<=\s)|^)(?:\d{1,2}\s*[).]\s*)?MAXIMUS\s+Federal\s+Services,?\s+Inc\.?,?\s+has\s+determined\s+"
    r"(?:that\s+)?the\s+(?:request(?:ed)?|requests)\s+(?:for\s+)?(?P<service>.+?)\s+(?:is|are|was)\s+"
    r"(?P<verdict>(?P<neg>not\s*)?medically\s+necessary(?:\s+(?:and|or)\s+appropriate)?"
    r"|[^.]{1,60}?)\s*(?:\.(?=\s|$)|$)",
    I,
)
# "Notice of Independent Medical Review Determination Dated: 9/26/2013" (the date on the
# title line)
NOTICE_TITLE_DATED = re.compile(
    rf"\bNotice\s+of\s+(?:Independent\s+Medical\s+Review|IMR)\s+Determination[ \t]+"
    rf"Dated\s*(?::\s*)?({DATE_VALUE})",
    I,
)
# "A Notice of Assignment and Request for Information was provided to the above parties on
#  9/23/2013" (the assignment date)
EARLY_ASSIGNED = re.compile(
    rf"\bNotice\s+of\s+Assignment\b[^.]{{0,80}}?\b(?:was\s+)?(?:provided|sent|mailed)\s+to\s+"
    rf"(?:all\s+|the\s+)?(?:above\s+)?parties\s+on\s+({DATE_VALUE})",
    I,
)
# "Dear Mr. [redacted]:" - the salutation of an early notice
SALUTATION = re.compile(r"^\s*Dear\s+(?P<title>Mr|Mrs|Ms|Miss)\.?\s", I | M)
# "... application for independent medical review filed on 8/12/2013 disputing the
#  Utilization Review Denial dated 8/5/2013"
EARLY_FILED = re.compile(rf"\bfiled\s+on\s+({DATE_VALUE})", I)
EARLY_UR_DATED = re.compile(
    rf"\bUtilization\s+Review\s+(?:Denial|Determination|Decision)\s+dated\s+({DATE_VALUE})", I
)
# "Disclaimer: The following case summary was taken directly from the utilization review
#  denial dated 8/5/2013." (boilerplate: dropped from the summary)
# The summary after it may open with a quotation mark (a quotation of the UR denial).
DISCLAIMER = re.compile(r"^\s*Disclaimer\s*:.*?(?:[.:](?=\s+[\"“‘']?[A-Z])|$)\s*", I | re.S)
# Closing matter after the last rationale of an early notice.
EARLY_TRAILER = re.compile(
    r"^[ \t]*(?:cc\s*:|/[a-z]{1,4}\b|Sincerely\b|Effect\s+of\s+the\s+Decision\b|"
    r"Your\s+Rights\b|ATTACHMENT\b)",
    I | M,
)

# --- layouts known by their headings (generator/letters/layouts/) ----------------
# "Independent Medical Review" letters: "DOCUMENTS REVIEWED", "IMR DECISION(S) AND
# RATIONALE(S)" (the items, in the shapes of the final determination's)
IR_DOCUMENTS = re.compile(r"^[ \t]*DOCUMENTS\s+REVIEWED[ \t]*:?[ \t]*$", I | M)
IR_DECISIONS = re.compile(
    r"^[ \t]*IMR\s+DECISIONS?\s*(?:\(S\))?\s+AND\s+RATIONALES?\s*(?:\(S\))?[ \t]*:?[ \t]*$", I | M
)
# "MEDICAL PROFESSIONAL REVIEW" letters: labelled sections, the value on the same line or after
MPR_TITLE = re.compile(r"^[ \t]*MEDICAL\s+PROFESSIONAL\s+REVIEW[ \t]*$", I | M)
MPR_ISSUE = label(r"ISSUES?\s+AT\s+DISPUTE")
MPR_SUMMARY = label(r"CASE\s+SUMMARY")
MPR_DOCUMENTS = label(r"DOCUMENTS\s+REVIEWED\s+FOR\s+DETERMINATION")
MPR_GUIDELINES = label(
    r"MEDICAL\s+TREATMENT\s+GUIDELINES?\s*(?:\(S\))?\s+RELIED\s+UPON\s+BY\s+(?:THE\s+)?"
    r"PROFESSIONAL\s+REVIEWER\s+AND\s+WHY"
)
# the heading says it: the treatment is (was) not medically necessary - the denial upheld
MPR_RATIONALE = label(
    r"RATIONALE\s+FOR\s+WHY\s+THE\s+REQUESTED\s+TREATMENT\s*/\s*SERVICE\s+IS\s*/\s*WAS\s+"
    r"NOT\s+MEDICALLY\s+NECESSARY"
)
MPR_QUALIFICATIONS = label(r"MEDICAL\s+REVIEWER\s+QUALIFICATIONS")
# an issue worded as a question: "Is the request for Norco #60 medically necessary?"
ISSUE_QUESTION = re.compile(
    r"^(?:(?:Is|Whether)\s+)?(?:the\s+)?(?:request(?:ed)?\s+(?:for\s+)?)?(?P<service>.+?)"
    r"(?:\s+(?:is|was|are|were))?(?:\s+medically\s+necessary(?:\s+(?:and|or)\s+appropriate)?)?"
    r"\s*[?.]?$",
    I,
)
# "1. Norco 10/325mg #60 2. MRI of the lumbar spine": the numbers of an issue list
# (a run of white space is tried from its start only, and whole: linear on any run)
ISSUE_NUMBER = re.compile(r"(?:^|(?<!\s)\s++)\(?\d{1,2}\s*+[.)]\s++")
