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

from generator.record import taxonomy

I = re.IGNORECASE  # noqa: E741 - the one flag every pattern uses

MTUS_NAME = r"(?:MTUS|Medical\s+Treatment\s+Utilization\s+Schedule(?:\s*\(MTUS\))?)"

# "California MTUS ", "CA MTUS/", "MTUS (", "MTUS: ", "MTUS (Effective July 18, 2009) "
# in front of a guideline name; part of the citation's text.
PREFIX = (
    r"(?:(?:the\s+)?(?:California|Calif\.|CA)\s+)?"
    r"(?:" + MTUS_NAME + r"(?:\s*\(?\s*(?:Effective\s+)?(?:July\s+18,\s*)?20\d\d\s*\)?)?"
    r"\s*[/:,(–-]?\s*)?"
)


# --- the catalogue, compiled ---------------------------------------------------------


@dataclass(frozen=True)
class _Catalogue:
    specs: dict[str, dict[str, Any]]
    anchors: list[tuple[tuple[str, str | None], re.Pattern[str]]]  # ((guideline, section), rx)
    sections: dict[str, list[tuple[str, re.Pattern[str]]]]  # guideline -> [(section, rx)]
    redirects: dict[str, list[tuple[str, re.Pattern[str]]]]
    signals: list[re.Pattern[str]]


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


def _word(rx: str, prefix: str = "") -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){prefix}(?:{rx})(?!\w)", I)


@cache
def compiled() -> _Catalogue:
    specs = taxonomy.guidelines()
    anchors: list[tuple[tuple[str, str | None], re.Pattern[str]]] = []
    sections: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    redirects: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for gid, spec in specs.items():
        anchors += [((gid, None), _word(a, PREFIX)) for a in spec.get("aliases") or []]
        sections[gid] = []
        for sid, sec in (spec.get("sections") or {}).items():
            for rx in [_title_regex(sec["title"]), *(sec.get("aliases") or [])]:
                sections[gid].append((sid, _word(rx)))
                if spec.get("section_anchors"):
                    anchors.append(((gid, sid), _word(rx, PREFIX)))
        redirects[gid] = [(r["to"], re.compile(r["when"], I)) for r in spec.get("redirects") or []]
    signals = [re.compile(s, I) for s in specs["peer-reviewed"].get("signals") or []]
    return _Catalogue(specs, anchors, sections, redirects, signals)
