"""What earlier builds built: each shard's output under its fingerprint.

The cache is a folder (by default beside the site folder: ``.<site>.shards``) with one
folder per shard key, holding ``fingerprint`` (generator.build.shards.fingerprint) and
``site/`` (MkDocs' output of that shard). A build takes a shard's output from the cache
when the fingerprints match (byte-identical by construction) and MkDocs builds only the
others; the built site holds hard links to the cached files, so nothing in the cache or
in a built site is ever written in place. ``imr-archive build --shard KEY`` fills a
cache folder with one shard; ``--merge DIR`` builds a site from such folders.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build.errors import SiteBuildError
from generator.build.shards import KEY_PATTERN
from generator.build.tree import link

FINGERPRINT = "fingerprint"
OUTPUT = "site"
LOCK = ".lock"  # held by the build using the cache (ShardCache.locked)


def default_cache_dir(site_dir: Path) -> Path:
    """Where a build of site_dir keeps its shards: a hidden folder beside it."""
    return site_dir.parent / f".{site_dir.name}.shards"


class ShardCache:
    """Shard outputs by key and fingerprint in `root` (created on first store)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache for one build; SiteBuildError when another build holds it (a
        build reads its entries while another would replace them). A cache folder that
        cannot be written is not shared with anything: no lock."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = open(self.root / LOCK, "a")  # noqa: SIM115 - held for the build
        except OSError:
            yield
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise SiteBuildError(
                    f"another build is using the shard cache {self.root}: let it end, or "
                    "give this build a cache of its own (--cache-dir)") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def lookup(self, key: str, fingerprint: str) -> Path | None:
        """The cached output of shard `key` when it was built from `fingerprint`."""
        entry = self.root / key
        try:
            stored = (entry / FINGERPRINT).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        output = entry / OUTPUT
        return output if stored == fingerprint and output.is_dir() else None

    def output(self, key: str) -> Path | None:
        """The cached output of shard `key`, whatever it was built from."""
        output = self.root / key / OUTPUT
        return output if (self.root / key / FINGERPRINT).is_file() and output.is_dir() else None

    def store(self, key: str, fingerprint: str, output: Path) -> Path:
        """Move a freshly built shard output into the cache (replacing the key's entry);
        returns its new place. The fingerprint is written last: a half-stored entry is
        never taken for a whole one."""
        self.root.mkdir(parents=True, exist_ok=True)
        entry = self.root / key
        fresh = self.root / f".{key}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        shutil.move(output, fresh / OUTPUT)  # a rename, or a copy from another file system
        if entry.exists():
            old = self.root / f".{key}.old"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(entry, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(fresh, entry)
        (entry / FINGERPRINT).write_text(fingerprint + "\n", encoding="ascii")
        return entry / OUTPUT

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        entries = self.root.iterdir()
        return sorted(p.name for p in entries if p.is_dir() and not p.name.startswith("."))

    def prune(self, keep: set[str]) -> list[str]:
        """Remove the entries of shards the site no longer has (folders with a shard's
        name holding a fingerprint or an output: nothing else in the folder); returns
        their keys."""
        gone = [k for k in self.keys() if k not in keep and KEY_PATTERN.match(k) and (
            (self.root / k / FINGERPRINT).is_file() or (self.root / k / OUTPUT).is_dir())]
        for key in gone:
            shutil.rmtree(self.root / key, ignore_errors=True)
        return gone


def link_tree(source: Path, dest: Path, names: list[str] | None = None) -> int:
    """Hard-link the files of `source` (every file, or the relative paths in `names`)
    into `dest`, copying where a link is impossible (another file system). Returns the
    number of files."""
    rels = names if names is not None else [
        p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()
    ]
    made: set[Path] = set()
    for rel in rels:
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        link(source / rel, target)
    return len(rels)
