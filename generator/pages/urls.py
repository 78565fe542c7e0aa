"""The one slug authority: every URL segment made from text comes from here."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lowercase ASCII kebab-case.

    >>> slugify("Physical Medicine & Rehabilitation")
    'physical-medicine-rehabilitation'

    Accents are folded ("Médecine" -> "medecine"); anything else that is not a
    letter or digit separates words. Text with no letters or digits gives
    "unnamed" so a slug is never empty.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    return slug or "unnamed"


def is_slug(text: str) -> bool:
    """True when `text` is already a valid slug (what slugify would keep as is)."""
    return bool(SLUG_PATTERN.match(text))


# --- docs paths: the URL scheme of the site ----------------------------------
#
# Hubs are `<segments>/index.md` (URL /<segments>/), their later listing pages
# `<segments>/page/<n>.md` (URL /<segments>/page/<n>/), determinations
# `determinations/<id>.md` (URL /determinations/<id>/).


def hub_path(*segments: str) -> str:
    """Docs path of a hub's first page: hub_path("regions", "knee") -> 'regions/knee/index.md'."""
    for s in segments:
        if not is_slug(s):
            raise ValueError(f"not a slug: {s!r}")
    return "/".join((*segments, "index.md"))


def listing_page_path(first_page: str, n: int) -> str:
    """Docs path of page `n` (1-based) of the hub whose first page is `first_page`."""
    if n == 1:
        return first_page
    base = first_page.removesuffix("index.md")
    return f"{base}page/{n}.md"


def determination_path(record_id: str) -> str:
    return f"determinations/{record_id}.md"


def guideline_key_segments(key: str) -> tuple[str, ...]:
    """Path segments of a citation key ('acoem-2004/ch-07'); odd segments are slugified."""
    return tuple(s if is_slug(s) else slugify(s) for s in key.split("/") if s.strip())


def guideline_hub_path(key: str) -> str:
    """Docs path of a citation key's hub: 'odg' -> 'guidelines/odg/index.md'."""
    return hub_path("guidelines", *guideline_key_segments(key))


def specialty_path(specialty: str) -> str:
    return hub_path("reviewers", slugify(specialty))


@lru_cache(maxsize=65536)
def normalize_key(key: str) -> str:
    """A citation key as its hub path segments joined by '/' (cached: a few hundred
    distinct keys are normalised once per citation of every hub)."""
    return "/".join(guideline_key_segments(key))


def key_within(key: str, prefix: str) -> bool:
    """True when normalized `key` is `prefix` or below it ('a/b' is within 'a')."""
    return key == prefix or key.startswith(prefix + "/")
