"""The item reader of the final determination layouts (generator/letters/layouts/items.py):
one linear pass, each item's service its own line(s)."""

from __future__ import annotations

import time

from generator.letters.layouts.items import split_items
from generator.letters.parse import parse_letter


def test_a_thousand_item_lines_read_in_linear_time():
    issues = "\n".join(f"Acupuncture visit number {k} :  Upheld" for k in range(1000))
    start = time.perf_counter()
    items = split_items(issues, issues)
    elapsed = time.perf_counter() - start
    assert [i.service for i in items] == [f"Acupuncture visit number {k}" for k in range(1000)]
    assert all(i.decision == "upheld" for i in items)
    assert elapsed < 2.0, f"{elapsed:.1f} s for 1,000 item lines"


def test_wrapped_service_after_an_item_line_is_its_own():
    issues = (
        "Norco 10/325mg #60 :  Upheld\n"
        "Retrospective request for a lumbar\n"
        "support brace :  Overturned\n"
        "Claims Administrator guideline: Decision based on MTUS.\n"
    )
    items = split_items(issues, issues)
    assert [(i.service, i.decision) for i in items] == [
        ("Norco 10/325mg #60", "upheld"),
        ("Retrospective request for a lumbar support brace", "overturned"),
    ]


def _double_spaced(lines: list[str]) -> str:
    return "".join(f"{line} \n\n" for line in lines)


def test_fifty_items_separated_by_single_blank_lines():
    """Single blank lines read as double spacing: the item lines become adjacent lines of one
    paragraph, and each is still an item of its own."""
    services = [f"Physical therapy for the lumbar spine, {k + 6} visits" for k in range(50)]
    lines = [
        "Case Number:  CM15-0999050",
        "Decision Date:  03/02/2015",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "The physician reviewer is Board Certified in Orthopaedic Surgery and is licensed to "
        "practice in California.",
        "CLINICAL CASE SUMMARY",
        "The patient is a 41-year-old male with low back pain.",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        *(f"{s} :  Upheld" for s in services),
    ]
    start = time.perf_counter()
    record = parse_letter(_double_spaced(lines))
    assert time.perf_counter() - start < 5.0
    assert [i.service for i in record.items] == services
    assert {i.decision for i in record.items} == {"upheld"}
