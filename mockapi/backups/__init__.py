"""The backup domain: backups, exports, restores, schedules, time; no HTTP."""
