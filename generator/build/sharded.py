"""The MkDocs step of a build: the shards built on every core, or taken from the cache.

:func:`build_shards` plans the shards (generator.build.shards), fingerprints each one
from its pages and the build's inputs (configuration, theme, versions), takes the
shards whose fingerprint the cache holds (generator.build.cache) and has MkDocs build
the others in a process pool, largest first, writing progress with the time left.
Freshly built shards go into the cache only once the whole build has succeeded
(:func:`store_built`).

Material for MkDocs' `projects` plugin builds nested projects in a process pool too,
but each project at a URL of its own with its own copy of the theme's assets, and it
empties its output folder first; determination pages must stay at
/determinations/<id>/ whichever shard builds them, so the shards are MkDocs builds of
our own (spawned processes, as the projects plugin does).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.build import beside
from generator.build.cache import ShardCache
from generator.build.merge import ShardOutput
from generator.build.mkdocs_run import MkDocsJob
from generator.build.ondisk import OnDisk
from generator.build.shards import ROOT, Shard, fingerprint, largest_first, link_targets, plan
from generator.pages.assemble import Site
from generator.paths import DATA, PACKAGE, theme_dir
from generator.progress import Progress

_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
_INHERIT = re.compile(rb"^INHERIT:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


@dataclass
class ShardsResult:
    outputs: list[ShardOutput] = field(default_factory=list)
    built: dict[str, tuple[str, Path]] = field(default_factory=dict)  # key -> (fp, output)
    cached: int = 0
    peak_kib: int = 0  # the largest peak of the pool's workers
    seconds: dict[str, float] = field(default_factory=dict)  # MkDocs' time of each built shard
    keys: list[str] = field(default_factory=list)


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(folder).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _config_chain(config_file: Path) -> list[str]:
    """Digests of the configuration file and the files it INHERITs, in order."""
    out, path = [], config_file
    for _depth in range(10):
        data = path.read_bytes()
        out.append(hashlib.sha256(data).hexdigest())
        m = _INHERIT.search(data)
        if not m:
            break
        path = (path.parent / m.group(1).decode()).resolve()
    return out


def _plugin_distributions() -> set[str]:
    """The installed packages that bring MkDocs plugins, themes or Markdown extensions."""
    names = set()
    for group in ("mkdocs.plugins", "mkdocs.themes", "markdown.extensions"):
        for ep in metadata.entry_points(group=group):
            if ep.dist is not None:
                names.add(ep.dist.name)
    return names


def build_inputs(job: MkDocsJob) -> dict:
    """Everything besides its pages that a shard's output depends on (for its fingerprint)."""
    versions: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in {*_PACKAGES, *_plugin_distributions()}:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "config": _config_chain(job.config_file),
        "defaults": hashlib.sha256((DATA / "mkdocs-base.yml").read_bytes()).hexdigest(),
        "theme": [_tree_digest(theme_dir()), job.custom_dir and _tree_digest(Path(job.custom_dir))],
        "code": _tree_digest(PACKAGE / "build"),
        "versions": versions,
        "imr-archive": __version__,
        "settings": job.settings,
        "strict": job.strict,
        "overrides": job.overrides,
        "noindex": job.noindex,
        "nav": job.site.nav,
        "not_in_nav": job.site.not_in_nav,
    }


def _content(site: Site):
    def content_of(path: str) -> bytes:
        for stored in (site.pages, site.files):
            if isinstance(stored, OnDisk) and path in stored:
                return stored.file(path).read_bytes()
        page = site.pages.get(path)
        return page.encode("utf-8") if page is not None else site.files[path]

    return content_of


def _write_docs(shard: Shard, site: Site, docs: Path) -> None:
    """The shard's docs folder: links to the pages written on disk, else written here."""
    content_of = _content(site)
    made: set[Path] = set()
    for path in shard.paths():
        target = docs / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        stored = site.pages if path in site.pages else site.files
        if isinstance(stored, OnDisk):
            os.link(stored.file(path), target)
        else:
            target.write_bytes(content_of(path))


def plan_site(site: Site, determination_keys: dict[str, str], job: MkDocsJob, single: bool):
    """The shards with their fingerprints: [(shard, fingerprint)], root first."""
    pages = _Read(site.pages, _content(site))
    links = pages.scan()  # each page read once, on two cores: its links and its digest
    shards = plan(pages, site.files, {} if single else determination_keys, site.nav, links)
    if single:  # one MkDocs project for the whole site (tests compare it with the shards)
        everything = Shard(ROOT)
        for s in shards.values():
            everything.pages += s.pages
            everything.files += s.files
        everything.pages.sort()
        shards = {ROOT: everything}
    inputs = build_inputs(job)
    out = []
    for shard in shards.values():
        settings = dict(inputs, epoch=job.epoch if shard.is_root else None)
        out.append((shard, fingerprint(shard, pages.digest, settings)))
    return out


class _Read(Mapping[str, str]):
    """Docs path -> Markdown, read once; keeps each path's sha256 for the fingerprints
    (data files, not read for links, are hashed when first asked for)."""

    def __init__(self, paths: Collection[str], content_of) -> None:
        self.paths, self.content_of = paths, content_of
        self.digests: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> str:
        data = self.content_of(path)
        self.digests[path] = hashlib.sha256(data).digest()
        return data.decode("utf-8")

    def scan(self) -> dict[str, frozenset[str]]:
        """Every page's links (shards.link_targets), its digest kept: half the pages read
        in a forked process beside this one (generator.build.beside)."""
        paths = sorted(self.paths)
        mine, theirs = paths[: len(paths) // 2], paths[len(paths) // 2 :]
        wait = beside.start(partial(_scan, theirs, self.content_of), "reading the pages")
        found = _scan(mine, self.content_of)
        found.update(wait())
        links = {}
        for path, (digest, targets) in found.items():
            self.digests[path] = digest
            links[path] = targets
        return links

    def digest(self, path: str) -> bytes:
        found = self.digests.get(path)
        return found if found is not None else hashlib.sha256(self.content_of(path)).digest()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def _scan(paths: list[str], content_of) -> dict[str, tuple[bytes, frozenset[str]]]:
    out = {}
    for path in paths:
        data = content_of(path)
        out[path] = (hashlib.sha256(data).digest(), frozenset(link_targets(data.decode(), path)))
    return out


def build_shards(
    planned: list[tuple[Shard, str]],
    site: Site,
    job: MkDocsJob,
    work: Path,
    cache: ShardCache | None,
    jobs: int,
    progress: bool,
) -> ShardsResult:
    """Each planned shard from the cache (when given and it matches) or built by MkDocs
    in a pool of `jobs` processes, into work/shards/<key>/."""
    result = ShardsResult(keys=[s.key for s, _fp in planned])
    todo = []
    for shard, fp in planned:
        hit = cache.lookup(shard.key, fp) if cache else None
        if hit is not None:
            result.outputs.append(ShardOutput(shard.key, hit, shard.is_root))
            result.cached += 1
        else:
            todo.append((shard, fp))
    bar = Progress("shards", sum(len(s.pages) for s, _fp in todo), "page", show=progress)
    bar.note(f"{len(todo)} to build, {result.cached} from the cache")
    for shard, _fp in todo:
        _write_docs(shard, site, work / "shards" / shard.key / "docs")
    if todo:
        _run_pool(todo, job, work, jobs, bar, result)
    bar.close()
    result.outputs.sort(key=lambda o: (not o.is_root, o.key))
    return result


def _run_pool(todo, job: MkDocsJob, work: Path, jobs: int, bar: Progress, result) -> None:
    from generator.build.mkdocs_run import _die_with_parent

    ctx = multiprocessing.get_context("spawn")
    workers = max(1, min(jobs, len(todo)))
    with cf.ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_die_with_parent
    ) as pool:
        try:
            _submit_and_collect(pool, todo, job, work, bar, result)
        except BaseException:  # a shard failed, Ctrl-C, anything: stop the workers now
            _stop(pool)
            raise


def _submit_and_collect(pool, todo, job: MkDocsJob, work: Path, bar: Progress, result) -> None:
    from generator.build.errors import SiteBuildError
    from generator.build.shard_mkdocs import build_shard

    fps = {s.key: fp for s, fp in todo}
    futures = {}
    for shard in largest_first(s for s, _fp in todo):
        base = work / "shards" / shard.key
        future = pool.submit(build_shard, shard.key, base / "docs", base / "site", job,
                             shard.phantoms)
        futures[future] = shard
    for future in _as_done(futures, bar):
        shard = futures[future]
        try:
            key, peak, seconds = future.result()
        except SiteBuildError:
            raise
        except Exception as e:  # noqa: BLE001 - a worker's failure, named
            raise SiteBuildError(f"shard {shard.key}: {type(e).__name__}: {e}") from e
        result.peak_kib = max(result.peak_kib, peak)
        result.seconds[key] = seconds
        output = work / "shards" / key / "site"
        result.built[key] = (fps[key], output)
        result.outputs.append(ShardOutput(key, output, shard.is_root))
        bar.advance(len(shard.pages), f"shard {key}")


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """A shard failed: cancel the queued ones and stop the workers now, so that none
    writes into the work folder after the build has removed it."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # private, but ours
    if not workers:  # not as this Python keeps them: wait for the running ones instead
        pool.shutdown(wait=True, cancel_futures=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)  # (forgets the workers: listed first)
    for proc in workers:
        proc.terminate()
    for proc in workers:
        proc.join(10)


def _as_done(futures, bar: Progress):
    """The futures as they finish; while none does, the progress line still comes."""
    pending = set(futures)
    while pending:
        done, pending = cf.wait(pending, timeout=bar.every, return_when=cf.FIRST_COMPLETED)
        if not done:
            bar.advance(0, "building")
        yield from done


def store_built(result: ShardsResult, cache: ShardCache) -> None:
    """After a successful build: the freshly built shards into the cache, and the
    entries of shards the site no longer has out of it."""
    for key, (fp, output) in sorted(result.built.items()):
        cache.store(key, fp, output)
    cache.prune(set(result.keys))
