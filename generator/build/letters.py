"""The original letters, published beside their determination pages.

A record names the file it was made from (`source`: its path as ingest saw it and the
SHA-256 of its bytes). At build time the letter is looked for where that path can
point (from the working directory, the content folder's parent or the content folder
itself, or under `<content>/letters/` by its path below a `letters/` folder) and is
published only when its bytes still have that hash: a changed or moved file is never
shown as the letter a record was read from. Letters go into the built site after
MkDocs (they are not docs) as `determinations/<id>/<id>.pdf` (or `.txt`), the folder
of the page, so the page links them by name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.build.tree import stamp
from generator.pages.determination import OriginalLetter
from generator.pages.urls import DETERMINATIONS_DIR
from generator.record.models import Determination

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FoundLetter:
    path: str  # the file on disk, checked against the record's sha256
    letter: OriginalLetter  # its name beside the page, its size
    sha256: str = ""  # of its bytes (the record's)


def candidates(source_path: str, content_dir: Path, cwd: Path | None = None) -> list[Path]:
    """Where a record's `source.path` may be, in the order they are tried."""
    src = PurePosixPath(source_path)
    if src.is_absolute():
        return [Path(src)]
    places = [(cwd or Path.cwd()) / src, content_dir.parent / src, content_dir / src]
    parts = src.parts
    if "letters" in parts:
        below = parts[len(parts) - 1 - parts[::-1].index("letters") + 1 :]
        places.append(content_dir.joinpath("letters", *below))
    return list(dict.fromkeys(places))


def _places(source_path: str, content_dir: Path, cwd: str) -> list[str]:
    """candidates() as strings, made without pathlib for a plain path (a hundred
    thousand records, four places each: pathlib took seconds)."""
    absolute = source_path.startswith("/") and not source_path.startswith("//")
    parts = source_path[1:].split("/") if absolute else source_path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return [str(p) for p in candidates(source_path, content_dir, Path(cwd))]
    if absolute:
        return [source_path]
    content = str(content_dir)
    parent = os.path.dirname(content) if content != "." else "."

    def join(folder: str, *rest: str) -> str:  # as pathlib joins: "." adds nothing
        return os.path.join(*rest) if folder == "." else os.path.join(folder, *rest)

    places = [join(cwd, source_path), join(parent or ".", source_path),
              join(content, source_path)]
    if "letters" in parts:
        below = parts[len(parts) - parts[::-1].index("letters"):]
        places.append(join(content, "letters", *below))
    return list(dict.fromkeys(places))


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _suffix(path: str) -> str:
    if os.path.splitext(path)[1].lower() == ".pdf":
        return ".pdf"
    with open(path, "rb") as f:
        return ".pdf" if f.read(5) == b"%PDF-" else ".txt"


class HashMemo:
    """sha256 of files, remembered by path, size, modification and change times, inode and
    device (a JSON file kept with the shard cache), so a build reads only the letters
    that are new or changed."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.known: dict[str, list] = {}
        if file is not None and file.is_file():
            try:
                self.known = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}
        self.used: dict[str, list] = {}

    def sha256(self, path: Path | str, st: os.stat_result | None = None, read: bool = True
               ) -> str | None:
        """The file's sha256 (`st`: its stat, when the caller has it); None when it is not
        known and not to be `read`."""
        st = st or os.stat(path)
        key = os.path.abspath(path)
        seen_as = list(stamp(st))  # generator.build.tree.stamp
        seen = self.known.get(key)
        if seen and seen[:-1] == seen_as:
            digest = seen[-1]
        elif read:
            digest = sha256_of(path)
        else:
            return None
        self.used[key] = [*seen_as, digest]
        return digest

    def save(self) -> None:
        """Keep what this build hashed (only that: letters gone are forgotten)."""
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps(self.used, sort_keys=True), encoding="utf-8")


_UNREAD = object()  # find_letter(read=False): a file to hash first


def find_letter(
    record: Determination, content_dir: Path, memo: HashMemo | None = None, read: bool = True
):
    """The file `record` was made from, if it is still there with the same bytes (a
    FoundLetter, else None; `read` False: _UNREAD when a file the memo does not know
    would have to be read to tell)."""
    if record.source is None:
        return None
    digest = (memo or HashMemo()).sha256
    for path in _places(record.source.path, content_dir, os.getcwd()):
        try:
            st = os.stat(path)  # once: 100,000 letters, several places each
            if not stat.S_ISREG(st.st_mode):
                continue
            sha = digest(path, st, read)
            if sha is None:
                return _UNREAD
            if sha == record.source.sha256:
                name = record.id + _suffix(path)
                return FoundLetter(path, OriginalLetter(name, st.st_size),
                                   record.source.sha256)
        except OSError:
            continue
    log.info("%s: letter %s not found unchanged; not published", record.id, record.source.path)
    return None


def find_letters(
    records: list[Determination], content_dir: Path, memo: HashMemo | None = None
) -> dict[str, FoundLetter]:
    """Record id -> its letter, for every record whose letter is found unchanged: those
    the memo knows first, then the others by a few threads (the time goes to reading and
    hashing files, which let go of the interpreter lock; threads only slow the rest)."""
    memo = memo or HashMemo()
    known = {r.id: find_letter(r, content_dir, memo, read=False) for r in records}
    unread = [r for r in records if known[r.id] is _UNREAD]
    with ThreadPoolExecutor(max_workers=4) as pool:  # ended before any fork (beside.py)
        done = pool.map(lambda chunk: [find_letter(r, content_dir, memo) for r in chunk],
                        _chunks(unread))
        known.update(zip((r.id for r in unread), (f for chunk in done for f in chunk),
                         strict=True))
    return {r.id: known[r.id] for r in records if known[r.id] is not None}


def _chunks(items: list, size: int = 512) -> list[list]:
    """The items in runs of `size`: a thread's share of work at a time."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def letter_path(record_id: str, letter: OriginalLetter) -> str:
    """Site-relative path of a published letter: beside the page of its determination."""
    return f"{DETERMINATIONS_DIR}/{record_id}/{letter.name}"


def published(found: dict[str, FoundLetter]) -> dict[str, str]:
    """Each letter's path in the site -> the sha256 of its bytes."""
    return {letter_path(i, f.letter): f.sha256 for i, f in found.items()}


def copy_letters(found: dict[str, FoundLetter], site: Path, present: Collection[str] = ()) -> int:
    """Copy each letter into the built site (its page's folder must exist), but those
    whose site path is in `present` (there with these bytes already); the number copied.
    A few threads copy: the time goes to the file system, not the interpreter."""

    def copy(chunk: list[tuple[str, FoundLetter]]) -> None:
        for record_id, f in chunk:
            target = site / letter_path(record_id, f.letter)
            if not target.parent.is_dir():
                raise FileNotFoundError(f"{target.parent}: no page for determination {record_id}")
            shutil.copyfile(f.path, target)

    items = [(i, f) for i, f in found.items() if letter_path(i, f.letter) not in present]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in pool.map(copy, _chunks(items)):
            pass  # the first error is raised here
    return len(items)
