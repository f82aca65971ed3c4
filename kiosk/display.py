"""How the kiosk looks for the current citizen: language, large text, high contrast, the theme."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.config import UiConfig
from kiosk.i18n import strings

LIGHT = {
    "bg": "#EEF2F7",
    "panel": "#FFFFFF",
    "fg": "#1A1A1A",
    "muted": "#4A5563",
    "accent": "#1D5BA8",
    "accentFg": "#FFFFFF",
    "border": "#B8C4D2",
    "ok": "#1E7B34",
    "warn": "#9A5B00",
    "bad": "#B00020",
    "disabled": "#8A939E",
    "bannerBg": "#B00020",
    "bannerFg": "#FFFFFF",
    "note": "#FFF4D6",
    "noteFg": "#3D2A00",
}
# High contrast: white on black, yellow accents; a button that is "on" keeps its white frame.
CONTRAST = {
    "bg": "#000000",
    "panel": "#000000",
    "fg": "#FFFFFF",
    "muted": "#FFFF66",
    "accent": "#FFFF00",
    "accentFg": "#000000",
    "border": "#FFFFFF",
    "ok": "#66FF66",
    "warn": "#FFFF00",
    "bad": "#FF7070",
    "disabled": "#8C8C8C",
    "bannerBg": "#FFFF00",
    "bannerFg": "#000000",
    "note": "#FFFF00",
    "noteFg": "#000000",
}


class Display(QObject):
    langChanged = Signal()
    themeChanged = Signal()

    def __init__(self, ui: UiConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ui = ui
        self._lang, self._large, self._contrast = ui.language, ui.large_text, ui.high_contrast

    def _get_lang(self) -> str:
        return self._lang

    lang = Property(str, _get_lang, notify=langChanged)

    def _get_t(self) -> dict[str, str]:
        return strings(self._lang)

    t = Property("QVariantMap", _get_t, notify=langChanged)

    def _get_large(self) -> bool:
        return self._large

    largeText = Property(bool, _get_large, notify=themeChanged)

    def _get_contrast(self) -> bool:
        return self._contrast

    highContrast = Property(bool, _get_contrast, notify=themeChanged)

    def _get_orientation(self) -> str:
        return self._ui.orientation

    orientation = Property(str, _get_orientation, notify=themeChanged)

    def _get_theme(self) -> dict[str, Any]:
        # 120 px is at least 2 cm on any 1080p panel of 15.6 inches or more (0.18 mm pixels and up).
        scale = 1.3 if self._large else 1.0
        colors = CONTRAST if self._contrast else LIGHT
        return {
            **colors,
            "font": round(34 * scale),
            "small": round(28 * scale),
            "title": round(46 * scale),
            "big": round(60 * scale),
            "huge": round(170 * scale),
            "touch": 120,
            "radius": 18,
            "gap": 24,
        }

    theme = Property("QVariantMap", _get_theme, notify=themeChanged)

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en" if self._lang == "zh" else "zh")

    @Slot(str)
    def setLanguage(self, lang: str) -> None:
        if lang in ("zh", "en") and lang != self._lang:
            self._lang = lang
            self.langChanged.emit()

    @Slot()
    def toggleLargeText(self) -> None:
        self._large = not self._large
        self.themeChanged.emit()

    @Slot()
    def toggleHighContrast(self) -> None:
        self._contrast = not self._contrast
        self.themeChanged.emit()

    def reset(self, ui: UiConfig) -> None:
        """The next citizen starts in the configured language and text size."""
        self._ui = ui
        if self._lang != ui.language:
            self._lang = ui.language
            self.langChanged.emit()
        if (self._large, self._contrast) != (ui.large_text, ui.high_contrast):
            self._large, self._contrast = ui.large_text, ui.high_contrast
            self.themeChanged.emit()
