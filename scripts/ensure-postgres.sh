#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 for the test suite (trust auth as
# user postgres). Starts the Debian cluster when it is installed but not running.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432; then exit 0; fi
ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then echo "ensure-postgres: PostgreSQL is not installed" >&2; exit 1; fi
hba=/etc/postgresql/$ver/main/pg_hba.conf
if ! grep -q "hall-queue tests" "$hba"; then
  # Local test server only: trust connections from this machine.
  sed -i '1i host all all 127.0.0.1/32 trust # hall-queue tests\nlocal all all trust # hall-queue tests' "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
echo "ensure-postgres: PostgreSQL did not start" >&2; exit 1
