#!/usr/bin/env bash
# Sets up everything and runs the demo: the queue server on a fresh SQLite file with the example
# hall, and prints the addresses of the web pages.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/queue-server demo "$@"
