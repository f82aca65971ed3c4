"""HTTP client of the queue server's v1 API. Blocking calls: run them on a worker thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import requests

from kiosk import __version__

# Waits between attempts of an issue request; the same idempotency key makes a retry safe.
ISSUE_BACKOFF_S = (0.3, 0.8, 1.5, 3.0)


def booking_token(scanned: str) -> str | None:
    """The booking's token from a scanned booking QR code (the server's `booking_url`:
    …/book/{hall}?booking=TOKEN), or None when the code is something else (e.g. a ticket's)."""
    parts = urlsplit(scanned.strip())
    if "/book/" not in parts.path:
        return None
    tokens = parse_qs(parts.query).get("booking")
    return tokens[0] if tokens else None


class ApiError(Exception):
    """The server answered with an error status: its message in both languages, its `code` (e.g.
    "closed", "unstaffed", "self_service") and the body's other facts (e.g. `next_open`)."""

    def __init__(self, status: int, detail: str, *, detail_en: str = "", code: str = "",
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status}: {code or detail}")
        self.status = status
        self.detail = detail
        self.detail_en = detail_en
        self.code = code
        self.body = body or {}

    def text(self, lang: str) -> str:
        return self.detail_en if lang == "en" and self.detail_en else self.detail


class NetworkError(Exception):
    """The server could not be reached (or answered with a 5xx)."""


class ApiClient:
    def __init__(self, base_url: str, hall: str, token: str = "", timeout_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.hall = hall
        self.token = token
        self.timeout_s = timeout_s
        self._local = threading.local()  # one requests.Session per worker thread

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = f"hall-kiosk/{__version__}"
            self._local.session = session
        return session

    def _request(self, method: str, path: str, *, json: Any = None, auth: bool = False) -> Any:
        headers = {"Accept": "application/json"}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            resp = self._session().request(method, self.base_url + path, json=json, headers=headers,
                                           timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise NetworkError(type(exc).__name__) from None
        if resp.status_code >= 500:
            raise NetworkError(f"HTTP {resp.status_code}")
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise ApiError(resp.status_code, resp.reason or str(resp.status_code))
            detail = body.get("detail", resp.reason)
            raise ApiError(resp.status_code, detail if isinstance(detail, str) else str(resp.reason),
                           detail_en=str(body.get("detail_en") or ""), code=str(body.get("code") or ""),
                           body=body)
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            raise NetworkError("invalid JSON") from None

    def _hall_path(self) -> str:
        return f"/api/v1/halls/{quote(self.hall, safe='')}"

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/healthz")

    def halls(self) -> list[dict[str, Any]]:
        return self._request("GET", "/api/v1/halls")

    def start_pairing(self) -> dict[str, Any]:
        """A pairing code to show and the secret to claim the credential with (docs/design.md)."""
        return self._request("POST", "/api/v1/pairing", json={"kind": "kiosk"})

    def claim_pairing(self, secret: str) -> dict[str, Any] | None:
        """The credential once a manager entered the code; None (202 "pending") while waiting."""
        got = self._request("POST", "/api/v1/pairing/claim", json={"secret": secret})
        return got if isinstance(got, dict) and "token" in got else None

    def zones(self) -> list[dict[str, Any]]:
        return self._request("GET", self._hall_path() + "/zones")

    def services(self) -> list[dict[str, Any]]:
        return self._request("GET", self._hall_path() + "/services")

    def guide(self, code: str) -> dict[str, Any]:
        return self._request("GET", f"{self._hall_path()}/services/{quote(code, safe='')}")

    def issue_ticket(self, service: str, idempotency_key: str, id_card: dict[str, Any] | None,
                     sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
        """POST the ticket, retrying network failures with the same key (never a second ticket)."""
        body: dict[str, Any] = {"service": service, "idempotency_key": idempotency_key, "channel": "kiosk"}
        if id_card:
            body["id_card"] = id_card
        for wait in (*ISSUE_BACKOFF_S, None):
            try:
                return self._request("POST", self._hall_path() + "/tickets", json=body, auth=True)
            except NetworkError:
                if wait is None:
                    raise
                sleep(wait)
        raise NetworkError("unreachable")  # the loop always returns or raises

    def ticket_by_token(self, token: str) -> dict[str, Any]:
        return self._request("GET", f"/api/v1/public/tickets/{quote(token, safe='')}")

    def ticket_by_number(self, number: str) -> dict[str, Any]:
        return self._request("GET", f"{self._hall_path()}/public/tickets/by-number/{quote(number, safe='')}")

    def rate(self, token: str, level: int) -> dict[str, Any]:
        """好差评 by the ticket's holder: the token (from the ticket's QR code) is the credential."""
        return self._request("POST", f"/api/v1/public/tickets/{quote(token, safe='')}/evaluation",
                             json={"level": level})

    def heartbeat(self, status: dict[str, Any]) -> int:
        """Send device status; returns the HTTP status (404/401 tolerated: older servers)."""
        try:
            body = {"version": __version__, "status": status}
            self._request("POST", "/api/v1/devices/heartbeat", json=body, auth=True)
        except ApiError as exc:
            return exc.status
        return 204

    def check_in(self, *, token: str | None = None, id_number: str | None = None) -> dict[str, Any]:
        """Check a booking in (scanned QR token or the ID card's number): the ticket, `outcome` on_time
        or late, and the message to show; ApiError 409 when too early (its detail says when to come)."""
        body = {"token": token} if token else {"id_number": id_number}
        return self._request("POST", self._hall_path() + "/appointments/check-in", json=body, auth=True)

    def reactivate(self, ticket_token: str) -> dict[str, Any]:
        """A missed call (过号) rejoins the queue, when the hall allows it (ApiError 409 says the rule)."""
        body = {"token": ticket_token}
        return self._request("POST", self._hall_path() + "/reactivations", json=body, auth=True)
