"""Answer one service-guidance question from the catalogue.

This is what the Rasa actions and the staff preview call: a question in, an answer text out.
It opens its own session for each question, so concurrent conversations share nothing but
the connection pool. When the catalogue cannot be read, it still answers with the guidance
phone numbers read last (or the seed file's wording), never with an error.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.answers.compose import (
    all_contacts_block,
    contact_block,
    opening_text,
    service_text,
    services_list_text,
)
from bot.answers.phrases import last_known_phrases, load_phrases
from bot.catalogue.db import session_scope
from bot.catalogue.opening_hours import local_now
from bot.catalogue.queries import (
    GUIDANCE_SERVICE_ID,
    ChannelView,
    find_services,
    get_any_service,
    get_municipality,
    get_service,
    guidance_contacts,
    is_offered_in,
)
from bot.text.relatives import relatives

logger = logging.getLogger(__name__)

SERVICE_QUESTIONS = ("info", "cost", "apply", "eligibility", "worry")
QUESTION_KINDS = SERVICE_QUESTIONS + ("find", "carer", "hours", "contact")
# Topics whose services are found by catalogue words rather than by the user's own words:
# a worried neighbour rarely names "huoli-ilmoitus", an exhausted carer rarely names respite.
TOPIC_WORDS = {"worry": "huoli-ilmoitus", "carer": "omaishoitaja omaishoitajan vapaa vertaistuki"}
# "I need help" rarely names a service: the usual help at home fills the list up.
HOME_HELP_WORDS = "kotihoito ateriapalvelu turvapuhelin kauppapalvelu"
LISTED_SERVICES = 4


@dataclass(frozen=True)
class Question:
    kind: str
    text: str = ""
    service_id: str | None = None
    municipality_code: str | None = None
    relative_key: str | None = None
    # The service the conversation was about, for "paljonko se maksaa" with no service named.
    previous_service_id: str | None = None
    # A place the user named that is not one of the county's municipalities ("Oulu").
    unknown_place: str | None = None
    language: str = "fi"
    # The staff preview also answers about drafts and retired services; the actions never do.
    include_unpublished: bool = False


@dataclass(frozen=True)
class Answer:
    text: str
    service_id: str | None = None
    municipality_code: str | None = None
    asks_municipality: bool = False
    catalogue_available: bool = True


class _LastKnownContacts:
    """Guidance lines and municipality → service area, as last read from the catalogue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.channels: list[ChannelView] = []
        self.areas: dict[str, str] = {}

    def remember(self, channels: list[ChannelView], code: str | None, area: str | None) -> None:
        with self._lock:
            if channels:
                self.channels = channels
            if code and area:
                self.areas[code] = area

    def for_municipality(self, code: str | None) -> list[ChannelView]:
        with self._lock:
            area = self.areas.get(code or "")
            matching = [c for c in self.channels if area and c.service_area_id == area]
            return matching or list(self.channels)


last_known = _LastKnownContacts()


def answer_question(
    question: Question, engine: Engine | None = None, now: datetime | None = None
) -> Answer:
    """The answer to ``question``; a blocking call: run it off the event loop."""
    try:
        with session_scope(engine) as session:
            return _answer(session, question, now or local_now())
    except SQLAlchemyError as error:
        logger.warning("Catalogue unavailable: %s", type(error).__name__)
        return catalogue_unavailable_answer(question)


def catalogue_unavailable_answer(question: Question) -> Answer:
    phrases = last_known_phrases(question.language)
    channels = last_known.for_municipality(question.municipality_code)
    if not channels:
        return Answer(phrases("catalogue_unavailable_no_contacts"), catalogue_available=False)
    if len(channels) == 1:
        contacts = contact_block(channels[0], phrases)
    else:
        contacts = all_contacts_block(channels, phrases)
    return Answer(
        f"{phrases('catalogue_unavailable')}\n\n{contacts}", catalogue_available=False
    )


def _answer(session, question: Question, now: datetime) -> Answer:
    phrases = load_phrases(session, question.language)
    municipality = (
        get_municipality(session, question.municipality_code)
        if question.municipality_code
        else None
    )
    channels = guidance_contacts(session, question.language)
    last_known.remember(
        channels,
        municipality.code if municipality else None,
        municipality.service_area_id if municipality else None,
    )
    contact = next(
        (c for c in channels if municipality and c.service_area_id == municipality.service_area_id),
        None,
    )
    relative = relatives().get(question.relative_key or "")
    whom = relative.whom if relative else None
    whom_genitive = relative.whom_genitive if relative else None

    code = municipality.code if municipality else None

    def ask_municipality(body: str = "", service_id: str | None = None) -> Answer:
        ask = (
            phrases("ask_municipality_relative", whom=whom)
            if whom
            else phrases("ask_municipality_for_contact")
        )
        if question.unknown_place:
            body = "\n\n".join(
                p for p in (body, phrases("unknown_municipality", place=question.unknown_place),
                            all_contacts_block(channels, phrases)) if p
            )
            ask = ""
        text = "\n\n".join(p for p in (body, ask) if p)
        return Answer(text, service_id=service_id, asks_municipality=True)

    def with_contact(body: str, service_id: str | None = None) -> Answer:
        if contact is None:
            return ask_municipality(body, service_id)
        return Answer("\n\n".join(p for p in (body, contact_block(contact, phrases)) if p),
                      service_id=service_id, municipality_code=code)

    kind = question.kind if question.kind in QUESTION_KINDS else "contact"
    if kind in SERVICE_QUESTIONS:
        service = _service_for(session, question)
        if service is None:
            return with_contact(phrases("no_services_found"))
        body = service_text(service, kind, phrases, whom_genitive)
        if municipality and not is_offered_in(session, service.id, municipality.code):
            body += "\n\n" + phrases("service_not_offered", name=service.name,
                                     place=municipality.name)
        return with_contact(body, service.id)
    if municipality is None:
        if kind == "contact" and not question.unknown_place:
            return ask_municipality(all_contacts_block(channels, phrases))
        return ask_municipality()
    if kind in ("find", "carer"):
        text = f"{question.text} {TOPIC_WORDS.get(kind, '')}"
        services = _services_to_list(session, text, municipality.code, question.language)
        body = services_list_text(services, municipality.locative, phrases, whom, whom_genitive)
        return with_contact(body)
    if kind == "hours" and contact is not None:
        return Answer("\n\n".join(
            p for p in (opening_text(contact, now, phrases), contact_block(contact, phrases)) if p
        ), municipality_code=code)
    body = ""
    if question.service_id and not is_offered_in(session, question.service_id, municipality.code):
        service = get_service(session, question.service_id, question.language)
        if service:
            body = phrases("service_not_offered", name=service.name, place=municipality.name)
    if contact is None:
        return Answer(all_contacts_block(channels, phrases), municipality_code=code)
    return with_contact(body, question.service_id)


def _services_to_list(session, text: str, municipality_code: str, language: str) -> list:
    """The services that match the need, filled up with the usual help at home; the guidance
    service itself is left out, since its contact ends every answer anyway."""
    services = []
    for query in (text, HOME_HELP_WORDS):
        for service in find_services(session, query, municipality_code, language, LISTED_SERVICES):
            if service.id != GUIDANCE_SERVICE_ID and service.id not in {s.id for s in services}:
                services.append(service)
    return services[:LISTED_SERVICES]


def _service_for(session, question: Question):
    if question.kind in TOPIC_WORDS:
        found = find_services(session, TOPIC_WORDS[question.kind], None, question.language, 1)
        if found:
            return found[0]
    if question.service_id:
        read = get_any_service if question.include_unpublished else get_service
        service = read(session, question.service_id, question.language)
        if service is not None:
            return service
    found = find_services(session, question.text, None, question.language, limit=1)
    if found:
        return found[0]
    if question.previous_service_id:
        return get_service(session, question.previous_service_id, question.language)
    return None


def render_preview(
    service_id: str,
    kind: str = "info",
    engine: Engine | None = None,
    municipality_code: str | None = None,
    now: datetime | None = None,
) -> str:
    """The answer about one service, as the assistant would give it (for the staff preview).

    The same ``answer_question`` the actions call, with one difference: a draft (or retired)
    service is answered about too, so staff see the answer before they publish.
    """
    question = Question(
        kind=kind, service_id=service_id, municipality_code=municipality_code,
        include_unpublished=True,
    )
    return answer_question(question, engine, now).text

