"""Records as the last load found them, kept between builds (in the shard cache).

A record file read by the build is parsed, validated (pydantic) and made lean: about
three quarters of the time of loading 100,000 records, for the few hundred an update
changes. The memo keeps each record it loaded with its file's stamp (size, modification
and change times, inode, device: what generator.build.letters.HashMemo trusts too, a
change time no one can set) and the sha256 of its bytes. A load takes from it every file
whose stamp is the one noted and reads the others (a file changed in the second before
the load is read again next time: RACY_NS).

The memo is a folder of pickled segments, each ``{file name: (stamp, sha256, record)}``,
a later one overriding an earlier one: a load appends what it read as one new segment,
and writes the memo again as one segment when it holds more entries that are stale
than live ones, or more than MAX_SEGMENTS segments. Each segment names the code that
made its records (generator/record and pydantic's versions); a segment of other code,
or one that cannot be read, empties the memo (the records are read again, nothing is
lost). The memo lives in the build's own cache folder, like __pycache__: pickle is for
files this program wrote.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
import time
from pathlib import Path

from generator.build.codehash import tree_digest, versions
from generator.paths import PACKAGE

RECORD_MEMO = ".records-memo"  # its folder in the shard cache (not a shard: a dot)
MAX_SEGMENTS = 8
# a file changed less than this before the load began is not kept: the kernel's clock
# ticks coarsely, so a file rewritten within the same tick keeps its stamp ("racy git")
RACY_NS = 1_000_000_000
_VERSION = 1
_SUFFIX = ".pickle"

log = logging.getLogger(__name__)

Stamp = tuple[int, int, int, int, int]
Entry = tuple[Stamp, bytes, object]  # (stamp, sha256, lean record)


def stamp(st: os.stat_result) -> Stamp:
    """What says a file is the one the memo noted (see the module docstring)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def code() -> str:
    """The code that makes records from files: another, and the memo is not used."""
    return repr((_VERSION, tree_digest(PACKAGE / "record"),
                 sorted(versions(("pydantic", "pydantic-core")).items())))


class RecordMemo:
    """The memo in `folder` (created when saved). `held`: file name -> entry."""

    def __init__(self, folder: Path, fresh: bool = False) -> None:
        self.folder = folder
        self.code = code()
        found = folder.glob(f"[0-9]*{_SUFFIX}") if folder.is_dir() else []
        self.segments = sorted(found, key=lambda p: int(p.stem))
        self.held: dict[str, Entry] = {}
        self.stored = 0  # entries in the segments, superseded ones included
        if fresh:
            self._drop()
        else:
            self._read()
        self.taken: set[str] = set()
        self.new: dict[str, Entry] = {}
        self.since = time.time_ns() - RACY_NS  # files changed later are not kept

    def _read(self) -> None:
        for segment in self.segments:
            try:
                with segment.open("rb") as f:
                    data = pickle.load(f)
                if data["code"] != self.code:
                    log.info("%s: made by other code; records are read again", segment)
                    return self._drop()
                entries = data["entries"]
            except Exception as e:  # a torn or foreign file: read the records again
                log.warning("%s: cannot read the record memo (%s); records are read again",
                            segment, e)
                return self._drop()
            self.held.update(entries)
            self.stored += len(entries)

    def _drop(self) -> None:
        self.held, self.stored = {}, 0
        for segment in self.segments:
            with contextlib.suppress(OSError):
                segment.unlink()
        self.segments = []

    def get(self, name: str, st: os.stat_result) -> tuple[bytes, object] | None:
        """(sha256, record) of file `name` if the memo holds it with this stat."""
        entry = self.held.get(name)
        if entry is None or entry[0] != stamp(st):
            return None
        self.taken.add(name)
        return entry[1], entry[2]

    def put(self, name: str, st: os.stat_result, digest: bytes, record: object) -> None:
        """Note a record read from file `name` (`st`: its stat before it was read), unless
        the file changed too recently to be told from a later change (RACY_NS)."""
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.since:
            self.new[name] = (stamp(st), digest, record)

    def save(self) -> None:
        """Append what this load read as a segment, or write the memo again as one; an
        error is logged (the next load reads more), not raised."""
        live = len(self.taken) + len(self.new)
        stale = self.stored - len(self.taken)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            number = int(self.segments[-1].stem) + 1 if self.segments else 1
            if stale > live or len(self.segments) >= MAX_SEGMENTS:
                old, self.segments = self.segments, []
                self._write({n: self.held[n] for n in sorted(self.taken)} | self.new, number)
                for segment in old:
                    segment.unlink()
            elif self.new:
                self._write(self.new, number)
        except OSError as e:
            log.warning("%s: the record memo was not written (%s)", self.folder, e)

    def _write(self, entries: dict[str, Entry], number: int) -> None:
        target = self.folder / f"{number:06d}{_SUFFIX}"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".segment.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({"code": self.code, "entries": entries}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.segments.append(target)
