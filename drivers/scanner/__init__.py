"""Serial QR / barcode scanners (booking codes, ticket codes)."""

from drivers.scanner.line_scanner import TERMINATORS, LineScanner, ScannerError, ScanPoller, decode_scan

__all__ = ["TERMINATORS", "LineScanner", "ScanPoller", "ScannerError", "decode_scan"]
