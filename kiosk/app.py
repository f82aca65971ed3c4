"""Builds the running kiosk: Qt application, QML engine, backends, watchdog."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, QUrl
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk import devices as dev
from kiosk.backend import KioskBackend
from kiosk.config import KioskConfig
from kiosk.maintenance import MaintenanceBackend
from kiosk.qrimage import QrImageProvider
from kiosk.refguard import immortalize_singletons
from kiosk.watchdog import Watchdog

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"
FONT_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC")
_TOUCH_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


def cjk_font_family() -> str | None:
    """The first installed CJK family; without one, Chinese renders as empty boxes."""
    families = set(QFontDatabase.families())
    return next((f for f in FONT_FAMILIES if f in families), None)


class TouchWatcher(QObject):
    """Every press anywhere restarts the idle timer (the QML never needs to remember to)."""

    def __init__(self, backend: KioskBackend) -> None:
        super().__init__()
        self._backend = backend

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _TOUCH_EVENTS:
            self._backend.touched()
        return False


class KioskApp:
    def __init__(self, app: QGuiApplication, cfg: KioskConfig, config_path: Path, *,
                 devices: dev.Devices | None = None, simulator: QObject | None = None,
                 size: QSize | None = None, fullscreen: bool = True, **backend_options: int) -> None:
        self.app = app
        immortalize_singletons()  # before the first timer tick: see kiosk/refguard.py
        family = cjk_font_family()
        if family:
            app.setFont(QFont(family))
        else:
            log.error("no CJK font installed: Chinese text will not render (install fonts-wqy-microhei)")
        self.backend = KioskBackend(cfg, devices or dev.Devices(cfg), **backend_options)
        self.maintenance = MaintenanceBackend(self.backend, config_path)
        self.simulator = simulator
        self.watchdog = Watchdog()
        self.touch_watcher = TouchWatcher(self.backend)
        app.installEventFilter(self.touch_watcher)

        self.engine = QQmlApplicationEngine()
        self.engine.addImageProvider("qr", QrImageProvider())
        ctx = self.engine.rootContext()
        ctx.setContextProperty("kiosk", self.backend)
        for name, obj in self.backend.objects().items():
            ctx.setContextProperty(name, obj)
        ctx.setContextProperty("maint", self.maintenance)
        ctx.setContextProperty("sim", simulator)
        ctx.setContextProperty("fontFamily", family or "")
        ctx.setContextProperty("startFullScreen", fullscreen)
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            raise RuntimeError("the kiosk's QML failed to load")
        self.window: QQuickWindow = roots[0]
        if size is not None:
            self.window.resize(size)

    def start(self) -> None:
        self.backend.start()
        self.watchdog.start()

    def stop(self, release_scene: bool = True) -> None:
        """Stop the devices, timers and workers. `release_scene=False` when the process leaves with
        `os._exit` right after: tearing the QML scene down is then needless, and it is where PySide6
        crashed on a SIGTERM stop under load (twice in several hundred)."""
        self.watchdog.stop()
        self.backend.stop()
        self.app.removeEventFilter(self.touch_watcher)
        if not release_scene:
            return
        self.window.close()
        # Destroy the QML scene now, while the backends its bindings read are still alive.
        self.engine.clearComponentCache()
        del self.window
        del self.engine
