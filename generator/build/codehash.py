"""What built output depends on besides its inputs: the code's files and the versions of
the programs that make it (for shard fingerprints, generator.build.sharded, and page
keys, generator.build.pagekeys)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def tree_digest(folder: Path) -> str:
    """The sha256 of every file below `folder` (its path and bytes; no __pycache__)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(folder).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def versions(distributions: Iterable[str]) -> dict[str, str | None]:
    """Python's version and each installed distribution's (None: not installed)."""
    out: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in distributions:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
