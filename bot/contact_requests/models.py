"""A contact request holds exactly what the hand-over to a human needs, and nothing more."""

from __future__ import annotations

import enum

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow


class RequestStatus(str, enum.Enum):
    new = "new"
    handled = "handled"


class ContactRequest(Base):
    __tablename__ = "contact_request"

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

    municipality = relationship("Municipality")
    service_area = relationship("ServiceArea")

    def __str__(self) -> str:
        return self.reference
