"""Ingest: letter files (.txt, .pdf) -> record files, and a report of the rest.

Nothing is lost: every input file ends as a record or as a report entry with
file, line and reason. Re-running is idempotent; a record corrected by hand
(its text differs from what ingest last wrote) is never overwritten unless
forced. The manifest of what ingest wrote lives beside the records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from generator.letters.parse import LetterError, parse_letter
from generator.record.store import to_json

LETTER_SUFFIXES = {".txt", ".pdf"}
MANIFEST = ".ingest-manifest.json"  # record id -> sha256 of the text ingest wrote
SOURCES = ".ingest-sources.json"  # letter path -> the record id ingest made of it
MAX_LETTER_BYTES = 20 * 1024 * 1024


class UnreadableLetter(ValueError):
    """A file whose bytes are not letter text (binary, empty PDF, ...)."""


@dataclass
class Entry:
    file: str
    status: str  # written | unchanged | conflict | failed
    id: str | None = None
    line: int | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    entries: list[Entry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def ok(self) -> bool:
        return not any(e.status in ("failed", "conflict") for e in self.entries)

    def to_json(self) -> str:
        data = {
            "summary": {s: self.count(s) for s in ("written", "unchanged", "conflict", "failed")},
            "entries": [asdict(e) for e in self.entries],
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    def summary_text(self) -> str:
        lines = [
            f"{len(self.entries)} letter file(s): {self.count('written')} written, "
            f"{self.count('unchanged')} unchanged, {self.count('conflict')} conflict(s), "
            f"{self.count('failed')} failed"
        ]
        for e in self.entries:
            if e.status in ("failed", "conflict"):
                where = f"{e.file}:{e.line}" if e.line else e.file
                lines.append(f"  {e.status.upper()} {where}: {e.reason}")
        return "\n".join(lines)


def letter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """The letter files named, folders searched recursively, in sorted order."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in LETTER_SUFFIXES
            )
        else:
            yield p


def decode_text(data: bytes) -> tuple[str, str | None]:
    """(text, warning) for letter bytes: UTF-8, else cp1252, else Latin-1."""
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise UnreadableLetter("binary file, not letter text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "text was not UTF-8; read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "text was not UTF-8; read as Latin-1"


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.05


def pdf_text(data: bytes) -> str:
    """The text of a PDF letter, page by page (pypdf)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise UnreadableLetter(f"PDF could not be read: {e}") from None
    text = "\n\f".join(pages)
    if not text.strip():
        raise UnreadableLetter("PDF has no extractable text (scanned image?)")
    return text


def read_letter(path: Path) -> tuple[str, str, list[str]]:
    """(text, sha256 of the file, warnings) for one letter file."""
    size = path.stat().st_size
    if size > MAX_LETTER_BYTES:
        raise UnreadableLetter(f"file is {size} bytes; letters over {MAX_LETTER_BYTES} are refused")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise UnreadableLetter("empty file")
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF-"):
        return pdf_text(data), digest, []
    text, warning = decode_text(data)
    return text, digest, [warning] if warning else []


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_manifest(out: Path, name: str = MANIFEST) -> dict[str, str]:
    try:
        return dict(json.loads((out / name).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return {}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ingest(
    paths: Iterable[Path], out: Path, *, force: bool = False, progress: bool | None = None
) -> IngestReport:
    """Parse every letter under `paths` and write its record into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    manifest, sources = _load_manifest(out), _load_manifest(out, SOURCES)
    report = IngestReport()
    files = list(letter_paths(paths))
    seen: dict[str, str] = {}
    disable = None if progress is None else not progress
    for path in tqdm(files, desc="ingest", unit="letter", disable=disable, leave=False):
        shown = _display(path)
        try:
            text, sha, read_warnings = read_letter(path)
            record = parse_letter(text, shown, sha256=sha)
        except ValidationError as e:  # a parser gap: report it, never lose the rest
            report.entries.append(Entry(shown, "failed", reason=f"invalid record: {e}"))
            continue
        except (LetterError, UnreadableLetter, OSError) as e:
            line = getattr(e, "line", None)
            reason = getattr(e, "reason", None) or str(e)
            report.entries.append(Entry(shown, "failed", line=line, reason=reason))
            continue
        if record.id in seen:
            report.entries.append(
                Entry(shown, "failed", id=record.id,
                      reason=f"same id {record.id} as {seen[record.id]}; not written")
            )
            continue
        seen[record.id] = shown
        if read_warnings:
            record = record.model_copy(update={"warnings": [*read_warnings, *record.warnings]})
        entry = _write(record, out, manifest, shown, force)
        previous = sources.get(shown)
        if entry.status == "written" and previous and previous != record.id:
            _retire(previous, out, manifest, entry, force)
        if entry.status in ("written", "unchanged"):
            sources[shown] = record.id
        report.entries.append(entry)
    for name, data in ((MANIFEST, manifest), (SOURCES, sources)):
        (out / name).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return report


def _retire(old_id: str, out: Path, manifest: dict[str, str], entry: Entry, force: bool) -> None:
    """The letter now reads as another id (its text changed and it has no case number):
    remove the record made from its earlier text, unless someone edited that record."""
    old = out / f"{old_id}.json"
    if not old.exists():
        return
    if manifest.get(old_id) != _digest(old.read_text(encoding="utf-8")) and not force:
        entry.warnings.append(
            f"this letter's earlier record {old.name} was edited by hand: kept; "
            "remove it yourself if it is the same determination"
        )
        return
    old.unlink()
    manifest.pop(old_id, None)
    entry.warnings.append(f"replaces {old.name}, made from this letter's earlier text")


def _write(record, out: Path, manifest: dict[str, str], shown: str, force: bool) -> Entry:
    target = out / f"{record.id}.json"
    new = to_json(record)
    entry = Entry(shown, "written", id=record.id, warnings=list(record.warnings))
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if old == new:
            manifest[record.id] = _digest(new)
            entry.status = "unchanged"
            return entry
        edited = manifest.get(record.id) != _digest(old)
        if edited and not force:
            entry.status = "conflict"
            entry.reason = (
                f"{target} was edited by hand since ingest wrote it; kept as is "
                "(use --force to overwrite)"
            )
            return entry
    target.write_text(new, encoding="utf-8")
    manifest[record.id] = _digest(new)
    return entry
