"""Store, list, hand over and forget contact requests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.catalogue.models import Municipality
from bot.config import settings
from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.db import utcnow
from bot.text.phone import normalise_phone

# The citizen is told that guidance calls back within this many working days.
RESPONSE_WORKING_DAYS = 2
_REFERENCE_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"  # no look-alikes such as 0/O, 1/I, 5/S


@dataclass(frozen=True)
class NewContactRequest:
    municipality_code: str
    for_whom: str
    topic: str
    name: str
    phone: str
    preferred_time: str | None
    consent_given: bool


def retention_days() -> int:
    """Handled requests are deleted after this many days (CONTACT_REQUEST_RETENTION_DAYS)."""
    return settings().contact_request_retention_days


def new_reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def save_request(
    session: Session, request: NewContactRequest, request_key: str | None = None
) -> ContactRequest:
    """Store a request; refuses one without consent, a valid phone or a known municipality.

    ``request_key`` is unique: a second request with the same key fails at the flush.
    """
    if not request.consent_given:
        raise ValueError("consent is required")
    phone = normalise_phone(request.phone)
    if phone is None:
        raise ValueError("invalid phone number")
    municipality = session.get(Municipality, request.municipality_code)
    if municipality is None:
        raise ValueError("unknown municipality")
    stored = ContactRequest(
        reference=new_reference(),
        municipality_code=municipality.code,
        service_area_id=municipality.service_area_id,
        for_whom=request.for_whom,
        topic=request.topic.strip()[:2000],
        name=request.name.strip()[:200],
        phone=phone,
        preferred_time=(request.preferred_time or "").strip()[:200] or None,
        consent_at=utcnow(),
        request_key=request_key,
    )
    session.add(stored)
    session.flush()
    return stored


def mark_handled(session: Session, request_id: int, staff: str) -> None:
    request = session.get(ContactRequest, request_id)
    if request is not None and request.status != RequestStatus.handled:
        request.status = RequestStatus.handled
        request.handled_at = utcnow()
        request.handled_by = staff


def open_requests(session: Session, service_area_id: str | None = None) -> list[ContactRequest]:
    statement = select(ContactRequest).where(ContactRequest.status == RequestStatus.new)
    if service_area_id:
        statement = statement.where(ContactRequest.service_area_id == service_area_id)
    return list(session.execute(statement.order_by(ContactRequest.created_at)).scalars())


@dataclass(frozen=True)
class Purged:
    handled: int
    unhandled: int


def purge_expired(session: Session, now: datetime | None = None) -> Purged:
    """Delete the requests past the retention period: handled ones by when they were handled,
    unhandled ones by when they came (nobody called in all that time: the personal data goes
    all the same). The callers write it to the audit trail (``bot.staff.retention``)."""
    days = retention_days()
    cutoff = (now or utcnow()) - timedelta(days=days)
    handled = session.execute(delete(ContactRequest).where(
        ContactRequest.status == RequestStatus.handled, ContactRequest.handled_at < cutoff))
    unhandled = session.execute(delete(ContactRequest).where(
        ContactRequest.status == RequestStatus.new, ContactRequest.created_at < cutoff))
    return Purged(handled.rowcount or 0, unhandled.rowcount or 0)
