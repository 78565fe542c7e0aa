"""A time budget per letter (issue 17): a letter that takes too long is reported, not waited for.

In one process the budget is a timer signal (SIGALRM): the regular-expression
engine checks for signals, so even a pattern that backtracks is interrupted. With
several processes each letter goes to a worker of our own pool; a worker that
overruns is killed and replaced, and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

from generator.children import die_with_parent

DEFAULT_LETTER_TIMEOUT = 10.0  # seconds; a long real letter is read in well under 1 s


class LetterTimeout(BaseException):  # noqa: N818 - not an Exception: `except Exception` must not catch it
    """Raised in the parsing process when the letter's time is up."""


def warm_up() -> None:
    """Compile the pattern catalogues before any letter's clock starts."""
    from generator.letters import catalogue, classify, statements

    catalogue.compiled()
    catalogue.compile_names()
    classify.classify_service("x")
    classify.regions_in("x")  # no region named: the weak signals are compiled too
    statements._titles()


def test_hook(name: str) -> None:
    """Tests of the budget only: a letter whose name holds $IMR_ARCHIVE_TEST_SLOW_LETTER hangs."""
    slow = os.environ.get("IMR_ARCHIVE_TEST_SLOW_LETTER")
    if slow and slow in name:
        time.sleep(3600)


def can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def alarm(seconds: float | None) -> Iterator[None]:
    """Raise LetterTimeout in this (main) thread after `seconds`; None: no limit."""
    if not seconds or not can_alarm():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise LetterTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _serve(conn: Connection, fn: Callable[[Any], Any], parent: int) -> None:
    """A worker: warm up, say so, then answer (index, job) with (index, fn(job))."""
    die_with_parent(parent)
    warm_up()
    conn.send("ready")
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        index, job = msg
        conn.send((index, fn(job)))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, fn, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.task: tuple[int, Any, float] | None = None  # index, job, deadline

    def give(self, index: int, job: Any, budget: float | None) -> None:
        self.conn.send((index, job))
        self.task = (index, job, time.monotonic() + budget if budget else float("inf"))

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill:
            self.proc.kill()
        self.proc.join(5 if not kill else None)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def in_order(
    fn: Callable[[Any], Any], jobs: list[Any], workers: int, budget: float | None,
    failed: Callable[[Any, str], Any],
) -> Iterator[Any]:
    """fn(job) for each job, in order, within `budget` seconds each (None or 0: no limit).

    In this process (one worker, or fewer than two jobs a worker), a timer signal stops
    a job over its budget; else a pool of `workers` processes (pool_map). A job over its
    budget, or whose process died, gives failed(job, reason)."""
    reason = f"took longer than {budget or 0:g} s to read; not waited for"

    def late(job: Any) -> Any:
        return failed(job, reason)

    def died(job: Any) -> Any:
        return failed(job, "the process reading this letter died")

    if workers > 1 and len(jobs) >= 2 * workers:
        yield from pool_map(fn, jobs, workers, budget or None, late, died)
        return
    if budget:
        warm_up()  # compiling the catalogues is no letter's time
    for job in jobs:
        try:
            with alarm(budget):
                result = fn(job)
        except LetterTimeout:
            result = late(job)
        yield result


def pool_map(
    fn: Callable[[Any], Any], jobs: list[Any], workers: int, budget: float | None,
    late: Callable[[Any], Any], died: Callable[[Any], Any],
) -> Iterator[Any]:
    """fn(job) for each job, in order, computed by `workers` processes (spawn).

    A job not done within `budget` seconds gives late(job) and its worker is killed
    and replaced; a worker that dies gives died(job)."""
    ctx = multiprocessing.get_context("spawn")
    pool = [_Worker(ctx, fn) for _ in range(workers)]
    todo = iter(enumerate(jobs))
    done: dict[int, Any] = {}
    window = 8 * workers  # results held back for order, at most
    nxt, sent = 0, 0
    try:
        while nxt < len(jobs):
            for w in pool:
                if w.ready and w.task is None and sent < min(len(jobs), nxt + window):
                    index, job = next(todo)
                    w.give(index, job, budget)
                    sent += 1
            _collect(pool, ctx, fn, done, late, died)
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
    finally:
        for w in pool:
            w.stop(kill=w.task is not None)


def _collect(
    pool: list[_Worker], ctx: Any, fn: Callable[[Any], Any], done: dict[int, Any],
    late: Callable[[Any], Any], died: Callable[[Any], Any],
) -> None:
    """Wait for a result, a worker ready, a death or a deadline; record what happened."""
    deadlines = [w.task[2] for w in pool if w.task is not None]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    ready = wait([w.conn for w in pool], None if timeout == float("inf") else timeout)
    now = time.monotonic()
    for i, w in enumerate(pool):
        result: tuple[int, Any] | None = None
        if w.conn in ready:
            try:
                msg = w.conn.recv()
            except (EOFError, OSError):  # the worker died
                if not w.ready:
                    raise RuntimeError("a reader process failed to start") from None
                if w.task is not None:
                    result = (w.task[0], died(w.task[1]))
                pool[i] = _replace(w, ctx, fn)
            else:
                if msg == "ready":
                    w.ready = True
                    continue
                result, w.task = msg, None
        elif w.task is not None and now >= w.task[2]:
            result = (w.task[0], late(w.task[1]))
            pool[i] = _replace(w, ctx, fn)
        if result is not None:
            done[result[0]] = result[1]


def _replace(w: _Worker, ctx: Any, fn: Callable[[Any], Any]) -> _Worker:
    w.stop(kill=True)
    return _Worker(ctx, fn)
