"""The site a swap replaced, kept, and brought up to date behind the next swap.

A build used to make its site as a new tree (a hard link for every file of every shard,
a copy of every letter) and then delete the site it replaced: at 100,000 determinations
about 440,000 files made and as many removed, however little changed. Now the replaced
site is kept in the cache folder (``.spare-site``), and the next build takes it as its
output folder and changes only what differs (generator.build.tree.sync): a file that is
the very file the new site links is left, others are replaced, files the new site lacks
removed; its letters are copied again only where their hash changed. The swap stays
atomic: the site being served is never written; the spare is the one being updated.

What a site holds besides its links is noted in the cache folder: ``site.json`` for the
site being served (its folder's inode, its letters' hashes), ``spare.json`` for the
spare. A spare without a note that matches it (a build stopped while updating it) is
discarded, not trusted; ``--full`` never takes one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from generator.build.tree import away

SPARE = ".spare-site"  # in the cache folder
SPARE_NOTE = "spare.json"
SITE_NOTE = "site.json"


def _read(note: Path) -> dict | None:
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("inode"), int) and isinstance(
        data.get("letters"), dict)
    return data if ok else None


def _write(note: Path, inode: int, letters: dict[str, str]) -> None:
    note.write_text(json.dumps({"inode": inode, "letters": letters}), encoding="utf-8")


def _forget(note: Path) -> None:
    with contextlib.suppress(OSError):
        note.unlink(missing_ok=True)


def take(cache_root: Path, dest: Path, trash: Path, *, use: bool = True,
         unmanaged: tuple[str, ...] = ()) -> dict[str, str]:
    """The spare site moved to dest (which must not exist), with its `unmanaged` folders
    (replaced whole by the build) moved into trash; returns the hashes of its letters
    (site path -> sha256). Without a usable spare (or `use` false), dest is made empty
    and {} returned. The spare's note is gone either way: dest is about to change."""
    spare, note = cache_root / SPARE, _read(cache_root / SPARE_NOTE)
    _forget(cache_root / SPARE_NOTE)
    try:
        usable = use and note is not None and spare.stat().st_ino == note["inode"]
        if usable:
            os.replace(spare, dest)
    except OSError:  # no spare, or on another file system than the site
        usable = False
    if not usable:
        away(spare, trash)
        dest.mkdir()
        return {}
    for name in unmanaged:
        away(dest / name, trash)
    return {str(k): str(v) for k, v in note["letters"].items()} if note else {}


def served(cache_root: Path) -> dict | None:
    """The note of the site being served (forgotten: the swap is about to replace it)."""
    note = _read(cache_root / SITE_NOTE)
    _forget(cache_root / SITE_NOTE)
    return note


def keep(cache_root: Path, replaced: Path, note: dict | None, site_dir: Path,
         letters: dict[str, str], trash: Path) -> None:
    """After the swap: the replaced site (`note`: what it held, from :func:`served`) kept
    as the spare when it is the site the note is about, and the new site's note written
    (its letters' hashes)."""
    away(cache_root / SPARE, trash)
    try:
        if note is not None and replaced.is_dir() and replaced.stat().st_ino == note["inode"]:
            os.replace(replaced, cache_root / SPARE)
            _write(cache_root / SPARE_NOTE, note["inode"], note["letters"])
    except OSError:  # another file system: the replaced site goes with the work folder
        pass
    _write(cache_root / SITE_NOTE, site_dir.stat().st_ino, letters)
