"""ESC/POS ticket printers: documents, profiles, rendering to bytes, connections and status."""

from drivers.printer.connection import PrinterError, parse_printer_url
from drivers.printer.documents import (
    DEFAULT_NOTICE,
    AppointmentSlip,
    Document,
    Material,
    NoticeSlip,
    QueueTicket,
    example_appointment_slip,
    example_notice_slip,
    example_ticket,
)
from drivers.printer.profiles import PROFILES, PrinterProfile, get_profile
from drivers.printer.render import render
from drivers.printer.status import PrinterStatus
from drivers.printer.ticket_printer import TicketPrinter, open_printer

__all__ = [
    "DEFAULT_NOTICE",
    "PROFILES",
    "AppointmentSlip",
    "Document",
    "Material",
    "NoticeSlip",
    "PrinterError",
    "PrinterProfile",
    "PrinterStatus",
    "QueueTicket",
    "TicketPrinter",
    "example_appointment_slip",
    "example_notice_slip",
    "example_ticket",
    "get_profile",
    "open_printer",
    "parse_printer_url",
    "render",
]
