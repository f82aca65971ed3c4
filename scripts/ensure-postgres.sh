#!/usr/bin/env bash
# Makes sure PostgreSQL answers at 127.0.0.1:5432 for the test suite, with the suite's own role:
# hallqueue_test (LOGIN CREATEDB, not a superuser), which creates and drops its own databases.
# Its password is made once per machine user and kept in ~/.pgpass (mode 0600), where libpq finds
# it: no password in any URL or log. The machine's authentication rules (pg_hba.conf) are left as
# they are; the role is made over the local socket as the postgres user (Debian's peer rule).
# Run as root (CI) or as a user who may `sudo -u postgres`.
set -euo pipefail
ROLE=hallqueue_test
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$ver" ]; then echo "ensure-postgres: PostgreSQL is not installed" >&2; exit 1; fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "ensure-postgres: PostgreSQL did not start" >&2; exit 1; }
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
pgpass=${PGPASSFILE:-$HOME/.pgpass}
entry="127.0.0.1:5432:*:$ROLE:"
password=$(grep -F "$entry" "$pgpass" 2>/dev/null | head -1 | cut -d: -f5 || true)
exists=$(as_postgres psql -XAtq -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")
if [ -z "$password" ] || [ "$exists" != 1 ]; then
  password=${password:-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')}
  verb=$([ "$exists" = 1 ] && echo ALTER || echo CREATE)
  # The password goes to psql on stdin, never on a command line (ps would show it).
  as_postgres psql -Xq -v ON_ERROR_STOP=1 >/dev/null <<SQL
$verb ROLE $ROLE LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '$password';
SQL
  if ! grep -qF "$entry" "$pgpass" 2>/dev/null; then
    (umask 077; echo "$entry$password" >> "$pgpass")
  fi
  chmod 0600 "$pgpass"
fi
# The suite connects as this role (tests/conftest.py); anything else is a set-up error, said now.
psql -XAtq -h 127.0.0.1 -p 5432 -U "$ROLE" -d postgres -c "SELECT 1" >/dev/null \
  || { echo "ensure-postgres: cannot connect as $ROLE (check ~/.pgpass and pg_hba.conf)" >&2; exit 1; }
