"""Records on disk: `content/records/<id>.json`, one determination each.

Reading validates every record and names the file and the field of each
error; writing is deterministic (sorted keys, two-space indent, trailing
newline) so the same record is always the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from generator.record import lean as lean_records
from generator.record.models import READABLE_VERSIONS, SCHEMA_VERSION, Determination


@dataclass(frozen=True)
class RecordError:
    """A record file that could not be loaded: file, field and reason."""

    path: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message}"


class RecordsInvalid(Exception):
    """Raised when records fail validation and the caller did not ask to keep going."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def to_json(record: Determination) -> str:
    """The canonical text of a record file."""
    data = lean_records.dump(record)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def from_data(data: Any, path: str = "<record>") -> Determination:
    """Validate parsed JSON into a Determination; raises RecordsInvalid naming path and fields."""
    if isinstance(data, dict) and data.get("schema_version") not in (None, *READABLE_VERSIONS):
        raise RecordsInvalid(
            [
                RecordError(
                    path,
                    "schema_version",
                    f"is {data.get('schema_version')!r}; this version reads {SCHEMA_VERSION}",
                )
            ]
        )
    try:
        return Determination.model_validate(data)
    except ValidationError as e:
        raise RecordsInvalid(
            [
                RecordError(path, ".".join(str(p) for p in err["loc"]) or None, err["msg"])
                for err in e.errors()
            ]
        ) from None


def read_record(path: Path, raw: bytes | None = None) -> Determination:
    """Load and validate one record file (`raw`: its bytes, read already)."""
    try:
        text = (path.read_bytes() if raw is None else raw).decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as e:
        raise RecordsInvalid(
            [RecordError(str(path), None, f"not UTF-8 text ({e.reason})")]
        ) from None
    except json.JSONDecodeError as e:
        raise RecordsInvalid(
            [RecordError(str(path), None, f"not valid JSON: {e.msg} at line {e.lineno}")]
        ) from None
    record = from_data(data, str(path))
    if path.stem != record.id:
        raise RecordsInvalid(
            [RecordError(str(path), "id", f"is {record.id!r} but the file is named {path.name!r}")]
        )
    return record


class Memo(Protocol):
    """Records as an earlier load found them (generator.build.recordmemo)."""

    def get(self, name: str, st: os.stat_result) -> tuple[bytes, Any] | None: ...
    def put(self, name: str, st: os.stat_result, digest: bytes, record: Any,
            after: os.stat_result | None = None) -> None: ...


def load_records(
    directory: Path, *, lean: bool = False, digests: dict[str, bytes] | None = None,
    memo: Memo | None = None,
) -> tuple[list[Determination], list[RecordError]]:
    """Every valid record in `directory` (sorted by id) and the errors of the others.
    `lean`: the records as generator.record.lean objects (a third of the memory);
    `digests`: filled with each record's id -> the sha256 of its file's bytes;
    `memo` (with `lean`): the lean records of the files it holds unchanged are taken
    from it, and those read are given to it."""
    records: list[Determination] = []
    errors: list[RecordError] = []
    shared = lean_records.sharing()
    paths = [p for p in sorted(directory.glob("*.json")) if not p.name.startswith(".")]
    stats: dict[Path, os.stat_result] = {}
    if memo is not None and lean:
        paths = _from_memo(paths, memo, records, digests, stats)
    for path, raw in _read_ahead(paths):  # (a name starting with "." is ingest's manifest)
        try:
            record = read_record(path, raw)
            made = lean_records.lean(record, shared) if lean else record
            records.append(made)  # type: ignore[arg-type]
            digest = hashlib.sha256(raw).digest() if raw is not None else None
            if digests is not None and digest is not None:
                digests[record.id] = digest
            if path in stats and digest is not None:
                after = _stat(path)  # a file changed while it was read is not kept
                if after is not None:
                    memo.put(path.name, stats[path], digest, made, after)  # type: ignore[union-attr]
        except RecordsInvalid as e:
            errors.extend(e.errors)
    seen: set[str] = set()
    for r in records:
        if r.id in seen:  # pragma: no cover - file names are unique ids
            errors.append(RecordError(str(directory), "id", f"duplicate id {r.id}"))
        seen.add(r.id)
    records.sort(key=lambda r: r.id)
    return records, errors


def _from_memo(paths: list[Path], memo: Memo, records: list, digests: dict[str, bytes] | None,
               stats: dict[Path, os.stat_result]) -> list[Path]:
    """The records `memo` holds for `paths` into `records` (and `digests`); returns the
    paths left to read, and notes their stat in `stats` (taken before they are read: a
    file changed meanwhile is read again next time)."""
    left = []
    for path in paths:
        st = _stat(path)
        if st is None:
            left.append(path)  # read_record names the error
            continue
        found = memo.get(path.name, st)
        if found is None:
            stats[path] = st
            left.append(path)
            continue
        digest, record = found
        records.append(record)
        if digests is not None:
            digests[record.id] = digest
    return left


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _read_ahead(paths: list[Path], chunk: int = 256):
    """(path, its bytes) in order, read by a few threads a chunk ahead of the caller
    (reading lets go of the interpreter lock; validating does not)."""
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pending = [pool.submit(_read_all, c) for c in chunks[:4]]
        for k in range(len(chunks)):
            if k + 4 < len(chunks):
                pending.append(pool.submit(_read_all, chunks[k + 4]))
            yield from zip(chunks[k], pending[k].result(), strict=True)
            pending[k] = None  # type: ignore[call-overload]


def _read_all(paths: list[Path]) -> list[bytes | None]:
    out: list[bytes | None] = []
    for path in paths:
        try:
            out.append(path.read_bytes())
        except OSError:
            out.append(None)  # read again by read_record, which names the error
    return out


def write_text_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `text` (UTF-8) to `path` all or nothing: a temporary file in the same
    folder, flushed to disk, then renamed over `path`. If anything fails (encoding,
    disk full, rename), the temporary file is removed and `path` is left as it was;
    never a 0-byte or half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_record(record: Determination, directory: Path) -> Path:
    """Write a record as `<directory>/<id>.json` (atomically); returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{record.id}.json"
    write_text_atomic(path, to_json(record))
    return path
