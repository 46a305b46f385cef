"""The questions of the stored conversations, one ``QuestionTurn`` per question the catalogue
answered or could not answer: what the staff's insights count and the ratings point at.

Reads Rasa's ``events`` table as a plain table (as ``purge`` does), so the staff application
needs no Rasa. The stored events hold no personal data (``redaction``): a turn's text is the
user's message as stored, with identity codes, phone numbers and the like already replaced.

A question is a user message that ``action_answer`` answered. What that action sent and set in
the same turn says the rest: its message's metadata says whether the catalogue had what was
asked (``found``; before that was stored, ``misunderstood`` 0 stood for it); ``question`` is
the kind of answer given, ``service`` the service answered about, and ``municipality`` the
municipality known at the end of the turn. Greetings and emergencies that named no service
set no ``question``: they are not questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("action_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)
ANSWER_ACTION = "action_answer"
# Slots of the conversation a turn reads; a new session starts them over.
READ_SLOTS = ("municipality", "service", "question", "misunderstood", "language")
SESSION_RESETS = ("session_started", "restart")
# Only the events a turn is made of are read and parsed (the store keeps an action's or a
# slot's name in ``action_name``): the others are most of a conversation.
READ_EVENTS = sa.or_(
    EVENTS.c.type_name.in_(("user", "bot", *SESSION_RESETS)),
    sa.and_(EVENTS.c.type_name == "action", EVENTS.c.action_name == ANSWER_ACTION),
    sa.and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_(READ_SLOTS)),
)
# Senders read per query: SQL's IN lists stay short on every engine.
_CHUNK = 500


@dataclass(frozen=True)
class QuestionTurn:
    """One question and what the assistant did with it. ``conversation`` is Rasa's sender id:
    for joining a rating to its turn, never shown to staff."""

    conversation: str
    message_id: str | None
    asked_at: datetime
    text: str
    language: str
    answered: bool
    kind: str | None
    service_id: str | None
    municipality_code: str | None


def question_turns(engine: Engine, since: datetime, until: datetime) -> list[QuestionTurn]:
    """Every question asked from ``since`` (inclusive) to ``until`` (exclusive), oldest first.

    Reads the whole of each conversation that has a message in the period, since what it
    knew (the municipality, the language) may have been said before it.
    """
    if not sa.inspect(engine).has_table("events"):
        return []
    start, end = since.timestamp(), until.timestamp()
    active = (
        sa.select(EVENTS.c.sender_id).distinct()
        .where(EVENTS.c.type_name == "user", EVENTS.c.timestamp >= start,
               EVENTS.c.timestamp < end)
    )
    turns: list[QuestionTurn] = []
    with engine.connect() as connection:
        senders = [row[0] for row in connection.execute(active)]
        for first in range(0, len(senders), _CHUNK):
            chunk = senders[first:first + _CHUNK]
            rows = connection.execute(
                sa.select(EVENTS.c.sender_id, EVENTS.c.data)
                .where(EVENTS.c.sender_id.in_(chunk), READ_EVENTS)
                .order_by(EVENTS.c.sender_id, EVENTS.c.id)
            )
            for sender, events in _by_sender(rows):
                turns.extend(t for t in turns_of(sender, events)
                             if start <= t.asked_at.timestamp() < end)
    return sorted(turns, key=lambda t: t.asked_at)


def answered_turn(engine: Engine, conversation: str, message_id: str) -> QuestionTurn | None:
    """The question of ``conversation`` whose user message had ``message_id``, or None."""
    if not sa.inspect(engine).has_table("events"):
        return None
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(EVENTS.c.data)
            .where(EVENTS.c.sender_id == conversation, READ_EVENTS)
            .order_by(EVENTS.c.id)
        )
        events = [_loaded(row[0]) for row in rows]
    return next((t for t in turns_of(conversation, events) if t.message_id == message_id), None)


def turns_of(conversation: str, events: Iterable[dict[str, Any]]) -> Iterator[QuestionTurn]:
    """The questions of one conversation's events (Rasa's event dictionaries), in order."""
    slots: dict[str, Any] = {}
    user: dict[str, Any] | None = None
    answered_by_action = False
    set_in_turn: dict[str, Any] = {}
    found: bool | None = None

    def finished() -> QuestionTurn | None:
        if user is None or not answered_by_action:
            return None
        misunderstood = set_in_turn.get("misunderstood")
        understood = misunderstood is not None and float(misunderstood) == 0
        kind = set_in_turn.get("question")
        if understood and kind is None:
            return None
        answered = understood if found is None else found and understood
        return QuestionTurn(
            conversation=conversation,
            message_id=user.get("message_id"),
            asked_at=datetime.fromtimestamp(float(user.get("timestamp") or 0), timezone.utc),
            text=str(user.get("text") or ""),
            language=str(slots.get("language") or "fi"),
            answered=answered,
            kind=kind if understood else None,
            service_id=set_in_turn.get("service") if answered else None,
            municipality_code=slots.get("municipality"),
        )

    for event in events:
        kind = event.get("event")
        if kind == "user":
            turn = finished()
            if turn is not None:
                yield turn
            user, answered_by_action, set_in_turn, found = event, False, {}, None
        elif kind in SESSION_RESETS:
            turn = finished()
            if turn is not None:
                yield turn
            user = None
            slots.clear()
        elif kind == "action" and event.get("name") == ANSWER_ACTION and user is not None:
            answered_by_action = True
        elif kind == "bot" and answered_by_action:
            said = _answer_metadata(event)
            if isinstance(said.get("found"), bool):
                found = said["found"]
        elif kind == "slot" and event.get("name") in READ_SLOTS:
            slots[event["name"]] = event.get("value")
            if answered_by_action:
                set_in_turn[event["name"]] = event.get("value")
    turn = finished()
    if turn is not None:
        yield turn


def _answer_metadata(event: dict[str, Any]) -> dict[str, Any]:
    """What action_answer told of its message (Rasa keeps it under the bot event's
    ``metadata.metadata``)."""
    outer = event.get("metadata") or {}
    inner = outer.get("metadata") if isinstance(outer, dict) else None
    return inner if isinstance(inner, dict) else {}


def _loaded(data: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(data or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _by_sender(rows: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    sender: str | None = None
    events: list[dict[str, Any]] = []
    for row_sender, data in rows:
        if row_sender != sender:
            if sender is not None:
                yield sender, events
            sender, events = row_sender, []
        events.append(_loaded(data))
    if sender is not None:
        yield sender, events
