"""The audit trail: every write made on someone's behalf, with the values before and after.

Whoever writes (the admin, the API, an import from the command line) says on whose behalf with
``acting_as(actor)`` or ``session.info["actor"]``; a flush then records one ``audit_event`` per
changed row, in the same transaction as the change. Sign-ins are recorded with ``record``.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from bot.catalogue.tables import MODEL_TYPES
from bot.catalogue.values import to_plain
from bot.staff.models import ApiToken, AuditEvent, StaffUser

AUDITED_TYPES = (*MODEL_TYPES, StaffUser, ApiToken)
# Never written to the trail as they are: a changed secret shows as SECRET_CHANGED.
SECRET_FIELDS = {"password_hash", "token_hash"}
SECRET_CHANGED = "(muutettu)"
# The second factor's columns change with every sign-in or hold sealed secrets: its own rows
# (second_factor_on, _off, _reset) say what happened instead.
SECOND_FACTOR_FIELDS = {"totp_secret", "totp_pending_secret", "totp_last_step",
                        "totp_enabled_at"}
IGNORED_FIELDS = {"updated_at", "created_at", "last_login_at", "last_used_at", "terms",
                  *SECOND_FACTOR_FIELDS}
AUDITED_RELATIONS = {"channels", "municipalities"}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    email: str | None
    source: str  # "admin", "api", "cli"
    ip_address: str | None = None


current_actor: ContextVar[Actor | None] = ContextVar("current_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = current_actor.set(actor)
    try:
        yield
    finally:
        current_actor.reset(token)


def record(
    session: Session,
    action: str,
    actor: Actor | None = None,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    summary: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    actor = actor or current_actor.get() or Actor(None, None, "system")
    audit = AuditEvent(
        actor_id=actor.user_id,
        actor_email=actor.email,
        source=actor.source,
        ip_address=actor.ip_address,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=(summary or "")[:300] or None,
        before=_dump(before),
        after=_dump(after),
    )
    session.add(audit)
    return audit


def _dump(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def _identity(obj: Any) -> str:
    key = inspect(obj).identity or tuple(
        getattr(obj, c.key) for c in inspect(type(obj)).primary_key
    )
    return ",".join(str(k) for k in key)


def _values(obj: Any) -> dict[str, Any]:
    values = {}
    for column in inspect(type(obj)).column_attrs:
        if column.key in IGNORED_FIELDS:
            continue
        value = getattr(obj, column.key)
        values[column.key] = SECRET_CHANGED if column.key in SECRET_FIELDS else to_plain(value)
    return values


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        if column.key in IGNORED_FIELDS:
            continue
        history = state.attrs[column.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if column.key in SECRET_FIELDS:
            before[column.key], after[column.key] = "", SECRET_CHANGED
        else:
            before[column.key], after[column.key] = to_plain(old), to_plain(new)
    for name in AUDITED_RELATIONS & set(state.mapper.relationships.keys()):
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        old_ids = sorted(_identity(o) for o in [*history.unchanged, *history.deleted])
        new_ids = sorted(_identity(o) for o in [*history.unchanged, *history.added])
        if old_ids != new_ids:
            before[name], after[name] = old_ids, new_ids
    return before, after


def _summary(obj: Any) -> str:
    for name in ("name_fi", "email", "key", "channel_id", "name"):
        value = getattr(obj, name, None)
        if value:
            return str(value)
    return type(obj).__name__


@event.listens_for(Session, "before_flush")
def _record_changes(session: Session, _context, _instances) -> None:
    actor = session.info.get("actor") or current_actor.get()
    if actor is None:
        return
    # New rows are recorded after the flush, when their generated keys are known.
    created = [obj for obj in session.new if isinstance(obj, AUDITED_TYPES)]
    if created:
        session.info.setdefault("audit_created", []).extend(created)
        session.info["audit_created_actor"] = actor
    for obj in list(session.dirty):
        if isinstance(obj, AUDITED_TYPES) and session.is_modified(obj):
            before, after = _changes(obj)
            if before or after:
                record(session, "update", actor, entity_type=obj.__tablename__,
                       entity_id=_identity(obj), summary=_summary(obj),
                       before=before, after=after)
    for obj in list(session.deleted):
        if isinstance(obj, AUDITED_TYPES):
            record(session, "delete", actor, entity_type=obj.__tablename__,
                   entity_id=_identity(obj), summary=_summary(obj), before=_values(obj))


@event.listens_for(Session, "after_flush_postexec")
def _record_created(session: Session, _context) -> None:
    created = session.info.pop("audit_created", None)
    actor = session.info.pop("audit_created_actor", None)
    for obj in created or []:
        record(session, "create", actor, entity_type=obj.__tablename__,
               entity_id=_identity(obj), summary=_summary(obj), after=_values(obj))
