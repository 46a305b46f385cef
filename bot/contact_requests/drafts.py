"""The contact form's answers while the form is open: one draft row per conversation.

Stored conversations must hold no personal data (the tracker store redacts them), yet the form
needs its answers until it is sent. So each personal answer goes into the draft row and the
conversation keeps only ``KEPT_IN_DRAFT`` in its slot. The draft is emptied once the request is
stored and deleted when the form is cancelled or refused; an abandoned one is deleted by
``purge_drafts`` after ``DRAFT_HOURS``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.contact_requests.models import ContactRequest, ContactRequestDraft
from bot.contact_requests.store import NewContactRequest, save_request
from bot.db import utcnow

# The form's slots whose answers are personal, and the draft column each is kept in.
PERSONAL_SLOTS = {
    "cr_topic": "topic",
    "cr_name": "name",
    "cr_phone": "phone",
    "cr_time": "preferred_time",
}
# What such a slot holds in the conversation once its answer is in the draft.
KEPT_IN_DRAFT = "[lomake]"
# A form left open longer than this is abandoned: its answers are deleted.
DRAFT_HOURS = 24


@dataclass(frozen=True)
class DraftAnswers:
    request_key: str
    topic: str | None
    name: str | None
    phone: str | None
    preferred_time: str | None
    reference: str | None


def start_draft(session: Session, conversation_id: str) -> None:
    """An empty draft with a new request key: a new filling of the form."""
    draft = session.get(ContactRequestDraft, conversation_id)
    if draft is None:
        draft = ContactRequestDraft(conversation_id=conversation_id)
        session.add(draft)
    draft.request_key = str(uuid.uuid4())
    draft.topic = draft.name = draft.phone = draft.preferred_time = draft.reference = None
    draft.updated_at = utcnow()


def keep_answer(session: Session, conversation_id: str, slot: str, value: str | None) -> None:
    """Keep the answer to ``slot`` (one of ``PERSONAL_SLOTS``) in the conversation's draft."""
    column = PERSONAL_SLOTS[slot]
    draft = session.get(ContactRequestDraft, conversation_id)
    if draft is None:
        # The form started before drafts existed, or the start's write failed.
        start_draft(session, conversation_id)
        draft = session.get(ContactRequestDraft, conversation_id)
    setattr(draft, column, value)
    draft.updated_at = utcnow()


def draft_answers(session: Session, conversation_id: str) -> DraftAnswers | None:
    draft = session.get(ContactRequestDraft, conversation_id)
    if draft is None:
        return None
    return DraftAnswers(
        draft.request_key, draft.topic, draft.name, draft.phone, draft.preferred_time,
        draft.reference,
    )


def discard_draft(session: Session, conversation_id: str) -> None:
    session.execute(
        delete(ContactRequestDraft).where(ContactRequestDraft.conversation_id == conversation_id)
    )


def submit_draft(
    session: Session,
    conversation_id: str,
    municipality_code: str,
    for_whom: str,
    consent_given: bool,
) -> str:
    """Store the draft as a contact request, once; the request's reference.

    A retry (the reply to the first submit was lost) returns the reference of the request the
    first one stored. Raises ``LookupError`` when there is no complete draft and ``ValueError``
    when ``save_request`` refuses the request.
    """
    draft = session.get(ContactRequestDraft, conversation_id)
    if draft is None:
        raise LookupError("no draft")
    if draft.reference:
        return draft.reference
    existing = session.execute(
        select(ContactRequest.reference).where(ContactRequest.request_key == draft.request_key)
    ).scalar()
    if existing:
        return existing
    if not draft.name or not draft.phone or not draft.topic:
        raise LookupError("draft incomplete")
    stored = save_request(
        session,
        NewContactRequest(
            municipality_code=municipality_code,
            for_whom=for_whom,
            topic=draft.topic,
            name=draft.name,
            phone=draft.phone,
            preferred_time=draft.preferred_time,
            consent_given=consent_given,
        ),
        request_key=draft.request_key,
    )
    draft.reference = stored.reference
    draft.topic = draft.name = draft.phone = draft.preferred_time = None
    draft.updated_at = utcnow()
    return stored.reference


def reference_for_key(session: Session, request_key: str) -> str | None:
    return session.execute(
        select(ContactRequest.reference).where(ContactRequest.request_key == request_key)
    ).scalar()


def purge_drafts(session: Session, now: datetime | None = None) -> int:
    """Delete drafts untouched for ``DRAFT_HOURS``: abandoned forms; returns how many."""
    cutoff = (now or utcnow()) - timedelta(hours=DRAFT_HOURS)
    result = session.execute(
        delete(ContactRequestDraft).where(ContactRequestDraft.updated_at < cutoff)
    )
    return result.rowcount or 0
