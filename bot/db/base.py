"""The declarative base every table of the project shares, and the clock its rows use."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    """Now in UTC without a zone: the form every ``DateTime`` column stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
