"""QR codes for QML: `image://qr/<percent-encoded text>` renders the code as a crisp QImage."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

import qrcode
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
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
    # One grey byte per module, then an integer nearest-neighbour scale: crisp edges, no painter.
    # (QPainter.fillRect(int, int, int, int, QColor) leaks a reference to None per call in
    # PySide6 6.12, which crashes Python 3.11 after a few thousand tickets.)
    matrix = qr_matrix(text)
    modules = len(matrix)
    scale = max(1, size // modules)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = QImage(pixels, modules, modules, modules, QImage.Format.Format_Grayscale8).copy()
    return image.scaled(modules * scale, modules * scale, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.FastTransformation)


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, image_id: str, size: QSize, requested_size: QSize) -> QImage:
        edge = max(requested_size.width(), requested_size.height(), 400)
        image = qr_image(unquote(image_id), edge)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
