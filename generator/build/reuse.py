"""What assemble() may take from earlier builds instead of making it again
(generator.pages.assemble.Reuse): numbered listing pages the docs tree holds with their
key (generator.build.pagekeys), and the archive downloads' runs compressed alone
(generator.pages.opendata.Run) kept by the digests of their records' files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from generator.build.ondisk import OnDisk
from generator.build.pagekeys import PageKeys, code_digest, hash_records
from generator.build.segments import Segments
from generator.pages.opendata import Run

ARCHIVE_MEMO = ".archive-members"  # its folder in the shard cache (not a shard: a dot)


class ArchiveMemo(Segments):
    """Compressed runs of the archive downloads by a key of their records' files (`digests`:
    record id -> sha256) and the code; `fresh`: not used (a full build)."""

    def __init__(self, folder: Path, digests: Mapping[str, bytes], fresh: bool = False) -> None:
        super().__init__(folder, code_digest().hex(), fresh)
        self.digests = digests

    def member(self, kind: str, records: Sequence, make: Callable[[], Run]) -> Run:
        h = hashlib.sha256(kind.encode("utf-8"))
        if not hash_records(h, (r.id for r in records), self.digests):
            return make()
        key = h.digest()
        blob = self.take(key)
        if blob is None:
            blob = make()
            self.put(key, blob)
        return blob


class Reuse:
    """assemble()'s `reuse` for a build whose docs tree is `pages` (generator.build.ondisk)."""

    def __init__(self, keys: PageKeys, pages: OnDisk, archive: ArchiveMemo) -> None:
        self.keys, self.pages, self.archive = keys, pages, archive

    def keep_page(self, path: str, shown: str, ids: Sequence[str]) -> bool:
        """A numbered listing page the docs tree holds with its key is in the site at once
        (an index page made later lists it: assemble's folder indexes)."""
        if not self.keys.keep_listing(path, shown, ids):
            return False
        self.pages.adopt({path: self.keys.listings_kept[path]})
        return True

    def member(self, kind: str, records: Sequence, make: Callable[[], Run]) -> Run:
        return self.archive.member(kind, records, make)
