"""Linear time on any input (issue 17): the patterns that backtracked, and the per-letter budget.

No timing is asserted in this process: the inputs that used to take minutes (or
never finished) are run in a child process under a generous timeout, and the
rewritten patterns are checked against the originals on short inputs, where the
originals are fast.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.letters import citation_spans as spans
from generator.letters import patterns, statements
from generator.letters.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "letters"

# Each of these took minutes, hours or forever before the rewrite; together they
# now take well under a second (the timeout is for a loaded machine).
PATHOLOGICAL = r"""
from generator.letters import citation_spans, citations, classify, patterns, statements
from generator.letters.parse import parse_diagnoses
citation_spans.TRAIL_TRIM.start(". " * 50_000 + "x")
citations.parse_citations("ODG Low Back, " + ". " * 2_000 + "x")
t = "see (" * 20_000 + "ODG"; citation_spans.trim(t, 0, len(t))
classify.classify_service("a" * 100_000)
classify.classify_service("Flurbiprofen" * 10_000)
parse_diagnoses("diagnosed with " * 20_000 + "\n\nx")
parse_diagnoses("Diagnoses: " * 20_000 + "\n\nx")
patterns.BOARD_CERTIFIED.findall("Board Certified in x " * 20_000)
patterns.HEADER_FIELDS["assigned"].search("Date Assigned" + " " * 50_000)
st = "Decision based on MTUS Chronic Pain 2016, Section(s): x"
statements.read_statement(st + ", ." * 20_000)
# letter-sized runs of odd white space (U+2003 survives joining lines): each took seconds
# to hours (the guideline-name prefix: ten seconds for a thousand characters)
em = "\u2003"
from generator.letters.clean import clean, join_lines
patterns.ITEM_SENTENCE.match(join_lines("1. The request for x" + " " + em * 99_000 + " y"))
t = "1. x" + " " + em * 99_000 + " y"; patterns.ISSUE_NUMBER.split(t)
statements.read_statement("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section"
                          + em * 9_900 + "x")
statements.read_statement("Decision based on Non-MTUS Citation x" + em * 9_900 + "y")
citations.parse_citations("the California MTUS (Effective July 18, 2011" + em * 9_900 + "x")
citations.parse_citations("ACOEM" + em * 9_900 + "x")
citations.parse_citations("Official Disability Guidelines" + em * 9_900 + "x")
# (not rewritten: used on cleaned text only, where a line of white space is empty and runs of
# empty lines are one, so "^\\s*" reads each line's leading white space once)
patterns.SALUTATION.search(clean(("\n" + em * 1_000 + "Dear" + em * 1_000 + "x") * 48))
print("done")
"""


def test_pathological_inputs_finish():
    out = subprocess.run(
        [sys.executable, "-c", PATHOLOGICAL], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "done"


# --- the rewritten patterns read as the originals did ------------------------------

OLD_ITEM_SENTENCE = re.compile(
    r"^(?:\d{1,2}\s*[.)]\s+)?(?:The\s+)?(?:request\s+for\s+)?(?P<service>\S.*?)\s+(?:is|are)\s+"
    r"(?P<neg>not\s*)?medically\s+necessary(?:\s+(?:and|or)\s+appropriate)?\s*\.?\s*$",
    re.I | re.S,
)
OLD_ISSUE_NUMBER = re.compile(r"(?:^|\s+)\(?\d{1,2}\s*[.)]\s+")
OLD_SECTIONS = re.compile(r"^[\s,]*Sections?\s*(?:\(s\))?\s*:\s*", re.I)
OLD_SEGMENT = re.compile(
    r"(?:(?!;|,\s*(?=ODG\b)|\s+and\s+(?=Other\s+Medical\s+Treatment\s+Guidelines)).)+",
    re.I | re.S,
)
SPACES = [" ", "  ", "\u2003", "\n", " \u2003", "\t"]


def _pieces_texts(pieces: list[str], n: int, seed: int, most: int = 9) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, most))) for _ in range(n)]


def _same(new: re.Pattern[str], old: re.Pattern[str], text: str) -> None:
    got = [(m.span(), m.groupdict()) for m in new.finditer(text)]
    assert got == [(m.span(), m.groupdict()) for m in old.finditer(text)], text
    m1, m2 = new.match(text), old.match(text)
    assert (m1 and (m1.span(), m1.groupdict())) == (m2 and (m2.span(), m2.groupdict())), text


def test_item_sentence_issue_number_sections_segment_read_as_before():
    pieces = SPACES + [
        "1", "12", ".", ")", "(", "The", "request", "for", "x", "Norco #60", "is", "are", "not",
        "medically", "necessary", "and", "or", "appropriate", "Section", "Sections", "(s)", ":",
        ",", ";", "ODG", "ODGx", "Other", "Medical", "Treatment", "Guidelines", "AND",
    ]
    for text in _pieces_texts(pieces, 40_000, seed=23):
        for new, old in ((patterns.ITEM_SENTENCE, OLD_ITEM_SENTENCE),
                         (patterns.ISSUE_NUMBER, OLD_ISSUE_NUMBER),
                         (statements.SECTIONS, OLD_SECTIONS), (statements.SEGMENT, OLD_SEGMENT)):
            _same(new, old, text)
        assert patterns.ISSUE_NUMBER.split(text) == OLD_ISSUE_NUMBER.split(text), text


def test_guideline_names_with_whole_spaces_read_as_written():
    """The catalogue's names, their white space taken whole (catalogue.whole_spaces), find
    what the names as written find."""
    from generator.letters import catalogue
    from generator.record import taxonomy

    written = []
    for spec in taxonomy.guidelines().values():
        written += [(a, catalogue.PREFIX_AS_WRITTEN) for a in spec.get("aliases") or []]
        for sec in (spec.get("sections") or {}).values():
            written += [(a, "") for a in sec.get("aliases") or []]
    words = sorted({w for a, _ in written for w in re.findall(r"[A-Za-z]+|\d+", a)})
    pieces = SPACES * 3 + words + ["(", ")", ",", "-", "/", ":", "&", "2004", "18,", "MTUS",
                                    "California", "the", "(MTUS)", "(ACOEM)", "2nd", "Ed."]
    pairs = [(re.compile(rf"(?<![\w-]){catalogue.whole_spaces(p)}(?:{catalogue.whole_spaces(a)})"
                         r"(?!\w)", re.I),
              re.compile(rf"(?<![\w-]){p}(?:{a})(?!\w)", re.I)) for a, p in written]
    for text in _pieces_texts(pieces, 2_500, seed=29, most=14):
        for new, old in pairs:
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]
    assert catalogue.whole_spaces(r"a\s*b\s+c\s*?d\s*+e[\s*]f\s{2}") == (
        r"a\s*+b\s++c\s*?d\s*+e[\s*]f\s{2}")


OLD_TRAIL = re.compile(r"(?:[\s,;:.&/(]+|\b(?:and|or|also|as\s+well\s+as|plus|see)\b)+\Z", re.I)
OLD_TAIL = re.compile(r"(?:[\s,;.]|\band\b)+\Z", re.I)
TOKENS = ["and", "or", "also", "as well as", "plus", "see", " ", ".", ",", "(", ")", "x", "Xand",
          "andx", "1", ":", "/", "&", ";", "AND", "as  well\nas", "ODG", "sand", "s", "_", "é"]


def _texts(n: int, seed: int = 17):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 7))), rng


def test_trail_trim_finds_what_the_backtracking_pattern_found():
    for text, rng in _texts(20_000):
        s = rng.randint(0, len(text))
        e = rng.randint(s, len(text))
        m = OLD_TRAIL.search(text, s, e)
        assert spans.TRAIL_TRIM.start(text, s, e) == (m.start() if m else e), (text, s, e)
        assert statements.TAIL.start(text) == len(OLD_TAIL.sub("", text)), text


def test_trail_trim_reads_a_long_run_back_to_its_start():
    text = "ODG Low Back" + " . and" * 5_000
    assert spans.TRAIL_TRIM.start(text) == len("ODG Low Back")
    assert spans.TRAIL_TRIM.start(text, 12, 12) == 12


def test_trim_is_unchanged_on_brackets():
    for text in ["(ODG Low Back)", "((ODG", "see (ODG", "ODG)) and", "(x (y) ", "and (see ( ODG"]:
        s, e = spans.trim(text, 0, len(text))
        assert (s, e) == _old_trim(text), text


def _old_trim(text: str) -> tuple[int, int]:
    s, e = 0, len(text)
    while True:
        m = spans.LEAD_TRIM.match(text, s, e)
        if m and m.end() > s:
            s = m.end()
        m = OLD_TRAIL.search(text, s, e)
        if m and m.start() < e:
            e = m.start()
        piece = text[s:e]
        if piece.endswith(")") and piece.count(")") > piece.count("("):
            e -= 1
        elif piece.startswith("(") and piece.count("(") > piece.count(")"):
            s += 1
        else:
            return s, e


DIAGNOSIS_TEXTS = [
    "The diagnoses include lumbar radiculopathy and L4-5 disc protrusion.  She",
    "Diagnoses: 1. cervical strain 2. lumbar sprain. He was diagnosed with x",
    "diagnosed with\nlumbar strain. Being treated for the diagnosis of knee pain",
    "diagnosed with a\ndiagnosed with b.\n\nThe diagnosis is unclear. diagnosis of  unclear x.",
    "diagnosed with diagnosed with diagnosed with \n\nx",
    "The diagnoses have included lumbar stenosis at L4-5 and L5-S1. He",
]


@pytest.mark.parametrize("text", DIAGNOSIS_TEXTS)
def test_diagnoses_match_as_the_single_pattern_did(text):
    whole = patterns.DIAGNOSES.full
    assert [m.span() for m in patterns.DIAGNOSES.finditer(text)] == [
        m.span() for m in whole.finditer(text)
    ]


def test_compounded_alias_needs_a_word_start():
    from generator.letters.classify import classify_service

    assert classify_service("Flurbiprofen 20%/ Lidocaine 5% cream")[:2] == (
        "pharmaceuticals", "compounded-medications")


def test_long_service_is_classified_by_its_head():
    from generator.letters.classify import classify_service

    cat, sub, warnings = classify_service("Norco 10/325 " + "x" * 100_000)
    assert (cat, sub, warnings) == ("pharmaceuticals", "opioids", [])
    cat, _, warnings = classify_service("y" * 100_000)
    assert cat == "other" and len(warnings[0]) < 1_000


# --- the per-letter time budget -------------------------------------------------------


def _letters(tmp_path: Path, n: int, slow: int) -> Path:
    """n fixture letters copied, the one at index `slow` renamed to hang under the test hook."""
    src = sorted(FIXTURES.rglob("*.txt"))[:n]
    folder = tmp_path / "letters"
    folder.mkdir()
    for i, p in enumerate(src):
        name = f"{i:02d}-{'SLOWLETTER-' if i == slow else ''}{p.name}"
        (folder / name).write_bytes(p.read_bytes())
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_letter_over_its_budget_is_reported_and_the_run_goes_on(tmp_path, monkeypatch, jobs):
    folder = _letters(tmp_path, 5, slow=1)
    monkeypatch.setenv("IMR_ARCHIVE_TEST_SLOW_LETTER", "SLOWLETTER")
    report = ingest([folder], tmp_path / "out", progress=False, jobs=jobs, letter_timeout=3)
    by_file = {Path(e.file).name: e for e in report.entries}
    slow = [e for name, e in by_file.items() if "SLOWLETTER" in name]
    assert len(slow) == 1 and slow[0].status == "failed"
    assert slow[0].reason == "took longer than 3 s to read; not waited for"
    others = [e for name, e in by_file.items() if "SLOWLETTER" not in name]
    assert len(others) == 4 and all(e.status == "written" for e in others), others
    # the records are the ones a run without a budget writes
    monkeypatch.delenv("IMR_ARCHIVE_TEST_SLOW_LETTER")
    plain = tmp_path / "plain"
    ingest([folder], plain, progress=False, jobs=1, letter_timeout=0)
    for e in others:
        got = (tmp_path / "out" / f"{e.id}.json").read_bytes()
        assert got == (plain / f"{e.id}.json").read_bytes()


def test_report_names_the_late_letter(tmp_path, monkeypatch):
    folder = _letters(tmp_path, 2, slow=0)
    monkeypatch.setenv("IMR_ARCHIVE_TEST_SLOW_LETTER", "SLOWLETTER")
    report = ingest([folder], tmp_path / "out", progress=False, letter_timeout=0.5)
    data = json.loads(report.to_json())
    assert data["summary"]["failed"] == 1 and data["summary"]["written"] == 1
