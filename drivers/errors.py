"""Errors shared by every device, with messages maintenance staff can act on (Chinese / English)."""

from __future__ import annotations

import errno
import os


class DeviceError(Exception):
    """A device could not be used. `kind` is a stable code for programs; str() is for people."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


# The kiosk's udev rules: packaging/udev/61-hall-kiosk-devices.rules, installed there by hall-kiosk.
UDEV_RULES = "/lib/udev/rules.d/61-hall-kiosk-devices.rules"
UDEV_HINT = (
    "把运行用户加入 dialout 组（sudo usermod -aG dialout $USER）或安装 hall-kiosk 软件包的 udev 规则 / "
    f"add the user to the dialout group or install the udev rules ({UDEV_RULES}, from the hall-kiosk "
    "package; source packaging/udev/61-hall-kiosk-devices.rules)"
)


def describe_open_error(port: str, exc: BaseException) -> DeviceError:
    """Turns an OS or pyserial error raised while opening `port` into a clear DeviceError."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return DeviceError(f"没有权限打开 {port} / permission denied on {port}. {UDEV_HINT}", "permission")
    if code == errno.ENOENT or "No such file" in text or (port.startswith("/") and not os.path.exists(port)):
        return DeviceError(f"找不到端口 {port}：设备未连接或路径错误 / no such port {port}: "
                           "device not connected or wrong path (see `python -m drivers ports`)", "not_found")
    if code == errno.EBUSY or "exclusively lock" in text or "Device or resource busy" in text:
        return DeviceError(f"端口 {port} 正被其他程序占用 / port {port} is busy (used by another program)",
                           "busy")
    return DeviceError(f"无法打开 {port} / cannot open {port}: {text}", "open_failed")
