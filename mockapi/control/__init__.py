"""The control API under /_mockapi/: data, clock, journal, faults, the console."""
