"""The retention purge of contact requests and of the ratings' comments, always written to the
audit trail.

The staff application runs it by itself when it starts and then every hour (it runs in every
mode, ``make run`` and the production set alike), and cron can run it too
(``python -m bot.cli contact-requests purge``). Each run that deleted something leaves one
audit row with the counts and who ran it: nothing personal.
"""

from __future__ import annotations

import asyncio
import logging

import anyio
from sqlalchemy.engine import Engine

from bot.config import settings
from bot.contact_requests.models import ContactRequest
from bot.contact_requests.store import Purged, purge_expired, retention_days
from bot.db import session_scope
from bot.feedback.models import AnswerRating
from bot.feedback.ratings import forget_old_comments
from bot.staff.audit import Actor, record

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600


def purge_and_record(engine: Engine | None, source: str) -> Purged:
    with session_scope(engine) as session:
        purged = purge_expired(session)
        if purged.handled or purged.unhandled:
            days = retention_days()
            record(session, "purge", Actor(None, None, source),
                   entity_type=ContactRequest.__tablename__,
                   summary=f"{purged.handled} handled and {purged.unhandled} unhandled, "
                           f"older than {days} days",
                   after={"handled": purged.handled, "unhandled": purged.unhandled,
                          "retention_days": days})
        days = settings().conversation_retention_days
        forgotten = forget_old_comments(session, days)
        if forgotten:
            record(session, "purge", Actor(None, None, source),
                   entity_type=AnswerRating.__tablename__,
                   summary=f"{forgotten} comments older than {days} days emptied",
                   after={"comments": forgotten, "retention_days": days})
    return purged


async def purge_every_hour(engine: Engine) -> None:
    while True:
        try:
            await anyio.to_thread.run_sync(purge_and_record, engine, "assistant")
        except Exception as error:  # the database may be down: the next hour tries again
            logger.warning("Contact request purge failed: %s", type(error).__name__)
        await asyncio.sleep(INTERVAL_SECONDS)
