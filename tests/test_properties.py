"""Property-based tests: mutated real letters give a record or a LetterError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.letters.extract import UnreadableLetter, decode_text
from generator.letters.parse import LetterError, parse_letter
from generator.letters.synth import synth_letter
from generator.record.models import Determination
from tests.conftest import SEED_LETTER

SEED = SEED_LETTER.read_text(encoding="utf-8")
LETTERS = [SEED] + [synth_letter(i)[1] for i in (1, 7, 43, 249)]

SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _parse_or_letter_error(text: str) -> None:
    try:
        record = parse_letter(text)
    except LetterError as e:
        assert e.reason  # a reason a person can read
        return
    assert isinstance(record, Determination)
    assert record.items


@SETTINGS
@given(st.sampled_from(LETTERS), st.floats(0, 1))
def test_truncated(letter, fraction):
    _parse_or_letter_error(letter[: int(len(letter) * fraction)])


@SETTINGS
@given(st.sampled_from(LETTERS), st.randoms(use_true_random=False))
def test_shuffled_lines(letter, rnd):
    lines = letter.split("\n")
    i, j = sorted(rnd.sample(range(len(lines)), 2))
    chunk = lines[i:j]
    rnd.shuffle(chunk)
    _parse_or_letter_error("\n".join(lines[:i] + chunk + lines[j:]))


@SETTINGS
@given(
    st.sampled_from(LETTERS), st.lists(st.tuples(st.floats(0, 1), st.text(max_size=40)), max_size=6)
)
def test_inserted_noise(letter, inserts):
    text = letter
    for where, noise in inserts:
        at = int(len(text) * where)
        text = text[:at] + noise + text[at:]
    _parse_or_letter_error(text)


@SETTINGS
@given(
    st.sampled_from(LETTERS),
    st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]),
    st.booleans(),
)
def test_other_encodings_and_line_ends(letter, encoding, crlf):
    text = letter.replace("\n", "\r\n") if crlf else letter
    data = text.encode(encoding, errors="replace")
    try:
        decoded, _ = decode_text(data)
    except UnreadableLetter:
        assert encoding == "utf-16"  # NUL bytes: refused as binary, with a reason
        return
    _parse_or_letter_error(decoded)


@SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text(text):
    _parse_or_letter_error(text)
