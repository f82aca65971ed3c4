#!/usr/bin/env bash
# Sets up everything this project needs on a fresh Debian machine (run as root, or with sudo for
# the system packages): Debian packages, a virtualenv in .venv with the pinned Python packages.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libusb-1.0-0                             # USB printers through pyusb
  fonts-wqy-microhei                       # CJK glyphs for the kiosk, tickets rendered to PNG, pages
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libwayland-cursor0 libwayland-egl1
  chromium                                 # web pages are tested in Debian's Chromium
  espeak-ng                                # calls spoken by the server for displays without a Chinese voice
  postgresql postgresql-client             # second supported database
  cage nginx openssl                       # packaging tests: the kiosk unit's compositor, the nginx template
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[server,kiosk,test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
