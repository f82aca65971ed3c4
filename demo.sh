#!/usr/bin/env bash
# Sets up everything and runs the demo: the queue server on a fresh SQLite file with the example
# hall (its web pages' addresses are printed), and the kiosk with the simulated printer, ID card
# reader and scanner. PORT=8000 by default. Ctrl+C stops both. The server listens on the local
# network when the machine has an address there, and puts that address in the QR codes (phones on
# the same network open them); its request log goes to a file (its path is printed), not here.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
PORT=${PORT:-8000}
work=$(mktemp -d -t hall-queue-demo.XXXXXX)
.venv/bin/queue-server demo --port "$PORT" --lan --tokens-file "$work/tokens.json" \
  --request-log "$work/requests.log" "$@" &
server=$!
kiosk=""
trap 'kill $server $kiosk 2>/dev/null || true' EXIT INT TERM
.venv/bin/python - "$PORT" "$work/tokens.json" <<'PY'
import os, sys, time, urllib.request
port, tokens = sys.argv[1], sys.argv[2]
for _ in range(120):
    try:
        if os.path.getsize(tokens) and urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit("the demo server did not start")
PY
token=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["kiosk"])' "$work/tokens.json")
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  export QT_QPA_PLATFORM=offscreen
  echo "没有图形显示：自助终端在后台运行（其心跳见大厅管理页的设备状态）/" \
       "no display: the kiosk runs offscreen (see its heartbeat under device health in the manager console)"
fi
.venv/bin/kiosk --simulate --server "http://127.0.0.1:$PORT" --hall xiqu --token "$token" \
  --windowed --data-dir "$work/kiosk" &
kiosk=$!
echo "自助终端 / kiosk: pid $kiosk, simulated printer, ID card reader and scanner (kiosk --simulate)"
echo "打印的号票（PNG）/ printed tickets as PNG files: $work/kiosk/tickets/"
wait "$server"
