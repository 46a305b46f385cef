"""What the contact request form's actions ask of the database, one unit of work per call.

Each function opens its own session, so concurrent conversations share nothing but the
connection pool; each blocks, so the actions await them through ``form``, in a worker thread
and within a deadline. None of them raises
when the database cannot be used: the conversation goes on with the phone number instead.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.catalogue.phrases import last_known_phrases, load_phrases
from bot.catalogue.queries import get_municipality
from bot.contact_requests import drafts
from bot.contact_requests.drafts import DraftAnswers
from bot.db import session_scope
from bot.text.contact_form import SELF
from bot.text.relatives import relatives

logger = logging.getLogger(__name__)


def start_form(conversation_id: str, engine: Engine | None = None) -> bool:
    """A new, empty draft for the conversation's form; False when the database failed."""
    try:
        with session_scope(engine) as session:
            drafts.start_draft(session, conversation_id)
        return True
    except SQLAlchemyError as error:
        logger.warning("Contact form draft not started: %s", type(error).__name__)
        return False


def keep_form_answer(
    conversation_id: str, slot: str, value: str | None, engine: Engine | None = None
) -> bool:
    """Keep one personal answer in the draft; False when the database failed."""
    try:
        with session_scope(engine) as session:
            drafts.keep_answer(session, conversation_id, slot, value)
        return True
    except SQLAlchemyError as error:
        logger.warning("Contact form answer not kept: %s", type(error).__name__)
        return False


def form_answers(conversation_id: str, engine: Engine | None = None) -> DraftAnswers | None:
    """The draft's answers; None when there is none or the database failed."""
    try:
        with session_scope(engine) as session:
            return drafts.draft_answers(session, conversation_id)
    except SQLAlchemyError as error:
        logger.warning("Contact form draft not read: %s", type(error).__name__)
        return None


def discard_form(conversation_id: str, engine: Engine | None = None) -> None:
    """Delete the draft (cancelled or refused); a failure leaves it to ``purge_drafts``."""
    try:
        with session_scope(engine) as session:
            drafts.discard_draft(session, conversation_id)
    except SQLAlchemyError as error:
        logger.warning("Contact form draft not deleted: %s", type(error).__name__)


def submit_form(
    conversation_id: str,
    municipality_code: str,
    for_whom: str,
    consent_given: bool,
    engine: Engine | None = None,
    given_up: threading.Event | None = None,
) -> str | None:
    """Store the conversation's draft as a contact request, exactly once; its reference.

    A retry returns the first submit's reference. None when there is nothing complete to
    store, the request was refused, the database failed, or the caller stopped waiting
    (``given_up`` set before the commit: the citizen was told it was not saved, so it is not).
    Only the kind of error is logged, never the request's personal data.
    """
    try:
        with session_scope(engine) as session:
            reference = drafts.submit_draft(
                session, conversation_id, municipality_code, for_whom, consent_given
            )
            drafts.purge_drafts(session)
            if given_up is not None and given_up.is_set():
                raise TimeoutError("the caller stopped waiting")
            return reference
    except IntegrityError:
        # A concurrent retry stored the same request key first: that request is this one.
        return _reference_of_draft(conversation_id, engine)
    except (SQLAlchemyError, ValueError, LookupError, TimeoutError) as error:
        logger.warning("Contact request not stored: %s", type(error).__name__)
        return None


def _reference_of_draft(conversation_id: str, engine: Engine | None) -> str | None:
    try:
        with session_scope(engine) as session:
            answers = drafts.draft_answers(session, conversation_id)
            if answers is None:
                return None
            return answers.reference or drafts.reference_for_key(session, answers.request_key)
    except SQLAlchemyError as error:
        logger.warning("Contact request not read: %s", type(error).__name__)
        return None


def municipality_name(code: str | None, engine: Engine | None = None,
                      language: str = "fi") -> str | None:
    """The name of the municipality ``code`` in ``language`` ("698" → Rovaniemi, in Sámi
    Roavvenjárga); None when it is not known or the database cannot be read."""
    if not code:
        return None
    try:
        with session_scope(engine) as session:
            municipality = get_municipality(session, code, language)
            return municipality.name if municipality else None
    except SQLAlchemyError as error:
        logger.warning("Municipality name not read: %s", type(error).__name__)
        return None


def whom_label(for_whom: str | None, engine: Engine | None = None,
               language: str = "fi") -> str:
    """Whom the request is about, as the summary says it: a known relative's answer form
    ("äitisi"), else the phrase for the user or for a relative; never empty.

    The phrases are staff-editable; when the database cannot be read, the last ones read (or
    the seed file's) are used.
    """
    relative = relatives().get(for_whom or "")
    if relative is not None:
        return relative.whom_for(language)
    try:
        with session_scope(engine) as session:
            return load_phrases(session, language)(_whom_key(for_whom))
    except SQLAlchemyError as error:
        logger.warning("Phrases not read: %s", type(error).__name__)
        return last_known_whom_label(for_whom, language)


def last_known_whom_label(for_whom: str | None, language: str = "fi") -> str:
    """``whom_label`` without the database: from the phrases last read."""
    relative = relatives().get(for_whom or "")
    if relative is not None:
        return relative.whom_for(language)
    return last_known_phrases(language)(_whom_key(for_whom))


def _whom_key(for_whom: str | None) -> str:
    about_user = not for_whom or for_whom == SELF
    return "contact_request_whom_self" if about_user else "contact_request_whom_relative"
