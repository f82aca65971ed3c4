"""Audit entries in words: "张三 在 5号窗口 呼叫 S003" / "zhangsan at Window 5 called S003".

One table, action → (Chinese verb, English verb): the console shows the sentence, never codes or
internal ids. Tickets are named by their number (kept in the entry's before/after), windows by label.
"""

from __future__ import annotations

from typing import Any

from .tickets import window_label

VERBS: dict[str, tuple[str, str]] = {
    "ticket.issue": ("取号", "issued"),
    "ticket.call": ("呼叫", "called"),
    "ticket.recall": ("重呼", "recalled"),
    "ticket.start": ("开始办理", "started serving"),
    "ticket.finish": ("办结", "finished"),
    "ticket.no_show": ("过号", "marked as no-show"),
    "ticket.no-show": ("过号", "marked as no-show"),
    "ticket.transfer": ("转办", "transferred"),
    "ticket.cancel": ("取消", "cancelled"),
    "ticket.evaluate": ("评价", "rated"),
    "window.update": ("调整", "changed"),
    "window.sign_in": ("签到", "signed in at"),
    "window.takeover": ("接替签到", "took over"),
    "window.create": ("新增窗口", "added"),
    "window.changed": ("调整", "changed"),
    "user.lock": ("锁定账号", "locked account"),
    "user.login_failed": ("登录失败", "failed to sign in as"),
    "service.update": ("修改事项", "changed item"),
    "zone.update": ("修改功能区", "changed zone"),
    "calendar.import": ("导入节假日", "imported the holiday calendar"),
    "personal_data.purge": ("清理过期个人信息", "purged expired personal data of"),
    "window.sign_out": ("签退", "signed out of"),
    "window.delete": ("删除", "deleted"),
    "closure.add": ("新增停办", "added a closure"),
    "closure.remove": ("取消停办", "removed a closure"),
    "notice.add": ("新增公告", "added a notice"),
    "notice.update": ("修改公告", "changed a notice"),
    "notice.remove": ("删除公告", "removed a notice"),
    "device.add": ("登记设备", "registered device"),
    "device.revoke": ("吊销设备", "revoked device"),
    "device.rotate": ("更换设备凭据", "renewed the key of device"),
    "device.status": ("上报状态", "reported status of"),
    "user.create": ("创建账号", "created account"),
    "user.disable": ("停用账号", "disabled account"),
    "user.login": ("登录", "signed in"),
    "user.logout": ("退出登录", "signed out"),
    "user.reset_password": ("重置密码", "reset the password of"),
    "hall.create": ("创建大厅", "created hall"),
    "service.create": ("新增事项", "added item"),
    "service.delete": ("删除事项", "deleted item"),
    "zone.create": ("新增功能区", "added zone"),
    "zone.delete": ("删除功能区", "deleted zone"),
}
STATES = {"open": ("开放", "open"), "paused": ("暂停", "paused"), "closed": ("关闭", "closed")}


def _object(entry: dict[str, Any]) -> tuple[str, str]:
    """What the action was done to, in words (a ticket by its number, never its database id)."""
    kind, ident = entry["object_type"], str(entry["object_id"] or "")
    after, before = entry.get("after") or {}, entry.get("before") or {}
    if kind == "ticket":
        number = after.get("number") or before.get("number") or ""
        return number, number
    if kind == "window":
        zh, en = window_label(ident)
        return zh, en
    if kind == "notice":  # named by its words, cut short: the log stays one line
        words = str(after.get("text") or before.get("text") or "")
        short = words if len(words) <= 16 else words[:15] + "…"
        return f"「{short}」", f"“{short}”"
    if kind in ("user", "device", "service", "zone", "hall"):
        return ident, ident
    return "", ""


def _detail(entry: dict[str, Any]) -> tuple[str, str]:
    after, before = entry.get("after") or {}, entry.get("before") or {}
    action = entry["action"]
    if action == "window.update" and after.get("state") != before.get("state") and after.get("state"):
        zh, en = STATES.get(after["state"], (after["state"], after["state"]))
        return f"（设为{zh}）", f" (now {en})"
    if action == "window.update" and after.get("skills") != before.get("skills"):
        return f"（事项 {len(before.get('skills') or [])} → {len(after.get('skills') or [])} 项）", (
            f" (items {len(before.get('skills') or [])} → {len(after.get('skills') or [])})"
        )
    if action == "ticket.transfer" and after.get("service") != before.get("service"):
        return f"（转至事项 {after.get('service')}）", f" (to item {after.get('service')})"
    return "", ""


def sentence(entry: dict[str, Any]) -> tuple[str, str]:
    """(Chinese, English) sentence of one audit entry."""
    who = entry["actor"] or "系统"
    who_en = entry["actor"] or "system"
    # an action without words yet reads "操作" rather than showing its code
    verb_zh, verb_en = VERBS.get(entry["action"], ("操作", "acted on"))
    obj_zh, obj_en = _object(entry)
    where_zh = where_en = ""
    if entry.get("window") and entry["object_type"] != "window":
        label = window_label(entry["window"])
        where_zh, where_en = f" 在 {label[0]}", f" at {label[1]}"
    more_zh, more_en = _detail(entry)
    zh = f"{who}{where_zh} {verb_zh} {obj_zh}".rstrip() + more_zh
    en = f"{who_en}{where_en} {verb_en} {obj_en}".rstrip() + more_en
    return zh, en
