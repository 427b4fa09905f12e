"""Column types: money as BIGINT satang, moments as aware UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

from shopledger.domain.money import CENT


class Money(TypeDecorator):
    """Decimal baht in Python, integer satang in the database (SQLite's NUMERIC is a float)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, int):
            raise TypeError("Money columns take Decimal baht, not int (satang would be ambiguous)")
        return int(value.quantize(CENT) * 100)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(CENT)

    def __repr__(self) -> str:
        return "Money()"


class UtcDateTime(TypeDecorator):
    """Aware datetimes only; stored in UTC and handed back aware on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def __repr__(self) -> str:
        return "UtcDateTime()"
