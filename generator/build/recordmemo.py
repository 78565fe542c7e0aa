"""Records as the last load found them, kept between builds (in the shard cache).

A record file read by the build is parsed, validated (pydantic) and made lean: about
three quarters of the time of loading 100,000 records, for the few hundred an update
changes. The memo keeps each record it loaded with its file's stamp (size, modification
and change times, inode, device: what generator.build.letters.HashMemo trusts too, a
change time no one can set) and the sha256 of its bytes. A load takes from it every file
whose stamp is the one noted and reads the others (a file changed in the second before
the load is read again next time: RACY_NS).

The memo is ``{file name: (stamp, sha256, record)}`` kept as pickled segments
(generator.build.segments), of the code that made its records (generator/record and
pydantic's versions).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.build.pagekeys import code_digest
from generator.build.segments import Segments
from generator.build.tree import stamp

RECORD_MEMO = ".records-memo"  # its folder in the shard cache (not a shard: a dot)
# a file changed less than this before the load began is not kept: the kernel's clock
# ticks coarsely, so a file rewritten within the same tick keeps its stamp ("racy git");
# some file systems keep times to 2 s (FAT, some network shares)
RACY_NS = 3_000_000_000

def code() -> str:
    """The code that makes records from files (the generator's code and data, the
    vocabularies that validation checks values against, pydantic and PyYAML: what page
    keys hash, generator.build.pagekeys): another, and the memo is not used."""
    return "records:" + code_digest().hex()


class RecordMemo(Segments):
    """The memo in `folder` (created when saved); `fresh`: not used (a full build)."""

    def __init__(self, folder: Path, fresh: bool = False) -> None:
        super().__init__(folder, code(), fresh)
        self.since = time.time_ns() - RACY_NS  # files changed later are not kept

    def get(self, name: str, st: os.stat_result) -> tuple[bytes, object] | None:
        """(sha256, record) of file `name` if the memo holds it with this stat."""
        entry = self.held.get(name)
        if entry is None or entry[0] != stamp(st):
            return None
        self.taken.add(name)
        return entry[1], entry[2]

    def put(self, name: str, st: os.stat_result, digest: bytes,  # type: ignore[override]
            record: object, after: os.stat_result | None = None) -> None:
        """Note a record read from file `name` (`st`: its stat before it was read; `after`:
        after), unless the file changed meanwhile or too recently to be told from a later
        change (RACY_NS)."""
        if after is not None and stamp(after) != stamp(st):
            return
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.since:
            self.new[name] = (stamp(st), digest, record)
