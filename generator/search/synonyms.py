"""Drug names and their brand names, from generator/data/drug-synonyms.yml. Pure.

A search for any name of a group finds the others (hydrocodone <-> Norco). Both searches
can use it:

- the header search: :func:`expand_index` adds to each entry of Material's
  `search_index.json` that names a drug the group's other names (the build runs it on the
  index MkDocs wrote: generator.build.mkdocs_run);
- the determination search: :func:`also_known_as` gives the other names of the drugs a
  text names (to index with it), :func:`synonym_table` every name -> its group (to
  expand a query), :func:`groups` the groups themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from generator.paths import DATA

FILE = "drug-synonyms.yml"


@lru_cache(maxsize=1)
def groups() -> tuple[tuple[str, ...], ...]:
    """The groups of names, each generic name first, as the vocabulary file lists them."""
    data = yaml.safe_load((DATA / FILE).read_text(encoding="utf-8"))
    out = []
    seen: dict[str, int] = {}
    for k, group in enumerate(data["groups"]):
        names = tuple(str(n).strip() for n in group)
        if len(names) < 2 or not all(names):
            raise ValueError(f"{FILE}: group {k + 1} needs two names or more: {group!r}")
        for n in names:
            if n.lower() in seen:
                raise ValueError(f"{FILE}: {n!r} is in groups {seen[n.lower()] + 1} and {k + 1}")
            seen[n.lower()] = k
        out.append(names)
    return tuple(out)


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, tuple[str, ...]]:
    """Every name, lower case -> the whole group it is in (generic name first)."""
    return {n.lower(): g for g in groups() for n in g}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(synonym_table(), key=len, reverse=True)  # "tylenol #3" before "tylenol"
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def names_in(text: str) -> list[tuple[str, ...]]:
    """The groups a text names (any of their names as whole words), in order of first mention."""
    table = synonym_table()
    found: dict[tuple[str, ...], None] = {}
    for m in _pattern().finditer(text):
        found.setdefault(table[m.group(0).lower()], None)
    return list(found)


def also_known_as(text: str) -> list[str]:
    """The names of the drugs a text names that the text does not use itself."""
    used = {m.group(0).lower() for m in _pattern().finditer(text)}
    return [n for group in names_in(text) for n in group if n.lower() not in used]


def expand_index(index: dict[str, Any]) -> int:
    """Add to each entry of a Material search index (the parsed search_index.json) that
    names a drug the other names of its group, as a last paragraph of its text. Returns
    how many entries were changed."""
    changed = 0
    for doc in index.get("docs", []):
        text = f"{doc.get('title', '')} {doc.get('text', '')}"
        names = also_known_as(_TAGS.sub(" ", text))
        if names:
            doc["text"] = f"{doc.get('text', '')} <p>Also known as: {', '.join(names)}</p>"
            changed += 1
    return changed


_TAGS = re.compile(r"<[^>]*>")
