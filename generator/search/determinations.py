"""The determination search's static index, written from the records.

Small files fetched on demand by theme/assets/javascripts/imr-search-engine.js, so a
query session moves a few hundred kilobytes whatever the archive's size; all but
``meta.json`` are gzip-compressed (``.bin``): JSON, or bytes for the date columns. The
unit is the disputed **item**: documents are items, numbered in the order of the listings
(determinations newest first, each one's items in letter order); a result lists items
under their determination.

- ``meta.json`` (plain JSON): item and determination counts, stop words, two term
  directories (the first term of each postings chunk and its file): ``chunks`` for the
  item's own words and its citation terms (generator/search/items.py), ``wide`` for its
  statements, rationale and its determination's clinical summary and diagnoses; per facet
  its values, level (item or determination), the number of items with each value and its
  column file; the files of the items-per-determination list and the citation spellings
  (generator/search/citequery.py) (``lists``), of the date columns (``dates``: per column
  its years file, their width and each year with the file of its days) and the cards'
  folder.
- ``t-<hash>.bin``: a postings chunk. Terms in sorted order, each with its postings
  ``[item delta, weight, item delta, weight, ...]``; a chunk holds about CHUNK_BYTES.
- ``f-<name>-<hash>.bin``: a facet column: per item (item facets) or per determination
  (determination facets), in document order, its value index, or a list of indexes.
- ``n-<hash>.bin``: the number of items of each determination, in order.
- ``r-<name>-<hash>.bin`` and ``r-<name>-<year>-<hash>.bin``: a date column
  (``decided``, ``injured``): the year of each determination's date, and per year the day
  in the year of each determination dated in it (generator/search/datecolumn.py), so a
  date range loads the days of only the years it cuts.
- ``c-<hash>.bin``: the citation spellings.
- ``d-<hash>/<n>.bin``: determination n's card (generator/search/items.py ``card``). The
  folder's name is a hash of all the cards, so a card's address changes whenever any does.

Weights are BM25 term weights (k1 = 1.2, b = 0.75) times ten, rounded; the browser
multiplies them by the term's idf. File names carry a hash of their content, so they can
be cached forever; ``meta.json`` is revalidated. The same records give the same bytes
(gzip without a timestamp). Tokens: generator/search/tokens.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generator.record.dating import newest_first
from generator.record.models import Determination
from generator.search import citequery, datecolumn
from generator.search.header import (
    DETERMINATION_FACETS,
    FACET_LEVELS,
    determination_facet_values,
    item_facet_values,
)
from generator.search.items import card, citation_terms, own_text, shared_text, wide_text
from generator.search.tokens import STOPWORDS, fold, stem, stopwords, terms

CHUNK_BYTES = 48_000  # uncompressed JSON per postings chunk (about 12-20 KB gzip)
K1, B = 1.2, 0.75
LIST_PREFIX = {"items": "n", "decided": "r-decided", "injured": "r-injured", "citations": "c"}

__all__ = ["fold", "stem", "stopwords", "terms", "STOPWORDS", "write_index", "card"]


# --- documents ---------------------------------------------------------------------------


def item_terms(record: Determination) -> list[Counter[str]]:
    """Term frequencies of each item's own words, with its citation terms."""
    out = []
    for item in record.items:
        tf = Counter(terms(own_text(record, item)))
        tf.update(citation_terms(item))
        out.append(tf)
    return out


def wide_terms(record: Determination) -> list[Counter[str]]:
    """Term frequencies of each item's wider text (statements, rationale, summary)."""
    shared = Counter(terms(shared_text(record)))
    out = []
    for item in record.items:
        tf = Counter(terms(wide_text(item)))
        tf.update(shared)
        out.append(tf)
    return out


# --- files -------------------------------------------------------------------------------


PACK_LEVEL = 6  # level 9 took 3 times as long on postings for 1-2% smaller files


def pack(data: object) -> bytes:
    """gzip'd compact JSON, without a timestamp (the same data, the same bytes)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzipped(raw.encode("utf-8"))


def gzipped(raw: bytes) -> bytes:
    """gzip without a timestamp (the same bytes, the same file)."""
    return gzip.compress(raw, compresslevel=PACK_LEVEL, mtime=0)


def _named(prefix: str, blob: bytes) -> str:
    return f"{prefix}-{hashlib.sha256(blob).hexdigest()[:12]}.bin"


def weight(tf: int, length: int, average: float) -> int:
    """BM25's term-frequency part, times ten, at least 1."""
    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
    return max(1, round(norm * 10))


def chunk_postings(postings: Mapping[str, Sequence[int]]) -> list[dict[str, Sequence[int]]]:
    """Sorted terms in runs of about CHUNK_BYTES of JSON (a term is never split); the
    postings stay as given (lists or arrays: see _plain)."""
    chunks: list[dict[str, Sequence[int]]] = []
    current: dict[str, Sequence[int]] = {}
    size = 0
    for term in sorted(postings):
        entry = len(term) + 4 + len(json.dumps(_plain(postings[term]), separators=(",", ":")))
        if current and size + entry > CHUNK_BYTES:
            chunks.append(current)
            current, size = {}, 0
        current[term] = postings[term]
        size += entry
    if current:
        chunks.append(current)
    return chunks


def _plain(postings: Sequence[int]) -> list[int]:
    return postings.tolist() if isinstance(postings, array) else list(postings)


def facet_column(values: Sequence[str], per_doc: Iterable[list[str]]) -> list:
    position = {v: i for i, v in enumerate(values)}
    column: list = []
    for vals in per_doc:
        idx = [position[v] for v in vals]
        column.append(idx[0] if len(idx) == 1 else idx)
    return column


@dataclass
class IndexSummary:
    documents: int = 0  # items
    determinations: int = 0
    terms: int = 0
    chunks: int = 0
    bytes: int = 0  # all files of the index


@dataclass
class _Postings:
    """Postings of one term directory being built: item, tf, item, tf, ... as arrays of
    32-bit integers (4 bytes a number: a Python list takes 8 for the pointer alone, and
    the postings of 300,000 determinations' words ran to gigabytes)."""

    lists: dict[str, array] = field(default_factory=lambda: defaultdict(lambda: array("i")))
    lengths: array = field(default_factory=lambda: array("i"))

    def add(self, n: int, tf: Counter[str]) -> None:
        for term, f in tf.items():
            plist = self.lists[term]
            plist.append(n)
            plist.append(f)
        self.lengths.append(sum(tf.values()))

    def weighted(self) -> dict[str, array]:
        """Item deltas and BM25 weights (in place; each (tf, length)'s weight computed once)."""
        lengths = self.lengths
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        known: dict[int, int] = {}
        for plist in self.lists.values():
            previous = 0
            for i in range(0, len(plist), 2):
                n, tf = plist[i], plist[i + 1]
                key = tf << 32 | lengths[n]
                w = known.get(key)
                if w is None:
                    w = known[key] = weight(tf, lengths[n], average)
                plist[i], plist[i + 1] = n - previous, w
                previous = n
        return self.lists


class Cards(Protocol):
    """Cards made before (generator.build.indexmemo): a record id -> its card's file."""

    def get(self, record_id: str) -> bytes | None: ...
    def put(self, record_id: str, blob: bytes) -> None: ...


def write_index(
    records: Sequence[Determination],
    out: Path,
    each: Callable[[list[Determination]], Iterable[Determination]] | None = None,
    cards_made: Cards | None = None,
) -> IndexSummary:
    """Write the determination search's index for `records` into the folder `out`;
    `each` wraps the loop over them (progress); `cards_made`: cards made before."""
    docs = newest_first(records)  # documents are numbered as the listings list them
    out.mkdir(parents=True, exist_ok=True)
    cards = out / "d"
    cards.mkdir()
    cards_digest = hashlib.sha256()
    summary = IndexSummary(determinations=len(docs))

    def put(rel: str, blob: bytes) -> None:
        (out / rel).write_bytes(blob)
        summary.bytes += len(blob)

    own, wide = _Postings(), _Postings()
    n = 0
    for d, record in enumerate(each(docs) if each else docs):
        blob = _card_file(record, cards_made)
        put(f"d/{d}.bin", blob)
        cards_digest.update(blob)
        for tf_own, tf_wide in zip(item_terms(record), wide_terms(record), strict=True):
            own.add(n, tf_own)
            wide.add(n, tf_wide)
            n += 1
    summary.documents = n
    directories = {}
    for name, postings in (("chunks", own), ("wide", wide)):
        weighted = postings.weighted()
        directory = []
        for chunk in chunk_postings(weighted):
            blob = pack({term: _plain(plist) for term, plist in chunk.items()})
            file = _named("t", blob)
            put(file, blob)
            directory.append([next(iter(chunk)), file])
        directories[name] = directory
        summary.terms += len(weighted)
        summary.chunks += len(directory)
    del own, wide

    # the cards' folder is named by their content: a new build gives new addresses
    cards_dir = f"d-{cards_digest.hexdigest()[:12]}"
    cards.rename(out / cards_dir)
    meta = {
        "version": 3,
        "documents": n,
        "determinations": len(docs),
        "stopwords": sorted(STOPWORDS),
        **directories,
        "cards": cards_dir + "/",
        "facets": _write_facets(docs, put),
        **_write_lists(docs, put),
        "dates": _write_dates(docs, put),
    }
    put("meta.json", json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return summary


def _card_file(record: Determination, cards_made: Cards | None) -> bytes:
    blob = cards_made.get(record.id) if cards_made is not None else None
    if blob is None:
        blob = pack(card(record))
        if cards_made is not None:
            cards_made.put(record.id, blob)
    return blob


def _write_lists(docs: Sequence[Determination], put: Callable[[str, bytes], None]) -> dict:
    """Items per determination and the citation spellings: their files."""
    files: dict[str, object] = {}
    lists = {"items": [len(r.items) for r in docs], "citations": citequery.table()}
    for name, data in lists.items():
        blob = pack(data)
        file = _named(LIST_PREFIX[name], blob)
        put(file, blob)
        files[name] = file
    return {"lists": files}


def _write_dates(docs: Sequence[Determination], put: Callable[[str, bytes], None]) -> dict:
    """The decision and injury date columns (generator/search/datecolumn.py): per column
    its years file, their width in bytes and [year, file of its days] for each year."""

    def store(prefix: str, raw: bytes) -> str:
        blob = gzipped(raw)
        file = _named(prefix, blob)
        put(file, blob)
        return file

    out = {}
    for name, dates in (
        ("decided", [r.dates.decision for r in docs]),
        ("injured", [r.dates.injury for r in docs]),
    ):
        column = datecolumn.encode(dates)
        prefix = LIST_PREFIX[name]
        out[name] = {
            "years": store(prefix, column.years),
            "width": column.width,
            "days": [[year, store(f"{prefix}-{year}", raw)] for year, raw in column.days.items()],
        }
    return out


def _write_facets(
    docs: Sequence[Determination], put: Callable[[str, bytes], None]
) -> dict[str, dict]:
    """Write one column file per facet; their meta entries. Counts are items."""
    per_det = [determination_facet_values(r) for r in docs]
    per_item = [item_facet_values(i) for r in docs for i in r.items]
    weights = [len(r.items) for r in docs]
    facets = {}
    for name, _label, level in FACET_LEVELS:
        counts: Counter[str] = Counter()
        if name in DETERMINATION_FACETS:
            column_of = [fv[name] for fv in per_det]
            for vals, w in zip(column_of, weights, strict=True):
                for v in vals:
                    counts[v] += w
        else:
            column_of = [fv[name] for fv in per_item]
            counts.update(v for vals in column_of for v in vals)
        values = sorted(counts)
        blob = pack(facet_column(values, column_of))
        file = _named(f"f-{name}", blob)
        put(file, blob)
        facets[name] = {
            "values": values,
            "counts": [counts[v] for v in values],
            "column": file,
            "level": level,
        }
    return facets
