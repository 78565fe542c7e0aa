"""The determination search: facet values of a record, its page markup, the search page,
and the Pagefind run over the built site.

Two searches share the site. The header search (Material's lunr index) covers hubs, the
guideline catalogue and, while the archive is small, determinations; above
`header_search_max_determinations` determination pages leave it (front matter
`search: {exclude: true}`) so its index stays small whatever the archive's size. The
"Search determinations" page (`search/index.md`, at /search/) searches every
determination through Pagefind's chunked static index, built by the Pagefind CLI (the
`pagefind-bin` wheel; nothing is downloaded) from the determination pages only, once
MkDocs has built the site and before it is checked and swapped in.

What Pagefind reads of a determination page: the page content (Material's article,
marked `data-pagefind-body` by `theme/partials/content.html` when the page's front matter
says `pagefind: true`) minus boilerplate (the facts table, notices, labels: see
EXCLUDE_SELECTORS and the `data-pagefind-ignore` attributes of pages.py), plus hidden
spans carrying the facet filters and the result metadata (:func:`pagefind_markup`).

Large archives are indexed in shards (several Pagefind bundles, each over a part of the
determination pages, merged in the browser with `mergeIndex`) so the indexer's memory
stays bounded: Pagefind holds roughly 100-170 KB per page while indexing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import taxonomy
from .markdown import front_matter, html_text, join_page, rel
from .models import Determination
from .slugs import slugify
from .stats import record_year

SEARCH_PAGE = "search/index.md"
BUNDLE_DIR = "pagefind"  # the Pagefind bundle(s), at the site root
# Determinations kept in the header search up to this many. A determination
# adds about 2.3 KB to Material's search_index.json (its title, clinical
# summary, services and cited hubs); the hubs take about 0.25 MB. 320 keeps the
# index under 1 MB; above it the determination search (Pagefind) is the way in.
DEFAULT_HEADER_SEARCH_MAX = 320
DEFAULT_SHARD_SIZE = 25_000  # determination pages per Pagefind bundle
UNDATED = "undated"

# (filter name, label shown on the search page); the filter name is the URL parameter
FACETS: list[tuple[str, str]] = [
    ("region", "Body region"),
    ("service", "Service category"),
    ("guideline", "Guideline"),
    ("outcome", "Outcome"),
    ("year", "Year"),
    ("specialty", "Reviewer specialty"),
]
FACET_NAMES = [name for name, _label in FACETS]

# Boilerplate of a determination page that Pagefind skips (what stays: the title, the
# clinical summary, diagnoses, the services, guideline statements, citations, rationale).
EXCLUDE_SELECTORS = [
    "table",  # the facts table: its values are the filters
    ".admonition",  # the synthetic-record notice
    "details",  # parser warnings
    ".headerlink",
]


# --- facets ----------------------------------------------------------------------------


def facet_values(record: Determination) -> dict[str, list[str]]:
    """The filter values of a record, by facet (sorted, no repeats). Ids, not labels."""
    categories = {i.category for i in record.items}
    guidelines = {c.guideline for i in record.items for _p, c in i.citations if c.guideline}
    year = record_year(record)
    return {
        "region": sorted(set(record.body_regions)),
        "service": sorted(categories),
        "guideline": sorted(guidelines),
        "outcome": sorted({i.decision for i in record.items}),
        "year": [str(year) if year is not None else UNDATED],
        "specialty": sorted({slugify(s) for s in record.reviewer.specialties}),
    }


def _guideline_label(gid: str) -> str:
    try:
        return taxonomy.label("guideline", gid)
    except KeyError:
        return gid


def facet_labels(records: Iterable[Determination]) -> dict[str, dict[str, str]]:
    """Filter value -> label for every value the records use, by facet."""
    values: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        for facet, vals in facet_values(r).items():
            values[facet].update(vals)
        for s in r.reviewer.specialties:
            spellings[slugify(s)][s] += 1
    label: dict[str, Callable[[str], str]] = {
        "region": lambda v: taxonomy.label("region", v),
        "service": lambda v: taxonomy.label("category", v),
        "guideline": _guideline_label,
        "outcome": lambda v: {"upheld": "Upheld", "overturned": "Overturned"}.get(v, v),
        "year": lambda v: "Undated" if v == UNDATED else v,
        "specialty": lambda v: sorted(spellings[v].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
    }
    return {f: {v: label[f](v) for v in sorted(values[f])} for f in FACET_NAMES}


def services_json(record: Determination) -> str:
    """The disputed services and their outcomes, `[[service, decision], ...]` as JSON."""
    pairs = [[" ".join(i.service.split()), i.decision] for i in record.items]
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


def pagefind_markup(record: Determination) -> str:
    """Raw HTML (one block) with the record's filters and result metadata, hidden."""
    spans = [f'<span data-pagefind-meta="id">{html_text(record.id)}</span>']
    year = record_year(record)
    spans.append(f'<span data-pagefind-meta="year">{year if year is not None else ""}</span>')
    spans.append(f'<span data-pagefind-meta="services">{html_text(services_json(record))}</span>')
    for facet, vals in facet_values(record).items():
        spans += [f'<span data-pagefind-filter="{facet}">{html_text(v)}</span>' for v in vals]
    return (
        '<div class="imr-pagefind" hidden data-pagefind-ignore data-search-exclude>'
        + "".join(spans)
        + "</div>"
    )


# --- shards ----------------------------------------------------------------------------


def shard_count(n_records: int, shard_size: int = DEFAULT_SHARD_SIZE) -> int:
    return max(1, -(-n_records // max(1, shard_size)))


def bundle_paths(shards: int) -> list[str]:
    """Site-relative folders of the Pagefind bundles: 'pagefind/', then 'pagefind-1/', ...

    The first is the primary bundle (its pagefind.js is the one loaded); the others are
    merged into it. They are siblings: Pagefind falls back to `/pagefind/` for files of a
    primary bundle kept elsewhere.
    """
    return [f"{BUNDLE_DIR}/"] + [f"{BUNDLE_DIR}-{i}/" for i in range(1, max(1, shards))]


# --- the search page ---------------------------------------------------------------------


def search_page(
    records: Sequence[Determination], *, shards: int = 1, header_search_covers: bool = True
) -> str:
    """Markdown of the "Search determinations" page: the form, facets and result list,
    filled in by theme/assets/javascripts/imr-determination-search.js."""
    here = SEARCH_PAGE
    labels = facet_labels(records)
    config = {
        "bundles": [rel(here, p + "index").removesuffix("index") for p in bundle_paths(shards)],
        "facets": [{"name": n, "label": lab, "values": labels[n]} for n, lab in FACETS],
        "root": rel(here, "x").removesuffix("x"),
    }
    n = len(records)
    where = (
        "The search box in the header also finds hubs, guidelines and the real (not "
        "synthetic) determinations."
        if header_search_covers
        else "The search box in the header covers hubs and guidelines; this page covers "
        "every determination."
    )
    if not records:
        return join_page(
            [
                front_matter({"title": "Search determinations", "search": {"exclude": True}}),
                "# Search determinations",
                "",
                "*No determinations yet.*",
            ]
        )
    script = rel(here, "assets/javascripts/imr-determination-search.js")
    data = json.dumps(config, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    lines = [
        front_matter({"title": "Search determinations", "search": {"exclude": True}}),
        "# Search determinations",
        "",
        f"Search the text of all {n:,} determinations and narrow them by body region, service "
        f"category, guideline, outcome, year and reviewer specialty. Choices in one group "
        f"widen the search (any of them); groups narrow it (a determination must match "
        f"each); the numbers are how many "
        f"determinations each choice would give. The address of this page keeps your search, "
        f"so you can bookmark or share it. {where}",
        "",
        '<div class="imr-dsearch" id="imr-dsearch">',
        '<form class="imr-dsearch__form" role="search" action="." method="get">',
        '<label class="imr-dsearch__label" for="imr-dsearch-q">Words in the determination</label>',
        '<input class="imr-dsearch__input md-input" id="imr-dsearch-q" name="q" type="search" '
        'autocomplete="off" spellcheck="false" placeholder="e.g. lumbar MRI radiculopathy">',
        '<button class="md-button imr-dsearch__clear" type="reset">Clear all</button>',
        "</form>",
        '<div class="imr-dsearch__layout">',
        '<div class="imr-dsearch__facets" id="imr-dsearch-facets" aria-label="Filters"></div>',
        '<div class="imr-dsearch__main">',
        '<p class="imr-dsearch__status" id="imr-dsearch-status" role="status" aria-live="polite">'
        "Loading the search index…</p>",
        '<ol class="imr-dsearch__results" id="imr-dsearch-results"></ol>',
        '<button class="md-button imr-dsearch__more" id="imr-dsearch-more" type="button" '
        "hidden>Show more results</button>",
        "</div>",
        "</div>",
        f'<script type="application/json" id="imr-dsearch-config">{data}</script>',
        "<noscript><p>The determination search needs JavaScript. Every determination is also "
        "listed on the hubs (regions, services, guidelines, years, outcomes, reviewers).</p>"
        "</noscript>",
        "</div>",
        "",
        f'<script src="{script}"></script>',
        "",
    ]
    return join_page(lines)


# --- running Pagefind ----------------------------------------------------------------


class SearchIndexError(RuntimeError):
    """The Pagefind CLI failed (or is missing)."""


def pagefind_executable() -> Path:
    """The Pagefind CLI shipped in the pagefind-bin wheel (nothing is downloaded)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as e:  # pragma: no cover - a dependency
        raise SearchIndexError("the pagefind-bin package is not installed") from e
    return Path(get_executable())


@dataclass
class IndexReport:
    pages: int = 0
    shards: int = 0
    seconds: float = 0.0
    peak_kib: int = 0  # the largest peak memory of a Pagefind run


def pages_by_shard(site: Path, shards: int) -> list[list[Path]]:
    """The determination pages of a built site in `shards` groups: sorted by id, in
    contiguous runs of equal size (so no group is empty while there are enough pages)."""
    pages = sorted((site / "determinations").glob("*/index.html"))
    size = max(1, -(-len(pages) // max(1, shards)))
    return [pages[i * size : (i + 1) * size] for i in range(max(1, shards))]


def _peak_kib(pid: int) -> int:
    """VmHWM (peak resident memory, KiB) of a running process; 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _run(args: list[str], what: str) -> int:
    """Run the Pagefind CLI; its peak memory in KiB (read while it runs, 0 if unknown)."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _peak_kib(proc.pid))
            time.sleep(0.1)
        if proc.returncode != 0:
            out.seek(0)
            tail = "\n".join(out.read().strip().splitlines()[-20:])
            raise SearchIndexError(f"Pagefind failed on {what} (exit {proc.returncode}):\n{tail}")
    return peak


def build_index(site: Path, *, shards: int = 1, progress: bool = True) -> IndexReport:
    """Index the determination pages of the built site in `site` into its Pagefind bundle(s).

    One shard: Pagefind runs over the site with a glob of the determination pages.
    Several: each shard's pages are hard-linked (copied where links fail) into a scratch
    tree that mirrors their paths, and Pagefind indexes that tree into its bundle folder
    (:func:`bundle_paths`).
    """
    start = time.perf_counter()
    exe = str(pagefind_executable())
    common = ["--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--force-language", "en"]
    common += ["--silent"]
    report = IndexReport(shards=shards)
    if not any((site / "determinations").glob("*/index.html")):
        return report  # nothing to index: the search page says so (search_page)
    if shards <= 1:
        report.pages = sum(1 for _ in (site / "determinations").glob("*/index.html"))
        if progress:
            print(f"[pagefind] indexing {report.pages} determination page(s)", file=sys.stderr)
        report.peak_kib = _run(
            [
                exe,
                "--site",
                str(site),
                "--glob",
                "determinations/*/index.html",
                "--output-subdir",
                BUNDLE_DIR,
                *common,
            ],
            "the determination pages",
        )
    else:
        groups = pages_by_shard(site, shards)
        for i, pages in enumerate(groups):
            report.pages += len(pages)
            if progress:
                print(
                    f"[pagefind] shard {i + 1}/{shards}: indexing {len(pages)} page(s)",
                    file=sys.stderr,
                )
            scratch = Path(tempfile.mkdtemp(prefix="pagefind-shard-", dir=site.parent))
            try:
                for page in pages:
                    target = scratch / page.relative_to(site)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(page, target)
                    except OSError:
                        shutil.copyfile(page, target)
                peak = _run(
                    [
                        exe,
                        "--site",
                        str(scratch),
                        "--glob",
                        "determinations/*/index.html",
                        "--output-path",
                        str(site / bundle_paths(shards)[i]),
                        *common,
                    ],
                    f"shard {i}",
                )
                report.peak_kib = max(report.peak_kib, peak)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report
