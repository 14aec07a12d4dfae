"""Answers whose content the document states in prose, not in a schema: made from the
request as the description says, where a generated value would be meaningless.

`domain-suggest` ("Suggest a list of domains based on a prompt using AI"): `domainCount`
domains (6 when not given), each made of the prompt, under the TLDs asked for in `tlds`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

# The TLDs suggested when none are asked for: mittwald's customers are mostly German.
_TLDS = ("de", "com", "net", "shop", "online", "eu")
_ENDINGS = ("", "-online", "24", "-shop", "-web", "-digital", "-hub", "-studio", "-plus", "-live")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_LABEL = 50  # leaves room for an ending within DNS's 63 characters


def _slug(text: str) -> str:
    """A DNS label of some text: `Bäckerei Müller` -> `baeckerei-mueller`."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_UMLAUTS))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:_LABEL].strip("-")


def suggested_domains(query: Mapping[str, Any]) -> dict[str, Any]:
    """`domain-suggest`: as many domains as asked for, made of the prompt."""
    stem = _slug(str(query.get("prompt") or "")) or "mein-projekt"
    count = query.get("domainCount")
    count = count if isinstance(count, int) and count > 0 else 6
    asked = query.get("tlds")
    tlds = [t for t in (_slug(str(t)) for t in (asked or ())) if t] or list(_TLDS)
    domains: list[str] = []
    for index in range(count):
        ending = _ENDINGS[(index // len(tlds)) % len(_ENDINGS)]
        round_ = index // (len(tlds) * len(_ENDINGS))
        tag = str(round_ + 1) if round_ else ""
        domains.append(f"{stem}{ending}{tag}.{tlds[index % len(tlds)]}")
    return {"domains": domains}


# operationId -> the answer's body, made of the request's query
ANSWERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {"domain-suggest": suggested_domains}
