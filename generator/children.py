"""The processes a build or an ingest starts end with it.

:func:`die_with_parent`, called first in a child process, has Linux kill it when its
parent dies: a killed build must not leave a step writing into its work folder, nor a
worker waiting for work that will never come. Elsewhere it does nothing (the children
there end when their pipe to the parent closes).
"""

from __future__ import annotations

import os


def die_with_parent(parent: int | None = None) -> None:
    """Linux: SIGKILL this process when the process that started it dies. `parent`: its
    pid, when the caller knows it: a parent that died before this call ends this process
    now. The signal comes when the *thread* that started this process ends, so a child
    must be started (and waited for) by a thread that outlives it."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was asked for
