"""Find halls, items, windows and tickets by their public keys, or raise NotFound."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Hall, Service, Ticket, Window
from .errors import NotFound


def hall(session: Session, code: str) -> Hall:
    found = session.scalar(select(Hall).where(Hall.code == code))
    if found is None:
        raise NotFound(f"没有编号为 {code} 的大厅", f"unknown hall: {code}")
    return found


def service(session: Session, hall_: Hall, code: str) -> Service:
    found = session.scalar(select(Service).where(Service.hall_id == hall_.id, Service.code == code))
    if found is None:
        raise NotFound(f"没有编码为 {code} 的事项", f"unknown service item: {code}")
    return found


def window(session: Session, hall_: Hall, code: str) -> Window:
    found = session.scalar(select(Window).where(Window.hall_id == hall_.id, Window.code == code))
    if found is None:
        raise NotFound(f"没有 {code} 号窗口", f"unknown window: {code}")
    return found


def ticket(session: Session, ticket_id: int) -> Ticket:
    found = session.get(Ticket, ticket_id)
    if found is None:
        raise NotFound(f"没有编号为 {ticket_id} 的号票", f"unknown ticket: {ticket_id}")
    return found


def ticket_by_token(session: Session, token: str) -> Ticket:
    found = session.scalar(select(Ticket).where(Ticket.token == token))
    if found is None:
        raise NotFound("没有这张号票", "unknown ticket")
    # A transferred ticket lives on as its successor: follow the chain.
    while found.transferred_to_id is not None:
        found = session.get(Ticket, found.transferred_to_id)
        assert found is not None
    return found
