"""A memo kept between builds as pickled segments in a folder of the shard cache.

``{key: value}`` in numbered segments, a later one overriding an earlier one. A build
reads them all, takes what it can (:meth:`Segments.take`), adds what it made
(:meth:`Segments.put`) and saves: what it added becomes one more segment, or the whole
memo is written again as one when it holds more entries this build did not take than
entries it did, or more than MAX_SEGMENTS segments. Each segment names the code that
made its values (`code`); a segment of other code, or one that cannot be read, empties
the memo (its values are made again, nothing is lost). The memo lives in the build's own
cache folder, like __pycache__: pickle is for files this program wrote.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

MAX_SEGMENTS = 8
_SUFFIX = ".pickle"

log = logging.getLogger(__name__)


def _load(f) -> Any:
    """pickle.load, without the cycle collector meanwhile: it would walk the growing heap
    again and again while a million objects are made (twice as fast without). What it
    made is then left out of the collector's walks (gc.freeze): a memo's values live as
    long as the build and hold no cycles (reference counting frees them); the build
    gives the collector everything back when it ends (:func:`thaw`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        data = pickle.load(f)
        gc.freeze()
        return data
    finally:
        if was:
            gc.enable()


def thaw() -> None:
    """Undo what loading memos froze (gc.freeze freezes every object alive): for a process
    that builds again (imr-archive serve), the objects of this build are collectable."""
    gc.unfreeze()


class Segments:
    """The memo in `folder` (created when saved), of values made by `code`. `fresh`: not
    read (a full build), written again."""

    def __init__(self, folder: Path, code: str, fresh: bool = False) -> None:
        self.folder, self.code = folder, code
        try:
            found = [p for p in folder.glob(f"*{_SUFFIX}") if p.stem.isdigit()]
        except OSError as e:  # an unreadable folder: nothing taken from it
            log.warning("%s: cannot read the memo (%s)", folder, e)
            found = []
        self.segments = sorted(found, key=lambda p: int(p.stem))
        self.held: dict[Any, Any] = {}
        self.stored = 0  # entries in the segments, superseded ones included
        if fresh:
            self._drop()
        else:
            self._read()
        self.taken: set = set()
        self.new: dict[Any, Any] = {}

    def _read(self) -> None:
        for segment in self.segments:
            try:
                with segment.open("rb") as f:
                    data = _load(f)
                if data["code"] != self.code:
                    log.info("%s: made by other code; not used", segment)
                    return self._drop()
                entries = data["entries"]
            except Exception as e:  # a torn or foreign file: made again
                log.warning("%s: cannot read the memo (%s); its values are made again",
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

    def take(self, key: Any) -> Any:
        """The value held for `key` (None: none), noted as taken."""
        value = self.held.get(key)
        if value is not None:
            self.taken.add(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self.new[key] = value

    def save(self) -> None:
        """Append what this build added as a segment, or write the memo again as one; an
        error is logged (the next build makes more), not raised."""
        live = len(self.taken) + len(self.new)
        stale = self.stored - len(self.taken)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            number = int(self.segments[-1].stem) + 1 if self.segments else 1
            if stale > live or len(self.segments) >= MAX_SEGMENTS:
                old, self.segments = self.segments, []
                self._write({k: self.held[k] for k in self.taken} | self.new, number)
                for segment in old:
                    segment.unlink()
            elif self.new:
                self._write(self.new, number)
        except Exception as e:  # a full disk, a value pickle refuses: the build goes on
            log.warning("%s: the memo was not written (%s)", self.folder, e)

    def _write(self, entries: dict, number: int) -> None:
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
