#!/usr/bin/env bash
# Sets up everything and runs every test: lint, then the whole pytest suite on SQLite and on
# PostgreSQL. Extra arguments go to pytest (e.g. ./test.sh tests/server -k routing).
# Test files run on TEST_WORKERS processes (default 2, the cores of the CI machine; 0 = one process),
# each file's tests in one of them: its module fixtures are made once and its tests never race each other.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/ensure-postgres.sh
.venv/bin/ruff check .
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
