"""Progress of a long step on stderr: counts and the time left.

On a terminal, a tqdm bar; elsewhere (CI logs, pipes) one line every `every` seconds,
e.g. ``[shards] 40,000/128,876 pages (12 s), about 2 min 10 s left: shard d-2016-11``.
The estimate is the rate so far applied to what is left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def duration(seconds: float) -> str:
    """'2 min 10 s', '45 s', '1 h 3 min'."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


class Progress:
    """Counts toward `total` units of `step`; silent unless `show`."""

    def __init__(
        self,
        step: str,
        total: int,
        unit: str = "item",
        *,
        show: bool = True,
        every: float = 10.0,
        stream: TextIO | None = None,
        clock=time.monotonic,
    ) -> None:
        self.step, self.total, self.unit, self.show = step, total, unit, show
        self.every, self.clock = every, clock
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.start = self.last = clock()
        self.bar = None
        if show and stream is None and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=step, unit=unit, leave=False)

    def left(self) -> float | None:
        """Seconds left at the rate so far (None before 1% is done: the first units say
        little of the rate, as when the largest shard, started first, is the first done)."""
        spent = self.clock() - self.start
        if self.done <= 0 or spent <= 0 or self.done * 100 < self.total:
            return None
        return (self.total - self.done) * spent / self.done

    def line(self, what: str = "") -> str:
        spent = self.clock() - self.start
        text = f"[{self.step}] {self.done:,}/{self.total:,} {self.unit}s ({duration(spent)})"
        left = self.left()
        if left is not None and self.done < self.total:
            text += f", about {duration(left)} left"
        return f"{text}: {what}" if what else text

    def note(self, text: str) -> None:
        if self.show:
            print(f"[{self.step}] {text}", file=self.stream, flush=True)

    def advance(self, n: int = 1, what: str = "") -> None:
        self.done += n
        if not self.show:
            return
        if self.bar is not None:
            self.bar.update(n)
            return
        now = self.clock()
        if now - self.last >= self.every or (n and self.done >= self.total):
            self.last = now
            print(self.line(what), file=self.stream, flush=True)

    def each(self, items: Iterable[T], what: str = "") -> Iterator[T]:
        """The items, one unit of progress each, then close."""
        for item in items:
            yield item
            self.advance(1, what)
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
