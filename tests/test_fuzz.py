"""Issue 17: a seeded slice of the mutation fuzzer (benchmarks/fuzz.py) in the suite.

300 mutated letters and 20 PDFs made by the fuzzer, each through the ingest path in a
worker process: no unexpected exception, no crash, and every record within the rules
(ASCII ids and dates, plausible dates and age, no control or bidi characters, every
service with a letter or a digit). Hangs and slow letters are counted, and printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import fuzz  # noqa: E402
import fuzz_cases  # noqa: E402

GOOD = {
    "id": "CM14-0012345",
    "case_number": "CM14-0012345",
    "dates": {"injury": "2010-06-11", "decision": "2014-04-01", "letter": None},
    "year": 2014,
    "patient": {"age": 45, "sex": "female"},
    "clinical_summary": "The patient is a 45-year-old female.\n\nShe\tis better.",
    "items": [{"service": "Norco 10/325mg #120", "rationale": "ok"}],
    "warnings": [],
}
LETTER = "Case Number: CM14-0012345\n"


def test_the_rules_hold_for_a_good_record():
    assert fuzz.check_record(GOOD, LETTER) == []


@pytest.mark.parametrize(
    ("change", "breach"),
    [
        ({"id": "CM\u0661\u0664-0012345"}, "id"),
        ({"case_number": "cm14-0012345"}, "case_number"),
        ({"dates": {"injury": "1111-11-11", "decision": "2014-04-01"}}, "before 1950"),
        ({"dates": {"assigned": "2121-12-12", "decision": "2014-04-01"}}, "over a year after"),
        ({"dates": {"decision": "2150-01-01"}}, "outside 2000-2100"),
        ({"patient": {"age": 0}}, "patient.age"),
        ({"clinical_summary": "a\u202eb"}, "U+202E"),
        ({"clinical_summary": "a\x1bb"}, "U+001B"),
        ({"items": [{"service": "\u200b\u200f"}]}, "no letter or digit"),
    ],
)
def test_each_rule_can_fail(change, breach):
    assert any(breach in b for b in fuzz.check_record(GOOD | change, LETTER))


def test_a_cut_case_number_is_a_breach():
    breaches = fuzz.check_record(GOOD, "Case Number: CM14-00123456\n")
    assert any("not printed whole" in b for b in breaches)


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_cases_are_reproducible_from_their_spec(kind):
    for index in range(5):
        a, b = fuzz_cases.make_case(kind, 3, index), fuzz_cases.make_case(kind, 3, index)
        assert (a.source, a.steps) == (b.source, b.steps)
        if not any("crypt" in s or "password" in s for s in a.steps):  # pypdf salts keys
            assert a.data == b.data


def test_seeded_slice_of_the_fuzzer():
    summary = fuzz.fuzz(300, 20, seed=17, jobs=2, timeout=2.0, slow=1.0)
    print("\n".join(summary.lines()))
    assert summary.total == 320
    assert summary.outcomes["record"] > 100  # the mutations still leave letters to read
    assert not summary.unexpected, summary.unexpected
    assert not summary.crashes, summary.crashes
    assert not summary.breaches, summary.breaches
