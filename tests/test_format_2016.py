"""The 2016-17 MAXIMUS layout ("format E"), on invented letters in its shape.

The fixtures (tests/fixtures/letters/format-2016/*.txt) are written for the project
(invented case numbers CM16-0999001 / CM17-099900x and clinical text), in the text
layer pypdf gives for the real letters: the header labels run together
(`Date Assigned: ... Date of Injury:  ...`, `Priority:  Standard Application` /
`Received:` / date on three lines), no "Page n of m" furniture, pages joined with
"\\n\\f" (one break falls inside a guideline statement), item names wrapped over up
to three lines, partly authorized requests, and the three kinds of reviewer
statement (MTUS / outside the MTUS / no evidence cited).
Golden records are compared in tests/test_layouts.py (test_golden).
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.letters.parse import parse_letter
from tests.helpers import fixture_letters

D = dt.date

LOW_BACK = "f2016-low-back-two-items"
PARTLY = "f2017-partly-authorized"
NO_MTUS = "f2017-no-mtus-five-items"


@pytest.fixture(scope="module")
def records():
    return {name: parse_letter(text) for name, text in fixture_letters("format-2016").items()}


def _cites(statement):
    return [(c.key, c.topic) for c in statement.citations]


def test_three_fixtures_in_the_pypdf_shape():
    raw = fixture_letters("format-2016")
    assert sorted(raw) == sorted([LOW_BACK, PARTLY, NO_MTUS])
    for text in raw.values():
        assert "Priority:  Standard Application\nReceived:\n" in text
        assert "The Expert Reviewer has the following credentials:" in text
        assert "IMR ISSUES, DECISIONS AND RATIONALES" in text
    assert "\n\fOpioids, dosing." in raw[LOW_BACK]  # page break inside a statement


# --- header, credentials, summary ---------------------------------------------------

HEADER = {
    LOW_BACK: dict(
        case="CM16-0999001",
        dates=dict(
            assigned=D(2016, 11, 9),
            injury=D(2016, 10, 13),
            decision=D(2016, 12, 7),
            ur_denial=D(2016, 10, 28),
            application_received=D(2016, 11, 3),
            letter=None,
        ),
        year=2016,
        patient=(52, "female"),
        specialties=["Physical Medicine & Rehabilitation", "Pain Medicine"],
        states=["CA", "TX"],
        summary="The injured worker is a 52 year old female who sustained",
    ),
    PARTLY: dict(
        case="CM17-0999002",
        dates=dict(
            assigned=D(2017, 1, 12),
            injury=D(2015, 3, 2),
            decision=D(2017, 2, 8),
            ur_denial=D(2016, 12, 29),
            application_received=D(2017, 1, 5),
            letter=None,
        ),
        year=2017,
        patient=(41, "male"),
        specialties=["Orthopedic Surgery"],
        states=["CA"],
        summary="This case involves a now 41-year-old male who has filed a claim",
    ),
    NO_MTUS: dict(
        case="CM17-0999003",
        dates=dict(
            assigned=D(2017, 1, 20),
            injury=D(2014, 6, 14),
            decision=D(2017, 2, 17),
            ur_denial=D(2017, 1, 6),
            application_received=D(2017, 1, 13),
            letter=None,
        ),
        year=2017,
        patient=(58, "female"),
        specialties=["Orthopedic Surgery", "Sports Medicine"],
        states=["CA", "OR", "WA"],
        summary="The applicant is a 58-year-old female who has filed a claim",
    ),
}


@pytest.mark.parametrize("name", sorted(HEADER))
def test_header_and_credentials(name, records):
    r, e = records[name], HEADER[name]
    assert r.case_number == e["case"] and r.id == e["case"]
    for field, value in e["dates"].items():
        assert getattr(r.dates, field) == value, field
    assert (r.year, r.year_source) == (e["year"], "decision_date")
    assert r.priority == "standard"
    assert (r.patient.age, r.patient.sex) == e["patient"]
    assert r.reviewer.specialties == e["specialties"]
    assert r.reviewer.licensed_states == e["states"]
    assert r.reviewer.board_certified is None  # the layout has no "Board Certified" wording
    assert r.clinical_summary.startswith(e["summary"])
    assert "expert reviewer developed" not in r.clinical_summary
    assert "IMR ISSUES" not in r.clinical_summary
    assert r.warnings == []


# --- items -------------------------------------------------------------------------
# (service, original_request, decision, mtus_applied,
#  claims administrator (key, topic) list, reviewer (key, topic) list)

ITEMS = {
    LOW_BACK: [
        (
            "Lumbar support brace for the low back, purchase",
            None,
            "upheld",
            True,
            [("acoem-2004/ch-12", None)],
            [("acoem-2004/ch-12", "Physical Methods")],
        ),
        (
            "Tramadol 50mg #60",
            None,
            "upheld",
            True,
            [("acoem-2004/ch-12", None)],
            [
                ("acoem-2004/ch-12", "Physical Methods"),
                (
                    "mtus-cpmtg/opioids-criteria-for-use",
                    "Opioids, criteria for use, Opioids, dosing",
                ),
            ],
        ),
    ],
    PARTLY: [
        (
            "Post-operative physical therapy 2 times a week for 3 weeks for the right "
            "shoulder, 6 sessions",
            "Post-operative physical therapy 2 times a week for 6 weeks for the right "
            "shoulder, 12 sessions",
            "upheld",
            True,
            [("mtus-postsurgical", None)],
            [("mtus-postsurgical", "Shoulder")],
        ),
        (
            "Cold therapy unit, 7 day rental",
            "Cold therapy unit, 7 day rental",
            "overturned",
            False,
            [("acoem-2004/ch-09", None)],
            [("odg/shoulder", "Continuous-flow cryotherapy")],
        ),
    ],
    NO_MTUS: [
        (
            "Physical therapy for the left knee, 8 sessions",
            None,
            "overturned",
            False,
            [],
            [("odg/knee-leg", "Physical therapy")],
        ),
        (
            "Acupuncture 6 sessions",
            None,
            "upheld",
            True,
            [("mtus-acupuncture", None)],
            [("mtus-acupuncture", None)],
        ),
        (
            "Counterforce elbow brace, right",
            None,
            "overturned",
            True,
            [],
            [("acoem-2007-elbow", "Lateral Epicondylalgia")],
        ),
        (
            "Hydrocodone/acetaminophen 10/325mg #90",
            None,
            "upheld",
            True,
            [("mtus-opioids-2016", None)],
            [("mtus-opioids-2016", None)],
        ),
        (
            "Functional capacity evaluation",
            None,
            "upheld",
            True,
            [("acoem-2004", None)],  # General Approaches without sections: no chapter
            [("acoem-2004/ch-03", None), ("acoem-2004/ch-05", None)],
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_items(name, records):
    r = records[name]
    got = [
        (
            i.service,
            i.original_request,
            i.decision,
            i.reviewer_guideline.mtus_applied,
            _cites(i.claims_administrator),
            _cites(i.reviewer_guideline),
        )
        for i in r.items
    ]
    assert got == ITEMS[name]


def test_page_break_inside_a_statement_is_joined(records):
    rev = records[LOW_BACK].items[1].reviewer_guideline
    assert rev.text == (
        "Decision based on MTUS Low Back Complaints 2004, Section(s): Physical Methods, and "
        "Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use, "
        "Opioids, dosing."
    )
    assert [c.guideline for c in rev.citations] == ["acoem-2004", "mtus-cpmtg"]
    assert rev.citations[0].chapter == 12 and rev.citations[0].title == "Low Back Complaints"


def test_statement_kinds(records):
    items = records[NO_MTUS].items
    # "did not cite any medical evidence": the text is kept, nothing is cited
    ca = items[0].claims_administrator
    assert ca.text == (
        "The Claims Administrator did not cite any medical evidence for its decision."
    )
    assert ca.citations == []
    # "outside of the MTUS Guidelines": only the Non-MTUS reference is cited,
    # the sentence itself yields no "other" citation
    rev = items[0].reviewer_guideline
    assert rev.mtus_applied is False
    assert rev.text.startswith(
        "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS "
        "Guidelines. Non-MTUS Citation: Official Disability Guidelines (ODG), Knee & Leg"
    )
    assert [(c.key, c.mtus) for c in rev.citations] == [("odg/knee-leg", "Non-MTUS")]
    assert not any(c.guideline == "other" for i in items for c in i.reviewer_guideline.citations)
    assert rev.citations[0].title == "Knee & Leg (Acute & Chronic)"
    # MTUS sentences: every citation is marked MTUS
    for i in items[1:]:
        assert i.reviewer_guideline.mtus_applied is True
        assert {c.mtus for c in i.reviewer_guideline.citations} == {"MTUS"}


def test_general_approaches_sections_name_chapters(records):
    cites = records[NO_MTUS].items[4].reviewer_guideline.citations
    assert [(c.chapter, c.title) for c in cites] == [
        (3, "Initial Approaches to Treatment"),
        (5, "Cornerstones of Disability Prevention and Management"),
    ]


def test_partly_authorized_item_text_is_clean(records):
    for i in records[PARTLY].items:
        assert "original request" not in i.service
        assert "authorized" not in i.service and "IMR eligible" not in i.service
        assert "\n" not in i.service and "  " not in i.service


def test_decision_lines_and_furniture_stay_out_of_texts(records):
    for r in records.values():
        for i in r.items:
            for t in (i.rationale, i.claims_administrator.text, i.reviewer_guideline.text):
                assert t and t == t.strip() and "\f" not in t and "\n" not in t
                assert "Decision rationale" not in t and "MAXIMUS guideline" not in t
            assert i.rationale.endswith("medically necessary.")


@pytest.mark.parametrize("i", ["\u0131", "\u0130", "I"])  # dotless ı, dotted İ, plain I
def test_a_title_spelled_with_a_dotless_or_dotted_i_reads_as_the_title(records, i):
    """IGNORECASE matches "ı" and "İ" where the title has "i" (case folding does not
    make them "i": the title was once looked up by its folded spelling, a KeyError)."""
    text = fixture_letters("format-2016")[LOW_BACK]
    twisted = text.replace("Chronic Pain Medical Treatment", f"Chron{i}c Pa{i}n Medical Treatment")
    twisted = twisted.replace("Low Back Complaints", f"Low Back Compla{i}nts")
    assert twisted != text
    record = parse_letter(twisted)

    def keys(r):
        return [[(c.key, c.topic, c.span) for c in item.reviewer_guideline.citations]
                + [(c.key, c.topic, c.span) for c in item.claims_administrator.citations]
                for item in r.items]

    assert keys(record) == keys(records[LOW_BACK])
    cited = [c.text for it in record.items for c in it.reviewer_guideline.citations]
    assert any(f"Chron{i}c" in t for t in cited)
