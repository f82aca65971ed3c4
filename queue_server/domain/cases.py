"""The rectification case (整改) of a bad rating: which action is allowed from which state."""

from datetime import date

# action -> (allowed from, resulting state)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "respond": (frozenset({"open", "responded"}), "responded"),  # the owner's answer (may be revised)
    "callback": (frozenset({"responded", "called_back"}), "called_back"),  # 回访 after the answer
    "close": (frozenset({"called_back"}), "closed"),
    "appeal": (frozenset({"open", "responded"}), "appealing"),  # the rating was mistaken or malicious
    "approve": (frozenset({"appealing"}), "appealed"),  # a manager agrees: the rating leaves the rates
    "reject": (frozenset({"appealing"}), "open"),
}
FINAL: frozenset[str] = frozenset({"closed", "appealed"})
STATE_ZH = {
    "open": "待整改",
    "responded": "已答复",
    "called_back": "已回访",
    "closed": "已办结",
    "appealing": "申诉中",
    "appealed": "申诉成立",
}
ACTION_ZH = {
    "respond": "答复",
    "callback": "回访",
    "close": "办结",
    "appeal": "申诉",
    "approve": "批准申诉",
    "reject": "驳回申诉",
}
# Deciding an appeal is a manager's, whoever handles the case.
DECISIONS: frozenset[str] = frozenset({"approve", "reject"})


def next_state(state: str, action: str) -> str | None:
    allowed, result = TRANSITIONS[action]
    return result if state in allowed else None


def overdue(state: str, due_on: date, today: date) -> bool:
    """Past its due date and not finished (the due date itself is still in time)."""
    return state not in FINAL and today > due_on
