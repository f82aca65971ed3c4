#!/usr/bin/env bash
# Sets up everything and runs every test: lint, then the whole pytest suite on SQLite and on
# PostgreSQL. Extra arguments go to pytest (e.g. ./test.sh tests/server -k routing).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/ensure-postgres.sh
.venv/bin/ruff check .
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
