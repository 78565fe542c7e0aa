"""The processes a build or an ingest starts end with it.

:func:`die_with_parent`, called first in a child process, has Linux kill it when its
parent dies: a killed build must not leave a step writing into its work folder, nor a
worker waiting for work that will never come. Elsewhere it does nothing (the children
there end when their pipe to the parent closes).
"""

from __future__ import annotations


def die_with_parent() -> None:
    """Linux: SIGKILL this process when the process that started it dies."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
