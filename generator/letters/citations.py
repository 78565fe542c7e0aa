"""Guideline citations: one guideline statement of a letter -> typed Citations.

Modelled on eyecite: the names of guidelines and sections are data
(`generator/data/guidelines.yml`), compiled once into a regex catalogue;
the few patterns that are grammar, not names, are the commented constants
below. Every Citation keeps its span into the statement it came from.

How a statement is read:

1. Boilerplate ("The Expert Reviewer did not base their decision on the
   MTUS.", "Decision based on Non-MTUS Citation", the adopt sentence) is
   masked. What remains falls into segments, split again at ";".
2. In each segment, guideline names (anchors) are found leftmost-longest.
   A citation runs from its anchor to the next one. Text before the first
   anchor is an unanchored source: a bare section title ("Low Back
   Disorders (2016)"), a literature reference, or else `other` + a warning.
3. In a citation: redirects (ACOEM "(2016)" -> acoem-mtus-2017), the ACOEM
   chapter number, section aliases, pages, section inferred from pages,
   topic words and the MTUS label.

Pure functions. The catalogue, compiled, is :mod:`generator.letters.catalogue` (the names
it gives hubs: :mod:`generator.record.guideline_hubs`); span helpers in
:mod:`generator.letters.citation_spans`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from generator.letters.catalogue import MTUS_NAME as _MTUS_NAME
from generator.letters.catalogue import compiled, pool_names, section_names
from generator.letters.citation_spans import Hit, page_ranges, pages_of, trim, words_in
from generator.record.models import Citation, Determination

I = re.IGNORECASE  # noqa: E741 - the one flag every pattern uses

# --- grammar patterns ----------------------------------------------------------

# "(based|did not base) his/her decision on ": the reviewer's (or the claims
# administrator's) MTUS statement, up to the word before what was relied on.
_BASED = (
    r"(?:The\s+)?(?:Expert\s+|physician\s+)?(?:Reviewer|Claims\s+Administrator)(?:.s)?\s+"
    r"(?:did\s+not\s+base|didn.t\s+base|based|decision\s+was\s+(?:not\s+)?based)\s+"
    r"(?:(?:his/her|his\s+or\s+her|his|her|their|its|the)\s+decision\s+)?on\s+(?:the\s+)?"
)
# "The Expert Reviewer found the section of the Medical Treatment Utilization
# Schedule (MTUS) used by the Claims Administrator relevant and appropriate ..."
_ADOPT = (
    r"(?:The\s+)?(?:Expert\s+|physician\s+)?Reviewer\s+found\s+the\s+[^.]{0,200}?used\s+by\s+"
    r"the\s+Claims\s+Administrator\s+(?:to\s+be\s+)?relevant\s+and\s+appropriate[^.]*\.?"
)

# Boilerplate masked before citations are looked for, first alternative first.
MASKS = re.compile(
    "|".join(
        f"(?P<{name}>{rx})"
        for name, rx in [
            # "The Claims Administrator did not cite any medical evidence for its decision."
            ("nocite", r"(?:The\s+Claims\s+Administrator\s+)?did\s+not\s+cite\s+any\s+"
             r"(?:medical\s+)?(?:evidence|guidelines?|citations?)(?:\s+for\s+its\s+decision)?\.?"),
            ("adopt", _ADOPT),
            # "The Expert Reviewer based his/her decision on the MTUS." (whole sentence)
            ("based_sentence", _BASED + _MTUS_NAME + r"(?:\s+guidelines?)?\s*(?:[.;]|$)"),
            # "The Expert Reviewer based his/her decision on the " + a citation
            ("based", _BASED),
            # "The Expert Reviewer also cited the " + a citation
            ("cited", r"(?:The\s+)?(?:Expert\s+Reviewer|Claims\s+Administrator)\s+(?:also\s+)?"
             r"(?:cited|relied\s+(?:up)?on|referenced)\s+(?:the\s+)?"),
            # "Decision based on " (starts a new run: the MTUS label resets)
            ("lead", r"(?:The\s+)?Decision\s+(?:was\s+)?based\s+on\s+(?:the\s+)?"),
            # "Non-MTUS Citation:", "MTUS Citation", "Non-MTUS" label what follows
            ("marker", r"(?:(?P<non>Non[-\s]*)MTUS(?:\s+Citations?)?|MTUS\s+Citations?)\s*:?"),
            # a block label left in by the caller
            ("label", r"(?:Claims\s+Administrator|MAXIMUS|Expert\s+Reviewer)\s+guidelines?\s*:"),
        ]
    ),
    I,
)

ADOPTS = re.compile(_ADOPT, I)

# The reviewer's MTUS statement, negative form first.
APPLIED_NOT = re.compile(
    r"(?:did\s+not|didn.t)\s+base\s+(?:his/her|his\s+or\s+her|his|her|their|its)\s+decision\s+"
    r"on\s+the\s+" + _MTUS_NAME + r"|decision\s+was\s+not\s+based\s+on\s+the\s+" + _MTUS_NAME,
    I,
)
APPLIED = re.compile(
    r"\bbased\s+(?:his/her|his\s+or\s+her|his|her|their|its)\s+decision\s+on\s+the\s+"
    + _MTUS_NAME + r"|decision\s+was\s+based\s+on\s+the\s+" + _MTUS_NAME,
    I,
)

# A page or page range; hyphen splits ("76- 80", "76-\n80") allowed.
_RANGE = r"[0-9]{1,4}[A-Za-z]?(?:\s*[-–—]\s*[0-9]{1,4}[A-Za-z]?)?"
PAGES = re.compile(
    r"(?<!\w)(?:Page\s*\(\s*s\s*\)|Pages?|pgs?|pp|p)\s*(?:\.\s*)?(?::\s*)?"
    rf"(?P<ranges>{_RANGE}(?:\s*(?:,|&|and)\s*{_RANGE}(?![\w/]))*)(?![\w/])",
    I,
)

# "Chapter 12", "Chap. 12", "Ch. 12", "ch 12" (ACOEM 2004).
CHAPTER = re.compile(r"(?<!\w)(?:Chapter|Chap\.?|Ch\.?)\s*([0-9]{1,2})(?![0-9])", I)

SEMICOLON = re.compile(r";(?!\s*\d)")
BARE_MTUS = re.compile(r"(?<![\w-])" + _MTUS_NAME + r"(?!\w)", I)
NON_MTUS = re.compile(r"\bNon[-\s]*MTUS\b", I)


# --- one citation -----------------------------------------------------------------------------


def _infer_section(gid: str, pages: str) -> str | None:
    """The section whose pages contain every cited page, narrowest first."""
    cited = page_ranges(pages)
    best: tuple[int, int, str] | None = None
    for order, (sid, sec) in enumerate((compiled().specs[gid].get("sections") or {}).items()):
        if not sec.get("pages"):
            continue
        own = page_ranges(str(sec["pages"]))
        if all(any(a <= lo and hi <= b for a, b in own) for lo, hi in cited):
            width = sum(b - a + 1 for a, b in own)
            if best is None or (width, order) < best[:2]:
                best = (width, order, sid)
    return best[2] if best else None


def _within(gid: str, inner: str, outer: str) -> bool:
    """Whether section `inner`'s pages lie inside section `outer`'s (and differ)."""
    secs = compiled().specs[gid].get("sections") or {}
    a, b = secs.get(inner, {}).get("pages"), secs.get(outer, {}).get("pages")
    if inner == outer or not a or not b:
        return False
    spans = page_ranges(str(b))
    return all(any(x <= lo and hi <= y for x, y in spans) for lo, hi in page_ranges(str(a)))


def _citation(
    st: str, s: int, e: int, gid: str, anchors: list[tuple[int, int]], marker: str | None,
    warnings: list[str], section: str | None = None,
) -> Citation:
    cat = compiled()
    text = st[s:e]
    for to, when in cat.redirects.get(gid, []):
        if when.search(text):
            gid, section = to, None
            break
    spec = cat.specs[gid]
    holes = list(anchors)
    pages_m = PAGES.search(st, s, e)
    pages = pages_of(pages_m) if pages_m else None
    if pages_m:
        holes.append(pages_m.span())
    sec_span: tuple[int, int] | None = None
    chapters = {sec.get("chapter"): sid for sid, sec in (spec.get("sections") or {}).items()}
    chap_m = CHAPTER.search(st, s, e) if any(chapters) and section is None else None
    if chap_m:
        holes.append(chap_m.span())
        section = chapters.get(int(chap_m.group(1)))
        if section is None:
            warnings.append(f"{spec['short']} has no chapter {int(chap_m.group(1))} in the "
                            f"catalogue: {text!r}.")
    if section is None and not chap_m:
        hits = pool_names((gid, *(spec.get("see_also") or []))).scan(st, s, e)
        if hits:
            (gid, section), sec_span = hits[0].payload, (hits[0].start, hits[0].end)
        spec = cat.specs[gid]
    if pages:
        # pages decide between nested sections: "Opioids, pages 76-80" is the passage
        # "Opioids, criteria for use" (76-80) within "Opioids" (74-96)
        inferred = _infer_section(gid, pages)
        if section is None or (inferred and _within(gid, inferred, section)):
            section = inferred or section
    sec = (spec.get("sections") or {}).get(section) if section else None
    topic = None
    if spec.get("topics"):  # "section": the words naming the section; "after": words after it
        after = [b for _, b in anchors]
        if sec_span and spec["topics"] == "after":
            after.append(sec_span[1])
        words = words_in(st, max([s, *after]), e, holes)
        topic = st[words[0] : words[1]] if words else None
    if marker is None:
        marker = "Non-MTUS" if NON_MTUS.search(text) else "MTUS" if BARE_MTUS.search(text) else None
    return Citation(
        guideline=gid,
        chapter=sec.get("chapter") if sec else None,
        title=sec["title"] if sec else spec["label"],
        topic=topic,
        pages=pages,
        mtus=marker,
        text=text,
        key=f"{gid}/{section}" if sec else gid,
        span=(s, e),
    )


def _unanchored(st: str, s: int, e: int, marker: str | None, warnings: list[str]) -> list[Citation]:
    """A source named without a guideline name: section titles, literature, or other."""
    s, e = trim(st, s, e)
    if s >= e or not re.search(r"[A-Za-z]", st[s:e]):
        return []
    cat = compiled()
    hits = pool_names(tuple(cat.specs)).scan(st, s, e)
    pages_m = PAGES.search(st, s, e)
    holes = [(h.start, h.end) for h in hits] + ([pages_m.span()] if pages_m else [])
    if hits and words_in(st, s, e, holes) is None:
        out = []
        for i, hit in enumerate(hits):
            end = hits[i + 1].start if i + 1 < len(hits) else e
            a, b = trim(st, s if i == 0 else hit.start, end)
            out.append(_citation(st, a, b, hit.payload[0], [], marker, warnings))
        return out
    text = st[s:e]
    if any(sig.search(text) for sig in cat.signals):
        return [_citation(st, s, e, "peer-reviewed", [], marker, warnings)]
    if words_in(st, s, e, []) is None:
        if not BARE_MTUS.search(text):
            return []
        warnings.append(f"The MTUS is cited without naming its part: {text!r} (recorded as other).")
    else:
        warnings.append(f"Unrecognized guideline source {text!r} (recorded as other).")
    return [_citation(st, s, e, "other", [], marker, warnings)]


# --- public API -------------------------------------------------------------------------------


def parse_citations(statement: str) -> tuple[list[Citation], list[str]]:
    """Every citation in one guideline statement, in letter order, and warnings."""
    warnings: list[str] = []
    citations: list[Citation] = []
    segments, markers, pos = [], [], 0
    for m in MASKS.finditer(statement):
        segments.append((pos, m.start()))
        pos = m.end()
        if m.lastgroup in ("lead", "marker"):
            markers.append((m.start(), ("Non-MTUS" if m.group("non") else "MTUS")
                            if m.lastgroup == "marker" else None))
    segments.append((pos, len(statement)))

    def marker_at(i: int) -> str | None:
        return ([v for p, v in markers if p < i] or [None])[-1]

    for seg_s, seg_e in segments:  # ";" separates citations too (not "2011;93:1-10")
        cuts = [seg_s] + [m.end() for m in SEMICOLON.finditer(statement, seg_s, seg_e)]
        for a, b in zip(cuts, [c - 1 for c in cuts[1:]] + [seg_e], strict=True):
            citations += _segment(statement, a, b, marker_at, warnings)
    return citations, warnings


def _segment(st: str, s: int, e: int, marker_at: Any, warnings: list[str]) -> list[Citation]:
    cat = compiled()
    groups: list[list[Hit]] = []
    for hit in cat.anchor_names.scan(st, s, e):
        if groups and not st[groups[-1][-1].end:hit.start].strip():
            groups[-1].append(hit)  # "ACOEM Chronic Pain Guideline": one name
        else:
            groups.append([hit])
    first = groups[0][0].start if groups else e
    pre_s, pre_e = trim(st, s, first)
    if groups and pre_s < pre_e:  # "Hip & Pelvis Chapter, Official Disability Guidelines"
        own = section_names(groups[0][-1].payload[0])
        hits = [(h.start, h.end) for h in own.scan(st, pre_s, pre_e)]
        if hits and words_in(st, pre_s, pre_e, hits) is None:
            first = pre_s
    out = _unanchored(st, s, first, marker_at(s), warnings) if first > s else []
    for i, group in enumerate(groups):
        a = first if i == 0 else group[0].start
        a, b = trim(st, a, groups[i + 1][0].start if i + 1 < len(groups) else e)
        gid, section = group[-1].payload
        spans = [(h.start, h.end) for h in group]
        cited = _citation(st, a, b, gid, spans, marker_at(a), warnings, section)
        cuts = _more_sections(st, a, b, cited.guideline, spans)
        if not cuts:
            out.append(cited)
            continue
        # "Chapter 8 ..., page 178 and Chapter 11 ..., pages 260-262": one citation each
        bounds, label = [a, *cuts, b], marker_at(a) or cited.mtus  # the parts share the label
        for k in range(len(bounds) - 1):
            x, y = trim(st, bounds[k], bounds[k + 1])
            if k == 0:
                out.append(_citation(st, x, y, gid, spans, label, warnings, section))
            else:
                out.append(_citation(st, x, y, cited.guideline, [], label, warnings))
    return out


CONNECTOR = re.compile(r"^[\s,;&]*(?:and|&)?[\s,;&]*$", I)


def _more_sections(st: str, a: int, b: int, gid: str, anchors: list[tuple[int, int]]) -> list[int]:
    """Where a second, third ... section of the same guideline starts in one citation.

    Chapter-numbered guidelines: every "Chapter N" after the first. Guidelines by
    title: section titles joined only by "and", "&" or commas ("Chronic Pain and
    Opioids (2017)"). An empty list: the citation names one section.
    """
    spec = compiled().specs[gid]
    if any(sec.get("chapter") for sec in (spec.get("sections") or {}).values()):
        starts = [m.start() for m in CHAPTER.finditer(st, a, b)]
        return starts[1:]
    hits = [
        h for h in section_names(gid).scan(st, a, b)
        if not any(x <= h.start < y for x, y in anchors)
    ]
    cuts = []
    for prev, nxt in zip(hits, hits[1:], strict=False):
        gap = re.sub(r"\(\s*\d{4}\s*\)", "", st[prev.end : nxt.start])
        if nxt.payload != prev.payload and CONNECTOR.match(gap):
            cuts.append(nxt.start)
    return cuts


def adopts_claims_administrator(statement: str) -> bool:
    """True when the reviewer adopted the claims administrator's sources."""
    return bool(ADOPTS.search(statement))


def mtus_applied(statement: str) -> bool | None:
    """Whether the reviewer says the decision was based on the MTUS (None: not said).

    Adopting the claims administrator's source counts as applying the MTUS only
    when the sentence says that source was (a section of) the MTUS.
    """
    adopted = ADOPTS.search(statement)
    if adopted and re.search(_MTUS_NAME, adopted.group(0), I):
        return True
    neg, pos = APPLIED_NOT.search(statement), APPLIED.search(statement)
    if neg and (not pos or neg.start() <= pos.start()):
        return False
    return True if pos else None




def unrecognized(records: Iterable[Determination]) -> list[tuple[str, int, str, str]]:
    """(record id, item index, who, text) of every citation recorded as `other`."""
    return [
        (r.id, i, who, c.text)
        for r in records
        for i, item in enumerate(r.items)
        for who, c in item.citations
        if c.guideline == "other"
    ]
