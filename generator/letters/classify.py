"""Vocabulary matching: a service text -> category/subcategory, a text -> body regions.

The words come from `data/services.yml` and `data/regions.yml`; this module
only compiles them and applies the rules written there.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from generator.letters import prefilter
from generator.record import taxonomy

_AT_WORD = r"(?<![A-Za-z0-9])"


def _word_pattern(alias: str) -> str:
    # aliases are regexes matched on word boundaries; a boundary is only
    # required next to a word character
    start = _AT_WORD if re.match(r"[\w#]", alias) else ""
    end = r"(?![A-Za-z0-9])" if re.search(r"[\w?)]$", alias) else ""
    return f"{start}(?:{alias}){end}"


def _service_groups() -> list[tuple[list[str], str, str | None]]:
    """(aliases, category, subcategory-or-None) of each (sub)category that has aliases."""
    out: list[tuple[list[str], str, str | None]] = []
    for cat, spec in taxonomy.categories().items():
        if spec.get("aliases"):
            out.append((spec["aliases"], cat, None))
        for sub, sspec in (spec.get("subcategories") or {}).items():
            if sspec.get("aliases"):
                out.append((sspec["aliases"], cat, sub))
    return out


@cache
def _service_aliases() -> list[tuple[re.Pattern[str], str, str | None]]:
    """(pattern, category, subcategory-or-None): one alternation per (sub)category.

    Longer aliases come first in each alternation, so at a given start the
    longest alias is the one matched.
    """

    def group(aliases: list[str]) -> re.Pattern[str]:
        ordered = [_word_pattern(a) for a in sorted(aliases, key=len, reverse=True)]
        if all(p.startswith(_AT_WORD) for p in ordered):  # test the word start once
            return re.compile(_AT_WORD + "(?:" + "|".join(p[len(_AT_WORD):] for p in ordered) + ")",
                              re.I)
        return re.compile("|".join(ordered), re.I)

    return [(group(aliases), cat, sub) for aliases, cat, sub in _service_groups()]


@cache
def _service_detector() -> tuple[re.Pattern[str], prefilter.Starts]:
    """Where some service alias may match (prefilter.detector): the only positions where
    the (sub)category alternations need be tried; and which of them can start at a
    character (a group with an alias of no definite first character: at any)."""
    groups = [aliases for aliases, _, _ in _service_groups()]
    aliases = [a for group in groups for a in group]
    words = [f"(?:{a})" for a in aliases if re.match(r"[\w#]", a)]
    others = [_word_pattern(a) for a in aliases if not re.match(r"[\w#]", a)]
    firsts = [[prefilter.first_characters(f"(?:{a})") for a in group] for group in groups]
    starts = prefilter.Starts([None if None in f else "".join(map(str, f)) for f in firsts])
    return re.compile(prefilter.detector(words, re.I, _AT_WORD, others), re.I), starts


# A disputed service is a line or two; what is past this is not read for its category
# (each alias is tried at every position: a 100,000-character "service" took minutes).
SERVICE_CLASSIFY_LIMIT = 500


def classify_service(service: str) -> tuple[str, str | None, list[str]]:
    """(category, subcategory, warnings) for a disputed service's text.

    A subcategory alias beats a category alias; among those the earliest match
    wins (the head of "Total knee arthroplasty with 3 day inpatient stay" is
    the surgery, not the stay), then the longest. Nothing matched: `other`,
    warned. Only the first SERVICE_CLASSIFY_LIMIT characters are read.
    """
    head = service[:SERVICE_CLASSIFY_LIMIT]
    groups = _service_aliases()
    earliest: list[re.Match[str] | None] = [None] * len(groups)  # each (sub)category's
    detect, starts = _service_detector()
    pos = 0
    while (d := detect.search(head, pos)) is not None:
        q = d.start()
        for i in starts.at(head[q]) if q < len(head) else starts.every:
            earliest[i] = earliest[i] or groups[i][0].match(head, q)
        if any(m and sub for m, (_, _, sub) in zip(earliest, groups, strict=True)):
            break  # a subcategory matched here: nothing later beats it
        pos = q + 1
    best: tuple[int, int, int] | None = None
    choice: tuple[str, str | None] = ("other", None)
    for m, (_, cat, sub) in zip(earliest, groups, strict=True):
        if m:
            score = (1 if sub else 0, -m.start(), m.end() - m.start())
            if best is None or score > best:
                best, choice = score, (cat, sub)
    if best is None:
        shown = head if head == service else head + "..."
        return "other", None, [f"service {shown!r}: no category matched; filed under 'other'"]
    return choice[0], choice[1], []


# --- body regions -------------------------------------------------------------

SPINE_LEVEL = re.compile(r"(?<![A-Za-z0-9])(?P<letter>[CTLS])-?(?P<n>\d{1,2})(?![0-9])")
_SPINE_MAX = {"C": 8, "T": 12, "L": 5, "S": 5}


@cache
def _region_pattern(kinds: tuple[str, ...]) -> tuple[re.Pattern[str] | None, list[str]]:
    """One alternation of every region's signals of `kinds`, and the region of each of its
    groups (`r<i>`), so a text is read once for all regions. The signals are grouped by
    their first letter (prefilter.dispatch), so only those that can start at a position
    are tried there; the match is the one of the signals in vocabulary order."""
    signals: list[tuple[str, str]] = []  # (region, signal without its word-start test)
    for rid, spec in taxonomy.regions().items():
        own = [s for kind in kinds for s in spec.get(kind) or []]
        bad = [s for s in own if not re.match(r"[A-Za-z0-9]", s)]
        if bad:
            raise ValueError(f"regions.yml: {rid}: signals start with a letter or digit: {bad}")
        signals += [(rid, _word_pattern(s)[len(_AT_WORD):]) for s in own]
    if not signals:
        return None, []
    # every signal starts a word: test that once per position, not once per signal
    at_word = r"(?<![A-Za-z0-9])(?=[A-Za-z0-9])"
    fast = prefilter.dispatch(signals, re.I, lead=at_word)
    if fast is not None:
        return re.compile(fast[0], re.I), fast[1]
    plain = "|".join(f"(?P<r{i}>{s})" for i, (_, s) in enumerate(signals))
    return re.compile(f"{at_word}(?:{plain})", re.I), [rid for rid, _ in signals]


def _count(text: str, kinds: tuple[str, ...], counts: Counter[str]) -> None:
    pattern, owners = _region_pattern(kinds)
    if pattern is None:
        return
    for m in pattern.finditer(text):
        counts[owners[int(m.lastgroup[1:])]] += 1  # type: ignore[index]


@cache
def _spine_regions() -> dict[str, str]:
    return {
        letter: rid
        for rid, spec in taxonomy.regions().items()
        for letter in spec.get("spine") or []
    }


REGION_SCAN_LIMIT = 200_000


def region_counts(text: str, *, complaint: bool = False) -> Counter[str]:
    """How often each region is named in `text` (signal words and spine levels).

    `weak` signals (a laminectomy or discectomy can be at any level) count
    only when nothing else names a region; `complaint` signals ("back",
    "thigh", "scalp") only in the worker's own diagnoses and complaints
    (`complaint=True`). Only the first REGION_SCAN_LIMIT characters are
    read, so a pathological 10 MB letter stays fast.
    """
    text = text[:REGION_SCAN_LIMIT]
    counts: Counter[str] = Counter()
    _count(text, ("signals", "complaint") if complaint else ("signals",), counts)
    spine = _spine_regions()
    for m in SPINE_LEVEL.finditer(text):
        letter, n = m.group("letter"), int(m.group("n"))
        if 1 <= n <= _SPINE_MAX[letter] and letter in spine:
            counts[spine[letter]] += 1
    if not counts:
        _count(text, ("weak",), counts)
    return counts


def regions_in(text: str, *, complaint: bool = False) -> list[str]:
    """Every region named in `text`, in vocabulary order (see region_counts)."""
    counts = region_counts(text, complaint=complaint)
    return [r for r in taxonomy.regions() if counts[r]]


def main_regions(text: str, share: float = 0.5) -> list[str]:
    """The regions a longer text is mostly about: named at least `share` as often as the top one."""
    counts = region_counts(text)
    if not counts:
        return []
    top = max(counts.values())
    return [r for r in taxonomy.regions() if counts[r] and counts[r] >= share * top]


# --- regions of cited guideline sections ---------------------------------------


@cache
def _guideline_regions() -> dict[str, list[str]]:
    data = taxonomy.load("region_of_guideline")["regions"]
    known = taxonomy.vocabulary("region")
    for key, regions in data.items():
        bad = [r for r in regions if r not in known]
        if bad:
            raise taxonomy.VocabularyError(
                f"region_of_guideline.yml: {key}: unknown region(s) {bad}"
            )
    return data


def regions_of_guidelines(keys: list[str]) -> list[str]:
    """The regions of the cited sections (citation keys), in vocabulary order."""
    table = _guideline_regions()
    found: set[str] = set()
    for key in keys:
        found.update(table.get(key) or table.get(key.partition("/")[0]) or ())
    return [r for r in taxonomy.regions() if r in found]
