"""What a window decides when it finishes a ticket, what each decision needs, and its printed slip."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    zh: str
    en: str
    needs: tuple[str, ...]  # fields the decision must carry: missing (materials), owed_by, reason
    slip_zh: str | None  # the slip the counter prints for it (None: nothing to print)
    slip_en: str | None
    completed: bool  # counts as 办结 in the completion rate


KINDS: dict[str, Kind] = {
    "accepted": Kind("受理", "Accepted", (), "受理单", "Acceptance slip", True),
    "notice": Kind(
        "一次性告知", "Notice of missing materials", ("missing",), "一次性告知单", "One-time notice", False
    ),
    "deferred": Kind(
        "容缺受理",
        "Accepted, materials owed",
        ("missing", "owed_by"),
        "容缺受理单",
        "Acceptance slip (materials owed)",
        True,
    ),
    "refused": Kind("不予受理", "Not accepted", ("reason",), "不予受理通知书", "Notice of refusal", False),
    "consult": Kind("咨询", "Consultation", (), None, None, True),
}
