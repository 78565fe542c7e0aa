"""Ingest: letter files (.txt, .pdf) -> record files, and a report of the rest.

Nothing is lost: every input file ends as a record or as a report entry with
file, line and reason. Re-running is idempotent; a record corrected by hand
(its text differs from what ingest last wrote) is never overwritten unless
forced. The manifest of what ingest wrote lives beside the records.

No input can abort the run (issue 17): whatever the PDF library or the
parser raises for one file becomes that file's `failed` entry, and the run
goes on to the next. Records are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from generator.letters import budget
from generator.letters.extract import UnreadableLetter, one_line, read_letter
from generator.letters.parse import LetterError, parse_letter
from generator.progress import Progress
from generator.record.models import Determination
from generator.record.store import to_json, write_text_atomic

LETTER_SUFFIXES = {".txt", ".pdf"}
MANIFEST = ".ingest-manifest.json"  # record id -> sha256 of the text ingest wrote
SOURCES = ".ingest-sources.json"  # letter path -> the record id ingest made of it


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



def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # elsewhere; cwd gone; a symlink loop
        return path.as_posix()


def _load_manifest(out: Path, name: str = MANIFEST) -> dict[str, str]:
    try:
        return dict(json.loads((out / name).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return {}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ingest(
    paths: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    progress: bool | None = None,
    jobs: int | None = 1,
    letter_timeout: float | None = budget.DEFAULT_LETTER_TIMEOUT,
) -> IngestReport:
    """Parse every letter under `paths` and write its record into `out`.

    Letters are read and parsed in `jobs` processes (None: one per core); records are
    written by this process in file order, so any number of jobs writes the same bytes.
    A letter not read within `letter_timeout` seconds (None or 0: no limit) is a failed
    entry. Never aborts for one file: each ends as a record or as a report entry."""
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(out, force, _load_manifest(out), _load_manifest(out, SOURCES))
    report = IngestReport()
    files = [(path, _display(path)) for path in letter_paths(paths)]
    bar = Progress("ingest", len(files), "letter", show=progress is not False)
    for (_, shown), parsed in bar.each(
        zip(files, _parsed(files, jobs or os.cpu_count() or 1, letter_timeout), strict=True)
    ):
        try:
            entry = parsed if isinstance(parsed, Entry) else _store_one(parsed, shown, run)
        except Exception as e:  # last resort: one file never aborts the run
            entry = _unexpected(shown, e)
        report.entries.append(entry)
    for name, data in ((MANIFEST, run.manifest), (SOURCES, run.sources)):
        write_text_atomic(out / name, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return report


@dataclass
class _Run:
    out: Path
    force: bool
    manifest: dict[str, str]  # record id -> sha256 of the text ingest wrote
    sources: dict[str, str]  # letter path -> record id
    seen: dict[str, str] = field(default_factory=dict)  # record id -> letter, this run


def _unexpected(shown: str, e: Exception) -> Entry:
    return Entry(shown, "failed", reason=f"unexpected error: {type(e).__name__}: {one_line(e)}")


@dataclass
class _Read:
    """A letter read into its record's file text (in the worker, so that only text crosses
    between processes: a record sent as an object costs as much as half its parsing)."""

    id: str
    warnings: list[str]  # the record's, the reading warnings first
    text: str | None  # to_json of the record; None when it could not be written
    error: Entry | None = None  # ... and why


def _parse_one(job: tuple[Path, str]) -> Entry | tuple[Determination, list[str]]:
    """Read and parse one letter (in a worker process): (record, read warnings) or a failure."""
    path, shown = job
    budget.test_hook(shown)
    try:
        text, sha, read_warnings = read_letter(path)
        return parse_letter(text, shown, sha256=sha), read_warnings
    except ValidationError as e:  # a parser gap: report it, never lose the rest
        return Entry(shown, "failed", reason=f"invalid record: {e}")
    except (LetterError, UnreadableLetter, OSError) as e:
        line = getattr(e, "line", None)
        reason = getattr(e, "reason", None) or str(e)
        return Entry(shown, "failed", line=line, reason=reason)
    except Exception as e:  # last resort: one file never aborts the run
        return _unexpected(shown, e)


def _read_one(job: tuple[Path, str]) -> Entry | _Read:
    """One letter read, parsed and turned into its record's text (in a worker process)."""
    parsed = _parse_one(job)
    if isinstance(parsed, Entry):
        return parsed
    record, read_warnings = parsed
    try:
        if read_warnings:
            record = record.model_copy(update={"warnings": [*read_warnings, *record.warnings]})
        return _Read(record.id, list(record.warnings), to_json(record))
    except Exception as e:  # last resort: one file never aborts the run
        return _Read(record.id, [], None, _unexpected(job[1], e))


def _parsed(
    files: list[tuple[Path, str]], jobs: int, timeout: float | None
) -> Iterator[Entry | _Read]:
    """Each file read, in file order (budget.in_order): a letter over `timeout` s is failed."""
    failed = lambda job, why: Entry(job[1], "failed", reason=why)  # noqa: E731
    return budget.in_order(_read_one, files, jobs, timeout, failed)


def _store_one(read: _Read, shown: str, run: _Run) -> Entry:
    """Write one parsed letter's record; its report entry."""
    if read.id in run.seen:
        reason = f"same id {read.id} as {run.seen[read.id]}; not written"
        if run.sources.get(shown) == read.id:  # it made that record once: no longer
            del run.sources[shown]
        return Entry(shown, "failed", id=read.id, reason=reason)
    if read.text is None:
        return read.error or _unexpected(shown, RuntimeError("no record text"))
    try:
        entry = _write(read, run.out, run.manifest, shown, run.force)
    except OSError as e:  # a full disk, a folder without write permission
        where = run.out / f"{read.id}.json"
        return Entry(shown, "failed", id=read.id, reason=f"{where}: not written: {e}")
    run.seen[read.id] = shown  # not before: a letter that failed to be written holds no id
    previous = run.sources.get(shown)
    if entry.status == "written" and previous and previous != read.id and (
            previous not in run.seen):  # another letter of this run made that record
        _retire(previous, run.out, run.manifest, entry, run.force)
    if entry.status in ("written", "unchanged"):
        run.sources[shown] = read.id
    return entry


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


def _write(read: _Read, out: Path, manifest: dict[str, str], shown: str, force: bool) -> Entry:
    target = out / f"{read.id}.json"
    new = read.text or ""
    entry = Entry(shown, "written", id=read.id, warnings=list(read.warnings))
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if old == new:
            manifest[read.id] = _digest(new)
            entry.status = "unchanged"
            return entry
        edited = manifest.get(read.id) != _digest(old)
        if edited and not force:
            entry.status = "conflict"
            entry.reason = (
                f"{target} was edited by hand since ingest wrote it; kept as is "
                "(use --force to overwrite)"
            )
            return entry
    write_text_atomic(target, new)  # all or nothing: never a 0-byte record
    manifest[read.id] = _digest(new)
    return entry
