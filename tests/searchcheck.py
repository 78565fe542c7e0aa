"""Run header-search queries offline, the way Material for MkDocs 9.8 runs them.

The site's header search is Material's lunr search: the browser fetches
`search/search_index.json`, a web worker builds a lunr.js 2.3.9 index from it
and answers each query typed into the header. This module loads the same
`search_index.json` into lunr.py (a port of lunr.js 2.3.9) and reproduces the
worker and the UI step by step, so the ranking of a query can be tested
without a browser (tests/test_search_queries.py) and checked in one
(tests/browser/test_citation_search.py).

What each step mirrors (paths are in the mkdocs-material repository, 9.8.x;
the installed package ships them minified in
`material/templates/assets/javascripts/workers/search.*.min.js`, with the
TypeScript sources in its `.map`):

- `_extract`: `integrations/search/internal/extract/index.ts`, `extract()`:
  a field value is HTML; only text between tags is tokenized.
- `_split`: `integrations/search/internal/_/index.ts`, `split()`: split a
  string at every match of the configured separator (`config.separator`,
  default `[\\s\\-]+`; zero-length lookaheads are allowed).
- `tokenize`: `integrations/search/internal/tokenize/index.ts`, `tokenize()`:
  the custom tokenizer Material installs on lunr (extract, then split, then
  lowercase). lunr.py's builder calls its own tokenizer, which keeps the
  items of a list as they are, so the field extractors hand it this token list.
- `build_index`: `integrations/search/_/index.ts`, `Search` constructor
  (`setupSearchIndex`): `b(0)` (no field-length normalisation), the fields of
  `config.fields` with their boosts (Material's defaults: title 1e3, text 1,
  tags 1e6), the pipeline functions not listed in `config.pipeline` removed
  from both pipelines (lunr's defaults: index trimmer, stopWordFilter,
  stemmer; search stemmer), ref `location`, and each doc added with
  `{boost: doc.boost}` (lunr: `boost || 1`). Only `lang: [en]` is supported.
- `_document_map`: `integrations/search/config/index.ts`,
  `setupSearchDocumentMap()`: the first doc of a path is the page (article);
  later docs of the same path (`path#anchor`) are its sections (`parent`).
- `transform`: `integrations/search/query/transform/index.ts`, `transform()`:
  trim; quoted parts -> `+` on each word; stray control characters dropped;
  split at whitespace, each part tokenized (below), and `*` appended to every
  term without a `+`/`-` prefix or a `~n`/`^n` suffix.
- `transform_search_query`: `integrations/search/query/_/index.ts`,
  `transformSearchQuery()`: each whitespace part is lexed by lunr's
  QueryLexer (which splits at lunr's *default* separator `[\\s\\-]`, as
  `lunr.QueryLexer.termSeparator` is bound before Material replaces
  `lunr.tokenizer.separator`); a FIELD colon that is not title/text/tags
  becomes a space; every TERM is split again with the configured separator,
  and each piece is emitted with the rest of the part around it (so
  "76-80" becomes "76-80* 76-80*", which lunr then reads as 76, 80*, 76, 80*).
- `parse_search_query`: same file, `parseSearchQuery()`: the clauses of the
  transformed query, wildcards stripped (for the post-query boost).
- `_query_terms`: same file, `getSearchQueryTerms()`: for each clause, whether
  some matched index term starts with it; unmatched stop words are left out.
- `search`: `integrations/search/_/index.ts`, `Search.search()`: lunr's
  `index.search(query)` (BM25 per field, cosine against the query vector,
  every wildcard expansion counting 1), then `score * (1 + boost ** 2)` with
  `boost = (page, not section) + (matched terms / terms)`, a stable sort by
  score, and grouping by page in order of first appearance; a group whose
  page did not match gets the page appended with score 0. A query lunr cannot
  parse gives no results (the worker catches the error). The experimental
  Chinese segmentation is not reproduced (queries here have no Han script).
- `SearchGroup.href`: `templates/search/index.tsx`,
  `renderSearchResultItem()`: each group is one `li.md-search-result__item`
  whose first link is the page (the doc whose URL has no `#`), so the "first
  result" of the header search is the page of the first group. With the
  `search.highlight` feature the href also carries `?h=<matched terms>`.
- The query sent is the input's value as typed
  (`components/search/query/index.ts`, `mountSearchQuery()`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.exceptions import BaseLunrException
from lunr.query import Query, QueryPresence
from lunr.query_lexer import QueryLexer
from lunr.query_parser import QueryParser
from lunr.stemmer import stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

# lunr's default pipelines (lunr.js `lunr()`), in order; Material removes the
# functions its config does not list.
INDEX_PIPELINE = (("trimmer", trimmer), ("stopWordFilter", stop_word_filter), ("stemmer", stemmer))
SEARCH_PIPELINE = (("stemmer", stemmer),)
# Material's plugin defaults (material/plugins/search/plugin.py, on_config).
DEFAULT_FIELDS = {"title": {"boost": 1e3}, "text": {"boost": 1e0}, "tags": {"boost": 1e6}}


# --- tokenizer (internal/extract, internal/_, internal/tokenize) ----------------------


def _js_regex(pattern: str) -> re.Pattern[str]:
    """A JavaScript RegExp source as a Python pattern (the separators used are compatible)."""
    return re.compile(pattern)


def _extract(value: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of every text section of an HTML string (extract())."""
    start = end = stack = 0
    n = len(value)
    while end < n:
        char = value[end]
        if char == "<" and end > start:
            yield start, end
            start = end
        elif char == ">":
            if value[start + 1 : start + 2] == "/":
                stack -= 1
            elif value[end - 1 : end] != "/":
                stack += 1
            start = end + 1
        end += 1
    if end > start:
        yield start, end


def _split(value: str, separator: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """The (start, until) of the non-empty pieces between separator matches (split())."""
    index = 0
    pos = 0
    while True:
        match = separator.search(value, pos)
        until = match.start() if match else len(value)
        if index < until:
            yield index, until
        if not match:
            return
        index = match.end()
        pos = match.end() if match.end() > match.start() else match.start() + 1
        if pos > len(value):
            return


def tokenize(value: str | list[str] | None, separator: re.Pattern[str]) -> list[str]:
    """Material's lunr tokenizer: text outside tags, split, lowercased (tokenize())."""
    if value is None:
        return []
    tokens: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        for start, end in _extract(item):
            section = item[start:end]
            tokens += [section[a:b].lower() for a, b in _split(section, separator)]
    return tokens


# --- index (Search constructor, setupSearchDocumentMap) ---------------------------------


@dataclass
class SearchItem:
    """One matching page or section, after Material's post-query boost."""

    location: str
    title: str
    score: float
    terms: dict[str, bool]


@dataclass
class SearchGroup:
    """One entry of the results list: a page and its matching sections."""

    page: str  # location of the page (no '#')
    items: list[SearchItem] = field(default_factory=list)

    @property
    def href(self) -> str:
        """The page link of the rendered entry, relative to the site root ('' = home)."""
        return self.page

    @property
    def score(self) -> float:
        return self.items[0].score


def _document_map(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """location -> doc, each section doc given `parent` = its page's doc."""
    out: dict[str, dict[str, Any]] = {}
    for doc in docs:
        path = doc["location"].split("#")[0]
        article = out.get(path)
        if article is None:
            out[path] = doc
        else:
            out[doc["location"]] = doc
            doc["parent"] = article
    return out


class MaterialSearch:
    """A built search_index.json, indexed and queried as Material 9.8's worker does."""

    def __init__(self, data: dict[str, Any]) -> None:
        config = data["config"]
        lang = config.get("lang") or ["en"]
        if lang != ["en"]:
            raise ValueError(f"only lang: [en] is reproduced, not {lang}")
        self.config = config
        self.separator = _js_regex(config["separator"])
        self.docs = [dict(d) for d in data["docs"]]
        self.map = _document_map(self.docs)
        builder = Builder()
        builder.b(0)
        keep = set(config.get("pipeline") or [])
        builder.pipeline.add(*[fn for name, fn in INDEX_PIPELINE if name in keep])
        search_fns = [fn for name, fn in SEARCH_PIPELINE if name in keep]
        if search_fns:
            builder.search_pipeline.add(*search_fns)
        builder.ref("location")
        self.fields = dict(config.get("fields") or DEFAULT_FIELDS)
        for name, spec in self.fields.items():
            builder.field(name, boost=spec.get("boost", 1), extractor=self._extractor(name))
        for doc in self.docs:
            boost = doc.get("boost")
            builder.add(doc, {"boost": boost} if boost else None)
        self.index = builder.build()

    @classmethod
    def load(cls, path: str | Path) -> MaterialSearch:
        """From a site folder or its search/search_index.json."""
        p = Path(path)
        if p.is_dir():
            p = p / "search" / "search_index.json"
        return cls(json.loads(p.read_text(encoding="utf-8")))

    def _extractor(self, name: str) -> Callable[[dict[str, Any]], list[str] | None]:
        def extract(doc: dict[str, Any]) -> list[str] | None:
            value = doc.get(name)
            return None if value is None else tokenize(value, self.separator)

        return extract

    # --- query (transform, transformSearchQuery, parseSearchQuery) ---------------------

    def transform_search_query(self, query: str) -> str:
        """The query string the worker hands to lunr (transformSearchQuery())."""

        def visit(part: str) -> list[str]:
            terms: list[str] = []
            lexer = QueryLexer(part)
            lexer.run()
            for lexeme in lexer.lexemes:
                kind, term = lexeme["type"], lexeme["string"]
                start, end = lexeme["start"], lexeme["end"]
                if kind == QueryLexer.FIELD:
                    if term not in ("title", "text", "tags"):
                        part = part[:end] + " " + part[end + 1 :]
                elif kind == QueryLexer.TERM:
                    for a, b in _split(term, self.separator):
                        terms.append(part[:start] + term[a:b] + part[end:])
            return terms

        return transform(query, visit)

    def search(self, query: str) -> list[SearchGroup]:
        """The result groups of the header search for a typed query, best first."""
        query = self.transform_search_query(query)
        if not query:
            return []
        try:
            clauses = [
                c for c in parse_search_query(query) if c.presence != QueryPresence.PROHIBITED
            ]
            results = self.index.search(query)
        except BaseLunrException:
            return []
        items: list[SearchItem] = []
        for result in results:
            doc = self.map.get(result["ref"])
            if doc is None:
                continue
            terms = _query_terms(clauses, list(result["match_data"].metadata))
            boost = (0 if "parent" in doc else 1) + (
                sum(1 for t in terms.values() if t) / len(terms) if terms else float("nan")
            )
            score = result["score"] * (1 + boost**2)
            items.append(SearchItem(doc["location"], doc["title"], score, terms))
        items.sort(key=lambda i: -i.score)  # stable, like Array.prototype.sort
        groups: dict[str, SearchGroup] = {}
        for item in items:
            doc = self.map[item.location]
            ref = doc["parent"]["location"] if "parent" in doc else doc["location"]
            groups.setdefault(ref, SearchGroup(ref)).items.append(item)
        for ref, group in groups.items():
            if not any(i.location == ref for i in group.items):
                doc = self.map[ref]
                group.items.append(SearchItem(ref, doc["title"], 0.0, {}))
        return list(groups.values())

    def first(self, query: str) -> str | None:
        """The page of the first result group (None: no result)."""
        groups = self.search(query)
        return groups[0].href if groups else None


def transform(query: str, fn: Callable[[str], str | list[str]] = lambda t: t) -> str:
    """Material's query transform (query/transform/index.ts, transform())."""
    query = query.strip()
    parts = re.split(r'"([^"]+)"', query)
    query = "".join(
        re.sub(r"^(?=[A-Za-z0-9_])|^(?![^\x00-\x7F]|$)|\s+", " +", p) if i & 1 else p
        for i, p in enumerate(parts)
    )
    query = re.sub(r'"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)', "", query)
    terms: list[str] = []
    for term in re.split(r"\s+", query):
        out = fn(term)
        terms += out if isinstance(out, list) else [out]
    terms = [f"{t}1" if re.search(r"[~^]$", t) else t for t in terms]
    return " ".join(t if re.search(r"^[+-]|[~^]\d+$", t) else f"{t}*" for t in terms)


def parse_search_query(value: str) -> list[Any]:
    """The clauses of a transformed query, wildcards stripped (parseSearchQuery())."""
    query = Query(["title", "text", "tags"])
    QueryParser(value, query).parse()
    for clause in query.clauses:
        clause.use_pipeline = True
        if clause.term.startswith("*"):
            clause.term = clause.term[1:]
        if clause.term.endswith("*"):
            clause.term = clause.term[:-1]
    return list(query.clauses)


def _query_terms(clauses: list[Any], terms: list[str]) -> dict[str, bool]:
    """Which query terms a result matched (getSearchQueryTerms())."""
    pending = list(clauses)
    result: dict[str, bool] = {}
    for term in terms:
        for clause in list(pending):
            if term.startswith(clause.term):
                result[clause.term] = True
                pending.remove(clause)
    for clause in pending:
        if clause.term and clause.term not in STOP_WORDS:
            result[clause.term] = False
    return result
