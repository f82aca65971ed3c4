"""Rotating log files plus an in-memory tail for the maintenance screen.

ID card data is never passed to the logger anywhere in the kiosk; the tail is bounded so it
cannot grow over months of operation.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections import deque
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TailHandler(logging.Handler):
    def __init__(self, lines: int = 200) -> None:
        super().__init__()
        self.lines: deque[str] = deque(maxlen=lines)
        self.setFormatter(logging.Formatter(FORMAT, "%m-%d %H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.handleError(record)


TAIL = TailHandler()


def setup_logging(log_dir: Path, level: int = logging.INFO, max_bytes: int = 1_000_000,
                  backups: int = 5) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                        encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    if TAIL not in root.handlers:
        root.addHandler(TAIL)
    return path


def recent(lines: int = 60) -> list[str]:
    return list(TAIL.lines)[-lines:]
