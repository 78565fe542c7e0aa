"""The synthetic corpus: deterministic, marked, coherent, and parseable."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from generator.letters import synth
from generator.letters.synth import MARKER, synth_case, synth_letter, synth_letters
from generator.record import taxonomy

N = 300
ITEM_LINE = re.compile(r"^(?P<service>.+?) :  (?P<label>Upheld|Overturned) $")
HEADER_FIELDS = (
    "Case Number",
    "Date Assigned",
    "Date of Injury",
    "Decision Date",
    "UR Denial Date",
    "Priority",
    "Application Received",
)


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return [synth_case(i) for i in range(N)]


@pytest.fixture(scope="module")
def letters() -> list[tuple[str, str]]:
    return list(synth_letters(N))


def _header(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        for field in HEADER_FIELDS:
            if line.startswith(field + ":  "):
                out.setdefault(field, line[len(field) + 3 :].strip())
    return out


def _flat(text: str) -> str:
    """The text with its lines joined and spaces collapsed (undoes the wrapping)."""
    return re.sub(r"\s+", " ", text)


def _mdy(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%m/%d/%Y").date()


# --- determinism -----------------------------------------------------------------


def test_same_text_twice() -> None:
    assert synth_letter(42) == synth_letter(42)
    assert synth_letter(42, seed=7) == synth_letter(42, seed=7)
    assert synth_letter(42, seed=7) != synth_letter(42, seed=8)


def test_letter_i_does_not_depend_on_n() -> None:
    small = list(synth_letters(5))
    large = list(synth_letters(50))
    assert small == large[:5]
    assert [name for name, _ in small] == [f"synth-{i:06d}.txt" for i in range(5)]


def test_global_random_state_is_untouched() -> None:
    import random

    random.seed(1234)
    expected = random.random()
    random.seed(1234)
    synth_letter(3)
    assert random.random() == expected


# --- format ------------------------------------------------------------------------


def test_marker_is_the_first_line_of_the_body(letters, cases) -> None:
    for (_, text), case in zip(letters, cases, strict=True):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        assert MARKER in text.splitlines()
        first_body = len(HEADER_FIELDS) if case["layout"] == "B" else 0
        assert lines[first_body] == MARKER


def test_extraction_artifacts(letters) -> None:
    for _, text in letters:
        lines = text.split("\n")
        # a blank line after every line
        assert all(ln == "" for ln in lines[1::2])
        for ln in lines[0::2]:
            if ln and ln != MARKER:
                assert ln.endswith(" "), ln
            assert len(ln) <= 105, ln


def test_sections_in_order(letters) -> None:
    for _, text in letters:
        positions = [text.index(s) for s in synth.SECTIONS]
        assert positions == sorted(positions)
        assert synth.ITEMS_INTRO in text


def test_layouts(letters, cases) -> None:
    layouts = Counter(c["layout"] for c in cases)
    assert 0.15 < layouts["A"] / N < 0.35
    for (_, text), case in zip(letters, cases, strict=True):
        if case["layout"] == "A":
            assert case["year"] == 2013 and case["case_number"] is None
            assert "Case Number" not in text and "Page 1 of" not in text
            flat = _flat(text)
            assert re.search(r"Board Certified in [^.,]+ and is licensed to practice in", flat)
        else:
            assert 2014 <= case["year"] <= 2024
            assert re.search(
                r"Board Certified in [^.,]+(, has a subspecialty in [^.,]+)? and is licensed to "
                r"practice in",
                _flat(text),
            )
            assert re.fullmatch(rf"CM{case['year'] % 100:02d}-\d{{7}}", case["case_number"])
            m = re.findall(r"^Page (\d+) of (\d+) $", text, re.M)
            assert m and m[-1][0] == m[-1][1]
            assert text.count(f"Case Number: {case['case_number']} ") == len(m) - 1


def test_header_dates_are_consistent(letters, cases) -> None:
    priorities = Counter()
    for (_, text), case in zip(letters, cases, strict=True):
        if case["layout"] != "B":
            continue
        h = _header(text)
        assert set(h) == set(HEADER_FIELDS)
        assert h["Case Number"] == case["case_number"]
        injury, ur, received, assigned, decision = (
            _mdy(h[f])
            for f in (
                "Date of Injury",
                "UR Denial Date",
                "Application Received",
                "Date Assigned",
                "Decision Date",
            )
        )
        assert injury < ur < received < assigned < decision
        assert decision.year == case["year"]
        assert decision == case["dates"]["decision"]
        assert h["Priority"] in ("Standard", "Expedited")
        priorities[h["Priority"]] += 1
        # the summary names the same date of injury
        assert injury.strftime("%m/%d/%Y") in case["summary"]
    assert priorities["Standard"] > priorities["Expedited"]


def test_case_numbers_are_unique() -> None:
    numbers = [synth_case(i)["case_number"] for i in range(3000)]
    numbers = [n for n in numbers if n]
    assert len(numbers) == len(set(numbers))


def test_patient(cases) -> None:
    for c in cases:
        assert 22 <= c["age"] <= 70
        assert c["sex"] in ("female", "male", None)
        assert f"{c['age']}-year-old" in c["summary"]
        if c["sex"]:
            assert f"{c['age']}-year-old {c['sex']}" in c["summary"]
        assert "The diagnoses include " in c["summary"]


# --- items and decisions ------------------------------------------------------------------


def _items_in(text: str) -> list[tuple[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    out = []
    for i, ln in enumerate(lines):
        m = ITEM_LINE.match(ln)
        if m:
            out.append((m["service"], m["label"].lower()))
        elif re.fullmatch(r":  (Upheld|Overturned) ", ln):  # the wrapped ~3%
            out.append((lines[i - 1].strip(), ln.split()[1].lower()))
    return out


def test_items_printed_as_intended(letters, cases) -> None:
    wrapped = 0
    for (_, text), case in zip(letters, cases, strict=True):
        printed = _items_in(text)
        assert printed == [(s, d) for s, _, d in case["items"]]
        wrapped += case["wrap_item"]
    assert wrapped < N * 0.1


def test_rationale_agrees_with_decision(cases) -> None:
    for case in cases:
        for it in case["item_details"]:
            last = it["rationale"].rsplit("  ", 1)[-1]
            if it["decision"] == "upheld":
                assert last.endswith("is not medically necessary and appropriate."), last
            else:
                assert last.endswith(" is medically necessary and appropriate."), last
                assert "is not medically" not in last
            assert 3 <= it["rationale"].count(".  ") + 1 <= 6


def test_item_counts_and_decision_rates(cases) -> None:
    counts = Counter(len(c["items"]) for c in cases)
    assert set(counts) <= {1, 2, 3, 4}
    assert counts[1] > counts[2] > counts[3]
    decisions = Counter(d for c in cases for _, _, d in c["items"])
    rate = decisions["overturned"] / sum(decisions.values())
    assert 0.05 < rate < 0.25


def test_category_coverage(cases) -> None:
    categories = {cat for c in cases for _, cat, _ in c["items"]}
    assert categories == set(taxonomy.categories())
    assert {d for c in cases for _, _, d in c["items"]} == {"upheld", "overturned"}
    years = {c["year"] for c in cases}
    assert 2013 in years and len(years) >= 8
    regions = {c["region"] for c in cases}
    assert {"low-back-lumbar", "neck-cervical", "shoulder", "knee"} <= regions


def test_catalogue_matches_the_vocabularies() -> None:
    data = synth.data()
    cats = taxonomy.categories()
    assert set(data["regions"]) == set(taxonomy.regions())
    for svc in data["services"]:
        assert svc["category"] in cats, svc
        if svc.get("sub"):
            assert svc["sub"] in (cats[svc["category"]].get("subcategories") or {}), svc
        for r in svc.get("regions", ()):
            assert r in data["regions"], svc
        assert svc["why"] in data["rationales"], svc
        for key in svc["old"] + svc["new"]:
            assert key in data["citations"] or key in ("acoem04", "acoem3", "odg"), svc
    for state in data["states"] + list(data["misspelled_states"].values()):
        assert taxonomy.state_code(state)[0], state


def test_citations_match_the_era(cases) -> None:
    old_only = ("Chronic Pain Medical Treatment Guidelines", "2nd Edition (2004)", "OMPG")
    for case in cases:
        new_era = case["dates"]["decision"] >= synth.NEW_MTUS
        for it in case["item_details"]:
            for c in it["ca_citations"] + it["reviewer_citations"]:
                assert c in it["claims_administrator"] or c in it["reviewer_guideline"]
                if new_era:
                    assert not any(w in c for w in old_only), c
                else:
                    assert "3rd Edition" not in c and "(2017)" not in c, c


def test_redaction_gaps(letters, cases) -> None:
    redacted = [c for c in cases if c["redacted"]]
    assert 0.1 < len(redacted) / N < 0.3
    for c in redacted:
        assert re.search(r"Dr\.  ,|,  ,|with  \., indicated", c["summary"]), c["summary"]


# --- round trip through the parser ----------------------------------------------------


def test_round_trip_through_parse_letter() -> None:
    from generator.letters.parse import parse_letter  # fails until the parser lands

    problems = []
    for i in range(200):
        case = synth_case(i)
        name, text = synth_letter(i)
        try:
            record = parse_letter(text, name)
        except ValueError as e:  # LetterError
            problems.append((name, "error", str(e), case["items"]))
            continue
        got = [(it.service, it.decision) for it in record.items]
        want = [(s, d) for s, _, d in case["items"]]
        if got != want:
            problems.append((name, "items", got, want))
        if record.case_number != case["case_number"]:
            problems.append((name, "case_number", record.case_number, case["case_number"]))
        if not record.synthetic:
            problems.append((name, "synthetic", record.synthetic, True))
        if record.year != case["year"]:
            problems.append((name, "year", record.year, case["year"]))
    assert not problems, problems[:10]
