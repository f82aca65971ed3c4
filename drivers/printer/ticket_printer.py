"""TicketPrinter: one configured printer, its status, and jobs that fail loudly and never repeat."""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

from drivers.printer import commands as c
from drivers.printer.connection import ConnectionLost, Link, PrinterError, open_link, parse_printer_url
from drivers.printer.documents import Document
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.render import render
from drivers.printer.status import PrinterStatus, from_replies, valid_reply

log = logging.getLogger(__name__)

PROBLEMS = {
    "paper_out": "打印机缺纸 / printer is out of paper",
    "cover_open": "打印机纸仓盖打开 / printer cover is open",
    "printer_error": "打印机故障（切刀或机芯） / printer error (cutter or mechanism)",
    "offline": "打印机脱机 / printer is offline",
}


class TicketPrinter:
    """A printer at a URL with a profile.

    print_document never sends a job twice: it checks the status first (when the printer can
    answer), sends once, and raises PrinterError on any failure. A lost device is closed; the next
    call opens it again.
    """

    def __init__(self, url: str, profile: str | PrinterProfile = "80mm", status_timeout: float = 0.5) -> None:
        self.url = url
        self.address = parse_printer_url(url)
        self.profile = get_profile(profile)
        self.status_timeout = status_timeout
        self.last_status = PrinterStatus(detail="not queried yet")
        self._answers_status = False  # this printer has given a valid status reply before
        self._link: Link | None = None
        self._lock = threading.Lock()  # one job or query at a time: replies must match their question

    # -- connection -------------------------------------------------------------------------------
    def _connect(self) -> Link:
        if self._link is None:
            self._link = open_link(self.address)
        return self._link

    def _drop(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None

    def connect(self) -> None:
        """Opens the device now (it is otherwise opened by the first query or job); raises PrinterError."""
        with self._lock:
            self._connect()

    def close(self) -> None:
        with self._lock:
            self._drop()

    def __enter__(self) -> TicketPrinter:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- status -----------------------------------------------------------------------------------
    def status(self, timeout: float = 1.0) -> PrinterStatus:
        """Queries DLE EOT 1, 2, 4. Never raises: what did not answer is unknown."""
        with self._lock:
            try:
                link = self._connect()
                st = self._query(link, timeout)
            except ConnectionLost as exc:
                self._drop()
                st = PrinterStatus(detail=str(exc))
            except PrinterError as exc:
                st = PrinterStatus(detail=str(exc))
            self.last_status = st
            return st

    def _query(self, link: Link, timeout: float) -> PrinterStatus:
        if not link.can_read:
            return PrinterStatus(detail=f"{link.addr.scheme} 连接无法读取状态 / a {link.addr.scheme} "
                                 "connection cannot read status")
        deadline = time.monotonic() + timeout
        replies: list[int | None] = []
        invalid = False
        for query in (c.STATUS_PRINTER, c.STATUS_OFFLINE_CAUSE, c.STATUS_PAPER):
            link.drain()
            link.write(query)
            reply = link.read(1, deadline - time.monotonic())
            if not reply:
                break  # a printer that ignores one query ignores the rest: do not wait three times
            invalid = invalid or not valid_reply(reply[0])
            replies.append(reply[0] if valid_reply(reply[0]) else None)
        replies += [None] * (3 - len(replies))
        if replies[0] is not None:
            self._answers_status = True
        detail = ""
        if invalid:
            detail = ("打印机应答无效：串口波特率或流控可能不对 / invalid status reply: "
                      "wrong baud rate or flow control?")
        elif None in replies:
            detail = (f"打印机 {timeout:g} 秒内无应答：状态未知 / no reply within {timeout:g} s: "
                      "status unknown (many printers cannot report status)")
        return from_replies(replies[0], replies[1], replies[2], detail)

    # -- jobs -------------------------------------------------------------------------------------
    def print_document(self, doc: Document | bytes) -> int:
        """Sends one document (or pre-rendered bytes); returns the number of bytes sent."""
        data = doc if isinstance(doc, bytes | bytearray) else render(doc, self.profile)
        with self._lock:
            link, before = self._connect_checked()
            problem = before.problem
            if problem:
                raise PrinterError(f"{PROBLEMS[problem]}：未打印 / nothing printed", problem)
            try:
                link.write(bytes(data))
                # At 9600 baud a long job sits in the serial driver for seconds; the status query
                # after it must not time out while the job is still on the wire.
                link.wait_sent()
            except ConnectionLost as exc:
                self._drop()
                raise PrinterError(f"打印中断，凭条可能不完整，未自动重打 / job interrupted, the ticket "
                                   f"may be incomplete; not resent automatically: {exc}", "interrupted",
                                   maybe_printed=True) from exc
            if before.online is not None:
                # This printer answers status: ask again, since a printer that lost power or paper
                # mid-job swallows the rest silently.
                self._check_after_job(link)
            return len(data)

    def _connect_checked(self) -> tuple[Link, PrinterStatus]:
        """Opens (or reopens after a loss) and reads the status, retrying once on a fresh connection
        when the old one was dead or a printer that used to answer has gone quiet."""
        for attempt in (1, 2):
            link = self._connect()
            try:
                st = self._query(link, self.status_timeout)
            except ConnectionLost:
                self._drop()
                if attempt == 2:
                    raise
                continue
            self.last_status = st
            if st.online is None and self._answers_status and link.can_read:
                # It answered before and is silent now: powered off, or a dead network path that
                # would swallow the job. Do not send into the void.
                self._drop()
                if attempt == 2:
                    raise PrinterError("打印机不再应答状态查询（可能已断电）：未打印 / the printer stopped "
                                       "answering status queries (powered off?): nothing printed", "no_reply")
                continue
            return link, st
        raise PrinterError("无法连接打印机 / cannot reach the printer", "not_found")

    def _check_after_job(self, link: Link) -> None:
        try:
            after = self._query(link, self.status_timeout)
        except ConnectionLost as exc:
            self._drop()
            raise PrinterError(f"打印后打印机断开，凭条可能未打出 / printer went away after the job; "
                               f"the ticket may not have printed: {exc}", "lost_after_job",
                               maybe_printed=True) from exc
        self.last_status = after
        if after.online is None:
            raise PrinterError("打印后打印机无应答，凭条可能未打出 / printer stopped answering after "
                               "the job; the ticket may not have printed", "no_reply_after_job",
                               maybe_printed=True)
        if after.problem in ("paper_out", "cover_open", "printer_error"):
            raise PrinterError(f"{PROBLEMS[after.problem]}：凭条可能不完整 / the ticket may be incomplete",
                               after.problem, maybe_printed=True)


def open_printer(url: str, profile: str | PrinterProfile = "80mm") -> TicketPrinter:
    """A TicketPrinter for a URL (usb://VID:PID, serial:///dev/…?baud=&flow=, tcp://host:9100,
    file:///dev/usb/lp0, dummy:). The device is opened at the first status query or job."""
    return TicketPrinter(url, profile)
