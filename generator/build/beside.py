"""Work that runs beside the generator, in a forked process, on the core it leaves idle.

The generator is one process: while it makes the hub pages, a second core would wait.
:func:`start` runs a job (the determination pages, the determination search's index) in
a child made with ``fork``, which shares the records already read (copy on write: no
second read, no pickling), and returns a function that waits for the job and gives its
result, or raises :class:`SiteBuildError` with the child's error. Where ``fork`` is not
the platform's way (Windows, macOS) the job runs when it is waited for, in this process.

The child must not write what the parent writes: here it writes files of its own
(pages, index files) and returns a small result.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

from generator.build.errors import SiteBuildError
from generator.children import die_with_parent

T = TypeVar("T")
_running: set = set()  # the children started and not yet waited for


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def start(job: Callable[[], T], what: str, *, fork: bool = True) -> Callable[[], T]:
    """Run `job` beside this process; the function returned waits for it and returns its
    result (SiteBuildError naming `what` if it failed). `fork=False`: run it at the wait."""
    if not (fork and can_fork()):
        return lambda: _inline(job, what)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(job, send, os.getpid()), name=what, daemon=True)
    child.start()
    _running.add(child)
    send.close()

    def wait() -> T:
        try:
            outcome, value = receive.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            child.join()
            raise SiteBuildError(
                f"{what}: its process ended with exit code {child.exitcode}"
            ) from None
        finally:
            receive.close()
            _running.discard(child)
        child.join()
        if outcome == "error":
            raise SiteBuildError(f"{what}: {value}")
        return value

    return wait


def stop_all() -> None:
    """Stop the jobs still running: a build that failed before it waited for them must
    not leave them writing into its work folder as it removes it."""
    for child in list(_running):
        child.terminate()
        child.join()
        _running.discard(child)


def _inline(job: Callable[[], T], what: str) -> T:
    try:
        return job()
    except SiteBuildError:
        raise
    except Exception as e:  # noqa: BLE001 - named as the forked child's error is
        raise SiteBuildError(f"{what}: {type(e).__name__}: {e}") from e


def _child(job: Callable[[], object], send, parent: int) -> None:
    die_with_parent(parent)  # a build killed while this runs must not leave it writing
    try:
        result = job()
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        send.send(("error", detail))
        tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        print(tb, file=sys.stderr)
    else:
        send.send(("ok", result))
    finally:
        send.close()
