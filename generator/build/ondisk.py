"""A mapping of docs paths to their contents that lives on disk, not in memory.

The build hands :func:`generator.pages.assemble.assemble` a Site whose pages and files
are :class:`OnDisk`: each page is written to the work folder the moment it is made and
read back only when asked for (planning the shards reads each once), so the generator
holds paths, not 100,000 pages of Markdown. Given what the folder holds from an earlier
build (`known`: path -> sha256, generator.build.docstree), a value with the same bytes is
not written again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V", str, bytes)


class OnDisk(MutableMapping[str, V], Generic[V]):
    """docs path -> text (`text=True`, UTF-8) or bytes, stored as root/<path>."""

    def __init__(self, root: Path, *, text: bool, known: Mapping[str, bytes] | None = None
                 ) -> None:
        self.root = Path(root)
        self.text = text
        self.known = dict(known or {})  # path -> sha256 of the file there, not rewritten
        self.digests: dict[str, bytes] = {}  # path -> sha256 of what it holds now
        self._paths: dict[str, None] = {}
        self._made: set[Path] = set()

    def file(self, path: str) -> Path:
        return self.root / path

    def __setitem__(self, path: str, value: V) -> None:
        target = self.root / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest = hashlib.sha256(data).digest()
        there = self.digests.get(path, self.known.get(path))
        if there != digest:
            if there is not None:  # a new file, not new bytes in one that may be linked
                target.unlink(missing_ok=True)
            target.write_bytes(data)
        self.digests[path] = digest
        self._paths[path] = None

    def __getitem__(self, path: str) -> V:
        if path not in self._paths:
            raise KeyError(path)
        data = (self.root / path).read_bytes()
        return data.decode("utf-8") if self.text else data  # type: ignore[return-value]

    def __delitem__(self, path: str) -> None:
        del self._paths[path]
        self.digests.pop(path, None)
        self.known.pop(path, None)
        (self.root / path).unlink(missing_ok=True)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def adopt(self, digests: Mapping[str, bytes]) -> None:
        """Take in the paths of `digests` (path -> sha256), written below root by another
        process (generator.build.beside)."""
        missing = [p for p in digests if not (self.root / p).is_file()]
        if missing:
            raise FileNotFoundError(f"{len(missing)} page(s) were not written, e.g. {missing[0]}")
        for path in digests:
            self._paths[path] = None
        self.digests.update(digests)

    def forget(self) -> None:
        """Drop the paths (the files stay until the work folder goes)."""
        self._paths.clear()
