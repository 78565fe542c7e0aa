"""Spans of a guideline statement: the scan for names (leftmost, then longest),
connectors, noise and brackets trimmed off the ends of a piece, pages as printed.

Helpers of :mod:`generator.letters.citations`; positions are offsets into the
statement, so every Citation keeps its span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.letters import prefilter

I = re.IGNORECASE  # noqa: E741 - the one flag every pattern uses

RANGE = re.compile(r"([0-9]{1,4})([A-Za-z]?)(?:\s*[-–—]\s*([0-9]{1,4})([A-Za-z]?))?")

# Words and marks that carry nothing at the edge of a topic or a source:
# punctuation, connectors, "Chapter", "(Acute & Chronic)", years and dates.
EDGE_NOISE = re.compile(
    r"[\s,;:.\-–/&]+"
    r"|\b(?:and|or|also|as\s+well\s+as|the|per|see|in|chapters?|sections?|guidelines?|"
    r"citations?|MTUS|CA|California|treatment\s+index)\b"
    r"|\((?:Acute\s*(?:&|and)\s*Chronic|Chronic|Acute)\)"
    r"|\(?\s*(?:(?:updated|revised|effective|accessed)\s+)?(?:\d{1,2}/\d{1,2}/)?(?:19|20)\d\d\s*\)?",
    I,
)
# Connectors trimmed off the ends of a citation's text.
LEAD_TRIM = re.compile(
    r"(?:[\s,;:.&/)]|\b(?:and|or|also|as\s+well\s+as|plus|see|per|according\s+to|the)\b)++", I
)


class TailRun:
    """A run of tokens at the end of a text, found in linear time.

    ``(?:tokens)+\\Z`` searched forwards tries every start and backtracks (exponentially
    when a token is itself a run, as in ". . . ." before the end); here the tokens are
    spelled backwards and matched once, possessively, at the start of the reversed text.
    The tokens must read one way only from the right (single marks, whole words)."""

    def __init__(self, reversed_tokens: str) -> None:
        self.rx = re.compile(rf"(?:({reversed_tokens}))*+", I)

    def start(self, text: str, s: int = 0, e: int | None = None) -> int:
        """Where the run at the end of text[s:e] starts (e when there is none)."""
        e = len(text) if e is None else e
        first = max(0, s - 1)  # one character more, so \b at s sees what precedes it
        width = 256  # read backwards from e, further only while the run goes on
        while True:
            lo = max(first, e - width)
            rev = text[lo:e][::-1]
            m = self.rx.match(rev)
            assert m is not None  # (tokens)*+ matches, if only the empty string
            n = m.end()
            if lo == first or n < len(rev) - 64:  # 64: longer than any token
                break
            width *= 4
        if n > e - s:  # the last token took the character before s: a mark, or a word across s
            n = m.start(1) if rev[m.start(1)].isalpha() else e - s
        return e - n


# Connectors trimmed off the end: [\s,;:.&/(] and the words and, or, also, as well as,
# plus, see (spelled backwards).
TRAIL_TRIM = TailRun(r"[\s,;:.&/(]|\b(?:dna|ro|osla|sa\s+llew\s+sa|sulp|ees)\b")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    payload: Any


def scan(patterns: Iterable[tuple[Any, re.Pattern[str]]], text: str, s: int, e: int) -> list[Hit]:
    """Non-overlapping matches in text[s:e], leftmost first, then longest, then pattern order."""
    found = []
    for order, (payload, rx) in enumerate(patterns):
        for m in rx.finditer(text, s, e):
            if m.end() > m.start():
                found.append((m.start(), -m.end(), order, payload))
    return _leftmost_longest(found, s)


def _leftmost_longest(found: list[tuple[int, int, int, Any]], s: int) -> list[Hit]:
    hits: list[Hit] = []
    pos = s
    for start, neg_end, _, payload in sorted(found, key=lambda f: f[:3]):
        if start >= pos:
            hits.append(Hit(start, -neg_end, payload))
            pos = -neg_end
    return hits


class Names:
    """Name patterns scanned together, as :func:`scan` does, in one pass.

    `entries` are (payload, pattern, body): each pattern is `lead`, then `prefix` (an
    optional part every name may have in front), then its body, then what may follow.
    The detector (prefilter.detector) matches wherever a name may start; only there,
    and only the names that can start with that character (all of them where the prefix
    starts), are tried, each from where its previous match ended (as its finditer
    would): the hits of scan(), without reading the text once per name."""

    def __init__(
        self, entries: Sequence[tuple[Any, re.Pattern[str], str]], lead: str, prefix: str = ""
    ) -> None:
        self.patterns = [(payload, rx) for payload, rx, _ in entries]
        bodies = [body for _, _, body in entries]
        detect = prefilter.detector(bodies, I, lead + prefix)
        self.detect = re.compile(detect, I) if bodies else None
        self.prefix = re.compile(prefix, I) if prefix else None
        self.starts = prefilter.Starts([prefilter.first_characters(b) for b in bodies])

    def scan(self, text: str, s: int, e: int) -> list[Hit]:
        found: list[tuple[int, int, int, Any]] = []
        after = [s] * len(self.patterns)  # where each pattern's previous match ended
        pos = s
        while self.detect and (d := self.detect.search(text, pos, e)) is not None:
            q = d.start()
            prefixed = self.prefix and (p := self.prefix.match(text, q, e)) and p.end() > q
            ch = text[q] if q < e else ""
            for order in self.starts.every if prefixed else self.starts.at(ch):
                payload, rx = self.patterns[order]
                m = rx.match(text, q, e) if after[order] <= q else None
                if m is None:
                    continue
                if m.end() == q:  # an empty match: finditer's rules, as scan() follows them
                    return scan(self.patterns, text, s, e)
                found.append((q, -m.end(), order, payload))
                after[order] = m.end()
            pos = q + 1
        return _leftmost_longest(found, s)


# --- small text helpers ------------------------------------------------------------------


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop connectors, stray punctuation and unbalanced brackets from both ends.

    The brackets of text[s:e] are counted once and kept up to date as the ends
    move, so "see (see (see (..." is trimmed in linear time."""
    opened, closed = text.count("(", s, e), text.count(")", s, e)
    while True:
        m = LEAD_TRIM.match(text, s, e)
        if m and m.end() > s:
            opened -= text.count("(", s, m.end())
            closed -= text.count(")", s, m.end())
            s = m.end()
        e2 = TRAIL_TRIM.start(text, s, e)
        opened -= text.count("(", e2, e)
        closed -= text.count(")", e2, e)
        e = e2
        if e > s and text[e - 1] == ")" and closed > opened:
            e, closed = e - 1, closed - 1
        elif e > s and text[s] == "(" and opened > closed:
            s, opened = s + 1, opened - 1
        else:
            return s, e


def _tidy(text: str, s: int, e: int) -> tuple[int, int]:
    """Like _trim, also dropping edge noise (Chapter, years, "(Acute & Chronic)")."""
    while True:
        s0, e0 = s, e
        spans = [m.span() for m in EDGE_NOISE.finditer(text, s, e) if m.end() > m.start()]
        for a, b in spans:
            if a != s:
                break
            s = b
        for a, b in reversed(spans):
            if b != e or a < s:
                break
            e = a
        s, e = trim(text, s, e)
        if (s, e) == (s0, e0) or s >= e:
            return (s, e) if s < e else (s, s)


def _minus(s: int, e: int, holes: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [s, e) outside the holes."""
    out, pos = [], s
    for a, b in sorted(holes):
        if a > pos:
            out.append((pos, min(a, e)))
        pos = max(pos, b)
    if pos < e:
        out.append((pos, e))
    return [(a, b) for a, b in out if a < b]


def words_in(
    text: str, s: int, e: int, holes: Iterable[tuple[int, int]]
) -> tuple[int, int] | None:
    """Span from the first to the last meaningful character of [s, e) outside holes."""
    kept = [_tidy(text, a, b) for a, b in _minus(s, e, holes)]
    kept = [(a, b) for a, b in kept if b > a]
    if not kept:
        return None
    return trim(text, kept[0][0], kept[-1][1])


def page_ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        lo = int(re.sub(r"\D", "", a))
        out.append((lo, int(re.sub(r"\D", "", b)) if b else lo))
    return out


def pages_of(m: re.Match[str]) -> str:
    """'76- 80' -> '76-80'; '303-4' -> '303-304'; several ranges -> '74-96, 111'."""
    out = []
    for r in RANGE.finditer(m.group("ranges")):
        lo, lo_s, hi, hi_s = r.groups()
        if hi and not hi_s and len(hi) < len(lo):  # "303-4" -> "303-304"
            full = lo[: len(lo) - len(hi)] + hi
            hi = full if int(full) > int(lo) else hi
        if hi and (hi, hi_s) != (lo, lo_s):
            out.append(f"{lo}{lo_s}-{hi}{hi_s}")
        else:
            out.append(f"{lo}{lo_s}")
    return ", ".join(out)

