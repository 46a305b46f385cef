"""A contact request holds exactly what the hand-over to a human needs, and nothing more."""

from __future__ import annotations

import enum

from sqlalchemy import (
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow


class RequestStatus(str, enum.Enum):
    new = "new"
    handled = "handled"


class ContactRequest(Base):
    __tablename__ = "contact_request"
    __table_args__ = (UniqueConstraint("request_key", name="uq_contact_request_request_key"),)

    id = Column(Integer, primary_key=True)
    # Told to the citizen; short, no personal data in it.
    reference = Column(String(12), nullable=False, unique=True, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    municipality_code = Column(ForeignKey("municipality.code"), nullable=False)
    service_area_id = Column(ForeignKey("service_area.id"), nullable=False, index=True)
    # "self", or the relative key (mother, husband, neighbour...) the request is about.
    for_whom = Column(String(20), nullable=False)
    topic = Column(Text, nullable=False)
    name = Column(String(200), nullable=False)
    phone = Column(String(20), nullable=False)
    preferred_time = Column(String(200))
    consent_at = Column(DateTime, nullable=False)
    status = Column(
        Enum(RequestStatus, native_enum=False, length=10),
        nullable=False,
        default=RequestStatus.new,
        index=True,
    )
    handled_at = Column(DateTime)
    handled_by = Column(String(200))
    # The draft's request key: a submit retried after a lost reply stores no second request.
    request_key = Column(String(36))

    municipality = relationship("Municipality")
    service_area = relationship("ServiceArea")

    def __str__(self) -> str:
        return self.reference


class ContactRequestDraft(Base):
    """The contact form's answers while the form is open, kept out of the stored conversation.

    One row per conversation. The conversation holds only a placeholder for each answer; the
    row is emptied when the request is sent and deleted when it is cancelled, refused or
    abandoned (``purge_drafts``). ``request_key`` names one filling of the form, so a submit
    retried after a lost reply finds the request it already stored.
    """

    __tablename__ = "contact_request_draft"

    conversation_id = Column(String(255), primary_key=True)
    request_key = Column(String(36), nullable=False)
    topic = Column(Text)
    name = Column(String(200))
    phone = Column(String(40))
    preferred_time = Column(String(200))
    # Set once the request is stored: the answers are emptied, the reference kept for a retry.
    reference = Column(String(12))
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow, index=True)
