"""The control API under /_mockapi/: data, clock, journal, faults, the console."""

# Here, not in .api: the app routes by it without importing FastAPI (the API alone never needs it).
CONTROL_PREFIX = "/_mockapi"
