#!/usr/bin/env bash
# Builds the two Debian packages into dist/: hall-queue-server_VERSION_amd64.deb (queue server, no
# Qt) and hall-kiosk_VERSION_amd64.deb (kiosk app and device drivers, no server). Each carries its
# own Python environment under /opt, made for Debian's /usr/bin/python3 from the pinned wheels
# (pip's find-links and cache make repeated builds quick). Needs: dpkg-deb, fakeroot not required
# (file owners are set with --root-owner-group). Usage: packaging/build.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$(realpath -m "${1:-$top/dist}")
PY=${PYTHON_TARGET:-/usr/bin/python3}        # the interpreter the installed machines have
PIP=("${PIP_PYTHON:-$top/.venv/bin/python}" -m pip)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$top/pyproject.toml")
arch=$(dpkg --print-architecture)
pyver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
work=$(mktemp -d -t hall-queue-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# One wheel of this project, each package installs it with its own extra; built from a copy so
# that the checkout gets no build/ directory.
mkdir "$work/src"
cp -r "$top/pyproject.toml" "$top/README.md" "$top/queue_server" "$top/kiosk" "$top/drivers" "$work/src/"
"${PIP[@]}" wheel -q --no-deps -w "$work/wheel" "$work/src"
wheel=$(ls "$work"/wheel/hall_queue-*.whl)

# $1 package, $2 extra, $3 /opt directory, $4 the other side's Python package and command (left out)
build_one() {
  local pkg=$1 extra=$2 opt=$3 other=$4 root="$work/$1"
  local venv="$root$opt/venv"
  mkdir -p "$root/DEBIAN"
  "$PY" -m venv --without-pip "$venv"
  "${PIP[@]}" --python "$venv/bin/python" install -q --no-compile --no-warn-script-location \
    "$wheel[$extra]"
  # The wheel holds all three Python packages; each host keeps only its own side.
  rm -rf "$venv/lib/python$pyver/site-packages/$other" "$venv/bin/${other//_/-}"
  # The environment was made in $root: point its scripts at where it will live.
  grep -rlF "$root" "$venv/bin" "$venv/pyvenv.cfg" | xargs -r sed -i "s#$root##g"
  # Byte-code compiled now, with the installed paths in tracebacks (/opt is read-only at run time).
  "$venv/bin/python" -m compileall -q -j 0 -x "\.tmpl\.py$" -s "$root" -p / "$venv/lib" >/dev/null
  if grep -rqF "$root" "$venv/bin" "$venv/pyvenv.cfg"; then
    echo "build: $pkg still names the build directory" >&2; exit 1
  fi
  cp -a "$work/files/$pkg/." "$root/"
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
      -e "s/@PYVER@/$pyver/g" -e "s/@PYNEXT@/${pyver%.*}.$(( ${pyver#*.} + 1 ))/" \
      "$here/debian/$pkg/control" > "$root/DEBIAN/control"
  for f in preinst postinst prerm postrm; do
    if [ -f "$here/debian/$pkg/$f" ]; then
      sed -e "/^#COMMON#\$/{r $here/debian/common.sh" -e 'd}' "$here/debian/$pkg/$f" > "$root/DEBIAN/$f"
      chmod 0755 "$root/DEBIAN/$f"
    fi
  done
  if [ -f "$here/debian/$pkg/conffiles" ]; then install -m 0644 "$here/debian/$pkg/conffiles" "$root/DEBIAN/"; fi
  # gzip -1: the kiosk's Qt libraries make xz take minutes; CI builds on every push.
  dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$out/${pkg}_${version}_${arch}.deb" >/dev/null
  echo "$out/${pkg}_${version}_${arch}.deb"
}

stage_files() {
  local s="$work/files"
  rm -rf "$s"; mkdir -p "$s"
  # Server: units, nginx template, environment file (a conffile), the example hall.
  install -D -m 0644 "$here/systemd/queue-server@.service" "$s/hall-queue-server/lib/systemd/system/queue-server@.service"
  for u in queue-server-retention queue-server-backup; do
    install -D -m 0644 "$here/systemd/$u.service" "$s/hall-queue-server/lib/systemd/system/$u.service"
    install -D -m 0644 "$here/systemd/$u.timer" "$s/hall-queue-server/lib/systemd/system/$u.timer"
  done
  install -D -m 0644 "$here/nginx/hall-queue.conf" "$s/hall-queue-server/usr/share/hall-queue-server/nginx/hall-queue.conf"
  install -D -m 0644 "$here/debian/hall-queue-server/server.env" "$s/hall-queue-server/etc/hall-queue/server.env"
  install -D -m 0644 "$top/config/hall.example.toml" "$s/hall-queue-server/usr/share/hall-queue-server/hall.example.toml"
  install -D -m 0644 "$here/INSTALL.md" "$s/hall-queue-server/usr/share/doc/hall-queue-server/INSTALL.md"
  # Kiosk: the session unit, udev rules, example configuration (copied to /etc on first install).
  install -D -m 0644 "$here/kiosk/hall-kiosk.service" "$s/hall-kiosk/lib/systemd/system/hall-kiosk.service"
  install -D -m 0644 "$here/udev/61-hall-kiosk-devices.rules" "$s/hall-kiosk/lib/udev/rules.d/61-hall-kiosk-devices.rules"
  install -D -m 0644 "$top/config/kiosk.example.toml" "$s/hall-kiosk/usr/share/hall-kiosk/kiosk.example.toml"
  install -D -m 0644 "$here/INSTALL.md" "$s/hall-kiosk/usr/share/doc/hall-kiosk/INSTALL.md"
}


stage_files
build_one hall-queue-server server /opt/hall-queue-server kiosk
build_one hall-kiosk kiosk /opt/hall-kiosk queue_server
