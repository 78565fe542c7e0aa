"""The two layouts known only by their headings, on one invented letter each
(tests/fixtures/headings-only/; golden records in tests/golden/records/headings-only/),
and a letter in no known layout refused with what was looked for.

- "Independent Medical Review" with "DOCUMENTS REVIEWED" and "IMR DECISION(S) AND
  RATIONALE(S)": the header block and the items are readable; the documents list is not
  part of the record; no heading names a summary or the reviewer, so none is read.
- "MEDICAL PROFESSIONAL REVIEW" with "ISSUE AT DISPUTE:", "CASE SUMMARY:", "DOCUMENTS
  REVIEWED FOR DETERMINATION:", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY
  PROFESSIONAL REVIEWER AND WHY:", "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE
  IS/WAS NOT MEDICALLY NECESSARY:" and "MEDICAL REVIEWER QUALIFICATIONS:".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.letters.layouts import LetterError, split_letter
from generator.letters.parse import parse_letter
from generator.record.store import to_json

FOLDER = Path(__file__).resolve().parent / "fixtures" / "headings-only"
D = dt.date


def _read(name: str) -> str:
    return (FOLDER / f"{name}.txt").read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", ["imr-decisions", "professional-review"])
def test_golden(name, golden):
    golden(f"records/headings-only/{name}.json", to_json(parse_letter(_read(name))))


# --- "Independent Medical Review" ---------------------------------------------------


def test_imr_decisions_letter():
    r = parse_letter(_read("imr-decisions"))
    assert r.case_number == "CM18-0999201"
    assert (r.dates.decision, r.dates.assigned, r.dates.injury) == (
        D(2018, 3, 1), D(2018, 2, 5), D(2015, 8, 19))
    assert (r.dates.ur_denial, r.dates.application_received) == (D(2018, 1, 22), D(2018, 1, 30))
    assert (r.year, r.priority) == (2018, "standard")
    assert [(i.service, i.decision) for i in r.items] == [
        ("Lumbar epidural steroid injection at left L4-L5", "upheld"),  # wrapped decision
        ("Gabapentin 300mg #90", "overturned"),
    ]
    esi, gaba = r.items
    assert [c.key for c in esi.reviewer_guideline.citations] == [
        "mtus-cpmtg/epidural-steroid-injections"]
    assert [c.key for c in gaba.reviewer_guideline.citations] == ["mtus-cpmtg/gabapentin"]
    assert "of 01/15/2018 shows a normal straight leg raise" in esi.rationale  # page break
    assert "Page" not in esi.rationale and "CM18" not in esi.rationale
    # no heading names a summary: none is read, and the documents list is not taken for one
    assert r.clinical_summary == "" and r.warnings == ["no clinical case summary found"]
    assert r.reviewer.specialties == [] and r.reviewer.licensed_states == []


IR_UNLABELLED = """Independent Medical Review
Case Number: CM18-0999202
Decision Date: 04/02/2018

DOCUMENTS REVIEWED
Medical records from 10/01/2017 through 02/20/2018

IMR DECISION(S) AND RATIONALE(S)
1. Physical therapy 2 times a week for 4 weeks for the right shoulder : Overturned
Eight visits are within the guidelines for this shoulder strain. The request is
medically necessary.

2. Norco 5/325mg #60 : Upheld
No functional improvement is documented on opioids. The request is not medically
necessary.
"""


def test_imr_decisions_items_without_labels_keep_their_text_as_rationale():
    r = parse_letter(IR_UNLABELLED)
    assert [(i.service, i.decision) for i in r.items] == [
        ("Physical therapy 2 times a week for 4 weeks for the right shoulder", "overturned"),
        ("Norco 5/325mg #60", "upheld"),
    ]
    assert r.items[1].rationale == (
        "No functional improvement is documented on opioids. The request is not medically "
        "necessary."
    )
    assert not any("block" in w for w in r.warnings)  # no labels are expected of them


def test_imr_decisions_without_items_is_refused():
    text = IR_UNLABELLED.split("1. Physical")[0] + "The decisions are attached.\n"
    with pytest.raises(LetterError, match=r"no disputed item found.*IMR DECISION\(S\)"):
        parse_letter(text)


# --- "MEDICAL PROFESSIONAL REVIEW" ---------------------------------------------------


def test_professional_review_letter():
    r = parse_letter(_read("professional-review"))
    assert r.case_number == "CM19-0999301"
    assert (r.dates.decision, r.dates.injury, r.dates.ur_denial) == (
        D(2019, 6, 20), D(2017, 3, 11), D(2019, 5, 2))
    assert r.reviewer.specialties == ["Family Medicine"]
    assert r.reviewer.licensed_states == ["CA", "AZ"]
    assert (r.patient.age, r.patient.sex) == (39, "female")
    assert r.diagnoses == ["cervical strain", "myofascial pain syndrome"]
    assert r.clinical_summary.startswith("The injured worker is a 39 year old female")
    assert "progress reports" not in r.clinical_summary  # the documents list is left out
    [item] = r.items
    assert (item.service, item.decision) == ("Cyclobenzaprine 7.5mg #60", "upheld")
    assert (item.category, item.subcategory) == ("pharmaceuticals", "muscle-relaxants")
    assert [(c.key, c.pages) for c in item.reviewer_guideline.citations] == [
        ("mtus-cpmtg/muscle-relaxants", "63-66")]
    assert item.reviewer_guideline.mtus_applied is True
    assert item.claims_administrator.text == "" and item.claims_administrator.citations == []
    assert item.rationale.endswith("is not medically necessary.")
    assert r.warnings == []  # this layout prints no claims administrator block: none is missed


def _mpr(issue: str, rationale_end: str = "is not medically necessary.") -> str:
    return (
        "MEDICAL PROFESSIONAL REVIEW\nCase Number: CM19-0999302\nDecision Date: 07/01/2019\n\n"
        f"ISSUE AT DISPUTE:\n{issue}\n\nCASE SUMMARY:\nThe patient is a 50 year old man with "
        "knee pain.\n\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER "
        "AND WHY:\nMTUS Knee Complaints.\n\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE "
        "IS/WAS NOT MEDICALLY NECESSARY:\nNo instability is documented. "
        f"The request {rationale_end}"
        "\n\nMEDICAL REVIEWER QUALIFICATIONS:\nState(s) of Licensure: California\n"
        "Certification(s)/Specialty: Orthopedic Surgery\n"
    )


def test_professional_review_several_issues_share_the_sections():
    r = parse_letter(_mpr("1. Knee brace\n2. MRI of the right knee without contrast"))
    assert [(i.service, i.decision) for i in r.items] == [
        ("Knee brace", "upheld"), ("MRI of the right knee without contrast", "upheld")]
    assert r.items[0].rationale == r.items[1].rationale
    assert "items 1-2 share one guideline and rationale section" in r.warnings
    assert r.reviewer.specialties == ["Orthopedic Surgery"]


def test_professional_review_rationale_disagreeing_with_its_heading_is_warned():
    r = parse_letter(_mpr("Knee brace", "is medically necessary."))
    assert r.items[0].decision == "upheld"  # the heading's word
    assert any("rationale ends" in w for w in r.warnings)


def test_professional_review_without_an_issue_is_refused():
    text = _mpr("Knee brace").replace("ISSUE AT DISPUTE:", "ISSUE:")
    with pytest.raises(LetterError, match="no 'ISSUE AT DISPUTE:' section"):
        parse_letter(text)


# --- dispatch ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (IR_UNLABELLED, "imr-decisions"),
        (_mpr("Knee brace"), "professional-review"),
    ],
)
def test_each_layout_is_read_by_its_module(text, layout):
    assert split_letter(text, text).layout == layout


def test_an_unknown_layout_names_the_headings_looked_for():
    text = "Independent Medical Review\nDOCUMENTS REVIEWED\nA list of records.\n"
    with pytest.raises(LetterError) as err:
        parse_letter(text)
    message = str(err.value)
    assert message.startswith("not an IMR determination letter")
    for heading in ("IMR ISSUES, DECISIONS AND RATIONALES", "IMR DECISION(S) AND RATIONALE(S)",
                    "MEDICAL PROFESSIONAL REVIEW", "INDEPENDENT MEDICAL REVIEW DECISION"):
        assert heading in message


@pytest.mark.parametrize(
    ("folder", "layout"),
    [
        ("format-2016", "format-2016"),
        ("acoem-2017", "final-determination"),
        ("header-2014", "final-determination"),
        ("late-2013", "final-determination"),
        ("notice-2013", "notice-2013"),
        ("notice-2013-opening", "notice-2013"),
    ],
)
def test_fixture_layouts_are_told_apart(folder, layout):
    from generator.letters.clean import clean

    for path in sorted((FOLDER.parent / "letters" / folder).glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        assert split_letter(clean(text), text).layout == layout, path.name
