"""Column values to and from plain JSON-friendly values (for export, import, API and audit)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, Time
from sqlalchemy.sql.schema import Column


def to_plain(value: Any) -> Any:
    """date → "2026-01-31", time → "09:00:00", enum → its value; others as they are."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def from_plain(column: Column, value: Any) -> Any:
    """The Python value ``column`` stores for a plain value; raises ValueError when invalid."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if isinstance(kind, Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if isinstance(kind, Time):
        moment = value if isinstance(value, time) else time.fromisoformat(str(value))
        if moment.tzinfo is not None:
            raise ValueError(f"a wall-clock time has no time zone: {value!r}")
        return moment
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "kyllä"):
            return True
        if text in ("false", "0", "no", "ei"):
            return False
        raise ValueError(f"not a truth value: {value!r}")
    if isinstance(kind, Integer):
        if isinstance(value, bool):
            raise ValueError(f"not a whole number: {value!r}")
        return int(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value.value if isinstance(value, enum.Enum) else value)
    if not isinstance(value, str):
        raise ValueError(f"not text: {value!r}")
    return value
