"""Where `mockapi record` reads from by default; apart, so the command line names them
without importing the recorder's HTTP client."""

from __future__ import annotations

DEFAULT_API_URL = "https://api.mittwald.de"
TOKEN_VARIABLE = "MITTWALD_API_TOKEN"
MAX_PAGE_SIZE = 1000
