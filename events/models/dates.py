"""Dates people type: only what PostgreSQL and Python can both read back.

A time typed in the newsroom's zone is stored in UTC. 0001-01-01 00:00 in Kyiv (then on local
mean time, +02:02) is 31 December of year 0 in UTC: PostgreSQL stores it as a BC timestamp that
no Python driver can read, and every page listing the row fails. So a typed time is refused
unless its UTC value falls within years 1 to 9999.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
OUT_OF_RANGE = "Enter a date and time between the years 1 and 9999."


def validate_storable(value: datetime | None) -> None:
    """Refuse a date-time whose UTC value lies outside years 1 to 9999."""
    if value is None or value.tzinfo is None:
        return
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range") from None
