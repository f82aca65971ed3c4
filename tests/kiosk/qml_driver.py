"""Drives the kiosk's real QML like a finger would: find an item by objectName, tap its centre."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

from tests.kiosk.conftest import ARTIFACTS, ROOT

DOCS_IMAGES = ROOT / "docs" / "images"


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


def shown(item: QQuickItem) -> bool:
    while item is not None:
        if not item.isVisible() or item.opacity() == 0:
            return False
        item = item.parentItem()
    return True


def find(window: QQuickWindow, name: str) -> QQuickItem | None:
    for item in walk(window.contentItem()):
        if item.objectName() == name and shown(item):
            return item
    return None


def find_all(window: QQuickWindow, prefix: str) -> list[QQuickItem]:
    return [i for i in walk(window.contentItem()) if i.objectName().startswith(prefix) and shown(i)]


def tap(window: QQuickWindow, name: str) -> None:
    item = find(window, name)
    assert item is not None, f"no visible item {name!r} on screen"
    centre = _resting_centre(item)
    assert 0 <= centre.x() < window.width() and 0 <= centre.y() < window.height(), f"{name} is off screen"
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(centre))


def _resting_centre(item: QQuickItem) -> QPoint:
    """Where the item's centre is once it stops moving: a finger waits for a screen to slide in."""
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    for _ in range(40):
        QTest.qWait(25)
        now = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        if now == centre:
            return now
        centre = now
    return centre


def text_of(window: QQuickWindow, name: str) -> str:
    item = find(window, name)
    assert item is not None, f"no visible item {name!r} on screen"
    return str(item.property("text"))


def wait_for(qtbot: Any, condition: Callable[[], Any], timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def screenshot(window: QQuickWindow, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    image = window.grabWindow()
    assert not image.isNull()
    assert image.save(str(path))
    return path


def doc_screenshot(window: QQuickWindow, name: str) -> Path:
    """A screenshot for artifacts/kiosk/, and for docs/images/ too with UPDATE_DOCS_IMAGES=1 (the
    pictures in the repository change only when asked to)."""
    path = screenshot(window, name)
    if os.environ.get("UPDATE_DOCS_IMAGES") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        assert window.grabWindow().save(str(DOCS_IMAGES / f"{name}.png"))
    return path
