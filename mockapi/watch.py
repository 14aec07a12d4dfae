"""--watch: reload fixture files when they change; an invalid edit keeps the old data.

Uses watchfiles, which uvicorn's standard extras already bring. A valid edit is loaded off
the event loop and swapped in at once; an invalid one logs the same one-line errors as
startup and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool

from mockapi.dataset import DatasetError
from mockapi.loading import load_dataset
from mockapi.settings import Settings
from mockapi.state import MockState

log = logging.getLogger("mockapi")


async def reload_once(settings: Settings, state: MockState) -> bool:
    """Load the fixtures again and serve them; False (and logged) when they are invalid."""
    try:
        store = await run_in_threadpool(lambda: state.build(load_dataset(settings)))
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
    settings: Settings, state: MockState, stop: asyncio.Event | None = None
) -> None:
    """Reload whenever a fixture file or folder changes, until `stop` is set."""
    from watchfiles import awatch

    paths = [str(path) for path in settings.fixtures]
    async for _changes in awatch(*paths, stop_event=stop, debounce=200, step=50):
        await reload_once(settings, state)


def start_watching(settings: Settings, state: MockState) -> asyncio.Task[None] | None:
    """Start the watch on the running loop (nothing to watch without fixtures)."""
    if not settings.fixtures:
        log.warning("--watch has nothing to watch: no --fixtures given")
        return None
    return asyncio.get_running_loop().create_task(watch_loop(settings, state))
