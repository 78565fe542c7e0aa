"""Which pages of a new build need their links checked, given the last checked site.

A built site is made of hard links to the shard cache's files (generator.build.cache),
so a page whose output was kept (a cached shard, or a kept page of a rebuilt shard:
generator.build.pagereuse) is the very file of the previous site, while a rebuilt page
is a new one. The previous site passed the link check. A kept page's links are then
still good as long as everything they can point to is still there: so when no file of
the previous site is gone and no rebuilt page lost an element id, only the new files'
pages need checking; otherwise (None) the whole site does.

The previous build notes where and how it checked (:func:`remember`); a site folder
that is not the one it checked, or another base path, means a whole check.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from generator.build.linkpages import read_page
from generator.build.linkscan import scan
from generator.build.tree import files

MARKER = "linkcheck.json"  # in the cache folder


def remember(cache_root: Path, site_dir: Path, base_path: str) -> None:
    """Note that site_dir, as it is now, passed the link check at base_path."""
    data = {"site": str(site_dir), "inode": site_dir.stat().st_ino, "base_path": base_path}
    cache_root.mkdir(parents=True, exist_ok=True)
    (cache_root / MARKER).write_text(json.dumps(data), encoding="utf-8")


def forget(cache_root: Path) -> None:
    """No site is known to be checked (the site folder is about to change)."""
    with contextlib.suppress(OSError):  # an unwritable cache: the site's inode still tells
        (cache_root / MARKER).unlink(missing_ok=True)


def checked_site(cache_root: Path, site_dir: Path, base_path: str) -> Path | None:
    """site_dir when it is the site the last build checked at base_path, else None."""
    try:
        data = json.loads((cache_root / MARKER).read_text(encoding="utf-8"))
        same = (data["site"] == str(site_dir) and data["base_path"] == base_path
                and data["inode"] == site_dir.stat().st_ino)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return site_dir if same else None


def pages_to_check(previous: Path, site: Path, unlinked: tuple[str, ...] = ()) -> list[str] | None:
    """The HTML pages of `site` (relative paths, sorted) that are not the previous
    (checked) site's own files, or None when the whole site must be checked.
    `unlinked`: files and folders (relative; a folder ends in "/") no page links to,
    which may go: the determination search's index (its files are named by their
    content, and its script fetches them), the marker the swap writes."""
    old, new = files(previous), files(site)
    if any(rel not in new and not rel.startswith(unlinked) for rel in old):
        return None  # something a kept page may link to is gone
    changed = sorted(r for r, ino in new.items() if r.endswith(".html") and old.get(r) != ino)
    if len(changed) > sum(r.endswith(".html") for r in new) / 2:
        return None  # most pages are new: checking them all costs less than comparing ids
    for rel in changed:
        if rel in old and not _ids(previous / rel) <= _ids(site / rel):
            return None  # a kept page may link to the id it lost
    return changed


def _ids(path: Path) -> set[str]:
    return scan(read_page(path))[1]
