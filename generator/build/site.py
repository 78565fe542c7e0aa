"""The I/O edge: content folder -> docs -> MkDocs (in shards) -> site folder, swapped in.

Everything about pages is decided by :mod:`generator.pages.assemble`; this module
reads records and hand-written pages, plans the shards (:mod:`generator.build.sharded`),
has MkDocs build those the cache does not hold in a pool of processes, merges them into
one site and replaces the site folder (:mod:`generator.build.publish`) only once the
build has succeeded, so a failed build leaves the previous site whole.

build_site's options: `config_overrides` go to MkDocs' `load_config`
(RESERVED_OVERRIDES: ValueError). The site is built as shards (generator.build.shards)
by MkDocs in `jobs` processes (default: every core), each taken from the cache
(`cache_dir`, default beside site_dir) when nothing it is made of changed, unless
`full`; `only_shard` builds that shard into the cache and stops; `single_shard` builds
one MkDocs project. `header_search_max`: determination pages stay in the header search
up to that many (None: the configuration's, else 320; negative: always). `noindex`:
robots. `progress`: the phases on stderr. `keep_going`: build the valid records and
report the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.build import beside, docstree, inputs, publish, segments
from generator.build import letters as original_letters
from generator.build.cache import ShardCache, default_cache_dir
from generator.build.docstree import DocsMemo
from generator.build.errors import SiteBuildError  # raised here; importable from here
from generator.build.indexmemo import CARD_MEMO, CardMemo
from generator.build.inputs import build_epoch, read_pages, site_settings
from generator.build.mkdocs_run import MkDocsJob, peak_kib
from generator.build.ondisk import OnDisk
from generator.build.pagekeys import PageKeys
from generator.build.recordmemo import RECORD_MEMO, RecordMemo
from generator.build.report import BuildReport
from generator.build.report import phase as _phase
from generator.build.reuse import ARCHIVE_MEMO, ArchiveMemo, Reuse
from generator.build.sharded import ShardsResult, build_shards, plan_site
from generator.build.shards import date_keys
from generator.build.swap import check_site_dir, new_work_dir
from generator.pages.assemble import Site, assemble, determination_pages
from generator.pages.urls import SEARCH_INDEX_DIR, determination_path
from generator.progress import Progress
from generator.record.dating import UNDATED, sort_date
from generator.record.store import RecordsInvalid, load_records
from generator.search import determinations as determination_search
from generator.search import header as header_search

log = logging.getLogger(__name__)


def build_site(
    content_dir: Path,
    site_dir: Path,
    *,
    config_file: Path,
    strict: bool = True,
    keep_going: bool = False,
    config_overrides: dict | None = None,
    check_links: bool = True,
    noindex: bool | None = None,
    header_search_max: int | None = None,
    progress: bool = True,
    jobs: int | None = None,
    full: bool = False,
    cache_dir: Path | None = None,
    only_shards: list[str] | None = None,
    single_shard: bool = False,
) -> BuildReport:
    """Build the site for `content_dir` (records/, optional pages/) into site_dir, which is
    replaced only by a complete, checked build. Options: see the module docstring.
    Raises RecordsInvalid for an invalid record (unless keep_going: the report lists it)
    and SiteBuildError when MkDocs fails or (check_links) a link or anchor is broken."""
    inputs.check_overrides(config_overrides)
    content_dir, site_dir, config_file = _checked_paths(content_dir, site_dir, config_file)
    settings = site_settings(config_file)
    report, site_url = BuildReport(site_dir), inputs.site_url(config_overrides, settings)
    cache = ShardCache(Path(cache_dir) if cache_dir else default_cache_dir(site_dir))
    with cache.locked():
        work = new_work_dir(site_dir)
        try:
            docs, memo, notes = _notes(cache, work, full, only_shards is None)
            records, site, letters, index = _load_and_assemble(content_dir, settings,
                header_search_max, keep_going, report, progress, site_url, work, docs, memo,
                Memos(cache.root, full, index=only_shards is None))
            job = MkDocsJob(config_file, strict, Site(nav=site.nav, not_in_nav=site.not_in_nav),
                            config_overrides, noindex, build_epoch(records),
                            settings["theme_custom_dir"], settings)
            planned = _plan_phase(records, site, job, single_shard, docs[1], report)
            if only_shards is not None:
                _some_shards(planned, only_shards, site, job, work, cache, jobs, progress, report)
                return notes() or report
            _index_phase(index, len(records), report, progress)
            del records  # MkDocs' processes hold the pages: give them the records' memory
            report.generator_peak_kib = _collected_peak()
            links = inputs.base_path(config_overrides, settings) if check_links else None
            with _source_date_epoch(job.epoch):
                shards = _mkdocs_phase(planned, site, job, work, None if full else cache,
                                       jobs, report, progress)
                out = publish.merge_phase(shards, job, work, letters, cache, full, report,
                                          progress)
                publish.letters_phase(letters, out, report, progress)
                publish.linkcheck_phase(out, site_dir, links, cache, full, report, progress)
                replaced = publish.swap_phase(out, site_dir, work, cache, report, progress)
            publish.remember(shards, cache, notes, site_dir, links, out, replaced, work, report)
        finally:
            beside.stop_all()  # after an error, before its work folder goes
            segments.thaw()
            with _phase(report, "cleanup", "the work folder", False):
                shutil.rmtree(work, ignore_errors=True)
    return report


def _notes(cache: ShardCache, work: Path, full: bool, keep_docs: bool):
    """What the cache holds besides the shards: the docs tree (generator.build.docstree:
    its folder and note; `keep_docs` False: one in the work folder), the letters' hashes
    (generator.build.letters), a function that writes both after a build that
    succeeded."""
    docs = None
    if keep_docs:
        try:
            docs = docstree.open_tree(cache.root, work / publish.TRASH, fresh=full)
        except OSError as e:  # a read-only cache folder: this build's tree is its own
            log.warning("%s: cannot keep the docs tree there (%s)", cache.root, e)
            keep_docs = False
    if docs is None:
        docs = docstree.scratch(work)
    memo = original_letters.HashMemo(cache.root / "letter-hashes.json")
    held = set(docs[1].digests)  # the docs tree's files before this build

    def save() -> None:
        memo.save()
        if keep_docs:
            docstree.save(cache.root, docs[1], held)

    return docs, memo, save


@dataclass(frozen=True)
class Memos:
    """What this build may take from earlier ones, in the shard cache folder `root`,
    unless `full` (which writes them anew): the records read
    (generator.build.recordmemo), the search index's cards (generator.build.indexmemo;
    `index`: this build writes the index) and the archive's compressed runs
    (generator.build.reuse)."""

    root: Path
    full: bool
    index: bool

    def records(self) -> RecordMemo:
        return RecordMemo(self.root / RECORD_MEMO, self.full)

    def cards(self, digests: dict[str, bytes]) -> CardMemo:
        return CardMemo(self.root / CARD_MEMO, digests, self.full)

    def archive(self, digests: dict[str, bytes]) -> ArchiveMemo:
        return ArchiveMemo(self.root / ARCHIVE_MEMO, digests, self.full)


def _collected_peak() -> int:
    """This process's peak memory (KiB), once what it no longer holds is collected."""
    gc.collect()
    return peak_kib()


def _plan_phase(records: list, site: Site, job: MkDocsJob, single: bool, docs: DocsMemo,
                report: BuildReport):
    """The shards of the site with their fingerprints (generator.build.sharded.plan_site;
    `docs`: what the docs tree held, then what it holds)."""
    report.records, report.pages, report.files = len(records), len(site.pages), len(site.files)
    with _phase(report, "plan", "shards and their fingerprints", False):
        keys = date_keys({determination_path(r.id): _listing_date(r) for r in records})
        planned = plan_site(site, keys, job, single, docs)
    report.shard_pages = {s.key: len(s.pages) for s, _fp in planned}
    return planned


def _listing_date(record) -> dt.date | None:
    """The date a determination's page is sharded by: its listing date (None: undated)."""
    day = sort_date(record)
    return None if day == UNDATED else day


def _some_shards(planned, keys: list[str], site: Site, job: MkDocsJob, work: Path,
                 cache: ShardCache, jobs: int | None, progress: bool, report: BuildReport) -> None:
    """Build the shards `keys` into the cache and stop (imr-archive build --shard KEYS)."""
    known = {s.key for s, _fp in planned}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise SiteBuildError(
            f"no shard {', '.join(unknown)} in this site; its shards: {', '.join(sorted(known))}"
        )
    chosen = [(s, fp) for s, fp in planned if s.key in set(keys)]
    with _source_date_epoch(job.epoch):
        result = _mkdocs_phase(chosen, site, job, work, cache, jobs, report, progress)
    for key, (fp, output) in result.built.items():
        cache.store(key, fp, output)


def _checked_paths(content_dir: Path, site_dir: Path, config_file: Path) -> tuple[Path, Path, Path]:
    """The paths made absolute where it matters; SiteBuildError for an unsafe site_dir."""
    content_dir, site_dir = Path(content_dir), Path(site_dir).resolve()
    config_file = Path(config_file).resolve()
    check_site_dir(site_dir, content_dir, config_file)
    return content_dir, site_dir, config_file


def _load_and_assemble(
    content_dir: Path,
    settings: dict,
    header_search_max: int | None,
    keep_going: bool,
    report: BuildReport,
    progress: bool,
    site_url: str,
    work: Path,
    docs: tuple[Path, DocsMemo],
    memo: original_letters.HashMemo,
    kept: Memos,
):
    """Read the records (report.errors: those left out), find their original letters
    (unchanged since ingest) and assemble the pages into the docs tree (`docs`: its
    folder and what it holds, generator.build.docstree), on disk as they are made. Beside
    it (generator.build.beside, on the other core): the determination pages, and (unless
    not kept.index) the search's index into `work`; returns (records, site, letters, a
    function that waits for the index, or None). `kept`: what earlier builds made."""
    limit = inputs.header_search_max(header_search_max, settings)
    records, record_digests = _load(content_dir, keep_going, report, progress, kept)
    with _phase(report, "find letters", "the letters the records were made from", progress):
        letters = original_letters.find_letters(records, content_dir, memo)
    wait_index = None if not kept.index else beside.start(  # first: it runs longest
        partial(_write_index, records, work / SEARCH_INDEX_DIR, record_digests, kept),
        "the determination search's index")

    def each(rs):
        return Progress("assemble", len(rs), "determination page", show=progress).each(rs)

    with _phase(report, "assemble", f"{len(records)} determination(s)", progress):
        root, held = docs
        pages: OnDisk[str] = OnDisk(root, text=True, known=held.digests)
        site = Site(pages=pages, files=OnDisk(root, text=False, known=held.digests))
        by_id = {i: f.letter for i, f in letters.items()}
        archive = kept.archive(record_digests)
        keys = PageKeys(record_digests, held, root, header_search=header_search
                        .in_header_search(len(records), limit), site_name=settings["site_name"])
        pages_job = partial(_determination_pages, site, records, keys, header_search_max=limit,
                            site_name=settings["site_name"], letters=by_id, progress=each)
        wait_pages = beside.start(pages_job, "the determination pages")
        assemble(
            records,
            extra_pages=read_pages(content_dir / "pages"),
            site_name=settings["site_name"],
            header_search_max=limit,
            letters=by_id,
            site_url=site_url,
            site=site,
            with_determinations=False,
            reuse=Reuse(keys, pages, archive),
        )
        archive.save()
        made, determination_keys, unmade = wait_pages()
        held.inputs = determination_keys | keys.keys  # and the listing pages' keys
        pages.adopt(made)
    report.determinations_made = len(records) - unmade
    report.listing_pages_kept = len(keys.listings_kept)
    report.in_header_search = header_search.in_header_search(len(records), limit)
    return records, site, letters, wait_index


def _load(content_dir: Path, keep_going: bool, report: BuildReport, progress: bool,
          kept: Memos) -> tuple[list, dict[str, bytes]]:
    """The valid records (report.errors: the others; RecordsInvalid unless `keep_going`)
    and each one's id -> the sha256 of its file (generator.build.pagekeys), those the
    record memo holds unchanged taken from it."""
    with _phase(report, "load", f"reading records from {content_dir / 'records'}", progress):
        digests: dict[str, bytes] = {}
        memo = kept.records()
        records, errors = load_records(content_dir / "records", lean=True, digests=digests,
                                       memo=memo)
        memo.save()
        report.records_read = len(records) - len(memo.taken)
    if errors and not keep_going:
        raise RecordsInvalid(errors)
    report.errors = errors
    return records, digests


def _determination_pages(site: Site, records: list, keys: PageKeys, **options
                         ) -> tuple[dict[str, bytes], dict[str, bytes], int]:
    """The determination pages (beside assemble), but those the docs tree holds with
    their key (generator.build.pagekeys): every page's path -> sha256, its key, and how
    many were not made again."""
    determination_pages(site, records, keep=keys.keep, **options)
    digests = site.pages.digests  # type: ignore[attr-defined]  # OnDisk
    made = {p: digests[p] for p in (determination_path(r.id) for r in records) if p in digests}
    return made | keys.kept, keys.keys, len(keys.kept)


def _write_index(records: list, out: Path, digests: dict[str, bytes], kept: Memos
                 ) -> tuple[int, int, float]:
    """The determination search's index into `out`: (determinations, bytes, seconds);
    its cards kept by `kept` (read and written here, beside the build's process)."""
    start = time.perf_counter()
    memo = kept.cards(digests)
    indexed = determination_search.write_index(records, out, cards_made=memo)
    memo.save()
    return indexed.determinations, indexed.bytes, time.perf_counter() - start


def _index_phase(wait_index, n: int, report: BuildReport, progress: bool) -> None:
    """Wait for the determination search's index (made beside assemble); report.seconds:
    "index" its own time, "index wait" the time the build waited for it."""
    with _phase(report, "index wait", f"determination search, {n} record(s)", progress):
        report.indexed, report.index_bytes, report.seconds["index"] = wait_index()


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (MkDocs' build date) for the block, then restore it."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _mkdocs_phase(planned, site: Site, job: MkDocsJob, work: Path, cache: ShardCache | None,
                  jobs: int | None, report: BuildReport, progress: bool) -> ShardsResult:
    """MkDocs builds the shards the cache does not hold, in a pool (generator.build.sharded)."""
    report.shards = len(planned)
    with _phase(report, "mkdocs", f"{report.pages} page(s) in {len(planned)} shard(s)", progress):
        result = build_shards(planned, site, job, work, cache, jobs or os.cpu_count() or 1,
                              progress)
    for done in (site.pages, site.files):  # in the shards' docs now
        done.forget() if isinstance(done, OnDisk) else done.clear()
    report.shards_built, report.mkdocs_peak_kib = len(result.built), result.peak_kib
    report.built_keys, report.shard_seconds = sorted(result.built), result.seconds
    report.shard_rendered = result.rendered
    return result


