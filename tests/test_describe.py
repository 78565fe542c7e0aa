"""A determination in words (generator/pages/describe.py) and its page's head."""

from __future__ import annotations

import datetime as dt

import yaml

from generator.pages import describe
from generator.pages.determination import OriginalLetter, determination_page, letter_link
from tests.factories import make_item, make_record

DAY = dt.date(2016, 11, 21)


def _record(*items, case="CM16-0213037", **kw):
    return make_record(
        id=case, case_number=case, items=list(items) or None, decision_date=DAY, **kw
    )


def test_one_item_title():
    r = _record(make_item("Lumbar MRI"))
    assert describe.title(r) == "Lumbar MRI upheld — IMR CM16-0213037, decided 2016-11-21"


def test_two_items_named_each():
    r = _record(make_item("Lumbar MRI"), make_item("Norco 10/325mg #120", "overturned"))
    assert describe.title(r).startswith("Lumbar MRI upheld, Norco 10/325mg #120 overturned — ")
    same = _record(make_item("Norco"), make_item("Soma"))
    assert describe.what_was_decided(same) == "Norco and Soma upheld"


def test_several_items_counted():
    items = [make_item("A"), make_item("B"), make_item("C", "overturned")]
    assert describe.what_was_decided(_record(*items)) == "3 requests: 2 upheld, 1 overturned"
    assert describe.what_was_decided(_record(*items[:2], make_item("D"))) == (
        "3 requests, all upheld"
    )


def test_no_case_number_no_date():
    r = make_record(year=None, decision_date=None, items=[make_item("Acupuncture x6")])
    assert describe.title(r) == f"Acupuncture x6 upheld — IMR determination {r.id}"
    assert "decided" not in describe.summary(r)


def test_long_service_cut_at_a_word():
    long = "Physical therapy twice a week for six weeks for the lumbar spine"
    text = describe.short_service(long)
    assert text.endswith("…") and len(text) <= describe.SERVICE_CHARS
    assert describe.short_service("  Norco\n 10mg ") == "Norco 10mg"


def test_summary_and_description():
    r = _record(make_item("Lumbar MRI"), make_item("Norco", "overturned"))
    s = describe.summary(r)
    assert s.startswith("Denial upheld (not medically necessary): Lumbar MRI. ")
    assert "Denial overturned (medically necessary): Norco." in s
    assert "Low back" in s and "reviewer: Orthopedic Surgery" in s and "2016-11-21" in s
    assert "\n" not in s
    assert describe.description(r) == f"IMR CM16-0213037: {s}"


def test_descriptions_differ_between_records():
    a = _record(make_item("Lumbar MRI"), case="CM16-0000001")
    b = _record(make_item("Lumbar MRI"), case="CM16-0000002")
    assert describe.description(a) != describe.description(b)


def test_citation_text():
    r = _record(make_item("Lumbar MRI"))
    assert describe.citation(r, "IMR Archive") == (
        "Independent Medical Review CM16-0213037 (decided 2016-11-21): "
        "Lumbar MRI upheld. IMR Archive"
    )
    assert describe.citation(r, "X", "https://e.org/d/").endswith("X, https://e.org/d/")


def test_page_head_and_no_warnings():
    r = _record(make_item("Lumbar MRI"), warnings=["year taken from the letter"])
    page = determination_page(r, letter=OriginalLetter("CM16-0213037.pdf", 43_000))
    assert 'title: "Lumbar MRI upheld — IMR CM16-0213037, decided 2016-11-21"' in page
    assert 'description: "IMR CM16-0213037: Denial upheld' in page
    assert "# Lumbar MRI upheld — IMR CM16\\-0213037" in page
    assert "{: .imr-summary }" in page
    assert 'href="CM16-0213037.pdf"' in page and "Original letter (PDF, 42 KB)" in page
    assert "data-imr-citation=" in page and "Copy citation" in page
    assert "year taken from the letter" not in page
    assert page.count("CM16\\-0213037 |") == 1  # the facts name the case number once
    assert "Archive id" not in page


def test_letter_link_text():
    assert letter_link(None) == ""
    assert "(text, 1 KB)" in letter_link(OriginalLetter("imr-0123456789abcdef.txt", 300))


def test_hostile_text_is_escaped_in_head():
    r = _record(make_item('<script>alert(1)</script> "MRI"'))
    page = determination_page(r)
    assert "<script>" not in page
    head = yaml.safe_load(page.split("---")[1])
    assert '"' not in head["description"] and "<" not in head["description"]
