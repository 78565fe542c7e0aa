"""The one slug authority: every URL segment made from text comes from here."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlencode

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
# `determinations/<id>.md` (URL /determinations/<id>/), a hub's items as CSV
# `<segments>/items.csv`. Every page and file path of the site is made here.

HOME_PAGE = "index.md"
SEARCH_PAGE = "search/index.md"
SEARCH_INDEX_DIR = "search-index"  # the determination search's index, at the site root
DATA_PAGE = "data/index.md"
JSONL_PATH = "data/imr-archive.jsonl.gz"
CSV_PATH = "data/imr-archive-items.csv.gz"
SCHEMA_PATH = "data/record.schema.json"
DETERMINATIONS_DIR = "determinations"

# the names downloads are saved as (a hub's CSV: see download_name)
_DOWNLOAD_NAMES = {
    JSONL_PATH: "imr-archive.jsonl.gz",
    CSV_PATH: "imr-archive-items.csv.gz",
    SCHEMA_PATH: "imr-record.schema.json",
}


def hub_path(*segments: str) -> str:
    """Docs path of a hub's first page: hub_path("regions", "knee") -> 'regions/knee/index.md'."""
    for s in segments:
        if not is_slug(s):
            raise ValueError(f"not a slug: {s!r}")
    return "/".join((*segments, "index.md"))


def hub_csv_path(first_page: str) -> str:
    """Docs path of a hub's items as CSV: 'regions/knee/index.md' -> 'regions/knee/items.csv'."""
    return first_page.removesuffix("index.md") + "items.csv"


def download_name(path: str) -> str:
    """The name a data file is saved as: the archive's own names, else a hub's CSV
    'regions/knee/items.csv' -> 'imr-regions-knee.csv'."""
    if path in _DOWNLOAD_NAMES:
        return _DOWNLOAD_NAMES[path]
    folder = path.rsplit("/", 1)[0]
    return "imr-" + folder.replace("/", "-") + ".csv"


def determination_file(record_id: str) -> str:
    """A determination page's file name in DETERMINATIONS_DIR."""
    return f"{record_id}.md"


def determination_path(record_id: str) -> str:
    return f"{DETERMINATIONS_DIR}/{determination_file(record_id)}"


def determination_url(record_id: str) -> str:
    """A determination page's URL from the site root, as MkDocs serves it:
    'determinations/<id>/'."""
    return determination_path(record_id).removesuffix(".md") + "/"


def guideline_key_segments(key: str) -> tuple[str, ...]:
    """Path segments of a citation key ('acoem-2004/ch-07'); odd segments are slugified."""
    return tuple(s if is_slug(s) else slugify(s) for s in key.split("/") if s.strip())


def guideline_hub_path(key: str) -> str:
    """Docs path of a citation key's hub: 'odg' -> 'guidelines/odg/index.md'."""
    return hub_path("guidelines", *guideline_key_segments(key))


def guideline_hub_key(path: str) -> str | None:
    """The normalized citation key of a guideline hub's docs path (guideline_hub_path
    read back: 'guidelines/odg/index.md' -> 'odg'); None for any other path."""
    head, _, rest = path.partition("/")
    if head != "guidelines" or not rest.endswith("/index.md"):
        return None
    return rest.removesuffix("/index.md")


def specialty_path(specialty: str) -> str:
    return hub_path("reviewers", slugify(specialty))


def specialty_names(specialties: Iterable[str]) -> dict[str, str]:
    """Specialty slug -> the name its hub and filter show: the spelling the given
    specialties (one per mention) use most, ties to the first in sorted order."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for s in specialties:
        spellings[slugify(s)][s] += 1
    return {
        slug: sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for slug, names in spellings.items()
    }


@lru_cache(maxsize=65536)
def normalize_key(key: str) -> str:
    """A citation key as its hub path segments joined by '/' (cached: a few hundred
    distinct keys are normalised once per citation of every hub)."""
    return "/".join(guideline_key_segments(key))


@lru_cache(maxsize=65536)
def key_prefixes(key: str) -> tuple[str, ...]:
    """A citation key, normalized, and the keys above it: 'a/b/c' -> ('a', 'a/b', 'a/b/c')."""
    segments = normalize_key(key).split("/")
    return tuple("/".join(segments[:n]) for n in range(1, len(segments) + 1))


def key_within(key: str, prefix: str) -> bool:
    """True when normalized `key` is `prefix` or below it ('a/b' is within 'a')."""
    return key == prefix or key.startswith(prefix + "/")


# hub family folder -> the determination search's filter (URL parameter) of its hubs
_SEARCH_FILTERS = {"regions": "region", "years": "year", "outcomes": "outcome",
                   "reviewers": "specialty"}


def search_params(hub_docs_path: str) -> list[tuple[str, str]]:
    """The determination search's URL parameters that select a hub's items: 'regions/knee/
    index.md' -> [('region', 'knee')], a service category or subcategory, a guideline or
    guideline section, a year, an outcome, a specialty; [] for any other page."""
    parts = hub_docs_path.removesuffix("index.md").strip("/").split("/")
    family, rest = parts[0], parts[1:]
    if not rest or rest[0] == "page":
        return []
    if family in _SEARCH_FILTERS and len(rest) == 1:
        return [(_SEARCH_FILTERS[family], rest[0])]
    if family == "services":
        return [("service", rest[0])] if len(rest) == 1 else [("subcategory", rest[1])]
    key = guideline_hub_key(hub_docs_path)
    if key:
        return [("section" if "/" in key else "guideline", key)]
    return []


def search_link(here: str, params: list[tuple[str, str]]) -> str:
    """A relative link from the docs page `here` to the search page with `params`."""
    return posixpath.relpath(SEARCH_PAGE, posixpath.dirname(here) or ".") + "?" + urlencode(params)
