"""The longer fuzzing run: schemathesis against live servers as every role, on SQLite and PostgreSQL.

    .venv/bin/python bench/fuzz_api.py --cases 50            # writes bench/fuzz_results.json
    .venv/bin/python bench/fuzz_api.py --cases 10 --only sqlite --out /tmp/fuzz.json

Each role's run has schemathesis' coverage phase (boundary and invalid values of every parameter)
and its fuzzing phase (`--cases` examples per operation). The CI test
(tests/server/test_fuzz_api.py) is the same with a few cases and the fuzzing phase only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402
from tests.conftest import fresh_postgres  # noqa: E402


def run_database(name: str, url: str, cases: int, seed: int, work: Path) -> dict[str, object]:
    prep = fuzzing.prepare(url, work)
    try:
        outcomes = []
        for role in fuzzing.ROLES:
            o = fuzzing.fuzz(prep, role, cases, seed, work, "coverage,fuzzing")
            print(f"{name:10} {role:12} cases {o.cases:6}  5xx {o.server_errors}  mismatches {o.mismatches}"
                  f"  {o.seconds:6.1f} s", flush=True)  # fmt: skip
            outcomes.append(o)
    finally:
        prep.server.stop()
    log = prep.server.log.read_text(encoding="utf-8")
    return {
        "database": name,
        "roles": [
            {
                "role": o.role,
                "cases": o.cases,
                "server_errors": o.server_errors,
                "mismatches": o.mismatches,
                "other_failures": len(o.failures) - o.server_errors - o.mismatches,
                "seconds": round(o.seconds, 1),
                "failures": o.failures,
            }
            for o in outcomes
        ],
        "tracebacks_in_server_log": log.count("Traceback"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=50, help="fuzzing examples per operation and role")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "fuzz_results.json")
    args = parser.parse_args()
    # The accounts' passwords are hashed at the cheapest argon2 cost: the run is about the API.
    os.environ.setdefault("QUEUE_ARGON2_TIME_COST", "1")
    os.environ.setdefault("QUEUE_ARGON2_MEMORY_KIB", "64")
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="fuzz-api-") as tmp:
        work = Path(tmp)
        if args.only in (None, "sqlite"):
            results.append(run_database("sqlite", f"sqlite:///{work / 'q.sqlite3'}", args.cases, args.seed,
                                        work / "sqlite"))  # fmt: skip
        if args.only in (None, "postgres"):
            with fresh_postgres() as url:
                results.append(run_database("postgres", url, args.cases, args.seed, work / "postgres"))
    total = sum(int(r["cases"]) for db in results for r in db["roles"])  # type: ignore[union-attr]
    bad = sum(
        int(r["server_errors"]) + int(r["mismatches"]) + int(r["other_failures"])
        for db in results
        for r in db["roles"]  # type: ignore[union-attr]
    )
    summary = {
        "command": " ".join(["bench/fuzz_api.py", *sys.argv[1:]]),
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "cases_per_operation": args.cases,
        "seed": args.seed,
        "total_cases": total,
        "failures": bad,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "databases": results,
    }
    args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"total {total} cases, {bad} failures, {summary['minutes']} min → {args.out}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
