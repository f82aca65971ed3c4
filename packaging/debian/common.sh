# Shared by the maintainer scripts (build.sh pastes it in where "#COMMON#" stands).
# Every path is under $DPKG_ROOT, so `dpkg --root=DIR --force-script-chrootless` installs into a
# throw-away root (the packaging test does) as well as into / (DPKG_ROOT is empty then).
R=${DPKG_ROOT:-}

# A system user with its own group, no login, home at $2 (not created here).
ensure_user() {
  if ! grep -q "^$1:" "$R/etc/passwd"; then
    useradd ${R:+--prefix "$R"} --system --user-group --home-dir "$2" --no-create-home \
      --shell /usr/sbin/nologin --comment "$3" "$1"
  fi
}

# Numeric ids from the root's own files: the host may not know the user (throw-away roots).
uid_of() { awk -F: -v u="$1" '$1 == u { print $3 }' "$R/etc/passwd"; }
gid_of() { awk -F: -v g="$1" '$1 == g { print $3 }' "$R/etc/group"; }

# Adds user $1 to each existing group of the rest (a group that does not exist is skipped).
add_to_groups() {
  local user=$1 g; shift
  for g in "$@"; do
    if grep -q "^$g:" "$R/etc/group" && ! grep -q "^$g:.*[:,]$user\(,\|$\)" "$R/etc/group"; then
      usermod ${R:+--prefix "$R"} -a -G "$g" "$user"
    fi
  done
}

# systemctl and udevadm only on a running systemd host, never for a throw-away root.
on_live_systemd() { [ -z "$R" ] && [ -d /run/systemd/system ]; }
