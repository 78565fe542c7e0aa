"""A folder of files made to match a list: each file the very file (inode) of a source.

A built site is hard links to the shard cache's files (generator.build.cache). Bringing
an existing site tree up to date (generator.build.spare) then needs only the files
whose inode differs from their source's: a file that is already the source's own is
left alone, a different one is replaced, a missing one linked, and one the new site does
not have is removed. A fresh (empty) folder gets every file, as a link.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path


def stamp(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What says a file is the one seen before: size, modification and change times (a
    file put back with its old size and mtime by cp -p, rsync -t or touch -r has a new
    ctime, which no one can set), inode and device (which file a path leads to)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def files(root: Path) -> dict[str, int]:
    """Every file under root (none when it is missing): its path relative to root (POSIX)
    -> its inode, as the folder listing gives it (no stat per file)."""
    out: dict[str, int] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                else:
                    out[rel] = entry.inode()
    return out


@dataclass
class Synced:
    linked: int = 0  # files linked (or copied) because they were missing or different
    kept: int = 0  # files that were the source's own already
    removed: int = 0  # files the list does not have


def sync(desired: Mapping[str, tuple[Path, int]], dest: Path,
         keep: Collection[str] = ()) -> Synced:
    """Make dest hold exactly `desired` (relative path -> (source file, its inode)) plus
    the files in `keep` that it has: files not listed are removed (and folders left
    empty), listed ones that are not their source's inode are replaced by a hard link
    to it (a copy across file systems)."""
    done = Synced()
    have = files(dest)
    emptied: set[str] = set()
    for rel in have:
        if rel not in desired and rel not in keep:
            os.unlink(dest / rel)
            emptied.add(os.path.dirname(rel))
            done.removed += 1
    _remove_empty(dest, emptied)
    made: set[str] = set()
    for rel, (source, inode) in desired.items():
        if have.get(rel) == inode:
            done.kept += 1
            continue
        target = dest / rel
        if rel in have:
            os.unlink(target)
        else:
            parent = os.path.dirname(rel)
            if parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(parent)
        link(source, target)
        done.linked += 1
    return done


def link(source: Path, target: Path) -> None:
    """A hard link to source at target (which must not exist); a copy where a link is
    impossible (another file system, links not allowed)."""
    try:
        os.link(source, target)
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise  # e.g. the file exists: never write through a link into the cache
        shutil.copy2(source, target)


def away(folder: Path, trash: Path) -> None:
    """Move folder into trash (removed with the work folder), or remove it now."""
    if not folder.exists():
        return
    trash.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(folder, trash / f"{folder.name}-{len(list(trash.iterdir()))}")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_empty(dest: Path, folders: set[str]) -> None:
    """Remove the folders (relative to dest) that are empty now, and their emptied parents."""
    for rel in sorted(folders, key=len, reverse=True):
        while rel:
            try:
                os.rmdir(dest / rel)
            except OSError:  # not empty (or gone already)
                break
            rel = os.path.dirname(rel)
