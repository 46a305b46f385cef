"""What the contact request form's actions ask of the database, one unit of work per call.

Each function opens its own session, so concurrent conversations share nothing but the
connection pool; each blocks, so the actions run it off the event loop. None of them raises
when the database cannot be used: the conversation goes on with the phone number instead.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue.phrases import last_known_phrases, load_phrases
from bot.catalogue.queries import get_municipality
from bot.contact_requests.store import NewContactRequest, purge_handled, save_request
from bot.db import session_scope
from bot.text.contact_form import SELF
from bot.text.relatives import relatives

logger = logging.getLogger(__name__)


def submit_request(request: NewContactRequest, engine: Engine | None = None) -> str | None:
    """Store ``request`` and forget handled ones past retention; the reference, or None.

    None when the request was refused (no consent, no valid phone number, an unknown
    municipality) or the database failed: nothing is half stored. Only the kind of error is
    logged, never the request's personal data.
    """
    try:
        with session_scope(engine) as session:
            reference = save_request(session, request).reference
            purge_handled(session)
            return reference
    except (SQLAlchemyError, ValueError) as error:
        logger.warning("Contact request not stored: %s", type(error).__name__)
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
    about_user = not for_whom or for_whom == SELF
    key = "contact_request_whom_self" if about_user else "contact_request_whom_relative"
    try:
        with session_scope(engine) as session:
            return load_phrases(session, language)(key)
    except SQLAlchemyError as error:
        logger.warning("Phrases not read: %s", type(error).__name__)
        return last_known_phrases(language)(key)
