"""The guideline catalogue (`generator/data/guidelines.yml`), compiled once: the
names the citation reader looks for (:func:`compiled`). The names it gives hubs
(keys, section entries, titles, search spellings) are
:mod:`generator.record.guideline_hubs`.

Pure functions; the only I/O is the catalogue, through taxonomy.guidelines().
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.letters.citation_spans import Names
from generator.record import taxonomy

I = re.IGNORECASE  # noqa: E741 - the one flag every pattern uses

MTUS_NAME = r"(?:MTUS|Medical\s+Treatment\s+Utilization\s+Schedule(?:\s*\(MTUS\))?)"



def whole_spaces(rx: str) -> str:
    """`rx` with every run of white space taken whole (possessive): "\\s*" -> "\\s*+",
    "\\s+" -> "\\s++" (outside sets; "\\s*?" and "\\s*+" stay).

    In the catalogue a run of white space is always followed by a word, a bracket or a
    mark, never by more white space, so giving part of it back never makes a match; but a
    name with several optional parts each opening with "\\s*" ("2004 ) (2004)") tried
    every way of sharing a long run of white space between them: "MTUS (Effective July
    18, 2011" and a thousand spaces took ten seconds. Taken whole, a run is read once
    per attempt."""
    out, i = [], 0
    while i < len(rx):
        ch = rx[i]
        if ch == "[":  # a set, copied as it is ("]" first in it is a character)
            j = i + (2 if rx.startswith("[^", i) else 1)
            j += 1 if rx.startswith("]", j) else 0
            while j < len(rx) and rx[j] != "]":
                j += 2 if rx[j] == "\\" else 1
            out.append(rx[i : j + 1])
            i = j + 1
        elif ch == "\\":
            out.append(rx[i : i + 2])
            if rx[i + 1 : i + 2] == "s" and rx[i + 2 : i + 3] in ("*", "+"):
                out.append(rx[i + 2])
                if rx[i + 3 : i + 4] not in ("+", "?"):
                    out.append("+")
                i += 1
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# "California MTUS ", "CA MTUS/", "MTUS (", "MTUS: ", "MTUS (Effective July 18, 2009) "
# in front of a guideline name; part of the citation's text.
PREFIX_AS_WRITTEN = (
    r"(?:(?:the\s+)?(?:California|Calif\.|CA)\s+)?"
    r"(?:" + MTUS_NAME + r"(?:\s*\(?\s*(?:Effective\s+)?(?:July\s+18,\s*)?20\d\d\s*\)?)?"
    r"\s*[/:,(–-]?\s*)?"
)
PREFIX = whole_spaces(PREFIX_AS_WRITTEN)


# --- the catalogue, compiled ---------------------------------------------------------


@dataclass(frozen=True)
class _Catalogue:
    specs: dict[str, dict[str, Any]]
    anchors: list[tuple[tuple[str, str | None], re.Pattern[str]]]  # ((guideline, section), rx)
    sections: dict[str, list[tuple[str, re.Pattern[str]]]]  # guideline -> [(section, rx)]
    redirects: dict[str, list[tuple[str, re.Pattern[str]]]]
    signals: list[re.Pattern[str]]
    anchor_names: Names  # the anchors, scanned together
    bodies: dict[str, list[str]]  # guideline -> its sections' patterns' bodies, as `sections`


def _title_regex(title: str) -> str:
    """A section title as a loose pattern: spaces/hyphens free, '&' = 'and', commas optional."""
    parts = []
    for tok in re.findall(r"\w+|[^\w\s-]", title):
        if tok.lower() in ("and", "&"):
            parts.append(r"(?:and|&)")
        elif tok == ",":
            parts.append(",?")
        else:
            parts.append(re.escape(tok))
    return r"[\s-]*".join(parts)


AT_NAME = r"(?<![\w-])"  # a name starts a word


def _word(rx: str, prefix: str = "") -> re.Pattern[str]:
    return re.compile(rf"{AT_NAME}{prefix}(?:{rx})(?!\w)", I)


@cache
def compiled() -> _Catalogue:
    specs = taxonomy.guidelines()
    anchors: list[tuple[tuple[str, str | None], re.Pattern[str]]] = []
    anchor_bodies: list[str] = []
    sections: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    bodies: dict[str, list[str]] = {}
    redirects: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for gid, spec in specs.items():
        aliases = [whole_spaces(a) for a in spec.get("aliases") or []]
        anchors += [((gid, None), _word(a, PREFIX)) for a in aliases]
        anchor_bodies += [f"(?:{a})" for a in aliases]
        sections[gid], bodies[gid] = [], []
        for sid, sec in (spec.get("sections") or {}).items():
            for rx in [_title_regex(sec["title"]), *map(whole_spaces, sec.get("aliases") or [])]:
                sections[gid].append((sid, _word(rx)))
                bodies[gid].append(f"(?:{rx})")
                if spec.get("section_anchors"):
                    anchors.append(((gid, sid), _word(rx, PREFIX)))
                    anchor_bodies.append(f"(?:{rx})")
        redirects[gid] = [(r["to"], re.compile(r["when"], I)) for r in spec.get("redirects") or []]
    signals = [re.compile(s, I) for s in specs["peer-reviewed"].get("signals") or []]
    names = Names([(k, rx, b) for (k, rx), b in zip(anchors, anchor_bodies, strict=True)],
                  AT_NAME, PREFIX)
    return _Catalogue(specs, anchors, sections, redirects, signals, names, bodies)


@cache
def section_names(gid: str) -> Names:
    """The sections of one guideline (payload: the section), scanned together."""
    cat = compiled()
    pairs = zip(cat.sections.get(gid, []), cat.bodies.get(gid, []), strict=True)
    return Names([(sid, rx, body) for (sid, rx), body in pairs], AT_NAME)


@cache
def pool_names(gids: tuple[str, ...]) -> Names:
    """The sections of several guidelines (payload: (guideline, section)), scanned together."""
    cat = compiled()
    return Names(
        [((g, sid), rx, body)
         for g in gids
         for (sid, rx), body in zip(cat.sections.get(g, []), cat.bodies.get(g, []), strict=True)],
        AT_NAME,
    )


def compile_names() -> None:
    """Every set of names the citation reader scans with, compiled now (budget.warm_up:
    before any letter's clock starts) rather than at its first use."""
    cat = compiled()
    for gid, spec in cat.specs.items():
        section_names(gid)
        pool_names((gid, *(spec.get("see_also") or [])))
    pool_names(tuple(cat.specs))
