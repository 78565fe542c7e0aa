"""The determination search's static index, written from the records.

Small files fetched on demand by theme/assets/javascripts/imr-search-engine.js, so a
query session moves a few hundred kilobytes whatever the archive's size; all but
``meta.json`` are gzip-compressed JSON (``.bin``):

- ``meta.json`` (plain JSON): document count, stop words, the term directory (the first term of each
  postings chunk and its file), and per facet its values, the count of each over all
  determinations (the idle page needs nothing else) and its column file.
- ``t-<hash>.bin``: a postings chunk. Terms in sorted order, each with its postings
  ``[doc delta, weight, doc delta, weight, ...]``; a chunk holds about CHUNK_BYTES.
- ``f-<name>-<hash>.bin``: a facet column: per document (in document order) its value
  index, or a list of indexes when it has several (or none).
- ``d-<hash>/<n>.bin``: document n's result card: id, page URL, year, services with
  outcomes, synthetic flag, and the text the snippet is cut from. The folder's name is a
  hash of all the cards, so a card's address changes whenever any card does.

Documents are numbered newest first (the order of the listings), so a search without
words lists the newest determinations first. Weights are BM25 term weights
(k1 = 1.2, b = 0.75) times ten, rounded; the browser multiplies them by the term's idf.
File names carry a hash of their content, so they can be cached forever; ``meta.json`` is
revalidated. The same records give the same bytes (gzip without a timestamp).

Tokens: lower case, accents removed, runs of letters and digits; stop words dropped; an
"s-stemmer" folds plurals (``therapies`` -> ``therapy``, ``injections`` -> ``injection``).
The browser implements the same rules (a test checks they agree).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.pages.opendata import gz
from generator.pages.urls import determination_url
from generator.paths import DATA
from generator.record.dating import counted_year, newest_first
from generator.record.models import Determination
from generator.search.header import FACET_NAMES, facet_values

CHUNK_BYTES = 48_000  # uncompressed JSON per postings chunk (about 12-20 KB gzip)
K1, B = 1.2, 0.75
TOKEN = re.compile(r"[a-z0-9]+")

# Field weights: a word in the services or the id counts more than one in the text.
FIELD_WEIGHTS = {"id": 5, "services": 3, "diagnoses": 2, "text": 1}


def stopwords() -> list[str]:
    lines = (DATA / "search-stopwords.txt").read_text(encoding="utf-8").splitlines()
    return sorted({w.strip() for w in lines if w.strip() and not w.startswith("#")})


STOPWORDS = frozenset(stopwords())


# --- tokens ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: NFKD, then nonspacing marks (category Mn) dropped, as
    the browser's ``/\\p{Mn}/gu`` does."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


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


# --- documents ---------------------------------------------------------------------------


def _fields(record: Determination) -> dict[str, str]:
    items = record.items
    statements = []
    for i in items:
        statements += [i.claims_administrator.text, i.reviewer_guideline.text, i.rationale]
    return {
        "id": " ".join(filter(None, [record.id, record.case_number])),
        "services": " ".join(i.service for i in items),
        "diagnoses": " ".join(record.diagnoses),
        "text": "\n".join(filter(None, [record.clinical_summary, *statements])),
    }


def document_terms(record: Determination) -> Counter[str]:
    """Weighted term frequencies of a record."""
    tf: Counter[str] = Counter()
    for field, text in _fields(record).items():
        weight = FIELD_WEIGHTS[field]
        for t in terms(text):
            tf[t] += weight
    return tf


def card(record: Determination) -> dict:
    """What a result shows: id, page URL (from the site root), year, services, snippet text."""
    year = counted_year(record)
    fields = _fields(record)
    return {
        "id": record.id,
        "url": determination_url(record.id),
        "year": year,
        "services": [[" ".join(i.service.split()), i.decision] for i in record.items],
        "synthetic": record.synthetic,
        "text": " ".join(fields["text"].split()),
    }


# --- files -------------------------------------------------------------------------------


def pack(data: object) -> bytes:
    """gzip'd compact JSON, without a timestamp (the same data, the same bytes)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gz(raw.encode("utf-8"))


def _named(prefix: str, blob: bytes) -> str:
    return f"{prefix}-{hashlib.sha256(blob).hexdigest()[:12]}.bin"


def weight(tf: int, length: int, average: float) -> int:
    """BM25's term-frequency part, times ten, at least 1."""
    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
    return max(1, round(norm * 10))


def chunk_postings(postings: dict[str, list[int]]) -> list[dict[str, list[int]]]:
    """Sorted terms in runs of about CHUNK_BYTES of JSON (a term is never split)."""
    chunks: list[dict[str, list[int]]] = []
    current: dict[str, list[int]] = {}
    size = 0
    for term in sorted(postings):
        entry = len(term) + 4 + sum(len(str(v)) + 1 for v in postings[term])
        if current and size + entry > CHUNK_BYTES:
            chunks.append(current)
            current, size = {}, 0
        current[term] = postings[term]
        size += entry
    if current:
        chunks.append(current)
    return chunks


def facet_column(values: Sequence[str], per_doc: Iterable[list[str]]) -> list:
    position = {v: i for i, v in enumerate(values)}
    column: list = []
    for vals in per_doc:
        idx = [position[v] for v in vals]
        column.append(idx[0] if len(idx) == 1 else idx)
    return column


@dataclass
class IndexSummary:
    documents: int = 0
    terms: int = 0
    chunks: int = 0
    bytes: int = 0  # all files of the index


def write_index(records: Sequence[Determination], out: Path) -> IndexSummary:
    """Write the determination search's index for `records` into the folder `out`."""
    docs = newest_first(records)  # documents are numbered as the listings list them
    out.mkdir(parents=True, exist_ok=True)
    cards = out / "d"
    cards.mkdir()
    cards_digest = hashlib.sha256()
    summary = IndexSummary(documents=len(docs))

    def put(rel: str, blob: bytes) -> None:
        (out / rel).write_bytes(blob)
        summary.bytes += len(blob)

    postings: dict[str, list[int]] = defaultdict(list)  # doc, tf, doc, tf, ...
    lengths: list[int] = []
    for n, record in enumerate(docs):
        blob = pack(card(record))
        put(f"d/{n}.bin", blob)
        cards_digest.update(blob)
        tf = document_terms(record)
        for term, f in tf.items():
            postings[term] += [n, f]
        lengths.append(sum(tf.values()))
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    for plist in postings.values():
        previous = 0
        for i in range(0, len(plist), 2):
            n = plist[i]
            plist[i], plist[i + 1] = n - previous, weight(plist[i + 1], lengths[n], average)
            previous = n
    directory = []
    for chunk in chunk_postings(postings):
        blob = pack(chunk)
        name = _named("t", blob)
        put(name, blob)
        directory.append([next(iter(chunk)), name])
    summary.terms, summary.chunks = len(postings), len(directory)
    del postings

    # the cards' folder is named by their content: a new build gives new addresses
    cards_dir = f"d-{cards_digest.hexdigest()[:12]}"
    cards.rename(out / cards_dir)
    meta = {
        "version": 1,
        "documents": len(docs),
        "stopwords": sorted(STOPWORDS),
        "chunks": directory,
        "cards": cards_dir + "/",
        "facets": _write_facets(docs, put),
    }
    put("meta.json", json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return summary


def _write_facets(
    docs: Sequence[Determination], put: Callable[[str, bytes], None]
) -> dict[str, dict]:
    """Write one column file per facet (each document's values); their meta entries."""
    per_facet = [facet_values(r) for r in docs]
    facets = {}
    for name in FACET_NAMES:
        counts: Counter[str] = Counter(v for fv in per_facet for v in fv[name])
        values = sorted(counts)
        blob = pack(facet_column(values, (fv[name] for fv in per_facet)))
        file = _named(f"f-{name}", blob)
        put(file, blob)
        facets[name] = {"values": values, "counts": [counts[v] for v in values], "column": file}
    return facets
