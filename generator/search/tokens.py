"""The determination search's tokens: the rules both the index (Python) and the browser
(theme/assets/javascripts/imr-search-engine.js) follow; a browser test checks they agree.

Lower case, accents removed, runs of letters and digits; stop words dropped; an
"s-stemmer" folds plurals (``therapies`` -> ``therapy``, ``injections`` -> ``injection``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from generator.paths import DATA

TOKEN = re.compile(r"[a-z0-9]+")


def stopwords() -> list[str]:
    lines = (DATA / "search-stopwords.txt").read_text(encoding="utf-8").splitlines()
    return sorted({w.strip() for w in lines if w.strip() and not w.startswith("#")})


STOPWORDS = frozenset(stopwords())


def fold(text: str) -> str:
    """Lower case without accents: NFKD, then nonspacing marks (category Mn) dropped, as
    the browser's ``/\\p{Mn}/gu`` does. ASCII text only needs lower case."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Harman's s-stemmer: fold plural endings of words longer than three letters."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (repeats kept)."""
    return [stem(t) for t in TOKEN.findall(fold(text)) if t not in STOPWORDS and len(t) > 1]
