"""What time does to backups, exports, restores and schedules. No HTTP, no state.

Everything here is a pure rule: a wire dict and a time in, a wire dict out. The store keeps
the state and the queue of what happens when; this module says what happens.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cronsim import CronSim, CronSimError

from mockapi.errors import InvalidValue
from mockapi.timestamps import format_epoch_ms

SECOND_MS = 1000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
FINAL_BACKUP_STATUSES = frozenset({"Completed", "Failed"})
MIN_TTL_DAYS = 7
MAX_TTL_DAYS = 365
_TTL = re.compile(r"([0-9]{1,5})(d|h)")


@dataclass(frozen=True)
class Durations:
    """How long things take on the mock's clock (settings)."""

    backup_s: int = 10
    export_s: int = 30
    restore_s: int = 30
    export_valid_days: int = 7

    @property
    def export_pending_ms(self) -> int:
        """An export waits a quarter of its time as Pending, then exports."""
        return self.export_s * SECOND_MS // 4


# What happens, in the store's event queue. Within one instant they run in this order.
BACKUP_DONE, BACKUP_EXPIRES, EXPORT_STEP, EXPORT_EXPIRES, RESTORE_DONE, SCHEDULE_RUNS = range(6)


def unit_interval(key: str) -> float:
    """A number in [0, 1) that depends only on `key`: randomness that repeats on every run."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def creation_delay_s(key: str) -> int:
    """Seconds from a scheduled backup's start to its createdAt: 6 to 170, median about 8.5.

    Recorded accounts show 6 to 171 s with a median near 8.5 s: a skewed curve.
    """
    return 5 + round(float(165 ** (unit_interval(key) ** 2)))


def expiry_jitter_ms(key: str) -> int:
    """The few milliseconds a recorded expiresAt lies past createdAt + retention."""
    return 1 + int(unit_interval(key + ":expiry") * 40)


# --- schedules -----------------------------------------------------------------------------


def parse_cron(expression: str) -> CronSim:
    """A five-field crontab expression; raise InvalidValue (a ValueError) saying what is wrong."""
    if len(expression.split()) != 5:
        raise InvalidValue(
            f"schedule must be a crontab expression of 5 fields, e.g. '5 4 * * *' "
            f"(got {expression!r})",
            "format",
            {"format": "crontab"},
        )
    try:
        return CronSim(expression, datetime(2026, 1, 1, tzinfo=UTC))
    except CronSimError as error:
        raise InvalidValue(
            f"schedule {expression!r} is not valid crontab: {error}",
            "format",
            {"format": "crontab"},
        ) from None


def check_cron(expression: str) -> str:
    """A crontab expression that runs at most hourly (one minute of the hour)."""
    cron = parse_cron(expression)
    if len(cron.minutes) != 1:
        raise InvalidValue(
            f"schedule {expression!r} runs more often than hourly; name one minute of the hour",
            "schedule",
            {"schedule": expression[:100]},
        )
    return expression


def _every_day(cron: CronSim) -> bool:
    """True when a crontab names every day of every month and every day of the week."""
    return (
        cron.days == set(range(1, 32))
        and cron.months == set(range(1, 13))
        and {d % 7 for d in cron.weekdays if isinstance(d, int)} == set(range(7))  # 7 is Sunday
        and cron.day_and
    )


def is_daily_once(expression: str) -> bool:
    """True for a schedule that runs once a day, every day (what system schedules must do)."""
    cron = parse_cron(expression)
    return len(cron.minutes) == 1 and len(cron.hours) == 1 and _every_day(cron)


@lru_cache(maxsize=1024)
def _fixed_step(expression: str) -> tuple[int, int] | None:
    """(offset, period) in ms for schedules that run every day or every hour at one minute.

    Those are nearly all real schedules; their runs are plain arithmetic, and only the
    others need crontab iteration.
    """
    cron = parse_cron(expression)
    if not (_every_day(cron) and len(cron.minutes) == 1):
        return None
    minute = next(iter(cron.minutes)) * 60_000
    if cron.hours == set(range(24)):
        return minute, HOUR_MS
    if len(cron.hours) == 1:
        return next(iter(cron.hours)) * HOUR_MS + minute, DAY_MS
    return None


def next_run_ms(expression: str, after_ms: int) -> int:
    """The first run of a schedule strictly after `after_ms` (runs are on whole minutes)."""
    fixed = _fixed_step(expression)
    if fixed is not None:
        offset, period = fixed
        return after_ms + period - (after_ms - offset) % period
    start = datetime.fromtimestamp(after_ms // SECOND_MS, tz=UTC)
    return int(next(CronSim(expression, start)).timestamp()) * SECOND_MS


def runs_between(expression: str, after_ms: int, until_ms: int) -> list[int]:
    """Every run strictly after `after_ms` and at or before `until_ms`."""
    fixed = _fixed_step(expression)
    if fixed is not None:
        return list(range(next_run_ms(expression, after_ms), until_ms + 1, fixed[1]))
    start = datetime.fromtimestamp(after_ms // SECOND_MS, tz=UTC)
    runs = []
    for when in CronSim(expression, start):
        at = int(when.timestamp()) * SECOND_MS
        if at > until_ms:
            break
        runs.append(at)
    return runs


def check_ttl(ttl: str) -> str:
    """A retention such as `7d` or `720h`, from 7 to 365 days."""
    ttl_ms(ttl)
    return ttl


def ttl_ms(ttl: str) -> int:
    """A retention string in milliseconds; raise InvalidValue (a ValueError) outside 7d-365d."""
    match = _TTL.fullmatch(ttl)
    if match is None:
        raise InvalidValue(
            f"ttl must be a duration such as '7d' or '720h' (got {ttl!r})",
            "pattern",
            {"pattern": "^[0-9]{1,5}(d|h)$"},
        )
    amount = int(match[1]) * (DAY_MS if match[2] == "d" else HOUR_MS)
    if amount < MIN_TTL_DAYS * DAY_MS:
        raise InvalidValue(
            f"ttl must be at least {MIN_TTL_DAYS}d (got {ttl!r})",
            "minimum",
            {"limit": f"{MIN_TTL_DAYS}d"},
        )
    if amount > MAX_TTL_DAYS * DAY_MS:
        raise InvalidValue(
            f"ttl must be no more than {MAX_TTL_DAYS}d (got {ttl!r})",
            "maximum",
            {"limit": f"{MAX_TTL_DAYS}d"},
        )
    return amount


# --- transitions ---------------------------------------------------------------------------


def is_running(backup: dict[str, Any]) -> bool:
    """A backup still being made (anything but a final status)."""
    return backup["status"] not in FINAL_BACKUP_STATUSES


def whole_second_after(ms: int) -> int:
    """The first whole second at or after `ms` (createdAt is recorded in whole seconds)."""
    return -(-ms // SECOND_MS) * SECOND_MS


def completed(backup: dict[str, Any], created_ms: int, expires_ms: int) -> dict[str, Any]:
    """The backup once made: Completed, with createdAt and expiresAt."""
    done = {**backup, "status": "Completed"}
    done["createdAt"] = format_epoch_ms(created_ms)
    done["expiresAt"] = format_epoch_ms(expires_ms)
    return done


def export_requested(fmt: str, with_password: bool) -> dict[str, Any]:
    """A new export: Pending, no URL, no checksum."""
    return {"format": fmt, "phase": "Pending", "withPassword": with_password}


def export_exporting(export: dict[str, Any]) -> dict[str, Any]:
    """Pending becomes Exporting."""
    return {**export, "phase": "Exporting"}


def export_completed(
    export: dict[str, Any], url: str, checksum: str, expires_ms: int
) -> dict[str, Any]:
    """Exporting becomes Completed: only now with downloadURL and sha256Checksum."""
    return {
        "downloadURL": url,
        "expiresAt": format_epoch_ms(expires_ms),
        "format": export["format"],
        "phase": "Completed",
        "sha256Checksum": checksum,
        "withPassword": export["withPassword"],
    }


def export_expired(export: dict[str, Any]) -> dict[str, Any]:
    """A completed export past its expiresAt: Expired, nothing to download."""
    kept = {k: v for k, v in export.items() if k not in ("downloadURL", "sha256Checksum")}
    return {**kept, "phase": "Expired"}


def restores_completed(backup: dict[str, Any]) -> dict[str, Any]:
    """Every running restore of the backup (new and deprecated form) is completed."""
    done = dict(backup)
    for key in ("restore", "restorePath"):
        if key in done and done[key].get("phase") == "running":
            done[key] = {**done[key], "phase": "completed"}
    return done


def restore_running(backup: dict[str, Any]) -> bool:
    """True while a restore (either form) is running."""
    restore, restore_path = backup.get("restore"), backup.get("restorePath")
    return (restore is not None and restore.get("phase") == "running") or (
        restore_path is not None and restore_path.get("phase") == "running"
    )
