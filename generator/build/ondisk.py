"""A mapping of docs paths to their contents that lives on disk, not in memory.

The build hands :func:`generator.pages.assemble.assemble` a Site whose pages and files
are :class:`OnDisk`: each page is written to the work folder the moment it is made and
read back only when asked for (planning the shards reads each once), so the generator
holds paths, not 100,000 pages of Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V", str, bytes)


class OnDisk(MutableMapping[str, V], Generic[V]):
    """docs path -> text (`text=True`, UTF-8) or bytes, stored as root/<path>."""

    def __init__(self, root: Path, *, text: bool) -> None:
        self.root = Path(root)
        self.text = text
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
        target.write_bytes(data)
        self._paths[path] = None

    def __getitem__(self, path: str) -> V:
        if path not in self._paths:
            raise KeyError(path)
        data = (self.root / path).read_bytes()
        return data.decode("utf-8") if self.text else data  # type: ignore[return-value]

    def __delitem__(self, path: str) -> None:
        del self._paths[path]
        (self.root / path).unlink(missing_ok=True)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def adopt(self, paths: list[str]) -> None:
        """Take in `paths`, written below root by another process (generator.build.beside)."""
        missing = [p for p in paths if not (self.root / p).is_file()]
        if missing:
            raise FileNotFoundError(f"{len(missing)} page(s) were not written, e.g. {missing[0]}")
        for path in paths:
            self._paths[path] = None

    def forget(self) -> None:
        """Drop the paths (the files stay until the work folder goes)."""
        self._paths.clear()
