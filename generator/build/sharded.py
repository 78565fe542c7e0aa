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
import json
import multiprocessing
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.build import beside, pagereuse
from generator.build.cache import ShardCache
from generator.build.codehash import tree_digest, versions
from generator.build.docstree import DocsMemo
from generator.build.merge import ShardOutput
from generator.build.mkdocs_run import MkDocsJob
from generator.build.ondisk import OnDisk
from generator.build.shards import ROOT, Shard, fingerprint, largest_first, page_links, plan
from generator.build.tree import link
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
    rendered: dict[str, int] = field(default_factory=dict)  # pages MkDocs rendered, by key


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


def _portable(settings: dict, config_file: Path) -> dict:
    """The settings as they are wherever the project is: the theme folder relative to the
    configuration's (its files are digested on their own), so that a checkout in another
    folder, or on another machine, finds the same fingerprints."""
    custom = settings.get("theme_custom_dir")
    if not custom:
        return settings
    return dict(settings, theme_custom_dir=os.path.relpath(custom, Path(config_file).parent))


def build_inputs(job: MkDocsJob) -> dict:
    """Everything besides its pages that a shard's output depends on (for its fingerprint)."""
    return {
        "config": _config_chain(job.config_file),
        "defaults": hashlib.sha256((DATA / "mkdocs-base.yml").read_bytes()).hexdigest(),
        "theme": [tree_digest(theme_dir()), job.custom_dir and tree_digest(Path(job.custom_dir))],
        "code": tree_digest(PACKAGE / "build"),
        "versions": versions(sorted({*_PACKAGES, *_plugin_distributions()})),
        "imr-archive": __version__,
        "settings": _portable(job.settings, job.config_file),
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
            link(stored.file(path), target)  # a copy when the cache is on another disk
        else:
            target.write_bytes(content_of(path))


def plan_site(site: Site, determination_keys: dict[str, str], job: MkDocsJob, single: bool,
              memo: DocsMemo | None = None):
    """The shards with their fingerprints: [(shard, fingerprint)], root first. `memo`:
    what the docs tree held (generator.build.docstree), where a page with the bytes it
    had is not read again; on return, what it holds now."""
    digests = _digests(site)
    pages = _Read(site.pages, _content(site), dict(digests))
    links = pages.scan(memo)  # each page read once, on two cores: its links and its digest
    shards = plan(pages, site.files, {} if single else determination_keys, site.nav, links)
    if single:  # one MkDocs project for the whole site (tests compare it with the shards)
        everything = Shard(ROOT)
        for s in shards.values():
            everything.pages += s.pages
            everything.files += s.files
        everything.pages.sort()
        shards = {ROOT: everything}
    inputs = build_inputs(job)
    known = set(site.pages) | set(site.files)
    out = []
    for shard in shards.values():
        settings = dict(inputs, epoch=job.epoch if shard.is_root else None)
        shard.settings = hashlib.sha256(
            json.dumps(settings, sort_keys=True, default=str).encode("utf-8")).hexdigest()
        shard.digests = {p: pages.reuse_key(p, links[p], known) for p in shard.pages}
        out.append((shard, fingerprint(shard, pages.digest, settings)))
    if memo is not None:
        memo.digests = digests
        memo.links = {p: (links[p], pages.anchored.get(p, frozenset())) for p in links}
    return out


def _digests(site: Site) -> dict[str, bytes]:
    """The sha256 of each page and file the site wrote on disk (generator.build.ondisk)."""
    out: dict[str, bytes] = {}
    for stored in (site.pages, site.files):
        if isinstance(stored, OnDisk):
            out.update(stored.digests)
    return out


class _Read(Mapping[str, str]):
    """Docs path -> Markdown, read once; keeps each path's sha256 for the fingerprints
    (data files, not read for links, are hashed when first asked for)."""

    def __init__(self, paths: Collection[str], content_of,
                 digests: dict[str, bytes] | None = None) -> None:
        self.paths, self.content_of = paths, content_of
        self.digests: dict[str, bytes] = digests or {}  # path -> sha256, known or read
        self.anchored: dict[str, frozenset[str]] = {}  # pages linked with an anchor

    def __getitem__(self, path: str) -> str:
        data = self.content_of(path)
        self.digests[path] = hashlib.sha256(data).digest()
        return data.decode("utf-8")

    def scan(self, memo: DocsMemo | None = None) -> dict[str, frozenset[str]]:
        """Every page's links (shards.link_targets), its digest and its links with an
        anchor kept: taken from `memo` for a page with the bytes it had there, else read,
        half the pages in a forked process beside this one (generator.build.beside)."""
        found: dict[str, tuple[bytes, frozenset, frozenset]] = {}
        paths = []
        for path in sorted(self.paths):
            digest = self.digests.get(path)
            if memo is not None and digest is not None and memo.digests.get(path) == digest \
                    and path in memo.links:
                found[path] = (digest, *memo.links[path])
            else:
                paths.append(path)
        mine, theirs = paths[: len(paths) // 2], paths[len(paths) // 2 :]
        wait = beside.start(partial(_scan, theirs, self.content_of), "reading the pages",
                            fork=len(theirs) > 500)
        found.update(_scan(mine, self.content_of))
        found.update(wait())
        links = {}
        for path, (digest, targets, anchored) in found.items():
            self.digests[path] = digest
            links[path] = targets
            if anchored:
                self.anchored[path] = anchored
        return links

    def reuse_key(self, path: str, links: frozenset[str], known: Collection[str]) -> str:
        """What a page's HTML depends on besides the settings, for generator.build.pagereuse:
        its Markdown, which of its links lead to a file of the site (MkDocs writes the
        others as they are, or fails), and the Markdown of the pages it links to with an
        anchor (MkDocs checks the anchor)."""
        h = hashlib.sha256(self.digest(path))
        for target in sorted(links):
            h.update(b"\0" + target.encode("utf-8") + (b"+" if target in known else b"-"))
        for target in sorted(self.anchored.get(path, ())):
            if target in known:
                h.update(b"\0#" + target.encode("utf-8") + self.digest(target))
        return h.hexdigest()

    def digest(self, path: str) -> bytes:
        found = self.digests.get(path)
        return found if found is not None else hashlib.sha256(self.content_of(path)).digest()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def _scan(paths: list[str], content_of) -> dict[str, tuple[bytes, frozenset, frozenset]]:
    out = {}
    for path in paths:
        data = content_of(path)
        targets, anchored = page_links(data.decode(), path)
        out[path] = (hashlib.sha256(data).digest(), frozenset(targets), frozenset(anchored))
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
    in a pool of `jobs` processes, into work/shards/<key>/: the pages that changed only,
    when the cache holds the shard's earlier output (generator.build.pagereuse)."""
    result = ShardsResult(keys=[s.key for s, _fp in planned])
    todo: list[_Todo] = []
    for shard, fp in planned:
        hit = cache.lookup(shard.key, fp) if cache else None
        if hit is not None:
            result.outputs.append(ShardOutput(shard.key, hit, shard.is_root))
            result.cached += 1
            continue
        reuse = pagereuse.reusable(shard, cache.output(shard.key)) if cache else None
        part = pagereuse.changed_part(shard, reuse) if reuse else shard
        todo.append(_Todo(shard, fp, part, reuse))
    building = [t for t in todo if t.part.pages or t.reuse is None]
    bar = Progress("shards", sum(len(t.part.pages) for t in building), "page", show=progress)
    kept = sum(len(t.reuse.kept) for t in todo if t.reuse)
    bar.note(f"{len(todo)} to build ({kept} of their pages unchanged), "
             f"{result.cached} from the cache")
    for t in building:
        _write_docs(t.part, site, work / "shards" / t.shard.key / "docs")
    if building:
        _run_pool(building, job, work, jobs, bar, result)
    for t in todo:
        if t not in building:  # no page changed (pages went, or phantoms changed)
            _done_shard(t, None, work, result)
    bar.close()
    result.outputs.sort(key=lambda o: (not o.is_root, o.key))
    return result


@dataclass(eq=False)
class _Todo:
    shard: Shard  # the whole shard
    fp: str
    part: Shard  # what MkDocs builds of it: the whole shard, or the pages that changed
    reuse: pagereuse.Reuse | None  # what it keeps of its cached output


def _done_shard(t: _Todo, built: Path | None, work: Path, result: ShardsResult) -> None:
    """A shard's whole output in work/shards/<key>/site: MkDocs' (`built`) with the kept
    pages' added; noted in `result`."""
    output = work / "shards" / t.shard.key / "site"
    if t.reuse is not None:
        pagereuse.compose(t.shard, t.reuse, built, output)
    elif not t.shard.is_root:
        pagereuse.write_digests(t.shard, output)
    result.built[t.shard.key] = (t.fp, output)
    result.outputs.append(ShardOutput(t.shard.key, output, t.shard.is_root))


def _run_pool(todo: list[_Todo], job: MkDocsJob, work: Path, jobs: int, bar: Progress,
              result) -> None:
    from generator.children import die_with_parent

    ctx = multiprocessing.get_context("spawn")
    workers = max(1, min(jobs, len(todo)))
    with cf.ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        try:
            _submit_and_collect(pool, todo, job, work, bar, result)
        except BaseException:  # a shard failed, Ctrl-C, anything: stop the workers now
            _stop(pool)
            raise


def _submit_and_collect(pool, todo: list[_Todo], job: MkDocsJob, work: Path, bar: Progress,
                        result) -> None:
    from generator.build.errors import SiteBuildError
    from generator.build.shard_mkdocs import build_shard

    by_key = {t.shard.key: t for t in todo}
    futures = {}
    for part in largest_first(t.part for t in todo):
        base = work / "shards" / part.key
        future = pool.submit(build_shard, part.key, base / "docs", base / "site", job,
                             part.phantoms)
        futures[future] = part
    for future in _as_done(futures, bar):
        part = futures[future]
        try:
            key, peak, seconds = future.result()
        except SiteBuildError:
            raise
        except Exception as e:  # noqa: BLE001 - a worker's failure, named
            raise SiteBuildError(f"shard {part.key}: {type(e).__name__}: {e}") from e
        result.peak_kib = max(result.peak_kib, peak)
        result.seconds[key] = seconds
        result.rendered[key] = len(part.pages)
        _done_shard(by_key[key], work / "shards" / key / "site", work, result)
        bar.advance(len(part.pages), f"shard {key}")


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
