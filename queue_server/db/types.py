"""Column types shared by the models."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database.

    SQLite has no time zone support and hands back naive values; normalising here keeps the rest of
    the code free of "is this aware?" checks.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return _utc(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None]:
        # The same as process_result_value, one call per value instead of three: queue reads fetch
        # hundreds of datetimes at a time.
        parse = self.impl_instance.result_processor(dialect, coltype)
        if parse is None:  # the driver hands datetimes back (PostgreSQL: aware ones)
            return _utc
        if dialect.name == "sqlite":
            return _sqlite_utc  # SQLite hands back the naive UTC text we stored

        def process(value: Any) -> datetime | None:
            return None if value is None else _utc(parse(value))

        return process


def _sqlite_utc(value: str | None) -> datetime | None:
    # Parsing the text with its offset appended is one C call; `replace(tzinfo=…)` on the parsed
    # value costs six times as much, and screens read hundreds of these per request.
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # not the stored form (e.g. written with an offset by hand)
        return _utc(datetime.fromisoformat(value))


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
