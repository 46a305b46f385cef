"""Stored conversations as Rasa's SQL tracker store writes them (the ``events`` table and its
event dictionaries), for the insights and ratings tests without a Rasa server. The whole-loop
test (tests/browser/test_development_loop.py) reads the real server's store instead."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

METADATA = sa.MetaData()
# The columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent.
EVENTS = sa.Table(
    "events", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def conversations_engine(path) -> Engine:
    engine = sa.create_engine(f"sqlite:///{path}")
    METADATA.create_all(engine)
    return engine


class Conversation:
    """Writes one conversation's turns as Rasa would store them."""

    def __init__(self, engine: Engine, sender: str | None = None) -> None:
        self.engine = engine
        self.sender = sender or uuid.uuid4().hex
        self._write([{"event": "action", "name": "action_session_start"},
                     {"event": "session_started"},
                     {"event": "action", "name": "action_listen"}], 0)

    def ask(self, text: str, at: datetime, *, intent: str = "nlu_fallback",
            understood: bool = True, kind: str | None = "info", service: str | None = None,
            municipality: str | None = None, language: str | None = None,
            action: str = "action_answer", found: bool | None = None) -> str:
        """One user message and the answer; returns the message's id."""
        message_id = uuid.uuid4().hex
        t = at.timestamp()
        events: list[dict[str, Any]] = [{
            "event": "user", "text": text, "message_id": message_id,
            "parse_data": {"intent": {"name": intent, "confidence": 0.5}, "entities": [],
                           "text": text},
        }]
        if language:
            events.append({"event": "slot", "name": "language", "value": language})
        events.append({"event": "action", "name": action})
        if action == "action_answer":
            # Rasa keeps what the action said of its message under metadata.metadata.
            said = {"lang": language or "fi", "answer": message_id,
                    "found": understood if found is None else found}
            events.append({"event": "bot", "text": "vastaus", "metadata": {"metadata": said}})
            events.append({"event": "slot", "name": "misunderstood",
                           "value": 0.0 if understood else 1.0})
            if understood and kind:
                events.append({"event": "slot", "name": "question", "value": kind})
            if service:
                events.append({"event": "slot", "name": "service", "value": service})
            if municipality:
                events.append({"event": "slot", "name": "municipality", "value": municipality})
        events.append({"event": "action", "name": "action_listen"})
        self._write(events, t)
        return message_id

    def _write(self, events: list[dict[str, Any]], timestamp: float) -> None:
        with self.engine.begin() as connection:
            for event in events:
                event = {"timestamp": timestamp, **event}
                connection.execute(EVENTS.insert().values(
                    sender_id=self.sender, type_name=event["event"], timestamp=timestamp,
                    intent_name=(event.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=event.get("name"), data=json.dumps(event)))
