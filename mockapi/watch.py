"""--watch: reload fixture files when they change; an invalid edit keeps the old data.

Uses watchfiles, which uvicorn's standard extras already bring. A valid edit is loaded off
the event loop and swapped in at once; an invalid one logs the same one-line errors as
startup and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from mockapi.backups.dataset import DatasetError
from mockapi.data.fixtures import expand_paths
from mockapi.data.loading import load_dataset
from mockapi.settings import Settings
from mockapi.state.mock import MockState

log = logging.getLogger("mockapi")
Signature = tuple[tuple[str, int, int], ...]


def signature(paths: list[Path]) -> Signature:
    """What the fixture files look like now: name, size and modification time of each."""
    try:
        files = expand_paths(paths)
    except DatasetError:
        return ()
    found = []
    for path in files:
        try:
            status = path.stat()
        except OSError:
            continue
        found.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(found)


async def reload_once(settings: Settings, state: MockState) -> bool:
    """Load the fixtures again and serve them; False (and logged) when they are invalid."""
    try:
        store = await run_in_threadpool(lambda: state.build(load_dataset(settings), at_start=True))
    except DatasetError as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        for line in lines[1:] or lines:
            log.error("reload refused, still serving the previous data: %s", line)
        return False
    state.reload(store)
    log.info(
        "reloaded: %d projects, %d backups (%s)",
        len(store.projects),
        store.backup_count,
        store.source,
    )
    return True


async def watch_loop(
    settings: Settings, state: MockState, loaded: Signature, stop: asyncio.Event | None = None
) -> None:
    """Reload whenever a fixture file or folder changes, until `stop` is set.

    `loaded` is what the files looked like when they were loaded: a change made before the
    watcher started is caught by comparing with it at the watcher's first tick.
    """
    from watchfiles import awatch

    paths = [str(path) for path in settings.fixtures]
    seen = loaded
    async for changes in awatch(
        *paths, stop_event=stop, debounce=200, step=50, rust_timeout=500, yield_on_timeout=True
    ):
        now = signature(settings.fixtures)
        if changes or now != seen:
            seen = now
            await reload_once(settings, state)


def start_watching(
    settings: Settings, state: MockState, loaded: Signature
) -> asyncio.Task[None] | None:
    """Start the watch on the running loop (nothing to watch without fixtures)."""
    if not settings.fixtures:
        log.warning("--watch has nothing to watch: no --fixtures given")
        return None
    return asyncio.get_running_loop().create_task(watch_loop(settings, state, loaded))
