"""The letter parser: the seed letter field by field, layouts, and bad letters."""

from __future__ import annotations

import hashlib
import re

import pytest

from generator.letters.parse import LetterError, parse_letter
from generator.record.store import to_json
from tests.conftest import SEED_LETTER


@pytest.fixture(scope="module")
def seed():
    data = SEED_LETTER.read_bytes()
    return parse_letter(
        data.decode("utf-8"),
        "content/letters/seed-letter.txt",
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_seed_identity(seed):
    assert seed.case_number is None
    assert re.fullmatch(r"imr-[0-9a-f]{16}", seed.id)
    assert seed.synthetic is False
    assert seed.source.path == "content/letters/seed-letter.txt"


def test_seed_dates_and_year(seed):
    assert seed.dates.injury.isoformat() == "2010-06-11"
    assert seed.dates.decision is None
    assert (seed.year, seed.year_source) == (2013, "latest_date_in_text")
    assert seed.priority is None


def test_seed_patient_and_reviewer(seed):
    assert (seed.patient.age, seed.patient.sex) == (61, None)
    assert seed.reviewer.specialties == ["Orthopedic Surgery"]
    assert seed.reviewer.board_certified is True
    assert seed.reviewer.licensed_states == ["CT", "CA", "PA"]
    assert any("Conneticuit" in w for w in seed.warnings)


def test_seed_regions(seed):
    assert "neck-cervical" in seed.body_regions


def test_seed_item(seed):
    assert len(seed.items) == 1
    item = seed.items[0]
    assert item.service == "Spine consultant w/non MPN"
    assert item.decision == "upheld"
    assert item.category == "evaluation-management"
    assert item.claims_administrator.citations == []
    assert item.claims_administrator.text.startswith("The Claims Administrator did not cite")
    assert item.reviewer_guideline.mtus_applied is False
    [c] = item.reviewer_guideline.citations
    assert (c.guideline, c.chapter, c.pages, c.key) == ("acoem-2004", 7, "127", "acoem-2004/ch-07")
    assert c.title == "Independent Medical Examinations and Consultations"
    assert c.text in item.reviewer_guideline.text


def test_seed_text_is_clean(seed):
    summary = seed.clinical_summary
    assert summary.startswith("The patient is a 61-year-old injured worker")
    assert "  " not in summary and "\n" not in summary
    assert "T1-2, and T2-3" in summary  # hyphen split across lines kept together
    assert "with [redacted], indicated" in summary
    assert " ., " not in summary and ", ," not in summary
    rationale = seed.items[0].rationale
    assert rationale.startswith(
        'According to the on California ACOEM Guidelines, "The occupational'
    )
    assert rationale.endswith("is not medically necessary and appropriate.")
    assert "  " not in rationale


def test_seed_golden(seed, golden):
    golden("records/seed-letter.json", to_json(seed))


def test_seed_id_is_stable_under_reformatting():
    """The id hashes the cleaned text, so CRLF line ends do not change it."""
    text = SEED_LETTER.read_text(encoding="utf-8")
    assert parse_letter(text).id == parse_letter(text.replace("\n", "\r\n")).id


# --- layouts and phrasings ----------------------------------------------------------

HEADER_LETTER = """\
Case Number:  CM14-0012345
Date Assigned:  03/04/2014
Date of Injury:  06/11/2010
Decision Date:  04/01/2014
UR Denial Date:  02/20/2014
Priority:  Expedited
Application Received:  03/01/2014

HOW THE IMR FINAL DETERMINATION WAS MADE
The physician reviewer is Board Certified in Physical Medicine & Rehabilitation, has a
subspecialty in Pain Medicine and is licensed to practice in California and Pensylvania. He/she

CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

The patient is a 45-year-old female who reported an injury on 01/02/2012. The diagnoses
include lumbar radiculopathy, L4-5 disc protrusion and chronic pain syndrome.

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Norco 10/325mg #120 :  Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment
Guidelines Page(s): 76-80.

MAXIMUS guideline: The Expert Reviewer based his/her decision on the MTUS Chronic Pain
Medical Treatment Guidelines Page(s): 76-80.

Decision rationale: There is no documented functional improvement. The request for Norco
10/325mg #120 is not medically necessary and appropriate.

Retrospective request: Lumbar MRI
without contrast :
Overturned

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence
for its decision.

MAXIMUS guideline: The Expert Reviewer based his/her decision on the MTUS ACOEM.

Decision rationale: Red flags are documented. The request is medically necessary and
appropriate.
"""


@pytest.fixture(scope="module")
def header_record():
    return parse_letter(HEADER_LETTER)


def test_header_block(header_record):
    r = header_record
    assert r.id == r.case_number == "CM14-0012345"
    d = r.dates
    assert [d.assigned, d.injury, d.decision, d.ur_denial, d.application_received] == [
        __import__("datetime").date(*x)
        for x in [(2014, 3, 4), (2010, 6, 11), (2014, 4, 1), (2014, 2, 20), (2014, 3, 1)]
    ]
    assert (r.year, r.year_source, r.priority) == (2014, "decision_date", "expedited")


def test_subspecialty_and_misspelled_state(header_record):
    rev = header_record.reviewer
    assert rev.specialties == ["Physical Medicine & Rehabilitation", "Pain Medicine"]
    assert rev.licensed_states == ["CA", "PA"]


def test_patient_sex_and_diagnoses(header_record):
    assert (header_record.patient.age, header_record.patient.sex) == (45, "female")
    assert header_record.diagnoses == [
        "lumbar radiculopathy",
        "L4-5 disc protrusion",
        "chronic pain syndrome",
    ]
    assert {"low-back-lumbar", "chronic-pain-multiple"} <= set(header_record.body_regions)


def test_items_with_colons_and_wrapped_decision(header_record):
    items = header_record.items
    assert [i.service for i in items] == [
        "Norco 10/325mg #120",
        "Retrospective request: Lumbar MRI without contrast",
    ]
    assert [i.decision for i in items] == ["upheld", "overturned"]
    assert (items[0].category, items[0].subcategory) == ("pharmaceuticals", "opioids")
    assert (items[1].category, items[1].subcategory) == ("diagnostic-testing", "imaging-mri")
    assert items[0].reviewer_guideline.mtus_applied is True
    assert items[0].claims_administrator.citations[0].pages == "76-80"
    assert items[1].body_regions == ["low-back-lumbar"]


# --- bad letters -----------------------------------------------------------------------


def test_empty_letter():
    with pytest.raises(LetterError, match="empty"):
        parse_letter("  \n\n ")


def test_not_a_letter():
    with pytest.raises(LetterError, match="not an IMR determination letter"):
        parse_letter("Dear customer,\nyour order has shipped.\n")


def test_truncated_letter_names_a_line():
    text = SEED_LETTER.read_text(encoding="utf-8")
    cut = text[: text.index("IMR ISSUES")]
    with pytest.raises(LetterError, match="truncated") as err:
        parse_letter(cut)
    assert err.value.line is not None


def test_unknown_decision_word_names_its_line():
    text = HEADER_LETTER.replace("Norco 10/325mg #120 :  Upheld", "Norco 10/325mg #120 :  Modified")
    with pytest.raises(LetterError, match="unknown decision 'Modified'") as err:
        parse_letter(text)
    assert err.value.line == HEADER_LETTER.splitlines().index("Norco 10/325mg #120 :  Upheld") + 1


def test_letter_without_items():
    text = HEADER_LETTER.split("Norco 10/325mg")[0]
    with pytest.raises(LetterError, match="no disputed item"):
        parse_letter(text)


def test_rationale_disagreeing_with_item_line_is_warned():
    text = HEADER_LETTER.replace("#120 :  Upheld", "#120 :  Overturned")
    record = parse_letter(text)
    assert any("rationale ends" in w for w in record.warnings)


def test_two_digit_years_pivot():
    from generator.letters.parse import parse_date

    assert str(parse_date("06/11/10")) == "2010-06-11"
    assert str(parse_date("06/11/69")) == "1969-06-11"
    assert str(parse_date("1/2/30")) == "2030-01-02"


@pytest.mark.parametrize(
    ("summary", "age", "warned"),
    [
        ("The injured worker is a 48 year old male.", 48, False),
        ("The injured worker is a 0-year-old male.", None, True),
        ("The injured worker is a 111-year-old male.", None, True),
        ("The injured worker is a -3-year-old male.", None, False),
        ("The injured worker is a \u0664\u0668-year-old male.", None, False),
    ],
)
def test_age_is_plausible_and_ascii(summary, age, warned):
    from generator.letters.parse import parse_patient

    warnings: list[str] = []
    assert parse_patient(summary, None, warnings)["age"] == age
    assert bool(warnings) == warned


def test_ids_and_case_numbers_take_ascii_digits_only():
    from pydantic import ValidationError

    from generator.letters import patterns as rx
    from tests.factories import make_record

    assert rx.CASE_NUMBER.search("Case Number: CM16-0213037").group(1) == "CM16-0213037"
    assert rx.CASE_NUMBER.search("CM13-00123456") is None  # never cut to seven digits
    arabic_indic = "CM\u0662\u0663-\u0666\u0669\u0661\u0661\u0660\u0662\u0669"
    assert rx.CASE_NUMBER.search(arabic_indic) is None
    with pytest.raises(ValidationError):
        make_record(id=arabic_indic)


@pytest.mark.parametrize(
    ("printed", "field", "kept"),
    [
        ("Date of Injury:  06/11/2010", "injury", True),
        ("Date of Injury:  11/11/1111", "injury", False),
        ("Date of Injury:  12/31/1949", "injury", False),
        ("Date of Injury:  01/01/1950", "injury", True),
        ("Date Assigned:  12/12/2121", "assigned", False),  # over a year after the decision
        ("Date Assigned:  03/31/2015", "assigned", True),
        ("Date Assigned:  04/03/2015", "assigned", False),
        ("Decision Date:  04/01/1999", "decision", False),
        ("Decision Date:  04/01/2101", "decision", False),
    ],
)
def test_implausible_dates_are_null_with_a_warning(printed, field, kept):
    label = printed.split(":")[0]
    line = next(ln for ln in HEADER_LETTER.splitlines() if ln.startswith(label + ":"))
    record = parse_letter(HEADER_LETTER.replace(line, printed))
    value = getattr(record.dates, field)
    assert (value is not None) == kept, value
    assert any(f"{field} date" in w and "left empty" in w for w in record.warnings) != kept
    assert 2000 <= record.year <= 2100  # never a rejected letter


def test_implausible_decision_date_is_no_year():
    text = HEADER_LETTER.replace("Decision Date:  04/01/2014", "Decision Date:  11/11/1111")
    record = parse_letter(text)
    assert record.dates.decision is None
    assert (record.year, record.year_source) == (2014, "latest_date_in_text")


def test_every_date_implausible_leaves_no_year():
    text = re.sub(r"\d{2}/\d{2}/\d{4}", "11/11/1111", HEADER_LETTER)
    text = text.replace("01/02/2012", "12/12/2121")
    record = parse_letter(text)
    assert record.dates.model_dump() == dict.fromkeys(record.dates.model_dump())
    assert record.year is None
    assert "no date found to give the determination a year" in record.warnings


def test_dates_in_other_digits_are_not_read():
    from generator.letters.parse import parse_date

    assert parse_date("\u0660\u0666/\u0661\u0661/\u0662\u0660\u0661\u0660") is None
    assert parse_date("06/11/\uff12\uff10\uff11\uff10") is None


@pytest.mark.parametrize("printed", ["cm14-0012345", "Cm14-0012345", "cM14-0012345"])
def test_lowercase_case_number_is_normalized(printed):
    record = parse_letter(HEADER_LETTER.replace("CM14-0012345", printed))
    assert record.id == record.case_number == "CM14-0012345"


def test_case_number_with_eight_digits_is_not_cut():
    record = parse_letter(HEADER_LETTER.replace("CM14-0012345", "CM14-00123456"))
    assert record.case_number is None and record.id.startswith("imr-")
    assert any("'CM14-00123456' is not CM##-#######" in w for w in record.warnings)


def test_service_without_letter_or_digit_is_not_an_item():
    text = HEADER_LETTER.replace("Norco 10/325mg #120 :  Upheld", "\u200b\u200b :  Upheld")
    record = parse_letter(text)
    assert [i.service for i in record.items] == [
        "Retrospective request: Lumbar MRI without contrast"
    ]
    assert any("names no service" in w for w in record.warnings)


def test_letter_of_services_without_letters_is_rejected_with_the_reason():
    text = HEADER_LETTER.replace("Norco 10/325mg #120 :  Upheld", "- - - :  Upheld")
    text = text.replace("Retrospective request: Lumbar MRI\nwithout contrast :", "# # :")
    with pytest.raises(LetterError, match="no disputed item names a service"):
        parse_letter(text)


def test_control_and_bidi_characters_stay_out_of_the_record():
    text = HEADER_LETTER.replace("Norco", "Nor\u202eco\x01").replace("lumbar", "lum\u200fbar")
    record = parse_letter(text)
    assert record.items[0].service == "Norco 10/325mg #120"
    assert record.diagnoses[0] == "lumbar radiculopathy"
    assert record.id == parse_letter(HEADER_LETTER).id


def test_pages_in_non_ascii_digits_are_not_read_and_the_letter_still_is():
    """Issue 17: '٧٦-٨٠' is no page range (the schema takes ASCII digits); the letter is read."""
    text = HEADER_LETTER.replace("Page(s): 76-80", "Page(s): ٧٦-٨٠")
    record = parse_letter(text)
    pages = [c.pages for i in record.items for c in i.reviewer_guideline.citations]
    assert pages and all(p is None or p.isascii() for p in pages)


def test_words_read_case_insensitively_are_understood_as_read():
    """A month or a priority the patterns matched case-insensitively ("\u017f" is "s" to
    them, "\u0131" is "i") is understood as that word, not looked up by lower()."""
    from generator.letters.parse import parse_date, parse_header

    assert str(parse_date("\u017fept. 6, 2016")) == "2016-09-06"
    assert parse_header("Priority: Exped\u0131ted", "")[2] == "expedited"
    assert parse_header("Priority: URGENT", "")[2] == "expedited"
    assert parse_header("Priority: Regular", "")[2] == "standard"
