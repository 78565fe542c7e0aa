"""A link checker for the built site: every internal link and anchor resolves.

Reads every HTML file once, collects `href`/`src` targets and element ids
(:mod:`generator.build.linkscan`), and reports links to files that do not exist or
anchors missing from their page. External links (http:, https:, mailto:) are not
fetched: the site is checked offline. `javascript:` and `data:` URLs are always reported,
since the archive never writes them and record text must never become one.

The pages are checked in runs of a few hundred by a pool of `jobs` processes (one per
core by default; :mod:`generator.build.linkpages`), each holding one page at a time. An
anchor on another page than the link's is checked afterwards, once the pages such
anchors point to are read again for their ids: no process holds every page's ids. While
it runs, it shows how far it is and how long is left on stderr (`progress`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.linkpages import (
    FORBIDDEN_SCHEMES,
    SKIP_SCHEMES,
    AnchorRef,
    BrokenLink,
    Chunk,
    PageChecker,
    missing_anchors,
)
from generator.progress import Progress

__all__ = [
    "FORBIDDEN_SCHEMES",
    "SKIP_SCHEMES",
    "BrokenLink",
    "LinkCheck",
    "check_site",
    "folders_without_index",
    "run_check",
]

MIN_CHUNK, MAX_CHUNK = 200, 500  # pages a worker is given at a time
PROGRESS_EVERY = 10.0  # seconds between progress lines where stderr is not a terminal


@dataclass
class LinkCheck:
    """What a link check found, and what it took."""

    broken: list[BrokenLink] = field(default_factory=list)
    pages: int = 0
    worker_peaks_kib: list[int] = field(default_factory=list)  # each worker's VmHWM


def folders_without_index(site: Path, pages: list[Path]) -> list[BrokenLink]:
    """Every folder of the site that holds a page, or a folder that does, with no index.html:
    a URL trimmed to it ("/regions/knee/page/") would find nothing. Folders of assets only
    (stylesheets, scripts, the search index) are not pages' folders."""
    folders: set[Path] = set()
    for page in pages:
        folder = page.parent
        while folder != site and folder not in folders:
            folders.add(folder)
            folder = folder.parent
    return [
        BrokenLink(f.relative_to(site).as_posix() + "/", "index.html", "folder has no index page")
        for f in sorted(folders)
        if not (f / "index.html").is_file()
    ]


def check_site(
    site: Path, *, base_path: str = "/", jobs: int | None = None, progress: bool = False
) -> list[BrokenLink]:
    """Every broken internal link or anchor of the site in `site` (served at `base_path`),
    and every folder of pages without an index page (folders_without_index)."""
    return run_check(site, base_path=base_path, jobs=jobs, progress=progress).broken


def run_check(
    site: Path,
    *,
    base_path: str = "/",
    jobs: int | None = None,
    progress: bool = False,
    chunk_pages: int | None = None,
    only: list[str] | None = None,
) -> LinkCheck:
    """check_site, with the number of pages and the workers' peak memory. `jobs`:
    processes (None: one per core; 1: this process alone); `chunk_pages`: pages a
    worker is given at a time (None: MIN_CHUNK to MAX_CHUNK); `only`: the pages to check
    (paths relative to site; None: every page), whose links may lead to any file."""
    site = Path(site)
    if only is None:
        pages = sorted(site.rglob("*.html"))
        rels = [p.relative_to(site).as_posix() for p in pages]
    else:
        rels = sorted(only)
        pages = [site / r for r in rels]
    jobs = max(1, jobs or os.cpu_count() or 1)
    size = chunk_pages or min(MAX_CHUNK, max(MIN_CHUNK, math.ceil(len(rels) / (jobs * 20))))
    chunks = [(first, rels[first : first + size]) for first in range(0, len(rels), size)]
    found: list[tuple[tuple[int, int], BrokenLink]] = []
    anchors: list[AnchorRef] = []
    peaks: dict[int, int] = {}
    with _Workers(site, base_path, min(jobs, len(chunks))) as workers:
        shown = Progress("linkcheck", len(rels), "page", show=progress, every=PROGRESS_EVERY)
        try:
            for chunk in workers.check(chunks):
                found += chunk.broken
                anchors += chunk.anchors
                peaks[chunk.pid] = max(peaks.get(chunk.pid, 0), chunk.peak_kib)
                shown.advance(chunk.pages)
        finally:
            shown.close()
        found += _broken_anchors(workers, anchors, jobs, peaks)
    peaks.pop(os.getpid(), None)  # jobs=1: this process, whose peak the caller measures
    found.sort(key=lambda item: item[0])
    broken = [b for _order, b in found] + folders_without_index(site, pages)
    return LinkCheck(broken, len(rels), sorted(peaks.values(), reverse=True))


def _broken_anchors(
    workers: _Workers, anchors: list[AnchorRef], jobs: int, peaks: dict[int, int]
) -> list[tuple[tuple[int, int], BrokenLink]]:
    """The links in `anchors` (to anchors on other pages) whose anchor is not there."""
    wanted: dict[str, set[str]] = {}
    for ref in anchors:
        wanted.setdefault(ref.target, set()).add(ref.fragment)
    groups = [(target, sorted(f)) for target, f in wanted.items()]
    size = max(1, math.ceil(len(groups) / (jobs * 4)))
    missing: set[tuple[str, str]] = set()
    for part, pid, peak in workers.anchors(groups, size):
        missing.update(part)
        peaks[pid] = max(peaks.get(pid, 0), peak)
    return [
        (r.order, BrokenLink(r.page, r.link, f"no element with id {r.fragment!r}"))
        for r in anchors
        if (r.target, r.fragment) in missing
    ]


class _Workers:
    """Runs the checks in this process (jobs 1) or in a pool of `jobs` spawned ones."""

    def __init__(self, site: Path, base_path: str, jobs: int) -> None:
        self.checker: PageChecker | None = None
        self.pool: ProcessPoolExecutor | None = None
        if jobs <= 1:
            self.checker = PageChecker(site, base_path)
        else:
            context = multiprocessing.get_context("spawn")  # as mkdocs_run.in_child
            self.pool = ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_start_worker,
                initargs=(site, base_path, os.getpid())
            )

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def check(self, chunks: list[tuple[int, list[str]]]) -> Iterator[Chunk]:
        """Each run of pages checked, in the order they are done."""
        if self.checker is not None:
            yield from (self.checker.check_pages(first, rels) for first, rels in chunks)
            return
        assert self.pool is not None
        yield from _done(self.pool.submit(_check_chunk, first, rels) for first, rels in chunks)

    def anchors(self, groups: list[tuple[str, list[str]]], size: int) -> Iterator[tuple]:
        """missing_anchors of `groups`, `size` pages at a time; with the pid and peak
        memory of the process that looked (0 for this one)."""
        parts = [groups[i : i + size] for i in range(0, len(groups), size)]
        if self.pool is None:
            yield from ((missing_anchors(part), os.getpid(), 0) for part in parts)
        else:
            yield from _done(self.pool.submit(_missing_anchors, part) for part in parts)


def _done(futures: Iterator[Future]) -> Iterator:
    for future in as_completed(list(futures)):
        yield future.result()


_checker: PageChecker | None = None  # a worker's


def _start_worker(site: Path, base_path: str, parent: int) -> None:
    global _checker
    from generator.children import die_with_parent

    die_with_parent(parent)
    _checker = PageChecker(site, base_path)


def _check_chunk(first: int, rels: list[str]) -> Chunk:
    from generator.build.mkdocs_run import peak_kib

    assert _checker is not None
    chunk = _checker.check_pages(first, rels)
    chunk.peak_kib = peak_kib()
    return chunk


def _missing_anchors(groups: list[tuple[str, list[str]]]) -> tuple[list, int, int]:
    from generator.build.mkdocs_run import peak_kib

    return missing_anchors(groups), os.getpid(), peak_kib()
