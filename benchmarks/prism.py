"""mockapi beside Prism, both serving the whole official document, measured in one run.

    python benchmarks/prism.py            # 4 s loads
    python benchmarks/prism.py --quick    # 2 s loads

Prism (`@stoplight/prism-cli`, the usual mock for an OpenAPI document) is installed with npm
into benchmarks/.prism on first use. Each server runs pinned to core 0 and is loaded from
core 1 (benchmarks/run.py's `load`: wrk when installed). Measured for both: seconds from
start to the first answer of `GET /v2/projects/{projectId}/mysql-databases`, requests/s
and latency of that list and of one app of the catalogue, and RSS after the loads; then
what a client sees: items in a list, the projectId of its items, pagination headers,
placeholder text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from run import MOCKAPI, free_port, get, load, rss_mb, server  # noqa: E402

DOCUMENT = HERE.parent / "mockapi" / "spec" / "mittwald-v2-openapi.json"
PRISM_DIR = HERE / ".prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
PROJECT = "p-kbuygq"
FIRST = "3f1a5d2e-8c4b-4e7a-9b61-2d0c7e5f4a13"


def install_prism() -> Path:
    """Prism's CLI, installed with npm on first use."""
    if not PRISM.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed to install Prism (Debian: apt-get install npm)")
        PRISM_DIR.mkdir(exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(PRISM_DIR),
                "@stoplight/prism-cli@5",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return PRISM


def describe(port: int, project: str) -> dict[str, object]:
    """What a client sees of one list."""
    status, body = get(port, f"/v2/projects/{project}/mysql-databases")
    items = json.loads(body) if status == 200 else []
    texts = json.dumps(items)
    return {
        "items": len(items),
        "projectIds": sorted({i.get("projectId") for i in items if isinstance(i, dict)}),
        "placeholder": '"string"' in texts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 s loads")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else 4.0
    prism = install_prism()
    results = {}
    for name in ("prism", "mockapi"):
        port = free_port()
        if name == "prism":
            command = [str(prism), "mock", "-p", str(port), "-h", "127.0.0.1", str(DOCUMENT)]
        else:
            command = [*MOCKAPI, "serve", "--port", str(port), "--no-access-log"]
        probe = f"/v2/projects/{FIRST}/mysql-databases"
        with server(command, port, probe) as (process, ready):
            listing = load(port, f"/v2/projects/{FIRST}/mysql-databases", seconds)
            status, body = get(port, "/v2/apps?limit=1")
            app_id = json.loads(body)[0]["id"] if status == 200 else "x"
            one = load(port, f"/v2/apps/{app_id}", seconds)
            headers = subprocess.run(
                [
                    "curl",
                    "-sI",
                    "-H",
                    "x-access-token: t",
                    f"http://127.0.0.1:{port}/v2/apps?limit=1",
                ],
                capture_output=True,
                text=True,
            ).stdout.lower()
            results[name] = {
                "ready": ready,
                "list": listing,
                "one": one,
                "rss": rss_mb(process.pid),
                "seen": describe(port, FIRST),
                "paging": "x-pagination-totalcount" in headers,
            }
    print(f"| whole document, {seconds:g} s loads | Prism 5 | mockapi | mockapi / Prism |")
    print("|---|---|---|---|")
    p, m = results["prism"], results["mockapi"]
    print(
        f"| first answer after (s) | {p['ready']:.2f} | {m['ready']:.2f} | {p['ready'] / m['ready']:.1f}x faster |"
    )
    for key, label in (("list", "a project's MySQL databases"), ("one", "one app")):
        pl, ml = p[key], m[key]
        print(f"| {label}: requests/s | {pl.rps:,.0f} | {ml.rps:,.0f} | {ml.rps / pl.rps:.1f}x |")
        print(f"| {label}: p99 ms | {pl.p99_ms:.1f} | {ml.p99_ms:.1f} | |")
    print(f"| RSS after the loads (MB) | {p['rss']:.0f} | {m['rss']:.0f} | |")
    print(f"| items in the list | {p['seen']['items']} | {m['seen']['items']} | |")
    print(f"| projectId of the items | {p['seen']['projectIds']} | {m['seen']['projectIds']} | |")
    print(
        f'| text fields read "string" | {p["seen"]["placeholder"]} | {m["seen"]["placeholder"]} | |'
    )
    print(f"| X-Pagination-* on a paged list | {p['paging']} | {m['paging']} | |")


if __name__ == "__main__":
    main()
