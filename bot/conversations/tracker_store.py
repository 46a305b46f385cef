"""Rasa's SQL tracker store, with personal data taken out before anything is written and a
deadline on every database call.

Configured in the endpoints (``bot.launcher.endpoints_yaml``): SQLite under var/ by default,
PostgreSQL in production, so that a restart or a second replica loses no conversation. What
it adds to ``SQLTrackerStore``:

- ``save`` writes the events as ``redaction.redact_events`` returns them;
- reads and writes run in a worker thread within a deadline (``bot.db.deadline``): a stopped
  or frozen database costs an answer at most the deadline;
- each turn is also kept in ``recent`` (Redis in production), and while the database does not
  answer the conversation goes on from there; the database gets the missed turns at the first
  write after it is back. A conversation the database could not be asked about goes on from
  the copy alone and is never written over what the database holds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import partial
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from bot.conversations.recent import RecentConversations
from bot.conversations.redaction import redact_events
from bot.db.deadline import Breaker, within

logger = logging.getLogger(__name__)

# Reading and writing a conversation; with the actions' own deadline an answer stays within 3 s.
STORE_DEADLINE_SECONDS = 0.8
STATEMENT_TIMEOUT_MS = 2000


class PrivateTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that stores no personal data and never stalls on its database."""

    def __init__(self, domain: Any = None, host: str | None = None,
                 recent_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        self.recent = RecentConversations(recent_url)
        # Rasa's engine has no timeouts: the same database with them.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **_engine_options(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.breaker = Breaker("conversation store")
        # Conversations whose stored events could not be read: what they do now is not a
        # continuation of what the database holds, and must not be appended to it.
        self._unanchored: set[str] = set()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        stored, recent = await asyncio.gather(
            within(partial(self._stored_events, sender_id), lambda: None,
                   STORE_DEADLINE_SECONDS, self.breaker),
            asyncio.to_thread(self.recent.get, sender_id),
        )
        self._unanchored.discard(sender_id)
        if recent is not None and recent.unanchored:
            # Begun while the database did not answer: it goes on from the copy alone.
            events: list[dict] | None = recent.events
            self._unanchored.add(sender_id)
        elif recent is not None and len(recent.events) > len(stored or []):
            # The database missed turns while it was down; the next write appends them.
            events = recent.events
        elif stored is None:
            # Neither answers: a new conversation, never appended to what the database has.
            self._unanchored.add(sender_id)
            return None
        else:
            events = stored
        if not events or not self.domain:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        events = redact_events(event.as_dict() for event in tracker.events)
        if tracker.sender_id in self._unanchored:
            await asyncio.to_thread(self.recent.put, tracker.sender_id, events, True)
            logger.warning("A conversation begun without the database is kept in the copy only")
            return
        _, stored = await asyncio.gather(
            asyncio.to_thread(self.recent.put, tracker.sender_id, events),
            within(partial(self._append, tracker.sender_id, events), lambda: False,
                   STORE_DEADLINE_SECONDS, self.breaker),
        )
        if not stored:
            logger.warning("A conversation turn was kept only in the recent copy")

    def _stored_events(self, sender_id: str) -> list[dict] | None:
        """The latest session's events; None when the database failed."""
        try:
            with self.session_scope() as session:
                rows = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=False
                ).all()
                return [json.loads(row.data) for row in rows]
        except SQLAlchemyError as error:
            logger.warning("Conversation not read: %s", type(error).__name__)
            return None

    def _append(self, sender_id: str, events: list[dict]) -> bool:
        """Write the events not yet stored (as ``SQLTrackerStore.save``); False on failure."""
        try:
            with self.session_scope() as session:
                already = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=False
                ).count()
                for data in events[already:]:
                    session.add(
                        self.SQLEvent(
                            sender_id=sender_id,
                            type_name=data.get("event"),
                            timestamp=data.get("timestamp"),
                            intent_name=(data.get("parse_data") or {}).get("intent", {}).get(
                                "name"
                            ),
                            action_name=data.get("name"),
                            data=json.dumps(data),
                        )
                    )
                session.commit()
            return True
        except SQLAlchemyError as error:
            logger.warning("Conversation not stored: %s", type(error).__name__)
            return False


def _engine_options(url: sa.engine.URL) -> dict[str, Any]:
    if url.get_backend_name() == "sqlite":
        # Two Rasa servers may share the file: wait briefly for the other's write.
        return {"connect_args": {"timeout": 2}}
    return {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 2,
        "connect_args": {
            "connect_timeout": 2,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
                       f" -c lock_timeout={STATEMENT_TIMEOUT_MS}",
        },
    }
