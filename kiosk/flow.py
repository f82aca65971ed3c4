"""The citizen's flow as one table: which event leads from which screen to which screen.

Pure Python (no Qt), like queue_server/domain/lifecycle.py for tickets. The Qt side
(kiosk/backend.py) only turns touches, device input and server answers into events and shows the
screen this table names. After hours is not a special case: "can a ticket be taken now?" is an
event of its own (closed / unstaffed / self_service / kiosk_down), decided before identity, and the
server's late refusals (409 closed / unstaffed / self_service) are the same events from `issuing`.
Appointment check-in (预约签到) is a branch of its own: from Home's button, or a booking QR code scanned
on any idle citizen screen; the server's answer is a ticket (on time or late) or a refusal.

    python -m kiosk.flow --markdown     # the table printed in kiosk/README.md
"""

from __future__ import annotations

import argparse
from typing import Literal, get_args

Screen = Literal[
    "home",
    "services",
    "guide",
    "unavailable",
    "identity",
    "keypad",
    "confirm",
    "issuing",
    "ticket",
    "error",
    "lookup",
    "lookupResult",
    "checkin",
    "checkingIn",
    "checkinTicket",
    "checkinRefused",
    "pin",
    "maintenance",
]

SCREENS: tuple[str, ...] = get_args(Screen)  # in the order above, which the README table follows
# Screens where a citizen's data may exist: the idle timeout and Home wipe it.
CITIZEN: tuple[str, ...] = tuple(s for s in SCREENS if s not in ("pin", "maintenance"))
# A request to the server is under way: no touch, scan or timeout leaves these; the answer does.
BUSY: tuple[str, ...] = ("issuing", "checkingIn")

# Why no ticket can be taken now: each is an event of its own, from the guide (before identity) and
# from issuing (the server's 409 `code`, when the state changed meanwhile).
REFUSALS: tuple[str, ...] = ("closed", "unstaffed", "self_service")

EVENTS: tuple[str, ...] = (
    "zone",
    "common",
    "service",
    "take",
    *REFUSALS,
    "kiosk_down",
    "use_keypad",
    "identified",
    "skip",
    "confirm",
    "issued",
    "refused",
    "failed",
    "retry",
    "lookup",
    "found",
    "checkin",
    "booking",
    "checked_in",
    "checkin_refused",
    "back",
    "home",
    "idle",
    "secret",
    "pin_ok",
    "leave",
)

# (screen, event) -> next screen. Anything not listed is ignored (e.g. a card on the reader at Home).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("home", "zone"): "services",
    ("home", "common"): "services",
    ("home", "service"): "guide",
    ("home", "secret"): "pin",
    ("services", "service"): "guide",
    ("services", "back"): "home",
    ("guide", "take"): "identity",
    **{("guide", reason): "unavailable" for reason in (*REFUSALS, "kiosk_down")},
    ("guide", "back"): "services",
    ("unavailable", "back"): "guide",
    ("identity", "use_keypad"): "keypad",
    ("identity", "identified"): "confirm",
    ("identity", "skip"): "confirm",
    ("identity", "back"): "guide",
    ("keypad", "identified"): "confirm",
    ("keypad", "back"): "identity",
    ("confirm", "identified"): "confirm",  # another card on the reader: the newest one counts
    ("confirm", "confirm"): "issuing",
    ("confirm", "back"): "guide",
    ("issuing", "issued"): "ticket",
    **{("issuing", reason): "unavailable" for reason in (*REFUSALS, "kiosk_down")},
    ("issuing", "refused"): "error",  # limits, quota, identity: the server says why
    ("issuing", "failed"): "error",  # network: retry with the same idempotency key
    ("error", "retry"): "issuing",
    ("error", "back"): "guide",
    ("lookup", "back"): "home",
    ("lookupResult", "back"): "lookup",
    # Check-in: a card on the reader there, or a booking QR code scanned on any idle citizen screen.
    ("home", "checkin"): "checkin",
    ("checkin", "identified"): "checkingIn",
    ("checkin", "back"): "home",
    ("checkingIn", "checked_in"): "checkinTicket",  # on time (appointment class) or late (ordinary)
    ("checkingIn", "checkin_refused"): "checkinRefused",  # too early, no booking, cancelled, …
    ("checkingIn", "failed"): "checkinRefused",  # network: retry (the server gives the same ticket)
    ("checkinRefused", "retry"): "checkingIn",
    ("checkinRefused", "identified"): "checkingIn",  # another card: try again with it
    ("checkinRefused", "back"): "checkin",
    **{(screen, "booking"): "checkingIn" for screen in CITIZEN if screen not in BUSY},
    ("pin", "pin_ok"): "maintenance",
    ("pin", "leave"): "home",
    ("maintenance", "leave"): "home",
    # Look-up is open at any hour from any citizen screen but a running issue; a ticket scanned
    # there shows its status.
    **{(screen, "lookup"): "lookup" for screen in CITIZEN if screen not in (*BUSY, "lookup")},
    **{(screen, "found"): "lookupResult" for screen in CITIZEN if screen not in BUSY},
    # Home and the idle timeout end the session from anywhere but Home and a running request.
    **{(screen, "home"): "home" for screen in SCREENS if screen not in ("home", *BUSY)},
    **{(screen, "idle"): "home" for screen in SCREENS if screen not in ("home", *BUSY)},
}

# Screens without an idle timeout: Home has nothing to wipe; a running request ends by itself.
NO_IDLE: frozenset[str] = frozenset({"home", *BUSY})
# The technician's screens get a longer timeout (a factor of the citizen's).
IDLE_FACTOR: dict[str, int] = {"pin": 4, "maintenance": 4}


def next_screen(screen: str, event: str) -> str | None:
    """The screen after `event` on `screen`, or None when the event does nothing there."""
    return TRANSITIONS.get((screen, event))


def take_event(*, online: bool, printer_ok: bool, item: dict) -> str:
    """The event of a "take a ticket" touch on an item's guide: decided before identity and confirm.

    The server decides availability (`can_issue` and why not); the kiosk adds only what it knows
    itself (network, printer). A server without the availability fields counts as open.
    """
    if not online:
        return "kiosk_down"
    if item.get("self_service"):
        return "self_service"
    if item.get("can_issue", True):
        return "take" if printer_ok else "kiosk_down"
    if not item.get("open_now", True):
        return "closed"
    return "unstaffed"


def markdown() -> str:
    """The table as Markdown: screens down, events across, the next screen in each cell."""
    used = [e for e in EVENTS if any((s, e) in TRANSITIONS for s in SCREENS)]
    lines = ["| screen \\ event | " + " | ".join(f"`{e}`" for e in used) + " |", "|---|" + "---|" * len(used)]
    for screen in SCREENS:
        cells = [TRANSITIONS.get((screen, e), "") for e in used]
        lines.append(f"| **{screen}** | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m kiosk.flow", description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the screens × events table")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(), end="")
    else:
        for (screen, event), target in TRANSITIONS.items():
            print(f"{screen:>12} --{event}--> {target}")


if __name__ == "__main__":
    main()
