"""What every layout gives the shared parser: the letter's parts, its disputed
items with their text blocks, and the error a letter that cannot be read raises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCKS = ("ca", "rev", "rat")
BLOCK_NAMES = {
    "ca": "Claims Administrator guideline",
    "rev": "MAXIMUS guideline",
    "rat": "Decision rationale",
}


class LetterError(ValueError):
    """The text cannot be read as an IMR determination letter."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


def line_of(raw: str, snippet: str) -> int | None:
    """1-based line of `raw` where `snippet` (or its first words) appears."""
    words = snippet.split()[:6]
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, raw)
    return raw.count("\n", 0, m.start()) + 1 if m else None


def last_line(text: str, raw: str) -> int | None:
    """The line of `raw` where the cleaned text's last line is (for truncated letters)."""
    return line_of(raw, text.strip().splitlines()[-1])


@dataclass
class RawItem:
    service: str
    decision: str | None  # None: to be read from the rationale (warned)
    line: str
    blocks: dict[str, list[str]] = field(default_factory=lambda: {b: [] for b in BLOCKS})
    # the blocks this layout prints for an item: a missing one is warned
    expected: tuple[str, ...] = BLOCKS


@dataclass
class Parts:
    """What every layout gives the shared parser."""

    layout: str
    header: str  # text searched first for header fields
    reviewer: str
    summary: str
    items: list[RawItem]
    dates: dict[str, str] = field(default_factory=dict)  # layout-specific dates, as printed
    warnings: list[str] = field(default_factory=list)
    salutation: str | None = None  # "Mr", "Ms", ... of "Dear Mr. [redacted]:"


def cut_at(text: str, marks: list[tuple[int, int, str]]) -> dict[str, str]:
    """Section text by name: each (start, end, name) mark runs to the next; first one wins."""
    marks = sorted(marks)
    out: dict[str, str] = {}
    for k, (_, end, name) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        out.setdefault(name, text[end:stop])
    return out
