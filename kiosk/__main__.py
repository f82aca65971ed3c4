"""Command line of the kiosk: `kiosk [--config FILE] [--simulate] [--server URL] [--windowed]`."""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk import config as cfgmod
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from kiosk.app import KioskApp

RESTART_EXIT = 75
DEFAULT_CONFIG = Path("/etc/hall-kiosk/kiosk.toml")
SIM_PIN = "2468"

log = logging.getLogger("kiosk")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="kiosk", description="自助取号终端 / self-service ticket kiosk")
    p.add_argument("--config", type=Path, default=Path(os.environ.get("KIOSK_CONFIG", DEFAULT_CONFIG)),
                   help="TOML config file (default $KIOSK_CONFIG or /etc/hall-kiosk/kiosk.toml)")
    p.add_argument("--simulate", action="store_true",
                   help="use the simulated printer, ID card reader and scanner of drivers.sim")
    p.add_argument("--server", help="queue server URL, e.g. http://127.0.0.1:8000 (overrides the config)")
    p.add_argument("--hall", help="hall code (overrides the config)")
    p.add_argument("--token", default=os.environ.get("KIOSK_TOKEN"),
                   help="kiosk device token (default $KIOSK_TOKEN; overrides the config); "
                        "`queue-server device add NAME --kind kiosk` prints one")
    p.add_argument("--data-dir", type=Path, help="cache, logs and PIN state (overrides the config)")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--size", default="1080x1920", help="window size WxH with --windowed (default 1080x1920)")
    p.add_argument("--set-pin", action="store_true",
                   help="read a new maintenance PIN from stdin, store its hash in the config file, exit")
    p.add_argument("--print-startup-time", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def set_pin(path: Path) -> int:
    from kiosk.pin import hash_pin

    pin = sys.stdin.readline().strip()
    cfg = cfgmod.load(path)
    try:
        cfg = cfg.with_values({"maintenance.pin_hash": hash_pin(pin)})
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    cfgmod.save(cfg, path)
    print(f"PIN stored (hashed) in {path}")
    return 0


def _example_pin(pin_hash: str) -> bool:
    """Is this the PIN of config/kiosk.example.toml (which everyone can read)?"""
    from kiosk.pin import verify_pin

    return bool(pin_hash) and verify_pin(SIM_PIN, pin_hash)


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.set_pin:
        return set_pin(args.config)
    if args.simulate and args.config == DEFAULT_CONFIG:
        # A simulated kiosk keeps its settings in its own data directory: saving them in /etc would
        # leave the demo's token and pseudo-terminal ports for a later production kiosk.
        args.config = (args.data_dir or Path.cwd() / "data" / "kiosk-sim") / "kiosk.toml"
    try:
        cfg = cfgmod.load(args.config)
    except cfgmod.ConfigError as exc:
        print(f"kiosk: {args.config}: {exc}", file=sys.stderr)
        return 2
    overrides: dict[str, object] = {}
    if args.server:
        overrides["server.url"] = args.server
    if args.hall:
        overrides["server.hall"] = args.hall
    if args.token:
        overrides["server.token"] = args.token
    if args.data_dir:
        overrides["paths.data_dir"] = str(args.data_dir)
    elif args.simulate and not cfg.paths.data_dir:
        overrides["paths.data_dir"] = str(Path.cwd() / "data" / "kiosk-sim")
    cfg = cfg.with_values(overrides)
    cfgmod.validate(cfg)
    if not args.simulate and _example_pin(cfg.maintenance.pin_hash):
        print(f"kiosk: {args.config}: 维护密码仍是示例配置中的 2468，请先设置新密码 / the maintenance PIN "
              "is still the example's 2468: set a new one first: echo NEW-PIN | kiosk --config "
              f"{args.config} --set-pin", file=sys.stderr)
        return 2
    setup_logging(cfg.log_dir())

    # A native crash (Qt, drivers) leaves its Python stack in the journal, not just a signal number.
    faulthandler.enable()
    # Imported late so that --help and --set-pin work without a display.
    from PySide6.QtCore import QSize, QTimer
    from PySide6.QtGui import QGuiApplication

    from kiosk.app import KioskApp
    from kiosk.refguard import immortalize_singletons

    immortalize_singletons()
    app = QGuiApplication(sys.argv[:1])
    app.setApplicationName("hall-kiosk")
    simulator = None
    if args.simulate:
        from kiosk.pin import hash_pin
        from kiosk.simulate import Simulator

        simulator = Simulator(tickets_dir=cfg.data_dir() / "tickets")
        simulator.start()
        print(f"kiosk --simulate: settings in {args.config}; "
              f"printed tickets as PNG in {simulator.tickets_dir}", flush=True)
        cfg = simulator.configure(cfg)
        if not cfg.maintenance.pin_hash:
            cfg = replace(cfg, maintenance=replace(cfg.maintenance, pin_hash=hash_pin(SIM_PIN)))
            print(f"kiosk --simulate: maintenance PIN {SIM_PIN} (five taps on the hall name)")
    size = QSize(*_size(args.size)) if args.windowed else None
    kiosk = KioskApp(app, cfg, args.config, simulator=simulator, size=size, fullscreen=not args.windowed)
    if simulator is not None:
        kiosk.backend.issuing.ticketChanged.connect(
            lambda: simulator.note_ticket(kiosk.backend.issuing.current_ticket()))
    kiosk.backend.restartRequested.connect(lambda: app.exit(RESTART_EXIT))
    # A stop signal leaves at once, from inside the handler: QGuiApplication.quit() would first close
    # the window and run the event loop on (the QML scene's teardown, where PySide6 crashed with
    # SIGSEGV in about one suite run in three; faulthandler put the crash inside app.exec()).
    signal.signal(signal.SIGTERM, lambda *_: _leave(kiosk, 0))
    signal.signal(signal.SIGINT, lambda *_: _leave(kiosk, 0))
    # Python only sees signals between bytecodes: a timer lets the interpreter run now and then.
    tick = QTimer()
    tick.start(500)
    tick.timeout.connect(lambda: None)
    kiosk.start()
    if args.print_startup_time:
        # For the benchmark: seconds from process start until Home shows the live catalogue.
        def home_ready() -> None:
            kiosk.backend.catalogue.changed.disconnect(home_ready)
            print(f"home ready {time.perf_counter() - started:.3f}", flush=True)

        kiosk.backend.catalogue.changed.connect(home_ready)
    log.info("kiosk started (hall %s, server %s)", cfg.server.hall, cfg.server.url)
    code = app.exec()
    if code == RESTART_EXIT and not os.environ.get("INVOCATION_ID"):
        kiosk.stop(release_scene=False)
        # Not under systemd (which restarts us itself): replace this process with a fresh one.
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *(sys.argv[1:] if argv is None else argv)])
    _leave(kiosk, code)


def _leave(kiosk: KioskApp, code: int) -> NoReturn:
    """Stop the devices, timers and workers (the journal and PIN state are saved) and end the process.

    Without the interpreter's teardown of the Qt objects and the QML scene: PySide6 can crash there,
    and a crash at the very end would look like a failure to systemd and to the maintenance log. The
    simulated devices' threads and ptys end with the process."""
    kiosk.stop(release_scene=False)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
