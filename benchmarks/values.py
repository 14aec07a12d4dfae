"""Time to generate one value from the document's schemas, and what validating all of them finds.

    python benchmarks/values.py              # 50 operations, 400 objects each
    python benchmarks/values.py --quick      # 50 operations, 80 objects each
    python benchmarks/values.py --summary    # also validate every operation's bodies

Prints the first-use cost (compiling a schema's plan), then the mean time per object after
warm-up for a sample of 50 operations with JSON success bodies (every seventh in document
order), the slowest five, and three typical objects. `--summary` generates every JSON
success body and JSON request body for 3 seeds x 2 keys and every component schema for 2
keys, validates them with openapi-schema-validator (as tests/test_spec_values.py does) and
lists the schemas and quirks that needed special handling.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent))

from mockapi.spec import pools
from mockapi.spec.document import load_document
from mockapi.spec.values import Context, Values

NOW = 1_767_225_600_000
TYPICAL = {
    "MySqlDatabase": "database-get-mysql-database",
    "Project": "project-get-project",
    "AppInstallation": "app-get-appinstallation",
}


def per_object(values: Values, schema: Any, rounds: int, tag: str) -> float:
    """Mean seconds per generated object (distinct keys, so nothing is the same twice)."""
    start = time.perf_counter()
    for index in range(rounds):
        values.generate(schema, Context(1, f"{tag}|{index}", NOW))
    return (time.perf_counter() - start) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="80 objects per operation")
    parser.add_argument("--summary", action="store_true", help="validate every operation")
    args = parser.parse_args()
    rounds = 80 if args.quick else 400

    started = time.perf_counter()
    document = load_document()
    loaded = time.perf_counter() - started
    values = Values(document)
    ops = [
        op
        for op in document.operations
        if op.response_type == "application/json" and op.response is not None
    ]
    sample = ops[::7][:50]

    started = time.perf_counter()
    for pool in (pools.first_names, pools.last_names, pools.companies, pools.cities):
        pool()
    faker = time.perf_counter() - started
    started = time.perf_counter()
    for op in sample:
        values.generate(op.response, Context(1, "warm", NOW))  # type: ignore[arg-type]
    compiled = time.perf_counter() - started
    tracemalloc.start()
    fresh = Values(document)
    for op in ops:
        fresh.generate(op.response, Context(1, "warm", NOW))  # type: ignore[arg-type]
    plans_kb = tracemalloc.get_traced_memory()[0] / 1024
    tracemalloc.stop()
    del fresh

    timings = {
        op.operation_id: per_object(values, op.response, rounds, op.operation_id) for op in sample
    }
    mean = statistics.fmean(timings.values())
    print(f"document loaded in {loaded * 1000:.0f} ms; {len(ops)} JSON success bodies")
    print(f"Faker import and name pools (once, on first use): {faker * 1000:.0f} ms")
    print(f"first use of {len(sample)} operations (compiling plans): {compiled * 1000:.0f} ms")
    print(f"plans of all {len(ops)} success bodies: ~{plans_kb / 1024:.1f} MiB (tracemalloc)")
    print(
        f"mean per object over {len(sample)} operations x {rounds}: {mean * 1e6:.1f} µs "
        f"(median {statistics.median(timings.values()) * 1e6:.1f} µs)"
    )
    print("slowest:")
    for name, seconds in sorted(timings.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {seconds * 1e6:8.1f} µs  {name}")
    print("typical objects:")
    for label, operation in TYPICAL.items():
        schema = document.by_id[operation].response
        values.generate(schema, Context(1, "warm", NOW))  # type: ignore[arg-type]
        print(f"  {per_object(values, schema, rounds * 5, label) * 1e6:8.1f} µs  {label}")
    if args.summary:
        summary(values)


def summary(values: Values) -> None:
    """Validate every JSON success and request body, then list the special cases."""
    from tests.test_spec_values import BODIES, RESPONSES, errors

    checked = {"response": [0, 0], "request": [0, 0]}
    for kind, ops in (("response", RESPONSES), ("request", BODIES)):
        for op in ops:
            schema = op.response if kind == "response" else op.body
            assert schema is not None
            ok = True
            for seed in (1, 2, 3):
                for key in ("a", "b"):
                    context = Context(seed, f"{op.operation_id}|{key}", NOW)
                    value = values.generate(schema, context, request=kind == "request")
                    problems = errors(schema, value, request=kind == "request")
                    if problems:
                        ok = False
                        print(f"INVALID {kind} {op.operation_id}: {problems[:2]}")
            checked[kind][0] += 1
            checked[kind][1] += ok
    for kind, (total, valid) in checked.items():
        print(f"{kind} bodies: {valid}/{total} operations valid for 3 seeds x 2 keys")
    invalid = []
    for name in sorted(values.document.schemas):
        schema = {"$ref": f"#/components/schemas/{name}"}
        if any(
            errors(schema, values.generate(schema, Context(1, f"{name}|{key}", NOW)))
            for key in ("a", "b")
        ):
            invalid.append(name.rsplit(".", 1)[-1])
    total = len(values.document.schemas)
    print(f"component schemas: {total - len(invalid)}/{total} valid; not: {', '.join(invalid)}")
    print("needed special handling:")
    grouped: dict[str, list[str]] = {}
    for kind, where in sorted(values.quirks):
        grouped.setdefault(kind, []).append(where)
    for kind, places in grouped.items():
        shown = ", ".join(sorted(set(places))[:6]) + (" …" if len(set(places)) > 6 else "")
        print(f"  {kind} ({len(set(places))}): {shown}")
    print("oneOfs no honest value satisfies exactly once (an enclosing oneOf avoids them):")
    for label in sorted(values.ambiguous):
        print(f"  {label}")


if __name__ == "__main__":
    main()
