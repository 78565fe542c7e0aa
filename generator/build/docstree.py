"""The docs tree kept between builds: an update writes only the pages that changed.

The pages and data files a build makes (generator.build.ondisk) go to ``<cache>/.docs``
(a dot-name: never a shard's key), and after a build that succeeded,
``<cache>/.docs.json`` remembers each file's sha256 and, for pages, the links the plan
found in it (generator.build.sharded) with the code that found them: after an upgrade
that changes how links are read, every page is read again; and each determination
page's key (generator.build.pagekeys): a page whose inputs are unchanged is not even
made again. The next build
writes a page only when its bytes differ from the remembered ones (100,000 pages, of which
an update changes a few thousand: writing and removing a file costs far more than hashing
it on this kind of disk), reads for links only the pages that changed, and removes the
files no page of it has.

The note is removed when a build starts and written when it has succeeded, so a build
that failed or was killed leaves none: the next one starts from an empty tree, as a full
build (``--full``) always does. A cache folder that cannot hold the tree (read-only)
costs a build in a scratch tree, no more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import shards
from generator.build.tree import away

log = logging.getLogger(__name__)

DOCS = ".docs"
NOTE = ".docs.json"
_VERSION = 3
# the links remembered were found by this code (shards.page_links, sharded._Read)
_CODE = hashlib.sha256(b"".join(
    Path(f).read_bytes() for f in (shards.__file__, Path(__file__).with_name("sharded.py"))
)).hexdigest()[:16]


@dataclass
class DocsMemo:
    """What the docs tree holds: path -> sha256 of its bytes, and each page's links as
    the plan found them: path -> (targets, targets linked with an anchor)."""

    digests: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    inputs: dict[str, bytes] = field(default_factory=dict)  # page -> its key (pagekeys)


def open_tree(cache_root: Path, trash: Path, *, fresh: bool) -> tuple[Path, DocsMemo]:
    """The docs tree and what it holds; its note is forgotten until `save`. Without a
    note, or `fresh`, the tree is moved to `trash` and an empty one made."""
    root, note = cache_root / DOCS, cache_root / NOTE
    memo = None if fresh else _read(note)
    note.unlink(missing_ok=True)
    if memo is None:
        away(root, trash)
        memo = DocsMemo()
    root.mkdir(parents=True, exist_ok=True)
    return root, memo


def scratch(work: Path) -> tuple[Path, DocsMemo]:
    """A docs tree for this build only (imr-archive build --shard: its cache folder is
    shipped to the merge, which needs the shards and not 100,000 pages of Markdown)."""
    (work / DOCS).mkdir(parents=True, exist_ok=True)
    return work / DOCS, DocsMemo()


def save(cache_root: Path, memo: DocsMemo, held: Collection[str]) -> None:
    """After a build that succeeded: remove the files the tree `held` that the build did
    not make, then write the note of `memo` (atomically)."""
    root = cache_root / DOCS
    for path in set(held) - memo.digests.keys():
        (root / path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty
            (root / path).parent.rmdir()  # a withdrawn determination's folder
    note = cache_root / NOTE
    part = note.with_name(note.name + ".part")
    data = {
        "version": _VERSION,
        "code": _CODE,
        "digests": {p: d.hex() for p, d in memo.digests.items()},
        "links": {p: [sorted(t), sorted(a)] for p, (t, a) in memo.links.items()},
        "inputs": {p: k.hex() for p, k in memo.inputs.items()},
    }
    part.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(part, note)


def _read(note: Path) -> DocsMemo | None:
    """The note's memo; None when there is none, or it is damaged or of other code."""
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
        if data["version"] != _VERSION or data["code"] != _CODE:
            return None
        names: dict[str, str] = {}  # one string per path: a page is linked from many
        one = lambda name: names.setdefault(name, name)  # noqa: E731
        return DocsMemo(
            {one(p): bytes.fromhex(d) for p, d in data["digests"].items()},
            {one(p): (frozenset(map(one, t)), frozenset(map(one, a)))
             for p, (t, a) in data["links"].items()},
            {one(p): bytes.fromhex(k) for p, k in data["inputs"].items()},
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as e:  # a full write, no more
        log.warning("%s: unreadable (%s); every page is written anew", note, e)
        return None
