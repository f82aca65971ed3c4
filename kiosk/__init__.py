"""Kiosk: the 24-hour touchscreen app (PySide6)."""
