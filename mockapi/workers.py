"""Serve one loaded app from N forked worker processes sharing one listening socket."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1


def run_forked(workers: int, sock: socket.socket, run_worker: Callable[[], None]) -> int:
    """Fork `workers` children that each call `run_worker`; stop them all on SIGTERM/SIGINT.

    Forking after the data is loaded is the point: every worker serves the very same
    dataset (copy-on-write), and it is loaded and validated once, not N times.
    """
    sock.set_inheritable(True)
    children: set[int] = set()
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in _STOP_SIGNALS}
    try:
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:  # the worker
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                _end_with_parent()
                code = 0
                try:
                    run_worker()
                except BaseException:  # pragma: no cover - reported, then the worker ends
                    code = 1
                    raise
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            children.add(pid)
        failed = False
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            children.discard(pid)
            if not stopping:
                # A worker died on its own: stop the others rather than serve at reduced size.
                del status
                failed = True
                stop(signal.SIGTERM, None)
        return 1 if failed else 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _end_with_parent() -> None:
    """Ask Linux to SIGTERM this worker if the supervisor dies, so no worker is orphaned."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's own stop still applies
        pass


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
