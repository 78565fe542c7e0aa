"""Each pattern of the catalogue (generator/letters/patterns.py) against real phrasings:
what it must accept (and what it captures) and the near misses it must reject."""

from __future__ import annotations

import pytest

from generator.letters import patterns as rx
from generator.letters.clean import CASE_LINE, PAGE_FOOTER


def _cases(accept, reject):
    return [pytest.param(t, want, id=t[:50]) for t, want in accept] + [
        pytest.param(t, None, id="NOT " + t[:46]) for t in reject
    ]


def _check(pattern, text, want, group=1):
    m = pattern.search(text)
    if want is None:
        assert m is None, m
    else:
        assert m is not None
        assert m.group(group) == want


HEADER = {
    "case_number": _cases(
        [("Case Number:  CM14-0012345", "CM14-0012345"),
         ("IMR Case Number: CM13-0012345 Date Assigned: 10/4/2013", "CM13-0012345"),
         ("MAXIMUS Case Number:   CM13-0004567", "CM13-0004567"),
         ("Case No. CM15-0000001", "CM15-0000001")],
        ["Case Number: CM14-001234", "Claim Number: 12345678", "Case Number: CX14-0012345"],
    ),
    "assigned": _cases(
        [("Date Assigned: 03/04/2014", "03/04/2014"),
         ("IMR Case Number: CM13-0012345 Date Assigned: 10/4/2013", "10/4/2013")],
        ["Date Assigned: pending", "Assigned: 03/04/2014"],
    ),
    "injury": _cases(
        [("Date of Injury:  06/11/2010", "06/11/2010"),
         ("Date Assigned: 10/24/2016 Date of Injury: 12/03/2013", "12/03/2013"),
         ("Date of Injury: March 2, 2011", "March 2, 2011")],
        ["Date of Injury: unknown", "Injury Date 06/11/2010"],
    ),
    "decision": _cases(
        [("Decision Date: 04/01/2014", "04/01/2014"),
         ("Date of Injury: 09/21/2009 Decision Date: 06/08/2015", "06/08/2015"),
         ("Date of IMR Decision: 9/26/2013", "9/26/2013")],
        ["Date of UR Decision: 8/13/2013", "Decision: UPHOLD"],
    ),
    "ur_denial": _cases(
        [("UR Denial Date: 02/20/2014", "02/20/2014"),
         ("Date of UR Decision:   8/13/2013", "8/13/2013"),
         ("UR Denial Date: 05/14/2015 Priority: Expedited", "05/14/2015")],
        ["UR Denial: 02/20/2014", "Date of IMR Decision: 9/26/2013"],
    ),
    "application_received": _cases(
        [("Application Received: 03/01/2014", "03/01/2014"),
         ("IMR Application Received:   8/20/2013", "8/20/2013"),
         ("Priority: Standard Application Received: 10/14/2016", "10/14/2016")],
        ["Application: 03/01/2014", "Received: 03/01/2014"],
    ),
    "letter": _cases(
        [("Dated: 9/26/2013", "9/26/2013"), ("Dated: October 3, 2013", "October 3, 2013")],
        ["The report dated 9/26/2013", "Dated: soon"],
    ),
}


@pytest.mark.parametrize(
    "field,text,want", [(f, *p.values) for f, ps in HEADER.items() for p in ps],
    ids=[f"{f}:{p.id}" for f, ps in HEADER.items() for p in ps],
)
def test_header_fields(field, text, want):
    _check(rx.HEADER_FIELDS[field], text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("Priority: Standard", "Standard"), ("UR Denial Date: 05/14/2015 Priority: Expedited",
                                          "Expedited"), ("Priority:  Regular", "Regular")],
    ["Priority: pending", "the first priority is function"],
))
def test_priority(text, want):
    _check(rx.PRIORITY, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("Spine consultant w/non MPN :  Upheld", ("Spine consultant w/non MPN", "Upheld")),
     ("Norco 10/325mg #120 : Overturned", ("Norco 10/325mg #120", "Overturned")),
     ("Retrospective request: Lumbar MRI :  Upheld.",
      ("Retrospective request: Lumbar MRI", "Upheld")),
     ("Post-op physical therapy x 12: left knee :  Upheld",
      ("Post-op physical therapy x 12: left knee", "Upheld"))],
    ["Norco 10/325mg #120 :  Modified", "Decision rationale: the request was upheld",
     "Upheld", "Norco : Upheld in part"],
))
def test_item_line(text, want):
    m = rx.ITEM_LINE.match(text)
    assert (m.group("service", "decision") if m else None) == want


@pytest.mark.parametrize("text,want", _cases(
    [("Norco 10/325mg #120 :  Modified", "Modified"), ("TENS unit : Partially", "Partially"),
     ("Norco : Upheld in part", "Upheld in part")],
    ["Retrospective request: urine drug screen", "Claims Administrator guideline: Decision"],
))
def test_item_line_other_word(text, want):
    m = rx.ITEM_LINE_OTHER_WORD.match(text)
    assert (m.group("word") if m else None) == want


@pytest.mark.parametrize("text,want", _cases(
    [("1. Lumbar ESI at L4-5 is not medically necessary and appropriate.",
      ("Lumbar ESI at L4-5", "not ")),
     ("OxyContin 40mg #60 is medically necessary and appropriate.", ("OxyContin 40mg #60", None)),
     ("Inpatient: L4-S1 laminectomy is not medically necessary.",
      ("Inpatient: L4-S1 laminectomy", "not ")),
     ("The request for TENS unit is medically necessary", ("TENS unit", None))],
    ["The guidelines say it is medically necessary when red flags are present.",
     "Norco 10/325mg #120 :  Upheld", "is not medically necessary and appropriate."],
))
def test_item_sentence(text, want):
    m = rx.ITEM_SENTENCE.match(text)
    assert (m.group("service", "neg") if m else None) == want


@pytest.mark.parametrize("text,want", _cases(
    [("1) MAXIMUS Federal Services, Inc. has determined the request for Norco 10/325mg #90 is "
      "not medically necessary and appropriate.", ("Norco 10/325mg #90", "not ")),
     ("2) MAXIMUS Federal Services, Inc. has determined the request for physical therapy x 8 is "
      "medically necessary and appropriate.", ("physical therapy x 8", None)),
     ("MAXIMUS Federal Services, Inc. has determined the requested Lumbar MRI is not medically "
      "necessary and appropriate.", ("Lumbar MRI", "not "))],
    ["MAXIMUS Federal Services sent the complete case file to a physician reviewer.",
     "The request for Norco 10/325mg #90 is not medically necessary and appropriate."],
))
def test_finding(text, want):
    m = rx.FINDING.search(text)
    assert (m.group("service", "neg") if m else None) == want


def test_finding_with_another_verdict_is_captured_for_the_error():
    m = rx.FINDING.search("1) MAXIMUS Federal Services, Inc. has determined the request for "
                          "Norco is partially approved.")
    assert m and m.group("verdict") == "partially approved"


LABELS = [
    (rx.EARLY_LABEL_CA, "Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:",
     "Medical Treatment Guideline(s) Relied Upon by the Expert Reviewer:"),
    (rx.EARLY_LABEL_REVIEWER, "Medical Treatment Guideline(s) Relied Upon by the Expert\n"
     "Reviewer:", "Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:"),
    (rx.EARLY_LABEL_RATIONALE, "Rationale for the Decision:", "The rationale for the decision"),
    (rx.EARLY_QUALIFICATIONS, "Medical Qualifications of the Expert Reviewer:",
     "The Expert Reviewer's medical qualifications"),
    (rx.EARLY_SUMMARY, "Case Summary:", "CLINICAL CASE SUMMARY"),
    (rx.EARLY_DECISION_AND_RATIONALE, "INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE",
     "The INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE follows"),
    (rx.SECTION_ISSUES, "IMR ISSUES, DECISIONS AND RATIONALES", "IMR ISSUES were decided"),
    (rx.SECTION_HOW, " HOW THE IMR FINAL DETERMINATION WAS MADE",
     "This is HOW THE IMR FINAL DETERMINATION WAS MADE"),
    (rx.LABEL_CA, "Claims Administrator guideline: Decision based on",
     "The Claims Administrator guideline was"),
    (rx.LABEL_REVIEWER, "MAXIMUS guideline: The Expert Reviewer", "MAXIMUS Federal Services"),
    (rx.LABEL_RATIONALE, "Decision rationale: According to", "The decision rationale is"),
]


@pytest.mark.parametrize("pattern,good,bad", LABELS, ids=[p.pattern[:40] for p, *_ in LABELS])
def test_headings_and_labels(pattern, good, bad):
    assert pattern.search(good) if pattern.pattern.startswith("^") else pattern.match(good)
    assert not pattern.match(bad)


@pytest.mark.parametrize("text,want", _cases(
    [("The physician reviewer is Board Certified in Orthopedic Surgery and is licensed",
      "Orthopedic Surgery"),
     ("is Board Certified in Physical Medicine & Rehabilitation, has a subspecialty in Pain",
      "Physical Medicine & Rehabilitation"),
     ("is Board Certified in Anesthesiology and Pain Management and is licensed to",
      "Anesthesiology and Pain Management")],
    ["is not Board Certified", "is certified in ACLS and is licensed"],
))
def test_board_certified(text, want):
    _check(rx.BOARD_CERTIFIED, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("has a subspecialty in Pain Medicine and is licensed", "Pain Medicine"),
     ("has a sub-specialty in Spine Surgery, and is licensed", "Spine Surgery")],
    ["is a specialist in Pain Medicine and is licensed"],
))
def test_subspecialty(text, want):
    _check(rx.SUBSPECIALTY, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("is licensed to practice in Conneticuit, California, and Pennsylvania.  He/she",
      "Conneticuit, California, and Pennsylvania"),
     ("is licensed to practice in California.", "California")],
    ["is licensed in California.", "a licensed practitioner in California."],
))
def test_licensed_in(text, want):
    _check(rx.LICENSED_IN, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("The patient is a 61-year-old injured worker", "61"), ("This 49 year old female", "49"),
     ("a 52 yr old man", "52"), ("a 34-year old female", "34")],
    ["a 10-year history of pain", "injured 3 years ago", "aged sixty-one"],
))
def test_age(text, want):
    _check(rx.AGE, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("a 45-year-old female who", "female"), ("This is a 38 year old male laborer", "male"),
     ("a 63-year-old man who fell", "man"), ("a 58-year-old gentleman with", "gentleman"),
     ("a 47-year-old right-handed woman", "woman")],
    ["a 44-year-old warehouse worker", "a 61 year old who sustained"],
))
def test_age_sex(text, want):
    _check(rx.AGE_SEX, text, want, "noun")


@pytest.mark.parametrize("text", ["He/she has no affiliation", "his or her clinical experience",
                                  "him/her", "s/he reported"])
def test_sex_exclude(text):
    assert not rx.MALE.search(rx.SEX_EXCLUDE.sub(" ", text))
    assert not rx.FEMALE.search(rx.SEX_EXCLUDE.sub(" ", text))


@pytest.mark.parametrize("text,want", _cases(
    [("The diagnoses include lumbar radiculopathy and L4-5 disc protrusion.  She",
      "lumbar radiculopathy and L4-5 disc protrusion"),
     ("The diagnoses have included lumbar stenosis at L4-5 and L5-S1. He",
      "lumbar stenosis at L4-5 and L5-S1"),
     ("Diagnoses: 1. cervical strain 2. lumbar sprain. He", "1. cervical strain 2. lumbar sprain"),
     ("She was diagnosed with carpal tunnel syndrome.", "carpal tunnel syndrome")],
    ["A diagnostic MRI was performed.", "The diagnosis is unclear"],
))
def test_diagnoses(text, want):
    _check(rx.DIAGNOSES, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("injured in a work related accident on 06/11/10.", "06/11/10"),
     ("reported an injury on 01/02/2012 while lifting", "01/02/2012"),
     ("with a date of injury of 02/14/2011.", "02/14/2011")],
    ["The MRI on 02/25/13 showed", "injured his back. On 3/1/2013 he"],
))
def test_injury_date(text, want):
    _check(rx.INJURY_DATE, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("application for this case was filed on 8/20/2013 disputing", "8/20/2013")],
    ["the application was received on 8/20/2013"],
))
def test_early_filed(text, want):
    _check(rx.EARLY_FILED, text, want)


@pytest.mark.parametrize("text,want", _cases(
    [("disputing the Utilization Review Denial dated 8/13/2013.", "8/13/2013")],
    ["the Utilization Review was performed on 8/13/2013"],
))
def test_early_ur_dated(text, want):
    _check(rx.EARLY_UR_DATED, text, want)


@pytest.mark.parametrize("line", ["Page 2 of 4", "  Page 12 of 13  ", "2 of 4", "- 3 -",
                                  "CM14-0012345   Page 2 of 4"])
def test_page_footer(line):
    assert PAGE_FOOTER.fullmatch(line)


@pytest.mark.parametrize("line", ["See page 2 of 4 of the report", "pages 303-304",
                                  "Page(s): 76-80"])
def test_page_footer_near_misses(line):
    assert not PAGE_FOOTER.search(line)


@pytest.mark.parametrize("line,ok", [("Case Number: CM14-0012345", True),
                                     ("CM14-0012345", True),
                                     ("IMR Case Number: CM13-0012345 Date Assigned: 10/4/2013",
                                      False),
                                     ("The case CM14-0012345 was", False)])
def test_case_line(line, ok):
    assert bool(CASE_LINE.fullmatch(line)) is ok
