"""Guideline statements in the fixed grammar of the 2016-17 letters.

    Decision based on MTUS Low Back Complaints 2004, Section(s): Physical Methods,
    and Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use.
    Decision based on Non-MTUS Citation Official Disability Guidelines, Low Back Chapter

    The Expert Reviewer based their decision on recommendation(s) outside of the MTUS
    Guidelines.  Non-MTUS Citation: ODG Hip & Pelvis ...

    The Expert Reviewer did not cite any medical evidence for its decision.

The MTUS part names guidelines by title and year (data/mtus-statements.yml), each
with its own `Section(s):` list (whose names contain commas and "and"), so it is
cut at the titles, not at commas. The free-text Non-MTUS part goes to the general
reader (:mod:`generator.letters.citations`). Statements in any other wording return
None and are read by the general reader alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from generator.letters import citation_spans, citations
from generator.record import guideline_hubs, taxonomy
from generator.record.models import Citation

I = re.IGNORECASE  # noqa: E741

NO_EVIDENCE = re.compile(r"\bdid\s+not\s+cite\s+any\s+medical\s+evidence\b", I)
OUTSIDE = re.compile(
    r"\bbased\s+(?:their|its|his|her)\s+decision\s+on\s+recommendations?(?:\s*\(s\))?\s+"
    r"outside\s+(?:of\s+)?the\s+MTUS(?:\s+Guidelines?)?\s*\.?",
    I,
)
BASED_MTUS = re.compile(r"\bDecision\s+based\s+on\s+(?:the\s+)?MTUS\b\s*", I)
NON_MTUS = re.compile(r"(?:\bDecision\s+based\s+on\s+)?\bNon[-\s]?MTUS\s+Citations?\s*(?::\s*)?", I)
SECTIONS = re.compile(r"^[\s,]*+Sections?\s*+(?:\(s\))?\s*+:\s*+", I)
# Non-MTUS references are separated by ";", by ", ODG ..." and by "and Other Medical
# Treatment Guidelines ...". A segment takes a run of white space whole, and only from
# its start (it never starts inside one): each character of a long run was once
# tried as a separator, reading the rest of the run each time.
SEGMENT = re.compile(
    r"(?:[^;,\s]|,(?!\s*+ODG\b)"
    r"|(?<!\s)\s++(?!and\s++Other\s++Medical\s++Treatment\s++Guidelines))+",
    I,
)
SOURCE_NAMED = re.compile(
    r"\b(?:ODG|Official\s+Disability|ACOEM|MTUS|UpToDate|Guidelines?|https?:|www\.)", I
)
# what ends a topic: [\s,;.] and "and" (spelled backwards)
TAIL = citation_spans.TailRun(r"[\s,;.]|\bdna\b")


@dataclass(frozen=True)
class Statement:
    citations: list[Citation]
    mtus_applied: bool | None
    warnings: list[str]


@cache
def _titles() -> tuple[re.Pattern[str], list[dict]]:
    """The pattern of every title and year, and the spec of each title: title i is the
    group ``t<i>``, so the pattern itself says which title it read. (Looking the matched
    text up by its case-folded spelling would fail where IGNORECASE matches what case
    folding changes: a dotless "ı" matches "i", and "ı".casefold() is still "ı".)"""
    table = taxonomy.load("mtus-statements")["titles"]
    alts = sorted(table, key=len, reverse=True)
    words = "|".join(
        f"(?P<t{i}>"
        + r"\s*".join(re.escape(w) for w in re.split(r"\s+", t.replace(",", " , "))).replace(
            r"\s*,", r"\s*,?"
        )
        + ")"
        for i, t in enumerate(alts)
    )
    pattern = re.compile(
        rf"(?:(?<=\s)|^)(?:MTUS\s+)?(?P<title>{words})\s*,?\s*\(?(?P<year>(?:19|20)\d\d)\b\)?", I
    )
    return pattern, [table[t] for t in alts]


def _title_spec(m: re.Match[str]) -> dict:
    """The spec of the title `m` (of _titles' pattern) read."""
    specs = _titles()[1]
    return next(spec for i, spec in enumerate(specs) if m.group(f"t{i}") is not None)


def read_statement(text: str) -> Statement | None:
    """The citations and MTUS flag of a statement in the 2016-17 grammar; None otherwise."""
    non = NON_MTUS.search(text)
    mtus_part, free = (text[: non.start()], text[non.end() :]) if non else (text, "")
    based, outside = BASED_MTUS.search(mtus_part), OUTSIDE.search(mtus_part)
    if not (based or outside or non) and NO_EVIDENCE.search(text):
        return Statement([], None, [])
    if not (based or outside):
        return None
    hits = list(_titles()[0].finditer(text, based.end(), len(mtus_part))) if based else []
    if based and not hits:
        return None  # an older wording ("... MTUS Chronic Pain Guidelines Page(s): 76-80")
    cits: list[Citation] = _mtus_citations(text, hits, len(mtus_part))
    warnings: list[str] = []
    if free.strip() and non:
        found, w = _non_mtus(free)
        cits += [_shifted(c, non.end(), "Non-MTUS") for c in found]
        warnings += w
    return Statement(cits, bool(based), warnings)


def _non_mtus(free: str) -> tuple[list[Citation], list[str]]:
    """The Non-MTUS references, segment by segment ("ODG Low back, Manipulation; Neck and
    Upper back, Manipulation"). A segment that names no source is a chapter of the ODG,
    the guideline these letters cite by chapter alone, when it names an ODG chapter."""
    out: list[Citation] = []
    warnings: list[str] = []
    for seg in SEGMENT.finditer(free):
        text = seg.group(0)
        found, w = citations.parse_citations(text)
        if not SOURCE_NAMED.search(text):
            as_odg, _ = citations.parse_citations(f"ODG {text}")
            odg = [c for c in as_odg if c.key.startswith("odg/")]
            if odg:
                found = [odg[0].model_copy(update={"text": text.strip(" ,.;"), "span": None})]
                w = []
        out += [_shifted(c, seg.start(), "Non-MTUS") for c in found]
        warnings += w
    return out, warnings


def _shifted(c: Citation, offset: int, mtus: str) -> Citation:
    span = (c.span[0] + offset, c.span[1] + offset) if c.span else None
    return c.model_copy(update={"span": span, "mtus": c.mtus or mtus})


def _mtus_citations(text: str, hits: list[re.Match[str]], end: int) -> list[Citation]:
    out: list[Citation] = []
    for i, m in enumerate(hits):
        stop = hits[i + 1].start() if i + 1 < len(hits) else end
        rest = text[m.end() : stop]
        sec = SECTIONS.match(rest)
        topic = rest[sec.end() : TAIL.start(rest, sec.end())].strip() if sec else None
        tail = m.end() + (TAIL.start(rest) if sec else 0)
        spec = _title_spec(m)
        out += _cite(spec, topic or None, text[m.start() : tail].strip(), (m.start(), tail))
    return out


def _cite(spec: dict, topic: str | None, verbatim: str, span: tuple[int, int]) -> list[Citation]:
    key: str = spec["key"]
    if spec.get("sections_are_chapters") and topic:
        keys = _chapters_named(key, topic)
        if keys:
            return [_citation(k, None, verbatim, span) for k in keys]
    if "/" not in key and topic:
        key = _section_of(key, topic) or key
    return [_citation(key, topic, verbatim, span)]


def _citation(key: str, topic: str | None, verbatim: str, span: tuple[int, int]) -> Citation:
    sec = guideline_hubs.section(key)
    return Citation(
        guideline=key.partition("/")[0],
        chapter=(sec or {}).get("chapter"),
        title=(sec or {}).get("title"),
        topic=topic,
        mtus="MTUS",
        text=verbatim,
        key=key,
        span=span,
    )


def _chapters_named(gid: str, topic: str) -> list[str]:
    """The sections of `gid` whose titles the topic names, in the order named."""
    found = []
    for sid, sec in (taxonomy.guidelines()[gid].get("sections") or {}).items():
        m = re.search(r"\s+".join(map(re.escape, sec["title"].split())), topic, I)
        if m:
            found.append((m.start(), m.end(), f"{gid}/{sid}"))
    # a title inside a longer one ("Prevention" in "Cornerstones of Disability Prevention
    # and Management") is not a chapter of its own
    return [k for s, e, k in sorted(found)
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found)]


@lru_cache(maxsize=4096)
def _section_of(gid: str, topic: str) -> str | None:
    """The catalogue section a topic names (CPMTG "Opioids, criteria for use")."""
    found, _ = citations.parse_citations(f"{taxonomy.guidelines()[gid]['label']}, {topic}")
    keys = [c.key for c in found if c.key.startswith(gid + "/")]
    return keys[0] if keys else None
