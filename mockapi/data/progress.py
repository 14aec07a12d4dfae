"""A progress line on a terminal for work that takes longer than a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def progress_reporter(stream: TextIO, total: int) -> Callable[[int], None]:
    """Report generation progress on a terminal once it has taken over a second."""
    started = time.monotonic()

    def report(done: int) -> None:
        if stream.isatty() and time.monotonic() - started > 1.0:
            end = "\n" if done >= total else ""
            stream.write(f"\rmockapi: generating backups {done:,}/{total:,}{end}")
            stream.flush()

    return report
