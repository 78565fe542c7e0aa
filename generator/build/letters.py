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
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.pages.determination import OriginalLetter
from generator.pages.urls import DETERMINATIONS_DIR
from generator.record.models import Determination

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FoundLetter:
    path: Path  # the file on disk, checked against the record's sha256
    letter: OriginalLetter  # its name beside the page, its size


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _suffix(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        return ".pdf"
    with open(path, "rb") as f:
        return ".pdf" if f.read(5) == b"%PDF-" else ".txt"


def find_letter(record: Determination, content_dir: Path) -> FoundLetter | None:
    """The file `record` was made from, if it is still there with the same bytes."""
    if record.source is None:
        return None
    for path in candidates(record.source.path, content_dir):
        try:
            if path.is_file() and sha256_of(path) == record.source.sha256:
                name = record.id + _suffix(path)
                return FoundLetter(path, OriginalLetter(name, path.stat().st_size))
        except OSError:
            continue
    log.info("%s: letter %s not found unchanged; not published", record.id, record.source.path)
    return None


def find_letters(records: list[Determination], content_dir: Path) -> dict[str, FoundLetter]:
    """Record id -> its letter, for every record whose letter is found unchanged."""
    found = {}
    for record in records:
        letter = find_letter(record, content_dir)
        if letter is not None:
            found[record.id] = letter
    return found


def letter_path(record_id: str, letter: OriginalLetter) -> str:
    """Site-relative path of a published letter: beside the page of its determination."""
    return f"{DETERMINATIONS_DIR}/{record_id}/{letter.name}"


def copy_letters(found: dict[str, FoundLetter], site: Path) -> int:
    """Copy each letter into the built site (its page's folder must exist); the count."""
    for record_id, f in found.items():
        target = site / letter_path(record_id, f.letter)
        if not target.parent.is_dir():
            raise FileNotFoundError(f"{target.parent}: no page for determination {record_id}")
        shutil.copyfile(f.path, target)
    return len(found)
