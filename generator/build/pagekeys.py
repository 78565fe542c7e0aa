"""Which determination pages an update need not make again.

A determination page (generator.pages.determination.determination_page) is a function of
its record, its related determinations (generator.pages.related: their records), its
original letter (name and size), whether it is in the header search, the site's name,
and the code and data of the generator. Its **key** hashes all of these: the records by
the sha256 of their files (generator.record.store.load_records), the code and data by
the sha256 of every file of the `generator` package (and the versions of Python and
the libraries that read records and vocabularies). The docs tree
(generator.build.docstree) remembers each page's key beside its bytes; a page whose key
is the one remembered, and whose file the tree holds, is not made again (at 100,000, an
update of 1,000 letters changes the keys of a few thousand pages: the new ones and the
neighbours that list them as related).

The numbered pages of listings (generator.pages.paging: a hub's older entries, all
determinations) are keyed the same way, by what they show besides their rows and the
records of the determinations in their rows: an update makes a hub's first page and
the numbered pages that new determinations reach, not the thousands of others.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from generator.build.codehash import tree_digest, versions
from generator.build.docstree import DocsMemo
from generator.pages.determination import OriginalLetter
from generator.pages.urls import determination_path
from generator.paths import PACKAGE

# what the Markdown is made with besides the package's own files (Unicode tables for
# slugs and titles, record parsing, the vocabularies' reader)
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML")


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The sha256 of every file of the generator package (code, vocabularies, data), and
    of the versions of Python, its Unicode tables and the libraries the pages use."""
    made_with = [tree_digest(PACKAGE), unicodedata.unidata_version, versions(_LIBRARIES)]
    return hashlib.sha256(json.dumps(made_with, sort_keys=True).encode("utf-8")).digest()


code_digest()  # at import, with the code that is running (not a checkout changed later)


def hash_records(h, ids: Iterable[str], digests: Mapping[str, bytes]) -> bool:
    """Feed `h` each record's id and the sha256 of its file (`digests`); False when one
    is unknown (a record not read from a file: what it makes is made every time)."""
    for rid in ids:
        digest = digests.get(rid)
        if digest is None:
            return False
        h.update(rid.encode("utf-8") + b"\0" + digest)
    return True


class PageKeys:
    """Each determination page's key as it is made, and whether the tree holds it already.

    `records`: record id -> sha256 of its file; `tree`: what the docs tree below `root`
    holds (each page's key and the sha256 of its file)."""

    def __init__(self, records: Mapping[str, bytes], tree: DocsMemo, root: Path, *,
                 header_search: bool, site_name: str) -> None:
        self.records, self.root = records, root
        self.held, self.on_disk = tree.inputs, tree.digests
        settings = json.dumps([header_search, site_name]).encode("utf-8")
        self.prefix = hashlib.sha256(code_digest() + settings).digest()
        self.keys: dict[str, bytes] = {}  # page path -> key, this build's
        self.kept: dict[str, bytes] = {}  # page path -> sha256, of the pages not made again
        self.listings_kept: dict[str, bytes] = {}  # the same, of numbered listing pages

    def key(self, record_id: str, related: Sequence, letter: OriginalLetter | None
            ) -> bytes | None:
        """The page's key; None when a record's file digest is unknown (always made)."""
        h = hashlib.sha256(self.prefix)
        if not hash_records(h, (record_id, *(r.id for r in related)), self.records):
            return None
        h.update(b"\0letter" + (f"{letter.name}\0{letter.size}".encode() if letter else b""))
        return h.digest()

    def keep(self, record, related: Sequence, letter: OriginalLetter | None) -> bool:
        """True when the page need not be made: the tree holds it with this key."""
        path = determination_path(record.id)
        key = self.key(record.id, related, letter)
        return key is not None and self._held(path, key, self.kept)

    def keep_listing(self, path: str, shown: str, ids: Sequence[str]) -> bool:
        """A numbered page of a listing (generator.pages.paging.KeepPage): True when the
        tree holds it with its key, which hashes what it shows besides its rows and the
        records of the determinations its rows show."""
        h = hashlib.sha256(self.prefix + b"\0listing\0" + path.encode("utf-8") + b"\0"
                           + shown.encode("utf-8"))
        return hash_records(h, ids, self.records) and self._held(path, h.digest(),
                                                                  self.listings_kept)

    def _held(self, path: str, key: bytes, kept: dict[str, bytes]) -> bool:
        self.keys[path] = key
        digest = self.on_disk.get(path)
        if self.held.get(path) == key and digest is not None and (self.root / path).is_file():
            kept[path] = digest
            return True
        return False
