"""The answer ratings table. No personal data: no sender id, no answer text; the comment is
redacted (``bot.text.personal_data``) before it is stored, and the rated answer is named only
by what it was about (kind, service, municipality, area)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from bot.db.base import Base, utcnow

COMMENT_CHARS = 300


class AnswerRating(Base):
    __tablename__ = "answer_rating"

    id = Column(Integer, primary_key=True)
    # HMAC of the conversation and the answered message: the same answer rated again changes
    # its row (a person may change their mind), and nothing leads back to the conversation.
    answer_key = Column(String(64), nullable=False, unique=True)
    rated_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    helpful = Column(Boolean, nullable=False)
    comment = Column(Text)
    language = Column(String(2), nullable=False, default="fi")
    # What the answer was about, from the stored conversation; empty when it was not found
    # (a conversation store that did not answer loses no rating).
    kind = Column(String(20))
    service_id = Column(String(64))
    municipality_code = Column(String(3))
    service_area_id = Column(String(40), index=True)
