"""The guideline catalogue (`generator/data/guidelines.yml`), compiled once: the
names the citation reader looks for (:func:`compiled`), and the names it gives
hubs (keys, titles, search spellings) to the pages that list them.

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



# --- the names of hubs -------------------------------------------------------------------


def _split(key: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(guideline entry, section entry or None); KeyError for a key not in the catalogue."""
    gid, _, sid = key.partition("/")
    spec = compiled().specs[gid]
    return spec, (spec.get("sections") or {})[sid] if sid else None


def section(key: str) -> dict[str, Any] | None:
    """The catalogue entry of a section key (with `guideline` and `id`); None for a bare id."""
    try:
        _, sec = _split(key)
    except KeyError:
        return None
    if sec is None:
        return None
    gid, _, sid = key.partition("/")
    return {**sec, "guideline": gid, "id": sid}


def hub_title(key: str) -> str:
    """'ACOEM 2004, Chapter 7: Independent Medical Examinations and Consultations'."""
    spec, sec = _split(key)
    if sec is None:
        return str(spec["label"])
    if sec.get("chapter"):
        return f"{spec['short']}, Chapter {sec['chapter']}: {sec['title']}"
    return f"{spec['short']}: {sec['title']}"


def _own_spellings(key: str) -> list[str]:
    """What the catalogue itself gives a hub: label and short name, or title; its spellings."""
    spec, sec = _split(key)
    if sec is None:
        return [spec["label"], spec["short"], *(spec.get("spellings") or [])]
    return [*(sec.get("spellings") or []), sec["title"]]


@cache
def _spelling_owners() -> dict[str, frozenset[str]]:
    """Lowercased catalogue spelling -> the hubs whose own spellings list it."""
    owners: dict[str, set[str]] = {}
    for key in all_keys():
        for spelling in _own_spellings(key):
            owners.setdefault(str(spelling).lower(), set()).add(key)
    return {s: frozenset(keys) for s, keys in owners.items()}


def spellings(key: str) -> list[str]:
    """Search spellings of a hub: the catalogue's own, then generated ones.

    These are the plain strings the hub page lists (collapsed) so that the
    header search finds the hub whatever form is typed. A generated spelling
    that is another hub's own spelling ("MTUS Acupuncture" is the MTUS
    Acupuncture guideline, not the CPMTG's Acupuncture topic) is left out.
    """
    spec, sec = _split(key)
    out = _own_spellings(key)
    if sec is not None:
        title = sec["title"]  # the hub title already reads "<short>: <title>"
        if sec.get("chapter"):
            n = sec["chapter"]
            out += [f"ACOEM chapter {n}", f"ACOEM ch. {n}", f"ACOEM ch {n}", f"chapter {n} {title}",
                    f"ACOEM {title}", f"{spec['short']} chapter {n}"]
        if spec.get("mtus"):
            out.append(f"MTUS {title}")
        if sec.get("pages"):
            out += [f"pages {sec['pages']}", f"pp. {sec['pages']}"]
    own = {str(s).lower() for s in _own_spellings(key)}
    owners = _spelling_owners()
    unique: dict[str, str] = {}
    for spelling in map(str, out):
        low = spelling.lower()
        if low not in own and owners.get(low, frozenset({key})) - {key}:
            continue  # generated, and another hub's own spelling
        unique.setdefault(low, spelling)
    return list(unique.values())


def all_keys() -> list[str]:
    """Every hub key, in catalogue order: each guideline, then its sections."""
    out = []
    for gid, spec in compiled().specs.items():
        out.append(gid)
        out += [f"{gid}/{sid}" for sid in spec.get("sections") or {}]
    return out
