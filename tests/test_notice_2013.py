"""The 2013 "Notice of Independent Medical Review Determination" as the published letters
open, on invented letters in that shape (tests/fixtures/letters/notice-2013-opening/).

The artifacts: the date on the title line ("... Determination Dated: 10/2/2013"), the
assignment date in "A Notice of Assignment and Request for Information was provided to
the above parties on ...", the decision heading run on after the last finding on the same
line, "is notmedically necessary" (a lost space), every finding printed twice (at the top
and again under the decision heading), and a summary that quotes the UR denial in curly
quotes. Golden records are compared in tests/test_layouts.py (test_golden).
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.letters.layouts import LetterError
from generator.letters.parse import parse_letter
from tests.helpers import fixture_letters

D = dt.date
RUN_ON = "n2013-two-findings-run-on"
DOUBLE = "n2013-one-finding-double-spaced"
CRLF = "n2013-three-findings-crlf"


@pytest.fixture(scope="module")
def raw():
    return fixture_letters("notice-2013-opening")


@pytest.fixture(scope="module")
def records(raw):
    return {name: parse_letter(text) for name, text in raw.items()}


def test_the_fixtures_carry_the_artifacts(raw):
    assert sorted(raw) == sorted([RUN_ON, DOUBLE, CRLF])
    for text in raw.values():
        assert "Notice of Independent Medical Review Determination Dated: " in text
        assert "was provided to the above parties on" in text
        assert "appropriate. INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE" in text
        assert "Case Summary:" in text and "\n“" in text
        findings = text.count("has determined the request for")
        assert findings >= 2 and findings % 2 == 0  # every finding printed twice
    assert "notmedically" in raw[RUN_ON] and "notmedically" in raw[CRLF]
    assert " \n\n" in raw[DOUBLE] and "Page 2 of 3" in raw[DOUBLE]
    assert "\r\n" in raw[CRLF]


DATES = {
    RUN_ON: dict(letter=D(2013, 10, 2), assigned=D(2013, 9, 27),
                 application_received=D(2013, 9, 10), ur_denial=D(2013, 9, 3),
                 injury=D(2010, 4, 15), decision=None),
    DOUBLE: dict(letter=D(2013, 11, 14), assigned=D(2013, 11, 1),
                 application_received=D(2013, 10, 16), ur_denial=D(2013, 10, 8),
                 injury=D(2012, 6, 30), decision=None),
    CRLF: dict(letter=D(2013, 12, 5), assigned=D(2013, 11, 19), application_received=D(2013, 11, 4),
               ur_denial=D(2013, 10, 25), injury=D(2011, 1, 9), decision=None),
}


@pytest.mark.parametrize("name", sorted(DATES))
def test_dates(name, records):
    r = records[name]
    assert {f: getattr(r.dates, f) for f in DATES[name]} == DATES[name]
    assert (r.year, r.year_source) == (2013, "letter_date")


ITEMS = {
    RUN_ON: [
        ("a 20 day interdisciplinary pain rehabilitation program", "upheld"),
        ("12 sessions of aquatic therapy", "upheld"),
    ],
    DOUBLE: [("a right knee arthroscopy with partial medial meniscectomy", "overturned")],
    CRLF: [
        ("Tramadol ER 150mg #30", "upheld"),  # "is notmedically necessary"
        ("a TENS unit 30 day trial", "overturned"),
        ("Lidoderm 5% patches #30", "upheld"),  # "is not" / "medically" over two lines
    ],
}


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_each_finding_is_one_item_with_its_decision(name, records):
    r = records[name]
    assert [(i.service, i.decision) for i in r.items] == ITEMS[name]
    for item in r.items:  # each item has its own blocks, none left empty
        assert item.claims_administrator.text and item.reviewer_guideline.text
        assert item.rationale.startswith(("The guidelines", "Aquatic", "Arthroscopic", "There is",
                                          "A one month", "Lidoderm is"))
    assert r.warnings == []


def test_reviewer_patient_and_case(records):
    r = records[DOUBLE]
    assert r.case_number == "CM13-0998102"
    assert r.reviewer.specialties == ["Orthopaedic Surgery"]
    assert r.reviewer.licensed_states == ["CA", "NV", "UT"]
    assert (r.patient.age, r.patient.sex) == (36, "female")
    c = records[CRLF]
    assert c.case_number is None and c.id.startswith("imr-")
    assert c.reviewer.specialties == ["Anesthesiology", "Pain Medicine"]
    assert (c.patient.age, c.patient.sex) == (58, "female")
    assert (records[RUN_ON].patient.age, records[RUN_ON].patient.sex) == (47, "male")


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_the_quoted_summary_reads_without_disclaimer_or_quotes(name, records):
    summary = records[name].clinical_summary
    assert summary.startswith(("The patient is a 47", "The claimant is a 36", "This is a 58"))
    assert "Disclaimer" not in summary and "“" not in summary and "”" not in summary
    assert "INDEPENDENT MEDICAL REVIEW" not in summary and "Relied Upon" not in summary


def test_a_quotation_followed_by_other_words_keeps_its_marks(raw):
    text = raw[CRLF].replace("TENS unit.”", "TENS unit.” The reviewer notes the request.")
    summary = parse_letter(text).clinical_summary
    assert summary.startswith("“This is a 58") and "TENS unit.” The reviewer" in summary


def test_findings_that_differ_under_the_heading_are_warned(raw):
    text = raw[RUN_ON].replace("for 12 sessions of\naquatic therapy is notmedically necessary and "
                               "appropriate.\nMedical", "for 8 sessions of\naquatic therapy is "
                               "notmedically necessary and appropriate.\nMedical")
    r = parse_letter(text)
    assert [i.service for i in r.items][1] == "12 sessions of aquatic therapy"  # the top's
    assert any("differ from those at the top" in w for w in r.warnings)


def test_an_unknown_verdict_in_a_finding_is_still_refused(raw):
    text = raw[RUN_ON].replace("is notmedically necessary", "is partly approved", 1)
    with pytest.raises(LetterError, match="unknown decision 'partly approved and appropriate'"):
        parse_letter(text)
