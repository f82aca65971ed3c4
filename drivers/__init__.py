"""Device drivers: ESC/POS printer, ID card reader, QR scanner, their simulators and diagnostics.

Imports neither Qt nor the queue server, so the kiosk, the maintenance CLI and the tests share it.
"""
