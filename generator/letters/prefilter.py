"""Alternations of vocabulary words, tried only where a word can start.

Python's regex engine tries every alternative of an alternation at every position of
the text. It passes over an alternative at once only when the alternative opens with a
literal character or a character set that the text's character is not; under
IGNORECASE a letter is neither (it is compiled to a case-folding test the engine does
not check ahead), so a vocabulary of a few hundred words costs a few hundred tests at
every position, most of the reader's time.

:func:`dispatch` groups the alternatives by their first character: one branch per
first character, opening with the characters it matches as a case-sensitive set
(``(?-i:[kK\\u212a])`` for "k" under IGNORECASE), so that the engine passes over the
other branches with one set test each. Within a branch the alternatives keep their
order. At any position only one branch can start, and there the alternatives are
tried in their order: the same match as the plain alternation, everywhere.

:func:`detector` builds, from the same pieces, a pattern that matches at least wherever
one of several patterns does: one pass finds the few positions worth trying them at.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

_OPENERS = (("(?:", True), ("(?-i:", False))  # (group opener, keeps IGNORECASE)


@cache
def _every_character(bmp: bool) -> str:
    return "".join(map(chr, range(0x10000 if bmp else sys.maxunicode + 1)))


@cache
def caseless(ch: str) -> str:
    """Every character the pattern `ch` matches under re.IGNORECASE, in code point order.

    ("k" -> "Kk\\u212a", "s" -> "Ss\\u017f", "i" -> "Ii\\u0130\\u0131".) No character
    outside the Basic Multilingual Plane folds to one inside it, so a character there
    is looked for in that plane alone."""
    chars = _every_character(ord(ch) < 0x10000)
    return "".join(sorted(set(re.findall(re.escape(ch), chars, re.I))))


def _structure(alt: str) -> tuple[dict[int, int], set[int]] | None:
    """(where each group opened at i closes, the groups holding a top-level "|"; -1 is
    the whole pattern), or None when the brackets do not balance."""
    close: dict[int, int] = {}
    bars: set[int] = set()
    stack: list[int] = []
    i = 0
    while i < len(alt):
        ch = alt[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a set: "]" right after "[" or "[^" is one of its characters
            i += 2 if alt.startswith("[^", i) else 1
            i += 1 if alt.startswith("]", i) else 0
            while i < len(alt) and alt[i] != "]":
                i += 2 if alt[i] == "\\" else 1
        elif ch == "(":
            stack.append(i)
        elif ch == ")":
            if not stack:
                return None
            close[stack.pop()] = i
        elif ch == "|":
            bars.add(stack[-1] if stack else -1)
        i += 1
    return (close, bars) if not stack else None


def split_first(alt: str, flags: int) -> tuple[str, str] | None:
    """(the characters `alt` can start with, `alt` without its first character) when it
    starts with one letter or digit, matched once: possibly inside "(?:" or "(?-i:"
    groups, none of them optional or holding another alternative. Else None."""
    opened: list[int] = []
    ignorecase, i = bool(flags & re.I), 0
    while True:
        opener = next(((o, keep) for o, keep in _OPENERS if alt.startswith(o, i)), None)
        if opener is None:
            break
        opened.append(i)
        ignorecase = ignorecase and opener[1]
        i += len(opener[0])
    if i >= len(alt) or not (alt[i].isascii() and alt[i].isalnum()):
        return None
    if i + 1 < len(alt) and alt[i + 1] in "?*+{":
        return None
    structure = _structure(alt)
    if structure is None:
        return None
    close, bars = structure
    if -1 in bars or any(o in bars for o in opened):
        return None
    if any(alt[close[o] + 1 : close[o] + 2] in ("?", "*", "+", "{") for o in opened):
        return None
    chars = caseless(alt[i]) if ignorecase else alt[i]
    return chars, alt[:i] + alt[i + 1 :]


def _charset(chars: str) -> str:
    return "(?-i:" + (re.escape(chars) if len(chars) == 1 else f"[{re.escape(chars)}]") + ")"


def dispatch(
    alts: Sequence[tuple[Any, str]], flags: int, lead: str = ""
) -> tuple[str, list[Any]] | None:
    """The alternation of `alts` ((owner, pattern) pairs), grouped by first character.

    Returns (the pattern ``lead(?:...)``, to compile with `flags`; owners): alternative i
    is the group ``r<i>``, so ``owners[int(m.lastgroup[1:])]`` is the owner of what
    matched (the groups hold the alternatives without their first character: use the
    match's own span). None when an alternative does not start with one definite
    character (see split_first)."""
    branches: dict[str, list[str]] = {}
    taken: set[str] = set()
    for i, (_, alt) in enumerate(alts):
        split = split_first(alt, flags)
        if split is None:
            return None
        chars, rest = split
        if chars not in branches:
            if taken & set(chars):  # "(?-i:K)" beside "k": a character in two branches
                return None
            taken |= set(chars)
            branches[chars] = []
        branches[chars].append(f"(?P<r{i}>{rest})")
    body = "|".join(f"{_charset(c)}(?:{'|'.join(b)})" for c, b in branches.items())
    return f"{lead}(?:{body})", [owner for owner, _ in alts]


def detector(alts: Iterable[str], flags: int, lead: str = "", others: Iterable[str] = ()) -> str:
    """A pattern (to compile with `flags`) that matches wherever ``lead`` followed by one
    of `alts`, or one of `others`, matches, and maybe elsewhere: the alternatives with a
    definite first character are grouped by it (case-insensitively: a case-sensitive one
    widens to its case-insensitive set); the others are tried as they are. Only where it
    matches need the patterns it stands for be tried."""
    branches: dict[str, list[str]] = {}
    plain: list[str] = []
    for alt in dict.fromkeys(alts):
        split = split_first(alt, flags | re.I)
        if split is None:
            plain.append(alt)
        else:
            branches.setdefault(caseless(split[0][0]), []).append(split[1])
    body = [f"{_charset(c)}(?:{'|'.join(b)})" for c, b in branches.items()]
    return "|".join([f"{lead}(?:{'|'.join([*body, *plain])})", *dict.fromkeys(others)])


def first_characters(alt: str) -> str | None:
    """The characters `alt` can start with (case-insensitively), or None: any."""
    split = split_first(alt, re.I)
    return caseless(split[0][0]) if split else None


class Starts:
    """Which of several patterns can start at a character: `firsts` gives each pattern's
    first characters (first_characters; None: any)."""

    def __init__(self, firsts: Sequence[str | None]) -> None:
        self.anywhere = [i for i, f in enumerate(firsts) if f is None]
        by_char: dict[str, set[int]] = {}
        for i, chars in enumerate(firsts):
            for ch in chars or "":
                by_char.setdefault(ch, set(self.anywhere)).add(i)
        self.by_char = {ch: sorted(ix) for ch, ix in by_char.items()}
        self.every = list(range(len(firsts)))

    def at(self, ch: str) -> list[int]:
        """The patterns that can start at `ch`, in their order."""
        return self.by_char.get(ch, self.anywhere)
