"""Guideline hubs as the catalogue names them: the one owner of guideline hub naming.

A guideline hub is a citation key: a guideline id ('acoem-2004') or a guideline and
one of its sections ('acoem-2004/ch-07'). The catalogue (`generator/data/guidelines.yml`,
through :func:`generator.record.taxonomy.guidelines`) gives every key, a section's
entry, the hub's title and the spellings the header search should find it by. Titles
are the catalogue's words; a page makes them plain text (markdown.plain_title) as it
does every title. Hub paths are :func:`generator.pages.urls.guideline_hub_path`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from generator.record import taxonomy


def _split(key: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(guideline entry, section entry or None); KeyError for a key not in the catalogue."""
    gid, _, sid = key.partition("/")
    spec = taxonomy.guidelines()[gid]
    return spec, (spec.get("sections") or {})[sid] if sid else None


def all_keys() -> list[str]:
    """Every hub key, in catalogue order: each guideline, then its sections."""
    out = []
    for gid, spec in taxonomy.guidelines().items():
        out.append(gid)
        out += [f"{gid}/{sid}" for sid in spec.get("sections") or {}]
    return out


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
    """'ACOEM 2004, Chapter 7: Independent Medical Examinations and Consultations';
    KeyError for a key outside the catalogue (see :func:`title`)."""
    spec, sec = _split(key)
    if sec is None:
        return str(spec["label"])
    if sec.get("chapter"):
        return f"{spec['short']}, Chapter {sec['chapter']}: {sec['title']}"
    return f"{spec['short']}: {sec['title']}"


def title(key: str, fallback: str | None = None) -> str:
    """Title of the hub of any citation key, in or outside the catalogue.

    A key outside the catalogue is named by its guideline and `fallback` (the title
    the letter printed) or else its section id.
    """
    try:
        return hub_title(key)
    except KeyError:
        pass
    gid, _, sid = key.partition("/")
    try:
        name = hub_title(gid)
    except KeyError:
        name = gid
    return f"{name}: {fallback or sid}" if sid else name


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


def _generated_spellings(spec: dict[str, Any], sec: dict[str, Any]) -> list[str]:
    title = sec["title"]  # the hub title already reads "<short>: <title>"
    out = []
    if sec.get("chapter"):
        n = sec["chapter"]
        out += [f"ACOEM chapter {n}", f"ACOEM ch. {n}", f"ACOEM ch {n}", f"chapter {n} {title}",
                f"ACOEM {title}", f"{spec['short']} chapter {n}"]
    if spec.get("mtus"):
        out.append(f"MTUS {title}")
    if sec.get("pages"):
        out += [f"pages {sec['pages']}", f"pp. {sec['pages']}"]
    return out


def spellings(key: str) -> list[str]:
    """Search spellings of a hub: the catalogue's own, then generated ones; [] for a key
    outside the catalogue.

    These are the plain strings the hub page lists (collapsed) so that the
    header search finds the hub whatever form is typed. A generated spelling
    that is another hub's own spelling ("MTUS Acupuncture" is the MTUS
    Acupuncture guideline, not the CPMTG's Acupuncture topic) is left out.
    """
    try:
        spec, sec = _split(key)
    except KeyError:
        return []
    out = _own_spellings(key)
    if sec is not None:
        out += _generated_spellings(spec, sec)
    own = {str(s).lower() for s in _own_spellings(key)}
    owners = _spelling_owners()
    unique: dict[str, str] = {}
    for spelling in map(str, out):
        low = spelling.lower()
        if low not in own and owners.get(low, frozenset({key})) - {key}:
            continue  # generated, and another hub's own spelling
        unique.setdefault(low, spelling)
    return list(unique.values())
