"""Citations typed into the determination search ("ACOEM ch. 12 p. 303", "CPMTG opioids
76-80", "MTUS chronic pain page 79", "ODG knee") -> a guideline hub key and pages.

The spellings are the header search's: every hub's search spellings from the catalogue
(:func:`generator.record.guideline_hubs.spellings`, the strings the hub pages list so
Material's search finds them). :func:`table` compiles them into plain data written into
the index; :func:`parse` reads a query with it. The browser runs the same steps on the
same table (theme/assets/javascripts/imr-search-citations.js); a browser test runs both
over the same queries.

Steps, over the query's tokens (folded, letters-and-digits runs; "76 - 80" is one
token "76-80"; words stemmed as the index stems them):

1. "chapter|chap|ch N": an ACOEM 2004 chapter (the only guideline cited by chapter).
2. "page|pages|p|pp|pg|pgs N" or "N-M": the pages.
3. The longest run of the remaining tokens that is a hub's spelling holding a name the
   catalogue writes in capitals ("ODG knee", "MTUS Opioids, criteria for use", "CPMTG"),
   or a guideline's spelling of three words or more ("Official Disability Guidelines");
   "acupuncture" alone is a service, not the MTUS Acupuncture guideline. Without such a
   run and without a chapter: no citation.
4. For a guideline without its section yet, the section whose words the query shares
   most (ties: narrowest pages, fewer words, then key order).
5. Remaining tokens that are the hub's own words are used up; a bare number or range
   (below 1000) is the pages; what is left stays words to search for.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from generator.record import guideline_hubs, taxonomy
from generator.search.tokens import STOPWORDS, fold, stem

QUERY_TOKEN = re.compile(r"\d+\s*-\s*\d+|[a-z0-9]+")
CHAPTER_WORDS = ("chapter", "chap", "ch")
PAGE_WORDS = ("page", "pages", "p", "pp", "pg", "pgs")
NUMBER = re.compile(r"\d+(?:-\d+)?")  # a page or a page range, as one token
ACRONYM = re.compile(r"\b[A-Z]{2,}\b")  # the names a guideline is known by: ACOEM, ODG, MTUS
MIN_PLAIN = 3  # a guideline's spelling without such a name needs this many words
MAX_PAGE = 999  # a bare number above this is a year or an id, not a page


def raw_tokens(text: str) -> list[str]:
    """Query tokens as typed: folded runs of letters and digits, a page range as one token."""
    return [re.sub(r"\s+", "", t) for t in QUERY_TOKEN.findall(fold(text))]


def tokens(text: str) -> list[str]:
    """Query tokens, words stemmed as the index stems them."""
    return [stem(t) for t in raw_tokens(text)]


def _words(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and not t[0].isdigit()]


def _pages(spec: str | None) -> list[list[int]]:
    out = []
    for part in (spec or "").split(","):
        lo, _, hi = part.strip().partition("-")
        if lo.isdigit():
            out.append([int(lo), int(hi) if hi.isdigit() else int(lo)])
    return out


@cache
def table() -> dict[str, Any]:
    """The catalogue's search spellings as data for :func:`parse` (and the browser)."""
    spellings: list[list[Any]] = []
    sections: dict[str, dict[str, Any]] = {}
    names: set[str] = set()  # tokens of the guidelines' own spellings
    for key in guideline_hubs.all_keys():
        for s in guideline_hubs.spellings(key):
            toks = tokens(s)
            if toks and toks[0] not in PAGE_WORDS:
                spellings.append([toks, key])
                if "/" not in key:
                    names.update(stem(fold(a)) for a in ACRONYM.findall(s))
        sec = guideline_hubs.section(key)
        if sec is not None:
            words = sorted({w for s in guideline_hubs.spellings(key) for w in _words(s)})
            sections[key] = {"chapter": sec.get("chapter"), "pages": _pages(sec.get("pages")),
                             "words": words}
    guideline_ids = list(taxonomy.guidelines())
    return {
        "spellings": spellings,
        "sections": sections,
        "names": sorted(names),
        "guidelines": guideline_ids,
    }


def _take_number_after(toks: list[str], used: list[bool], words: tuple[str, ...]) -> str | None:
    for i in range(len(toks) - 1):
        if not used[i] and not used[i + 1] and toks[i] in words and NUMBER.fullmatch(toks[i + 1]):
            used[i] = used[i + 1] = True
            return toks[i + 1]
    return None


def _range(tok: str | None) -> list[int] | None:
    if not tok:
        return None
    lo, _, hi = tok.partition("-")
    a, b = int(lo), int(hi or lo)
    return [min(a, b), max(a, b)]


Table = dict[str, Any]


def _longest(toks: list[str], used: list[bool], tab: Table) -> tuple[str, list[int]] | None:
    """The longest spelling that is a run of unused tokens and names a guideline."""
    names = set(tab["names"])
    best: tuple[int, str, list[int]] | None = None
    for spelled, key in tab["spellings"]:
        n = len(spelled)
        if not names.intersection(spelled) and ("/" in key or n < MIN_PLAIN):
            continue
        for i in range(len(toks) - n + 1):
            if toks[i : i + n] == spelled and not any(used[i : i + n]):
                if best is None or n > best[0]:
                    best = (n, key, list(range(i, i + n)))
                break
    return (best[1], best[2]) if best else None


def _chapter_key(chapter: str | None, tab: dict[str, Any]) -> str | None:
    for key, sec in sorted(tab["sections"].items()):
        if chapter is not None and key.startswith("acoem-2004/") and str(sec["chapter"]) == chapter:
            return key
    return None


def _width(sec: dict[str, Any], pages: list[int] | None) -> int:
    """How narrowly a section's pages hold the query's (smaller is better; none: 10**6)."""
    fits = [hi - lo for lo, hi in sec["pages"] if pages and lo <= pages[0] and pages[1] <= hi]
    return min(fits) if fits else 10**6


def _best_section(gid: str, query: set[str], pages: list[int] | None, tab: Table) -> str | None:
    """The section of `gid` sharing most words with the query; ties: the narrowest pages
    holding the query's, then the fewest words, then
    the first key in sorted order (as the browser reads the table's JSON)."""
    best: tuple[tuple[int, int, int], str] | None = None
    for key, sec in sorted(tab["sections"].items()):
        if not key.startswith(gid + "/"):
            continue
        rank = (len(query.intersection(sec["words"])), -_width(sec, pages), -len(sec["words"]))
        if rank[0] and (best is None or rank > best[0]):
            best = (rank, key)
    return best[1] if best else None


def _bare_pages(toks: list[str], used: list[bool]) -> list[int] | None:
    for i, t in enumerate(toks):
        if not used[i] and NUMBER.fullmatch(t) and int(t.split("-")[0]) <= MAX_PAGE:
            used[i] = True
            return _range(t)
    return None


def parse(query: str, tab: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """{"key": hub key, "pages": [lo, hi] or None, "rest": words left} or None."""
    tab = tab or table()
    raw = raw_tokens(query)
    toks = [stem(t) for t in raw]
    used = [False] * len(toks)
    chapter_key = _chapter_key(_take_number_after(toks, used, CHAPTER_WORDS), tab)
    pages = _range(_take_number_after(toks, used, PAGE_WORDS))
    found = _longest(toks, used, tab)
    if found is None and chapter_key is None:
        return None
    key = found[0] if found else ""
    for i in found[1] if found else []:
        used[i] = True
    if chapter_key and (not key or key.split("/")[0] == "acoem-2004"):
        key = chapter_key
    pages = pages or _bare_pages(toks, used)
    gid = key.split("/")[0]
    if "/" not in key:
        left = {t for t, u in zip(toks, used, strict=True) if not u}
        key = _best_section(gid, left, pages, tab) or key
    own = set(tab["sections"].get(key, {}).get("words", []))
    own |= {w for spelled, k in tab["spellings"] if k == gid for w in spelled}
    for i, t in enumerate(toks):
        used[i] = used[i] or t in own or t in STOPWORDS
    rest = " ".join(t for t, u in zip(raw, used, strict=True) if not u)
    return {"key": key, "pages": pages, "rest": rest}
