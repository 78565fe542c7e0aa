"""The determination search's cards made by earlier builds (generator.search.determinations).

A card is a function of its record and of the code: the memo keeps each card's file by
the sha256 of its record's file, in segments of the shard cache (generator.build.segments)
named by the code pages are keyed with (generator.build.pagekeys.code_digest). It is read
and written by the process that writes the index (forked beside the build's own, where
the system can fork).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.build.pagekeys import code_digest
from generator.build.segments import Segments

CARD_MEMO = ".index-cards"  # its folder in the shard cache (not a shard: a dot)


class CardMemo(Segments):
    """Record id -> its card's file, for the records whose file digest (`digests`: id ->
    sha256) is known; `fresh`: not used (a full build)."""

    def __init__(self, folder: Path, digests: Mapping[str, bytes], fresh: bool = False) -> None:
        super().__init__(folder, code_digest().hex(), fresh)
        self.digests = digests

    def get(self, record_id: str) -> bytes | None:
        digest = self.digests.get(record_id)
        return None if digest is None else self.take(digest)

    def put(self, record_id: str, blob: bytes) -> None:
        digest = self.digests.get(record_id)
        if digest is not None:
            self.new[digest] = blob
