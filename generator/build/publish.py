"""The built shards made into the site being served: merged, letters added, links
checked, swapped in, and what was built remembered for the next build.

The output folder is the spare site when there is one (generator.build.spare): the site
the last swap replaced, brought up to date file by file, so an update writes and
removes the files that changed, not the whole site.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.build import letters as original_letters
from generator.build import linkdelta, spare
from generator.build.cache import ShardCache
from generator.build.errors import SiteBuildError
from generator.build.merge import merge
from generator.build.mkdocs_run import MkDocsJob, in_child, load_site_config
from generator.build.report import BuildReport, phase
from generator.build.sharded import ShardsResult, store_built
from generator.build.swap import REPLACED, swap_in
from generator.pages.urls import SEARCH_INDEX_DIR

LARGE_PAGE_BYTES = 500_000  # listing pages paginate so that no built page exceeds this
TRASH = "trash"  # in the work folder: what goes with it

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """The site being made (work/site) and its letters."""

    path: Path
    letters: dict[str, str]  # each letter's site path -> its sha256
    present: frozenset[str]  # of them, those the folder holds with these bytes already


def merge_phase(shards: ShardsResult, job: MkDocsJob, work: Path, found: dict, cache: ShardCache,
                full: bool, report: BuildReport, progress: bool) -> Output:
    """The shards into one site in work/site (the spare site brought up to date, unless
    `full`); the determination search's index moved in. `found`: the letters to publish
    (generator.build.letters.find_letters)."""
    out_dir = work / "site"
    with phase(report, "merge", f"{len(shards.outputs)} shard(s) into one site", progress):
        (work / "docs").mkdir(exist_ok=True)  # MkDocs checks that docs_dir exists
        config = load_site_config(job, work / "docs", out_dir)
        build_date = time.strftime("%Y-%m-%d", time.gmtime(job.epoch))
        had = spare.take(cache.root, out_dir, work / TRASH, use=not full,
                         unmanaged=(SEARCH_INDEX_DIR,))
        letters = original_letters.published(found)
        present = frozenset(path for path, sha in had.items() if letters.get(path) == sha)
        synced = merge(shards.outputs, out_dir, build_date=build_date, config=config,
                       keep=present)
        report.site_files = {"linked": synced.linked, "kept": synced.kept,
                             "removed": synced.removed}
    (work / SEARCH_INDEX_DIR).rename(out_dir / SEARCH_INDEX_DIR)
    return Output(out_dir, letters, present)


def letters_phase(found: dict, out: Output, report: BuildReport, show: bool) -> None:
    """The original letters into the built site, beside their pages (after MkDocs): those
    it does not hold already."""
    with phase(report, "letters", f"{len(found)} original letter(s)", show):
        report.letters = len(found)
        report.letters_copied = original_letters.copy_letters(found, out.path, out.present)


def linkcheck_phase(out: Output, site_dir: Path, links: str | None, cache: ShardCache,
                    full: bool, report: BuildReport, progress: bool) -> None:
    """Raise SiteBuildError when the built site has a broken internal link or anchor
    (`links`: the base path; None: no check). The pages that are the files of the site
    the last build checked need no new check (generator.build.linkdelta), unless `full`."""
    checked = None if full or links is None else linkdelta.checked_site(
        cache.root, site_dir, links)
    linkdelta.forget(cache.root)  # the site is about to change
    if links is None:
        return
    with phase(report, "linkcheck", "internal links and anchors", progress):
        (broken, workers, report.linkcheck_pages), own = in_child(
            "linkcheck", out.path, links, progress, checked)
    report.linkcheck_peaks_kib = [own, *workers]
    report.linkcheck_peak_kib = max(report.linkcheck_peaks_kib)
    if broken:
        shown = "\n".join(f"  {b}" for b in broken[:20])
        more = f"\n  ... and {len(broken) - 20} more" if len(broken) > 20 else ""
        raise SiteBuildError(f"{len(broken)} broken link(s) in the built site:\n{shown}{more}")


def swap_phase(out: Output, site_dir: Path, work: Path, cache: ShardCache,
               report: BuildReport, progress: bool) -> dict | None:
    """Note the largest page (a warning when too large), then swap the site in; returns
    the note of the site it replaced (generator.build.spare.served)."""
    report.largest_page = largest_page(out.path)
    if report.largest_page[1] > LARGE_PAGE_BYTES:
        log.warning("largest page %s is %d bytes (over %d)", *report.largest_page, LARGE_PAGE_BYTES)
    note = spare.served(cache.root)
    with phase(report, "swap", f"into {site_dir}", progress):
        swap_in(out.path, site_dir, work)
    return note


def remember(shards: ShardsResult, cache: ShardCache, notes: Callable[[], None], site_dir: Path,
             links: str | None, out: Output, replaced: dict | None, work: Path,
             report: BuildReport) -> None:
    """After the swap: the site it replaced kept as the spare (`replaced`: its note), the
    new shards and the build's `notes` (letter hashes, the docs tree) into the cache, and
    (`links`: its base path) that the site passed the link check
    (generator.build.linkdelta). The site is built already; a cache that cannot be
    written costs the next build time, not this one."""
    try:
        with phase(report, "store", "the new shards into the cache", False):
            spare.keep(cache.root, work / REPLACED, replaced, site_dir, out.letters,
                       work / TRASH)
            store_built(shards, cache)
            notes()
            if links is not None:
                linkdelta.remember(cache.root, site_dir, links)
    except OSError as e:
        log.warning("the shard cache %s was not updated (%s); the next build rebuilds more",
                    cache.root, e)


def largest_page(site: Path) -> tuple[str, int]:
    """The biggest HTML page of a built site (site-relative path, bytes)."""
    best = ("", 0)
    for folder, _dirs, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                size = os.stat(os.path.join(folder, name)).st_size
                if size > best[1]:
                    best = (os.path.relpath(os.path.join(folder, name), site), size)
    return best
