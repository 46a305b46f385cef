"""Storing a citizen's rating of one answer, with what the answer was about.

The widget sends the session id the server signed, the id of the user message the answer
answered, yes or no, and after a no an optional comment. The rating is kept under a key that
names the answer without naming the conversation; the stored conversation tells which service
and municipality the answer was about (``bot.conversations.turns``). When that store does not
answer, the rating is kept without them rather than lost.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue.models import Municipality
from bot.conversations.turns import QuestionTurn, answered_turn
from bot.db.base import utcnow
from bot.feedback.models import COMMENT_CHARS, AnswerRating
from bot.text.language import LANGUAGES
from bot.text.personal_data import redact

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rating:
    conversation: str
    message_id: str
    helpful: bool
    comment: str | None = None
    language: str = "fi"


def answer_key(secret: str, conversation: str, message_id: str) -> str:
    message = f"{conversation}:{message_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def cleaned_comment(comment: str | None) -> str | None:
    """The comment as stored: personal data replaced, at most ``COMMENT_CHARS``; None if empty."""
    text = " ".join((comment or "").split())
    return redact(text)[:COMMENT_CHARS] or None


def find_turn(conversations: Engine, rating: Rating) -> QuestionTurn | None:
    """The rated question in the stored conversations; None when not found or not readable."""
    try:
        return answered_turn(conversations, rating.conversation, rating.message_id)
    except SQLAlchemyError as error:
        logger.warning("Rated answer not looked up: %s", type(error).__name__)
        return None


def store_rating(session: Session, rating: Rating, secret: str,
                 turn: QuestionTurn | None) -> AnswerRating:
    """Insert the rating, or change the earlier rating of the same answer. Not committed."""
    key = answer_key(secret, rating.conversation, rating.message_id)
    row = session.scalar(select(AnswerRating).where(AnswerRating.answer_key == key))
    if row is None:
        row = AnswerRating(answer_key=key)
        session.add(row)
    row.rated_at = utcnow()
    row.helpful = rating.helpful
    # A yes has nothing to add; a no keeps its comment until a new one is written.
    if rating.helpful:
        row.comment = None
    elif rating.comment is not None:
        row.comment = cleaned_comment(rating.comment)
    row.language = rating.language if rating.language in LANGUAGES else "fi"
    if turn is not None:
        row.kind = turn.kind
        row.service_id = turn.service_id
        row.municipality_code = turn.municipality_code
        row.service_area_id = _area_of(session, turn.municipality_code)
    return row


def _area_of(session: Session, code: str | None) -> str | None:
    if not code:
        return None
    return session.scalar(select(Municipality.service_area_id).where(Municipality.code == code))




def forget_old_comments(session: Session, days: int, now: datetime | None = None) -> int:
    """Empty the comments of ratings older than ``days`` (the conversations' retention: a
    comment is the citizen's own words); the yes or no stays for the figures. Not committed."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = session.execute(
        update(AnswerRating)
        .where(AnswerRating.rated_at < cutoff, AnswerRating.comment.is_not(None))
        .values(comment=None)
    )
    return result.rowcount or 0
