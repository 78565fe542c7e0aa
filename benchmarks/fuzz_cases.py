"""The fuzzer's inputs (see fuzz.py): seeded mutations of the bundled letters, and PDFs.

Every case is a pure function of (kind, seed, index): `make_case("text", 1, 42)` gives
the same file name, bytes and description on every machine, so any case the fuzzer
reports can be rebuilt alone (`fuzz.py --case text:1:42 --save DIR`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = [ROOT / "content" / "letters", ROOT / "tests" / "fixtures" / "letters"]


@dataclass(frozen=True)
class Case:
    kind: str  # text | pdf
    seed: int
    index: int
    source: str  # the seed letter it was made from
    steps: tuple[str, ...]  # the mutations applied, in order
    data: bytes
    suffix: str  # .txt | .pdf

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.seed}:{self.index}"

    @property
    def describe(self) -> str:
        return f"{self.spec} {self.source} [{', '.join(self.steps)}] {len(self.data):,} bytes"


_SEEDS: list[tuple[str, str]] | None = None


def seed_letters() -> list[tuple[str, str]]:
    """(name relative to the repository, text) of every bundled letter, sorted."""
    global _SEEDS
    if _SEEDS is None:
        found = []
        for d in SEED_DIRS:
            for p in sorted(d.rglob("*.txt")):
                found.append((p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")))
        _SEEDS = found
    return _SEEDS


# --- text mutations: (rng, text, other letter's text) -> text --------------------------

INVISIBLE = (
    [chr(c) for c in range(1, 32) if chr(c) not in "\n\t"]
    + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u200e", "\u200f", "\u061c"] + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029", "\u00ad"]
)
BIDI_ONLY = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2068", "\u2069", "\x01", "\x1b", "\x7f", "\x9b"]
DIGIT_ZEROS = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x1D7CE]  # Arabic-Indic, ...
BAD_DATES = [
    "11/11/1111", "12/12/2121", "1/1/1900", "01/01/1949", "02/30/2014", "13/45/2014",
    "00/00/0000", "9/9/9999", "1/1/49", "12/31/2150", "1111-11-11", "June 31, 2014",
    "January 1, 1111", "07/04/2099", "3/3/33",
]
DATE_RE = re.compile(
    r"\b\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},?\s+\d{4}\b"
)
CASE_RE = re.compile(r"CM\d{2}-\d{7}")
ITEM_HINT = re.compile(r"medically necessary|upheld|overturned|request", re.I)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pos(rng: random.Random, text: str) -> int:
    return rng.randrange(len(text) + 1)


def m_delete_lines(rng, text, other):
    lines = _lines(text)
    if len(lines) < 2:
        return text
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.choice([1, 1, 2, 5, 20, 200]))
    return "\n".join(lines[:a] + lines[b:])


def m_duplicate_lines(rng, text, other):
    lines = _lines(text)
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.choice([1, 1, 3, 10]))
    times = rng.choice([1, 2, 5, 50])
    return "\n".join(lines[:b] + lines[a:b] * times + lines[b:])


def m_shuffle_lines(rng, text, other):
    lines = _lines(text)
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.choice([3, 10, 40, len(lines)]))
    window = lines[a:b]
    rng.shuffle(window)
    return "\n".join(lines[:a] + window + lines[b:])


def m_leaders(rng, text, other):
    run = ". " * rng.choice([10, 100, 1000, 5000]) + rng.choice(["", "x", "page 12", "."])
    p = _pos(rng, text)
    return text[:p] + run + text[p:]


def m_long_word(rng, text, other):
    n = rng.choice([1000, 10_000, 10_000, 50_000])
    letters = "".join(rng.choice("abcdefghij") for _ in range(n))
    word = rng.choice(["x" * n, "ab" * (n // 2), letters, "1" * n, "-" * n, "Norco" * (n // 5)])
    p = _pos(rng, text)
    return text[:p] + word + text[p:]


def m_item_lines(rng, text, other):
    """Many lines that look like item lines, after an existing one (or anywhere)."""
    lines = _lines(text)
    hits = [i for i, ln in enumerate(lines) if ITEM_HINT.search(ln) and len(ln) < 200]
    i = rng.choice(hits) if hits else rng.randrange(len(lines))
    n = rng.choice([20, 50, 100, 100, 300, 1000])
    sep = rng.choice(["", "", "\n"])
    block = [lines[i] + (sep if sep else "")] * n
    return "\n".join(lines[: i + 1] + block + lines[i + 1:])


def m_unicode_digits(rng, text, other):
    zero = rng.choice(DIGIT_ZEROS)
    a = _pos(rng, text)
    b = rng.choice([a + 20, a + 200, len(text)])
    if rng.random() < 0.3:
        a = 0
    span = re.sub(r"[0-9]", lambda m: chr(zero + int(m.group())), text[a:b])
    return text[:a] + span + text[b:]


def m_invisible(rng, text, other):
    chars = BIDI_ONLY if rng.random() < 0.5 else INVISIBLE
    out = list(text)
    for _ in range(rng.choice([1, 5, 50, 500])):
        out.insert(rng.randrange(len(out) + 1), rng.choice(chars))
    return "".join(out)


def m_invisible_service(rng, text, other):
    """An item line (or a case number, a date) whose words become invisible characters."""
    lines = _lines(text)
    hits = [i for i, ln in enumerate(lines) if ITEM_HINT.search(ln) or CASE_RE.search(ln)]
    i = rng.choice(hits) if hits else rng.randrange(len(lines))
    words = lines[i].split(" ")
    k = rng.randrange(len(words) + 1)
    inv = "".join(rng.choice(BIDI_ONLY) for _ in range(rng.choice([1, 3])))
    lines[i] = " ".join([inv] * k + words[k:]) if rng.random() < 0.5 else inv.join(lines[i])
    return "\n".join(lines)


def m_dates(rng, text, other):
    bad = rng.choice(BAD_DATES)
    found = list(DATE_RE.finditer(text))
    if not found:
        p = _pos(rng, text)
        return text[:p] + bad + text[p:]
    if rng.random() < 0.3:
        return DATE_RE.sub(bad, text)
    m = rng.choice(found)
    return text[: m.start()] + bad + text[m.end():]


def m_case_number(rng, text, other):
    how = rng.choice(["lower", "lower", "extra digit", "short", "mixed", "unicode"])

    def fix(m: re.Match[str]) -> str:
        s = m.group()
        if how == "lower":
            return s.lower()
        if how == "extra digit":
            return s + "9"
        if how == "short":
            return s[:-1]
        if how == "mixed":
            return "cM" + s[2:]
        return s[:2] + "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in s[2:])

    return CASE_RE.sub(fix, text, count=rng.choice([0, 1]))


def m_age(rng, text, other):
    age = rng.choice(["0", "-3", "111", "150", "999", "\u0664\u0668", "1", "110"])
    return re.sub(r"\b\d{1,3}([\s-]+year)", lambda m: age + m.group(1), text, count=1)


def m_truncate(rng, text, other):
    return text[: _pos(rng, text)]


def m_splice(rng, text, other):
    return text[: _pos(rng, text)] + other[_pos(rng, other):]


def m_repeat(rng, text, other):
    return text * rng.choice([2, 10, 50])


def m_line_endings(rng, text, other):
    how = rng.choice(["\r\n", "\r", "\f", "\n\n", "\v", "\x85", "\u2028"])
    return text.replace("\n", how)


def m_blank_lines(rng, text, other):
    if rng.random() < 0.5:
        return re.sub(r"\n\s*\n", "\n", text)
    return text.replace("\n", "\n\n")


def m_case_change(rng, text, other):
    lines = _lines(text)
    for _ in range(rng.choice([1, 10, len(lines)])):
        i = rng.randrange(len(lines))
        lines[i] = rng.choice([str.upper, str.lower, str.swapcase])(lines[i])
    return "\n".join(lines)


def m_empty(rng, text, other):
    heading = "IMR ISSUES, DECISIONS AND RATIONALES"
    return rng.choice(["", " ", "\n\n\n", "\t \n", "CM13-0012345", heading])


TEXT_MUTATIONS: dict[str, Callable[[random.Random, str, str], str]] = {
    "delete-lines": m_delete_lines,
    "duplicate-lines": m_duplicate_lines,
    "shuffle-lines": m_shuffle_lines,
    "leaders": m_leaders,
    "long-word": m_long_word,
    "item-lines": m_item_lines,
    "unicode-digits": m_unicode_digits,
    "invisible": m_invisible,
    "invisible-service": m_invisible_service,
    "dates": m_dates,
    "case-number": m_case_number,
    "age": m_age,
    "truncate": m_truncate,
    "splice": m_splice,
    "repeat": m_repeat,
    "line-endings": m_line_endings,
    "blank-lines": m_blank_lines,
    "case-change": m_case_change,
    "empty": m_empty,
}
# the mutations that find most go first and more often
TEXT_WEIGHTS = {name: 3 for name in TEXT_MUTATIONS} | {
    "item-lines": 1, "repeat": 1, "empty": 1, "long-word": 2, "leaders": 2,
}


# --- byte-level mutations: the encoding of the file ------------------------------------


def encode(rng: random.Random, text: str) -> tuple[bytes, str]:
    """(bytes, encoding step) for a mutated text: mostly UTF-8, sometimes another encoding."""
    how = rng.choices(
        ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32",
         "utf-32-be-bom", "cp1252", "latin-1", "bom-inside", "utf-16-no-bom"],
        weights=[30, 3, 3, 2, 2, 2, 1, 2, 2, 1, 1],
    )[0]
    if how in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        data = text.encode(how, "surrogatepass")
    elif how == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    elif how == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    elif how == "utf-32-be-bom":
        data = b"\x00\x00\xfe\xff" + text.encode("utf-32-be", "surrogatepass")
    elif how == "utf-16-no-bom":
        data = text.encode("utf-16-le", "surrogatepass")
    elif how == "bom-inside":
        p = _pos(rng, text)
        data = (text[:p] + "\ufeff" + text[p:]).encode("utf-8")
    else:
        data = text.encode(how, "replace")
    return data, f"encode:{how}"


def byte_mutation(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    how = rng.choice(["flip", "flip", "truncate", "insert-bytes", "nul"])
    out = bytearray(data)
    if how == "flip" and out:
        for _ in range(rng.choice([1, 3, 30])):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del out[rng.randrange(len(out) + 1):]
    elif how == "insert-bytes":
        p = rng.randrange(len(out) + 1)
        out[p:p] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 4, 64])))
    elif how == "nul":
        p = rng.randrange(len(out) + 1)
        out[p:p] = b"\x00" * rng.choice([1, 3])
    return bytes(out), f"bytes:{how}"


def mutate_text(rng: random.Random, text: str, other: str) -> tuple[str, list[str]]:
    names = list(TEXT_MUTATIONS)
    steps = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        name = rng.choices(names, weights=[TEXT_WEIGHTS[n] for n in names])[0]
        text = TEXT_MUTATIONS[name](rng, text, other)
        steps.append(name)
    return text, steps


def make_text_case(seed: int, index: int) -> Case:
    rng = random.Random(f"text:{seed}:{index}")
    letters = seed_letters()
    name, text = rng.choice(letters)
    _, other = rng.choice(letters)
    text, steps = mutate_text(rng, text, other)
    data, enc = encode(rng, text)
    steps.append(enc)
    if rng.random() < 0.15:
        data, how = byte_mutation(rng, data)
        steps.append(how)
    return Case("text", seed, index, name, tuple(steps), data, ".txt")


def make_case(kind: str, seed: int, index: int) -> Case:
    if kind == "text":
        return make_text_case(seed, index)
    if kind == "pdf":
        from fuzz_pdf import make_pdf_case

        return make_pdf_case(seed, index)
    raise ValueError(f"unknown case kind {kind!r}")


def parse_spec(spec: str) -> tuple[str, int, int]:
    kind, seed, index = spec.split(":")
    return kind, int(seed), int(index)

