"""The state file: a versioned document of named sections, read and checked at start and
written atomically (temporary file, fsync, rename, fsync of the folder).

    {"format": "mockapi-state", "version": 1, "savedAt": "...Z",
     "sections": {"clock": {"now": "...Z", "mode": "running"},
                  "data": {"projects": [...], "schedules": [...], "backups": [...]}}}

A section this mockapi does not know (written by a newer one) is kept as it is and written
back; a known section that is missing starts as at startup. So a new section (stubs, the
generic resources) can be added without breaking old files, and old files without it load.
Anything else wrong stops startup with one line naming the file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from mockapi.backups.clock import LATEST_MS, ClockMode
from mockapi.backups.dataset import Dataset, DatasetError, combine
from mockapi.data.fixtures import parse_document
from mockapi.http.stubs import Stub
from mockapi.spec.memory import Memory
from mockapi.timestamps import format_epoch_ms, parse_ms

STATE_FORMAT = "mockapi-state"
STATE_VERSION = 1
CLOCK = "clock"
DATA = "data"
STUBS = "stubs"
RESOURCES = "resources"  # what clients created, changed, deleted beyond backups
KNOWN_SECTIONS = (CLOCK, DATA, STUBS, RESOURCES)
_AFRESH = "move it away or delete it to start afresh"


class StateFileError(DatasetError):
    """A state file that cannot be used; one line, `PATH: what (hint)`."""


@dataclass(frozen=True)
class SavedClock:
    """The clock as saved: its now at the moment of saving, and its mode."""

    now_ms: int
    mode: ClockMode

    def resumed_ms(self, saved_at_ms: int, wall_ms: int) -> int:
        """Now after a restart: a running clock counts the time the mock was stopped."""
        if self.mode is ClockMode.FROZEN:
            return self.now_ms
        return min(self.now_ms + max(wall_ms - saved_at_ms, 0), LATEST_MS)


@dataclass(frozen=True)
class SavedState:
    """A read state file: its known sections (None when missing) and the unknown ones."""

    saved_at_ms: int
    clock: SavedClock | None = None
    data: Dataset | None = None
    unknown: dict[str, bytes] = field(default_factory=dict)  # name -> its JSON, as read
    stubs: list[Stub] | None = None
    resources: Memory | None = None


def wall_ms() -> int:
    """The machine's time in epoch milliseconds (the state file's savedAt)."""
    return time.time_ns() // 1_000_000


def state_chunks(
    saved_at_ms: int, sections: Sequence[tuple[str, Iterable[bytes]]]
) -> Iterator[bytes]:
    """A state document in chunks, sections in the order given (the big ones last)."""
    head = {
        "format": STATE_FORMAT,
        "version": STATE_VERSION,
        "savedAt": format_epoch_ms(saved_at_ms),
    }
    yield orjson.dumps(head)[:-1] + b',"sections":{'
    for position, (name, chunks) in enumerate(sections):
        yield (b"," if position else b"") + orjson.dumps(name) + b":"
        yield from chunks
    yield b"}}\n"


def read_state(path: Path) -> SavedState | None:
    """The state file checked section by section; None when there is none yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StateFileError(f"{path}: is a folder, not a state file (give a file path)") from None
    except OSError as error:
        raise StateFileError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        what = "empty" if not raw.strip() else f"not valid JSON ({error})"
        raise StateFileError(f"{path}: {what}: not a mockapi state file ({_AFRESH})") from None
    if not isinstance(document, dict) or document.get("format") != STATE_FORMAT:
        raise StateFileError(
            f'{path}: not a mockapi state file (no "format": "{STATE_FORMAT}"); mockapi never '
            "overwrites a file it did not write (give --state-file a path of its own)"
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StateFileError(f"{path}: 'version' must be a whole number >= 1 ({_AFRESH})")
    if version > STATE_VERSION:
        raise StateFileError(
            f"{path}: written by a newer mockapi (state format {version}; this one reads "
            f"{STATE_VERSION}): upgrade mockapi, or {_AFRESH}"
        )
    saved_at = _time(path, "savedAt", document.get("savedAt"))
    sections = document.get("sections")
    if not isinstance(sections, dict):
        raise StateFileError(f"{path}: 'sections' must be an object ({_AFRESH})")
    unknown = {
        name: orjson.dumps(value) for name, value in sections.items() if name not in KNOWN_SECTIONS
    }
    clock = _clock(path, sections[CLOCK]) if CLOCK in sections else None
    data = _data(path, sections[DATA]) if DATA in sections else None
    stubs = _stubs(path, sections[STUBS]) if STUBS in sections else None
    resources = _resources(path, sections[RESOURCES]) if RESOURCES in sections else None
    return SavedState(saved_at, clock, data, unknown, stubs, resources)


def _time(path: Path, where: str, value: Any) -> int:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return parse_ms(value)
    raise StateFileError(
        f"{path}: {where} must be an RFC 3339 time such as 2026-01-30T12:00:00.000Z "
        f"(got {orjson.dumps(value).decode()[:60]}; {_AFRESH})"
    )


def _clock(path: Path, section: Any) -> SavedClock:
    if not isinstance(section, dict) or set(section) != {"now", "mode"}:
        raise StateFileError(f'{path}: section \'clock\' must be {{"now", "mode"}} ({_AFRESH})')
    now = _time(path, "section 'clock': now", section["now"])
    if now > LATEST_MS:
        raise StateFileError(f"{path}: section 'clock': now is past the year 9000 ({_AFRESH})")
    try:
        mode = ClockMode(section["mode"])
    except ValueError:
        modes = ", ".join(m.value for m in ClockMode)
        raise StateFileError(
            f"{path}: section 'clock': mode must be one of {modes} ({_AFRESH})"
        ) from None
    return SavedClock(now, mode)


def _data(path: Path, section: Any) -> Dataset:
    source = f"{path}: section 'data'"
    if not isinstance(section, dict):
        raise StateFileError(f"{source}: must be a fixture document object ({_AFRESH})")
    dataset, problems = parse_document(source, section)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StateFileError(f"{problems[0]}{more} ({_AFRESH})")
    try:
        return combine([dataset])
    except DatasetError as error:
        raise StateFileError(f"{source}: {error} ({_AFRESH})") from None


def _stubs(path: Path, section: Any) -> list[Stub]:
    if not isinstance(section, list):
        raise StateFileError(f"{path}: section 'stubs' must be an array ({_AFRESH})")
    stubs = []
    for position, item in enumerate(section):
        try:
            stubs.append(Stub.model_validate(item))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            raise StateFileError(
                f"{path}: section 'stubs': stub {position}: {where}: {first['msg']} ({_AFRESH})"
            ) from None
    return stubs


def _resources(path: Path, section: Any) -> Memory:
    try:
        return Memory.from_document(section)
    except ValueError as error:
        raise StateFileError(f"{path}: section 'resources': {error} ({_AFRESH})") from None


def write_atomically(path: Path, chunks: Iterable[bytes]) -> int:
    """Write the chunks to `path` so that it holds the old or the new bytes, never a mix.

    A temporary file in the same folder is written and fsynced, renamed over `path`, and
    the folder is fsynced so the rename itself lasts. Returns the bytes written.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    written = 0
    try:
        with open(temporary, "wb", buffering=1 << 20) as file:
            for chunk in chunks:
                written += len(chunk)
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return written


class StateLock:
    """One mockapi per state file: an advisory lock on a file beside it, held while served.

    Two servers writing the same file would each keep only their own changes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(f".{path.name}.lock")
        try:
            self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise StateFileError(
                f"{path}: cannot write in {path.parent}: {error.strerror or error} "
                "(the folder must exist and be writable)"
            ) from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise StateFileError(
                f"{path}: in use by another running mockapi (give each mock its own --state-file)"
            ) from None

    def release(self) -> None:
        """Let another mockapi use the file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
