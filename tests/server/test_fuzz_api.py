"""Schemathesis against a live server process as every role, on both databases (a bounded run).

Fails on any 5xx, any status the OpenAPI does not list for the route, and any answer whose body
does not match the declared model. The longer run is `bench/fuzz_api.py` (figures in bench/RESULTS.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fuzzing

CASES = 3  # per operation and role: about 100 requests per role; the deep run is bench/fuzz_api.py


@pytest.mark.timeout(900)
def test_fuzzing_every_role_finds_no_5xx_and_no_schema_mismatch(db_url: str, tmp_path: Path) -> None:
    prep = fuzzing.prepare(db_url, tmp_path)
    try:
        outcomes = [fuzzing.fuzz(prep, role, CASES, 12, tmp_path, "fuzzing") for role in fuzzing.ROLES]
    finally:
        prep.server.stop()
    for o in outcomes:
        assert o.cases >= 30 * CASES // 4, f"{o.role}: only {o.cases} cases ran"
        assert o.failures == [], f"{o.role}: " + "\n".join(o.failures)
    assert "Traceback" not in prep.server.log.read_text(encoding="utf-8")
