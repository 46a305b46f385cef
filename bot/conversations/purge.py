"""Forget conversations past the retention period (CONVERSATION_RETENTION_DAYS, default 30).

A conversation is deleted whole once its last event is older than the period, so a
conversation still going on keeps its beginning. Rasa's ``events`` table is read as a plain
table: this runs from cron without a Rasa server.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

EVENTS = sa.table(
    "events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float)
)
_CHUNK = 500


def purge_conversations(engine: Engine, days: int, now: float | None = None) -> int:
    """Delete the conversations last active more than ``days`` ago; returns how many."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    if not sa.inspect(engine).has_table("events"):
        return 0
    stale = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(stale)]
        for start in range(0, len(senders), _CHUNK):
            chunk = senders[start:start + _CHUNK]
            connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
    return len(senders)
