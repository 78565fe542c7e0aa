"""generator.letters.prefilter: vocabulary alternations dispatched by first character."""

from __future__ import annotations

import re
import string
import sys

import pytest

from generator.letters import prefilter

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


@pytest.mark.parametrize("ch", list(string.ascii_lowercase + string.digits))
def test_caseless_is_every_character_ignorecase_matches(ch):
    assert set(prefilter.caseless(ch)) == set(re.findall(ch, EVERY_CHARACTER, re.I))


def test_dispatch_finds_what_the_plain_alternation_finds():
    alts = [("a", "(?:back(?<!upper back))(?! of)"), ("b", "(?:ribs?)"), ("a", "(?:bac)"),
            ("c", "Knee(?! scooter)"), ("b", "(?:rib cage)"), ("c", "kne")]
    fast, owners = prefilter.dispatch(alts, re.I)
    plain = "|".join(f"(?P<r{i}>{alt})" for i, (_, alt) in enumerate(alts))
    texts = ["upper back, back of, backs, ribs rib cage kneE KNEE scooter \u212anee bac", "ribbon"]
    for text in texts:
        want = [(m.span(), alts[int(m.lastgroup[1:])][0]) for m in re.finditer(plain, text, re.I)]
        got = [(m.span(), owners[int(m.lastgroup[1:])]) for m in re.finditer(fast, text, re.I)]
        assert got == want


@pytest.mark.parametrize("alt", ["(?:abc|abd)", "(?:a?bc)", "(?:[ab]c)", "(?:(?:x)y|z)", "-x"])
def test_dispatch_refuses_what_does_not_start_with_one_character(alt):
    assert prefilter.dispatch([("a", "(?:plain)"), ("b", alt)], re.I) is None


# --- where the reader uses it: the same answers as trying every pattern everywhere ----------

import random  # noqa: E402

from generator.letters import catalogue, citation_spans, classify  # noqa: E402
from generator.letters import clean as cleaning  # noqa: E402
from generator.record import taxonomy  # noqa: E402


def _vocabulary_texts(n: int, seed: int = 13) -> list[str]:
    """Texts made of the vocabularies' own words, marks and spaces (many near-misses)."""
    words = set()
    for spec in taxonomy.guidelines().values():
        for alias in spec.get("aliases") or []:
            words.update(re.findall(r"[A-Za-z]+", alias))
        for sec in (spec.get("sections") or {}).values():
            words.update(re.findall(r"[A-Za-z]+", sec["title"]))
    for group in classify._service_groups():
        for alias in group[0]:
            words.update(re.findall(r"[A-Za-z]+|\d", alias))
    pool = sorted(words) + ["California", "MTUS", "the", "2004", "10", "mg", "#", "-", ",", "(",
                            ")", "/", ":", ";", "\u212a", "Page", "\n"]
    rng = random.Random(seed)
    return [
        "".join(rng.choice(pool) + rng.choice([" ", " ", "", "-", ", "])
                for _ in range(rng.randint(1, 14)))
        for _ in range(n)
    ]


def test_detector_matches_wherever_an_alternative_does():
    alts = ["(?:back(?<!upper back))", "(?:ribs?)", "(?-i:NGC)", r"(?:\d+ ?mg)", "(?:kne)", "x"]
    lead = r"(?<![A-Za-z0-9])"
    detect = re.compile(prefilter.detector(alts, re.I, lead, [r"#\d"]), re.I)
    each = [re.compile(lead + a, re.I) for a in alts] + [re.compile(r"#\d")]
    rng = random.Random(5)
    pieces = ["back", "upper back", "rib", "ribs", "NGC", "ngc", "10 mg", "KNE", "\u212ane", "#3",
              "x", " ", "-", "a"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        for q in range(len(text) + 1):
            if any(p.match(text, q) for p in each):
                assert detect.match(text, q), (text, q)


def test_names_scan_finds_what_every_pattern_finds():
    cat = catalogue.compiled()
    scanners = [cat.anchor_names, catalogue.pool_names(tuple(cat.specs)),
                catalogue.section_names("acoem-2004"), catalogue.section_names("odg")]
    rng = random.Random(7)
    for text in _vocabulary_texts(1_500):
        s = rng.randint(0, len(text))
        e = rng.choice([len(text), rng.randint(s, len(text))])
        for names in scanners:
            want = citation_spans.scan(names.patterns, text, s, e)
            assert names.scan(text, s, e) == want, (text, s, e)


def _classify_by_every_group(service: str) -> tuple[str, str | None]:
    best, choice = None, ("other", None)
    for pattern, cat, sub in classify._service_aliases():
        m = pattern.search(service[: classify.SERVICE_CLASSIFY_LIMIT])
        if m:
            score = (1 if sub else 0, -m.start(), m.end() - m.start())
            if best is None or score > best:
                best, choice = score, (cat, sub)
    return choice


def test_classify_service_reads_as_every_group_searched():
    for text in _vocabulary_texts(3_000, seed=11):
        assert classify.classify_service(text)[:2] == _classify_by_every_group(text), text


def test_redactions_without_tabs_read_as_the_general_patterns():
    pieces = [" ", "  ", "   ", "\n", "a", "Z", "9", ")", '"', "'", "(", ",", ".", "Dr", "Mr",
              "Mrs", "Ms", "xMr", "\u00a0", "-", ":"]
    rng = random.Random(3)
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert cleaning.mark_redactions(text) == cleaning.mark_redactions_general(text), text
