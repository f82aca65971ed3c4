"""QR codes for QML: `image://qr/<percent-encoded text>` renders the code as a crisp QImage."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

import qrcode
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider


def qr_source(text: str) -> str:
    return "image://qr/" + quote(text, safe="")


@lru_cache(maxsize=8)  # bounded: one entry per recent ticket, no growth over months
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(text: str, size: int) -> QImage:
    matrix = qr_matrix(text)
    modules = len(matrix)
    scale = max(1, size // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * scale, y * scale, scale, scale, black)
    painter.end()
    return image


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, image_id: str, size: QSize, requested_size: QSize) -> QImage:
        edge = max(requested_size.width(), requested_size.height(), 400)
        image = qr_image(unquote(image_id), edge)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
