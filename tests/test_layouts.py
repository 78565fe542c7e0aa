"""Every published layout, letter by letter: a golden record per fixture, and
the key fields spelled out so a reviewer can see what each golden means.

Fixtures (tests/fixtures/letters/<layout>/*.txt) carry the artifacts of PDF
text: double spacing with a trailing space per line, " " lines between
paragraphs, "Page n of m" and repeated case-number lines (with form feeds),
hyphen splits across lines, redaction gaps, wrapped item lines and decisions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.letters.parse import parse_letter
from generator.record.store import to_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "letters"
LETTERS = sorted(FIXTURES.rglob("*.txt"))
# the 2016-17 MAXIMUS layout: golden records here, key fields in tests/test_format_2016.py
FORMAT_E = "format-2016"
# the published opening of the 2013 notice: key fields in tests/test_notice_2013.py
NOTICE_OPENING = "notice-2013-opening"
OWN_TESTS = {FORMAT_E, NOTICE_OPENING}
D = dt.date


def _parse(path: Path):
    return parse_letter(path.read_bytes().decode("utf-8"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", LETTERS, ids=_id)
def test_golden(path, golden):
    golden(f"records/{path.parent.name}/{path.stem}.json", to_json(_parse(path)))


def test_at_least_three_fixtures_per_layout():
    layouts = {p.parent.name for p in LETTERS}
    assert layouts == {"notice-2013", "late-2013", "header-2014", "acoem-2017", *OWN_TESTS}
    assert all(sum(p.parent.name == lay for p in LETTERS) >= 3 for lay in layouts)


# --- the key fields of every fixture ------------------------------------------------
# items: (service as printed, decision, category, subcategory)
# cites: per item, (claims administrator keys+pages, reviewer keys+pages)

EXPECTED = {
    "notice-2013/notice-upheld-two-items": dict(
        case="CM13-0004567",
        dates=dict(
            letter=D(2013, 9, 26),
            injury=D(2011, 3, 2),
            ur_denial=D(2013, 8, 13),
            application_received=D(2013, 8, 20),
            decision=None,
            assigned=None,
        ),
        year=(2013, "letter_date"),
        priority=None,
        patient=(52, "female"),
        specialties=["Anesthesiology", "Pain Medicine"],
        states=["CA", "AZ"],
        diagnoses=["lumbar radiculopathy", "L4-5 disc protrusion", "myofascial pain syndrome"],
        regions=["low-back-lumbar", "chronic-pain-multiple"],
        items=[
            ("Norco 10/325mg #90", "upheld", "pharmaceuticals", "opioids"),
            (
                "MRI of the lumbar spine without contrast",
                "upheld",
                "diagnostic-testing",
                "imaging-mri",
            ),
        ],
        # the reviewer adopted the claims administrator's sources
        cites=[
            ([("mtus-cpmtg/opioids", "74-96")], [("mtus-cpmtg/opioids", "74-96")]),
            ([("acoem-2004/ch-12", "303-304")], [("acoem-2004/ch-12", "303-304")]),
        ],
        mtus=[True, True],
    ),
    "notice-2013/notice-mixed-three-items": dict(
        case="CM13-0006321",
        dates=dict(
            letter=D(2013, 10, 11),
            injury=D(2012, 11, 14),
            ur_denial=D(2013, 8, 29),
            application_received=D(2013, 9, 6),
            decision=None,
            assigned=None,
        ),
        year=(2013, "letter_date"),
        priority=None,
        patient=(38, "male"),
        specialties=["Orthopaedic Surgery"],
        states=["CA", "TX", "CT"],
        diagnoses=["right shoulder impingement syndrome", "rotator cuff tendinitis"],
        regions=["shoulder"],
        items=[
            (
                "physical therapy two times a week for four weeks for the right shoulder",
                "overturned",
                "rehabilitation",
                "physical-therapy",
            ),
            ("Flexeril 7.5mg #60", "upheld", "pharmaceuticals", "muscle-relaxants"),
            (
                "Retrospective request: urine drug screen (DOS 7/15/2013)",
                "upheld",
                "diagnostic-testing",
                "drug-testing",
            ),
        ],
        cites=[
            ([("acoem-2004/ch-09", "203")], [("mtus-cpmtg/physical-medicine", "98-99")]),
            (
                [("mtus-cpmtg/muscle-relaxants", "63-66")],
                [("mtus-cpmtg/muscle-relaxants", "63-66")],
            ),
            ([], [("mtus-cpmtg/drug-testing", "43")]),
        ],
        mtus=[True, True, True],
    ),
    "notice-2013/notice-single-item-unstated": dict(
        case="CM13-0001987",
        dates=dict(
            letter=D(2013, 10, 3),
            injury=D(2013, 1, 22),
            ur_denial=D(2013, 8, 19),
            application_received=D(2013, 8, 30),
            decision=None,
            assigned=None,
        ),
        year=(2013, "letter_date"),
        priority=None,
        patient=(44, None),
        specialties=["Psychiatry"],
        states=["CA", "MA"],
        diagnoses=["major depressive disorder, single episode", "anxiety disorder NOS", "insomnia"],
        regions=["psych-mental"],
        items=[
            (
                "six sessions of cognitive behavioral therapy",
                "overturned",
                "behavioral-mental-health",
                "psychotherapy",
            )
        ],
        cites=[
            ([("odg/mental-illness-stress", None)], [("mtus-cpmtg/behavioral-interventions", "23")])
        ],
        mtus=[True],
    ),
    "late-2013/late-psych-two-items": dict(
        case=None,
        dates=dict(injury=D(2012, 4, 2), decision=None, letter=None, ur_denial=None),
        year=(2013, "latest_date_in_text"),
        priority=None,
        patient=(47, "female"),
        specialties=["Psychiatry"],
        states=["CA", "NY"],
        diagnoses=["major depressive disorder", "generalized anxiety disorder", "insomnia"],
        regions=["psych-mental"],
        items=[
            (
                "Cognitive behavioral therapy x 6 sessions",
                "upheld",
                "behavioral-mental-health",
                "psychotherapy",
            ),
            ("Trazodone 50mg #30", "overturned", "pharmaceuticals", "antidepressants"),
        ],
        cites=[
            (
                [("mtus-cpmtg/behavioral-interventions", "23")],
                [("mtus-cpmtg/behavioral-interventions", "23")],
            ),
            ([("odg/mental-illness-stress", None)], [("odg/mental-illness-stress", None)]),
        ],
        mtus=[True, False],
    ),
    "late-2013/late-knee-four-items": dict(
        case=None,
        dates=dict(injury=D(2011, 2, 14), decision=None, letter=None),
        year=(2013, "latest_date_in_text"),
        priority=None,
        patient=(58, "male"),
        specialties=["Orthopedic Surgery"],
        states=["CA", "PA", "OH"],
        diagnoses=[
            "left knee medial meniscus tear",
            "tricompartmental osteoarthritis of the left knee",
        ],
        regions=["knee"],
        items=[
            ("MRI of the left knee", "upheld", "diagnostic-testing", "imaging-mri"),
            ("Synvisc injection series of three", "overturned", "injections", "joint-injections"),
            ("Hinged knee brace", "upheld", "dmepos", "braces-orthotics"),
            (
                "Post-op physical therapy x 12: left knee",
                "upheld",
                "rehabilitation",
                "physical-therapy",
            ),
        ],
        cites=[
            ([("acoem-2004/ch-13", "341-343")], [("acoem-2004/ch-13", "341-343")]),
            ([("odg/knee-leg", None)], [("odg/knee-leg", None)]),
            ([], [("acoem-2004/ch-13", "340")]),
            ([("mtus-postsurgical", "24")], [("mtus-postsurgical", "24")]),
        ],
        mtus=[True, False, True, True],
    ),
    "late-2013/late-neck-one-item": dict(
        case=None,
        dates=dict(injury=D(2012, 7, 19), decision=None, letter=None),
        year=(2013, "latest_date_in_text"),
        priority=None,
        patient=(39, "female"),
        specialties=["Neurological Surgery"],
        states=["CA"],
        diagnoses=["cervical radiculopathy", "cervicalgia"],
        regions=["neck-cervical"],
        items=[
            (
                "Anterior cervical discectomy and fusion at C5-6 with assistant surgeon and 1 "
                "day inpatient stay",
                "overturned",
                "surgery",
                "spine-surgery",
            )
        ],
        cites=[
            (
                [("acoem-2004/ch-08", "179-180")],
                [("acoem-2004/ch-08", "179-180"), ("odg/neck-and-upper-back", None)],
            )
        ],
        mtus=[True],
    ),
    "header-2014/h2014-opioids-three-items": dict(
        case="CM14-0031415",
        dates=dict(
            assigned=D(2014, 3, 4),
            injury=D(2010, 6, 11),
            decision=D(2014, 4, 1),
            ur_denial=D(2014, 2, 20),
            application_received=D(2014, 3, 1),
            letter=None,
        ),
        year=(2014, "decision_date"),
        priority="standard",
        patient=(49, "female"),
        specialties=["Physical Medicine & Rehabilitation", "Pain Medicine"],
        states=["CA", "TN"],
        diagnoses=[
            "lumbar disc displacement without myelopathy",
            "lumbar radiculitis",
            "chronic pain syndrome",
        ],
        regions=["low-back-lumbar", "chronic-pain-multiple"],
        items=[
            ("Norco 10/325mg #120", "upheld", "pharmaceuticals", "opioids"),
            ("Soma 350mg #60", "upheld", "pharmaceuticals", "muscle-relaxants"),
            ("Omeprazole 20mg #60", "overturned", "pharmaceuticals", "gastrointestinal"),
        ],
        cites=[
            (
                [("mtus-cpmtg/opioids-criteria-for-use", "76-80")],
                [("mtus-cpmtg/opioids-criteria-for-use", "76-80")],
            ),
            ([("mtus-cpmtg/carisoprodol", "29")], [("mtus-cpmtg/carisoprodol", "29")]),
            (
                [("mtus-cpmtg/nsaids-gi-symptoms-cardiovascular-risk", "68-69")],
                [("mtus-cpmtg/nsaids-gi-symptoms-cardiovascular-risk", "68-69")],
            ),
        ],
        mtus=[True, True, True],
    ),
    "header-2014/h2015-two-per-line-spine": dict(
        case="CM15-0123456",
        dates=dict(
            assigned=D(2015, 6, 2),
            injury=D(2009, 9, 21),
            decision=D(2015, 6, 8),
            ur_denial=D(2015, 5, 14),
            application_received=D(2015, 5, 29),
            letter=None,
        ),
        year=(2015, "decision_date"),
        priority="expedited",
        patient=(55, "male"),
        specialties=["Orthopedic Surgery", "Spine Surgery"],
        states=["CA", "OR", "WA"],
        diagnoses=[
            "lumbar spinal stenosis at L4-5 and L5-S1",
            "lumbar radiculopathy",
            "failed conservative treatment",
        ],
        regions=["low-back-lumbar"],
        # items printed as sentences ("1. <service> is not medically necessary ...")
        items=[
            (
                "Lumbar transforaminal epidural steroid injection at L4-5 and L5-S1 bilaterally",
                "upheld",
                "injections",
                "epidural-steroid-injections",
            ),
            (
                "Inpatient: L4-S1 laminectomy and posterior lumbar interbody fusion with 3 day "
                "length of stay",
                "upheld",
                "surgery",
                "spine-surgery",
            ),
        ],
        cites=[
            (
                [("mtus-cpmtg/epidural-steroid-injections", "46")],
                [("mtus-cpmtg/epidural-steroid-injections", "46")],
            ),
            (
                [("acoem-2004/ch-12", "305-307"), ("odg/low-back", None)],
                [("acoem-2004/ch-12", "305-307")],
            ),
        ],
        mtus=[True, True],
    ),
    "header-2014/h2016-eight-items": dict(
        case="CM16-0208765",
        dates=dict(
            assigned=D(2016, 10, 24),
            injury=D(2013, 12, 3),
            decision=D(2016, 11, 22),
            ur_denial=D(2016, 9, 30),
            application_received=D(2016, 10, 14),
            letter=None,
        ),
        year=(2016, "decision_date"),
        priority="standard",
        patient=(61, None),
        specialties=["Family Practice"],
        states=["CA"],
        diagnoses=[
            "cervical strain",
            "right shoulder sprain",
            "bilateral carpal tunnel syndrome",
            "headaches",
        ],
        regions=["neck-cervical", "shoulder", "wrist-hand", "head-brain"],
        items=[
            (
                "Retrospective request for compounded cream: Flurbiprofen 20%/ Baclofen 5%/ "
                "Lidocaine 4% 180gm",
                "upheld",
                "pharmaceuticals",
                "compounded-medications",
            ),
            ("Gabapentin 600mg #90", "overturned", "pharmaceuticals", "anticonvulsants"),
            (
                "EMG/NCV of bilateral upper extremities",
                "overturned",
                "diagnostic-testing",
                "electrodiagnostic",
            ),
            (
                "Physical therapy 2 times a week for 6 weeks for the cervical spine",
                "upheld",
                "rehabilitation",
                "physical-therapy",
            ),
            ("Acupuncture x 6", "upheld", "rehabilitation", "acupuncture"),
            ("TENS unit (purchase)", "upheld", "dmepos", "tens-units"),
            (
                "Follow-up visit with orthopedic surgeon",
                "overturned",
                "evaluation-management",
                "follow-up-visits",
            ),
            ("Wrist brace, right", "upheld", "dmepos", "braces-orthotics"),
        ],
        cites=[
            (
                [("mtus-cpmtg/topical-analgesics", "111-113")],
                [("mtus-cpmtg/topical-analgesics", "111-113")],
            ),
            (
                [("mtus-cpmtg/anti-epilepsy-drugs", "16-18")],
                [("mtus-cpmtg/anti-epilepsy-drugs", "16-18")],
            ),
            (
                [("acoem-2004/ch-11", "260-262")],
                None,
            ),  # see test_two_acoem_chapters_in_one_statement
            (
                [("mtus-cpmtg/physical-medicine", "98-99")],
                [("mtus-cpmtg/physical-medicine", "98-99")],
            ),
            ([("mtus-acupuncture", None)], [("mtus-acupuncture", None)]),
            ([("mtus-cpmtg/tens", "114-116")], [("mtus-cpmtg/tens", "114-116")]),
            ([("acoem-2004/ch-07", "127")], [("acoem-2004/ch-07", "127")]),
            ([], [("acoem-2004/ch-11", "264")]),
        ],
        mtus=[True] * 8,
    ),
    "acoem-2017/a2018-low-back-two-items": dict(
        case="CM18-0054321",
        dates=dict(
            assigned=D(2018, 4, 9),
            injury=D(2016, 8, 15),
            decision=D(2018, 5, 3),
            ur_denial=D(2018, 3, 19),
            application_received=D(2018, 4, 2),
            letter=None,
        ),
        year=(2018, "decision_date"),
        priority="standard",
        patient=(34, "female"),
        specialties=["Physical Medicine & Rehabilitation"],
        states=["CA", "IL"],
        diagnoses=[
            "lumbar sprain/strain",
            "L5-S1 disc herniation",
            "right lower extremity radiculopathy",
        ],
        regions=["low-back-lumbar"],
        items=[
            (
                "MRI lumbar spine without contrast",
                "overturned",
                "diagnostic-testing",
                "imaging-mri",
            ),
            (
                "Chiropractic treatment 2x4 for the lumbar spine",
                "upheld",
                "rehabilitation",
                "chiropractic",
            ),
        ],
        cites=[
            (
                [("acoem-mtus-2017/low-back-disorders", None)],
                [("acoem-mtus-2017/low-back-disorders", None)],
            ),
            (
                [("acoem-mtus-2017/low-back-disorders", None), ("odg/low-back", None)],
                [("acoem-mtus-2017/low-back-disorders", None)],
            ),
        ],
        mtus=[True, True],
    ),
    "acoem-2017/a2019-knee-hip-three-items": dict(
        case="CM19-0187654",
        dates=dict(
            assigned=D(2019, 9, 27),
            injury=D(2018, 1, 30),
            decision=D(2019, 10, 25),
            ur_denial=D(2019, 9, 6),
            application_received=D(2019, 9, 20),
            letter=None,
        ),
        year=(2019, "decision_date"),
        priority="standard",
        patient=(63, "male"),
        specialties=["Orthopedic Surgery", "Sports Medicine"],
        states=["CA", "FL", "MS"],
        diagnoses=[
            "right knee osteoarthritis",
            "right hip greater trochanteric bursitis",
            "status post right knee arthroscopy",
        ],
        regions=["hip-pelvis", "knee"],
        items=[
            (
                "Right total knee arthroplasty with 3 day inpatient stay",
                "overturned",
                "surgery",
                "joint-surgery",
            ),
            (
                "Steroid injection right greater trochanteric bursa under ultrasound guidance",
                "upheld",
                "injections",
                "joint-injections",
            ),
            ("Cold therapy unit, 7 day rental", "overturned", "dmepos", "cold-heat-therapy"),
        ],
        cites=[
            (
                [("acoem-mtus-2017/knee-disorders", None)],
                [("acoem-mtus-2017/knee-disorders", None), ("odg/knee-leg", None)],
            ),
            (
                [("acoem-mtus-2017/hip-and-groin-disorders", None)],
                [("acoem-mtus-2017/hip-and-groin-disorders", None)],
            ),
            ([("odg/knee-leg", None)], [("odg/knee-leg", None)]),
        ],
        mtus=[True, True, False],
    ),
    "acoem-2017/a2018-chronic-pain-opioids": dict(
        case="CM18-0099001",
        dates=dict(
            assigned=D(2018, 6, 18),
            injury=D(2008, 5, 5),
            decision=D(2018, 6, 21),
            ur_denial=D(2018, 6, 8),
            application_received=D(2018, 6, 15),
            letter=None,
        ),
        year=(2018, "decision_date"),
        priority="expedited",
        patient=(57, None),
        specialties=["Anesthesiology", "Pain Medicine"],
        states=["CA", "NJ"],
        diagnoses=["chronic pain syndrome", "failed back surgery syndrome", "opioid dependence"],
        regions=["low-back-lumbar", "chronic-pain-multiple"],
        # items printed as sentences ("OxyContin 40mg #60 is medically necessary ...")
        items=[
            ("OxyContin 40mg #60", "overturned", "pharmaceuticals", "opioids"),
            ("Oxycodone 15mg #180", "upheld", "pharmaceuticals", "opioids"),
        ],
        cites=[
            (
                [("acoem-mtus-2017/opioids", None)],
                None,
            ),  # see test_two_2017_guidelines_joined_by_and
            (
                [("acoem-mtus-2017/opioids", None)],
                [("acoem-mtus-2017/opioids", None), ("odg/pain-chronic", None)],
            ),
        ],
        mtus=[True, True],
    ),
}


def test_every_fixture_has_expectations():
    assert sorted(EXPECTED) == sorted(_id(p) for p in LETTERS if p.parent.name not in OWN_TESTS)


@pytest.fixture(scope="module")
def records():
    return {_id(p): _parse(p) for p in LETTERS}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_key_fields(name, records):
    r, e = records[name], EXPECTED[name]
    assert r.case_number == e["case"]
    assert r.id == (e["case"] or r.id) and (e["case"] or r.id.startswith("imr-"))
    for field, value in e["dates"].items():
        assert getattr(r.dates, field) == value, field
    assert (r.year, r.year_source) == e["year"]
    assert r.priority == e["priority"]
    assert (r.patient.age, r.patient.sex) == e["patient"]
    assert r.reviewer.specialties == e["specialties"]
    assert r.reviewer.board_certified is True
    assert r.reviewer.licensed_states == e["states"]
    assert r.diagnoses == e["diagnoses"]
    assert r.body_regions == e["regions"]
    got = [(i.service, i.decision, i.category, i.subcategory) for i in r.items]
    assert got == e["items"]
    for item, (ca, rev) in zip(r.items, e["cites"], strict=True):
        assert [(c.key, c.pages) for c in item.claims_administrator.citations] == ca
        if rev is not None:
            assert [(c.key, c.pages) for c in item.reviewer_guideline.citations] == rev
    assert [i.reviewer_guideline.mtus_applied for i in r.items] == e["mtus"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_text_is_clean(name, records):
    """No furniture, double spaces or blank gaps survive; redactions are marked."""
    r = records[name]
    texts = [r.clinical_summary] + [
        t
        for i in r.items
        for t in (i.service, i.rationale, i.claims_administrator.text, i.reviewer_guideline.text)
    ]
    for t in texts:
        assert t and t == t.strip()
        assert "  " not in t and "\n" not in t.replace("\n\n", "")
        assert "Page " not in t and "CM1" not in t and "\f" not in t
        assert "Disclaimer" not in t and "Relied Upon" not in t
    for i in r.items:
        assert i.rationale.endswith(("necessary.", "appropriate."))


def test_hyphen_splits_and_redactions_survive(records):
    knee = records["late-2013/late-knee-four-items"]
    assert "pages 341-343" in knee.items[0].claims_administrator.text
    assert "report of 10/02/13 with [redacted], indicated" in knee.clinical_summary
    neck = records["late-2013/late-neck-one-item"]
    assert "at C5-6 with moderate" in neck.clinical_summary
    assert "changes at T1-2." in neck.clinical_summary
    notice = records["notice-2013/notice-upheld-two-items"]
    assert "pages 303-304" in notice.items[1].claims_administrator.text
    assert notice.items[0].rationale.endswith(
        "The request for Norco 10/325mg #90 is not medically necessary and appropriate."
    )  # a page break inside the sentence


def test_notice_summary_drops_the_disclaimer(records):
    r = records["notice-2013/notice-upheld-two-items"]
    assert r.clinical_summary.startswith("The patient is a 52-year-old female")
    assert r.clinical_summary.endswith("no change in function with medications.")


def test_only_the_expected_warnings(records):
    """Misspelled states are reported; nothing else is guessed in these letters."""
    for name, r in records.items():
        other = [w for w in r.warnings if "read as" not in w and "latest date" not in w]
        assert other == [], name


def test_two_acoem_chapters_in_one_statement(records):
    item = records["header-2014/h2016-eight-items"].items[2]
    assert [(c.key, c.pages) for c in item.reviewer_guideline.citations] == [
        ("acoem-2004/ch-08", "178"),
        ("acoem-2004/ch-11", "260-262"),
    ]


def test_two_2017_guidelines_joined_by_and(records):
    item = records["acoem-2017/a2018-chronic-pain-opioids"].items[0]
    assert [c.key for c in item.reviewer_guideline.citations] == [
        "acoem-mtus-2017/chronic-pain",
        "acoem-mtus-2017/opioids",
    ]


def test_fixture_artifacts_are_real(records):
    """The fixtures do carry the artifacts the parser must undo."""
    raw = {_id(p): p.read_bytes() for p in LETTERS if p.parent.name not in OWN_TESTS}
    assert all(b" \n\n" in t or b" \r\n" in t for t in raw.values())
    assert sum(b"\f" in t for t in raw.values()) >= 3
    assert sum(b"Page 2 of" in t for t in raw.values()) >= 8
    assert b"\r\n" in raw["notice-2013/notice-single-item-unstated"]
    assert b"Overturned \n" in raw["acoem-2017/a2019-knee-hip-three-items"]  # wrapped decision
