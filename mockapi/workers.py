"""Serve one loaded app from N forked worker processes sharing one listening socket.

Forking after the data is loaded is the point: every worker serves the very same dataset
(copy-on-write), loaded and validated once. A worker that dies is logged, saying which and
how, and replaced from the same loaded state; one that keeps dying stops the server.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("mockapi")
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1
MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0


def how_it_ended(status: int) -> str:
    """A wait status in words: 'exited with code 1', 'killed by signal 9 (SIGKILL)'."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(ValueError):
            return f"killed by signal {number} ({signal.Signals(number).name})"
        return f"killed by signal {number}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def run_forked(workers: int, sock: socket.socket, run_worker: Callable[[int], None]) -> int:
    """Fork `workers` children that each call `run_worker(index)`; stop all on SIGTERM/SIGINT."""
    sock.set_inheritable(True)
    children: dict[int, int] = {}  # pid -> worker index
    restarts: list[float] = []
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in _STOP_SIGNALS}

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _end_with_parent()
            code = 0
            try:
                run_worker(index)
            except BaseException:  # pragma: no cover - reported, then the worker ends
                code = 1
                raise
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = index

    try:
        for index in range(workers):
            start(index)
        failed = False
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - a signal; loop and wait again
                continue
            if pid not in children or stopping:
                children.pop(pid, None)
                continue
            index = children.pop(pid)
            now = time.monotonic()
            restarts[:] = [t for t in restarts if now - t < RESTART_WINDOW_S] + [now]
            if len(restarts) > MAX_RESTARTS:
                log.error(
                    "worker %d (pid %d) %s; %d workers died within %.0f s, stopping the server",
                    index,
                    pid,
                    how_it_ended(status),
                    len(restarts),
                    RESTART_WINDOW_S,
                )
                failed = True
                stop(signal.SIGTERM, None)
                continue
            log.error(
                "worker %d (pid %d) %s; starting a new worker %d",
                index,
                pid,
                how_it_ended(status),
                index,
            )
            start(index)
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
