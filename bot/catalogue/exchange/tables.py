"""The catalogue's tables (``bot.catalogue.tables``) and their rows as plain values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bot.catalogue.tables import CHILD_TABLES, LINK_TABLES, MODELS
from bot.catalogue.values import to_plain

TABLE_ORDER = list(MODELS) + list(LINK_TABLES)
__all__ = ["CHILD_TABLES", "LINK_TABLES", "MODELS", "TABLE_ORDER"]
SKIPPED_COLUMNS = {"weekly_opening_hours": {"id"}, "opening_exception": {"id"}}


def columns(table: str) -> list[str]:
    if table in LINK_TABLES:
        return [c.name for c in LINK_TABLES[table].columns]
    skipped = SKIPPED_COLUMNS.get(table, set())
    return [c.key for c in inspect(MODELS[table]).column_attrs if c.key not in skipped]


def column_object(table: str, name: str):
    if table in LINK_TABLES:
        return LINK_TABLES[table].c[name]
    return MODELS[table].__table__.c[name]


def primary_key(table: str) -> tuple[str, ...]:
    if table in LINK_TABLES:
        return tuple(c.name for c in LINK_TABLES[table].primary_key.columns)
    return tuple(c.key for c in inspect(MODELS[table]).primary_key)


def _sort_key(table: str, row: dict[str, Any]) -> tuple:
    if table == "weekly_opening_hours":
        keys = ("channel_id", "weekday_from", "opens", "closes", "valid_from")
    elif table == "opening_exception":
        keys = ("channel_id", "date_from", "opens", "reason_fi")
    else:
        keys = primary_key(table)
    return tuple("" if row.get(k) is None else str(row.get(k)) for k in keys)


def read_rows(session: Session, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` as plain values, in a stable order."""
    names = columns(table)
    if table in LINK_TABLES:
        result = session.execute(select(LINK_TABLES[table])).mappings()
        rows = [{n: to_plain(r[n]) for n in names} for r in result]
    else:
        rows = [
            {n: to_plain(getattr(obj, n)) for n in names}
            for obj in session.execute(select(MODELS[table])).scalars()
        ]
    return sorted(rows, key=lambda row: _sort_key(table, row))
