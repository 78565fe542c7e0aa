"""Controlled vocabularies, loaded from the YAML files in `generator/data/`.

Code never lists regions, categories, guidelines or states itself: it asks
this module. Unknown values are reported by the caller, never mapped silently.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

import yaml

from generator.paths import DATA


class VocabularyError(ValueError):
    """A data file is malformed (names the file and the entry)."""


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed data file `generator/data/<name>.yml`."""
    path = DATA / f"{name}.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:  # pragma: no cover - shipped data is tested
        raise VocabularyError(f"{name}.yml: {e}") from e
    if not isinstance(data, dict):
        raise VocabularyError(f"{name}.yml: expected a mapping at the top level")
    return data


# --- regions -----------------------------------------------------------------


def regions() -> dict[str, dict[str, Any]]:
    return load("regions")["regions"]


# --- services ----------------------------------------------------------------


def categories() -> dict[str, dict[str, Any]]:
    return load("services")["categories"]


@cache
def subcategory_parents() -> dict[str, str]:
    """subcategory id -> category id."""
    out: dict[str, str] = {}
    for cat, spec in categories().items():
        for sub in spec.get("subcategories") or {}:
            if sub in out:
                raise VocabularyError(f"services.yml: subcategory {sub!r} is in two categories")
            out[sub] = cat
    return out


# --- guidelines --------------------------------------------------------------


def guidelines() -> dict[str, dict[str, Any]]:
    return load("guidelines")["guidelines"]


# --- states ------------------------------------------------------------------


def states() -> dict[str, str]:
    return load("states")["states"]


@cache
def _state_names() -> dict[str, str]:
    return {name.lower(): code for code, name in states().items()}


def state_code(name: str) -> tuple[str | None, bool]:
    """USPS code for a state name, tolerant of misspelling.

    Returns (code, exact): exact is False when the name was a close
    misspelling ("Conneticuit" -> CT). (None, False) when nothing is close.
    """
    key = re.sub(r"\s+", " ", name.strip().strip(".,;")).lower()
    names = _state_names()
    if key in names:
        return names[key], True
    if key.upper() in states():
        return key.upper(), True
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]], False
    return None, False


# --- one entry point for validation -----------------------------------------


@cache
def vocabulary(kind: str) -> frozenset[str]:
    """The ids allowed for `kind`: region, category, subcategory, guideline, state."""
    if kind == "region":
        return frozenset(regions())
    if kind == "category":
        return frozenset(categories())
    if kind == "subcategory":
        return frozenset(subcategory_parents())
    if kind == "guideline":
        return frozenset(guidelines())
    if kind == "state":
        return frozenset(states())
    raise KeyError(kind)


def label(kind: str, id_: str) -> str:
    """Human label of a vocabulary id; KeyError for an id the vocabulary does not hold
    (see :func:`label_or_id`)."""
    if kind == "region":
        return str(regions()[id_]["label"])
    if kind == "category":
        return str(categories()[id_]["label"])
    if kind == "subcategory":
        parent = subcategory_parents()[id_]
        return str(categories()[parent]["subcategories"][id_]["label"])
    if kind == "guideline":
        return str(guidelines()[id_]["label"])
    if kind == "state":
        return states()[id_]
    raise KeyError(kind)


def label_or_id(kind: str, id_: str | None) -> str:
    """The label of a vocabulary id, the id itself when the vocabulary does not hold it
    (a hand-edited record), '' for no id."""
    if not id_:
        return ""
    try:
        return label(kind, id_)
    except KeyError:
        return id_
