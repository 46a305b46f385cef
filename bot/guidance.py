"""Answer one service-guidance question from the catalogue.

This is what the Rasa actions and the staff preview call: a question in, an answer text out.
It opens its own session for each question, so concurrent conversations share nothing but
the connection pool. When the catalogue cannot be read, it still answers with the guidance
phone numbers read last (or the seed file's wording), never with an error.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
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
from bot.catalogue.phrases import last_known_phrases, load_phrases
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
from bot.catalogue.search import ServiceHit, search_services
from bot.catalogue.search_index import DESCRIPTION_WEIGHT, KEYWORD_WEIGHT, NAME_WEIGHT
from bot.db import session_scope
from bot.text.finnish import content_words
from bot.text.question_words import asked_kind, refers_back
from bot.text.relatives import relatives

logger = logging.getLogger(__name__)

# What can be asked about one service: the answer parts of bot.answers.compose.SECTIONS. The
# staff preview shows exactly these.
ABOUT_ONE_SERVICE = ("info", "cost", "apply", "eligibility")
# "worry" is answered about one service too, but the service is the topic's (huoli-ilmoitus).
SERVICE_QUESTIONS = ABOUT_ONE_SERVICE + ("worry",)
# "unclear": the classifier was not sure; "out_of_scope": it thinks the assistant cannot help.
# Both are answered from the catalogue when the message names something it knows.
UNSURE = ("unclear", "out_of_scope")
# "emergency" (112), "urgent" (116 117), "greet" and "call_back" (the contact request form) have
# their fixed answer; the catalogue's answer adds only a service the message names ("hei, mikä on
# muisti-kaveri", "voiko palveluohjaukseen soittaa isän puolesta").
ASIDES = ("urgent", "greet", "emergency", "call_back")
QUESTION_KINDS = SERVICE_QUESTIONS + ("find", "carer", "hours", "contact") + ASIDES + UNSURE
# The urgent numbers' own records: the urgent answer has said them already.
URGENT_SERVICES = ("hatanumero", "paivystysapu")
# Topics whose services are found by catalogue words rather than by the user's own words:
# a worried neighbour rarely names "huoli-ilmoitus", an exhausted carer rarely names respite.
TOPIC_WORDS = {"worry": "huoli-ilmoitus", "carer": "omaishoitaja omaishoitajan vapaa vertaistuki"}
# A question about costs or applying that names no service is about these.
GENERAL_ANSWER_WORDS = {
    "cost": "asiakasmaksu",
    "apply": "palvelutarpeen arviointi",
    "eligibility": "palvelutarpeen arviointi",
}
# "I need help" rarely names a service: the usual help at home fills the list up.
HOME_HELP_WORDS = "kotihoito ateriapalvelu turvapuhelin kauppapalvelu"
LISTED_SERVICES = 4
CHOICES = 3
# Kinds that answer with a list of services when no one service is clearly named.
LISTING_KINDS = ("find", "carer")
LONG_MESSAGE_WORDS = 8


@dataclass(frozen=True)
class Question:
    kind: str
    text: str = ""
    service_id: str | None = None
    municipality_code: str | None = None
    relative_key: str | None = None
    # The service the conversation was about, for "paljonko se maksaa" with no service named.
    previous_service_id: str | None = None
    # What the previous question asked, for "entä ateriapalvelu?" after a question on costs.
    previous_kind: str | None = None
    # The need told earlier, when this message only answers "where do you live".
    need_text: str = ""
    # A place the user named that is not one of the county's municipalities ("Oulu").
    unknown_place: str | None = None
    language: str = "fi"
    # The staff preview also answers about drafts and retired services; the actions never do.
    include_unpublished: bool = False


@dataclass(frozen=True)
class ServiceChoice:
    service_id: str
    name: str


@dataclass(frozen=True)
class Answer:
    text: str
    service_id: str | None = None
    municipality_code: str | None = None
    asks_municipality: bool = False
    catalogue_available: bool = True
    # What the answer told: a service question kind, "find", "carer", "contact"...
    kind: str = "contact"
    # False: nothing in the message was understood; the text holds only the contacts.
    understood: bool = True
    # Two or more services match equally well: "Tarkoititko…?" with these as quick replies.
    choices: tuple[ServiceChoice, ...] = ()


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

    def ask_municipality(body: str = "", **fields) -> Answer:
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
        return Answer(text, asks_municipality=True, **fields)

    def with_contact(body: str, **fields) -> Answer:
        if contact is None:
            return ask_municipality(body, **fields)
        return Answer("\n\n".join(p for p in (body, contact_block(contact, phrases)) if p),
                      municipality_code=code, **fields)

    def about_service(service, kind: str) -> Answer:
        body = service_text(service, kind, phrases, whom_genitive)
        if municipality and not is_offered_in(session, service.id, municipality.code):
            body += "\n\n" + phrases("service_not_offered", name=service.name,
                                     place=municipality.name)
        return with_contact(body, service_id=service.id, kind=kind)

    def did_you_mean(hits: list[ServiceHit]) -> Answer:
        choices = tuple(
            ServiceChoice(view.id, view.name)
            for view in (get_service(session, h.service_id, question.language) for h in hits)
            if view is not None
        )
        return replace(with_contact(phrases("did_you_mean"), kind=_service_kind(question)),
                       choices=choices)

    kind = question.kind if question.kind in QUESTION_KINDS else "contact"
    hits = _named_services(session, question)
    if kind in ABOUT_ONE_SERVICE or kind in UNSURE:
        if len(hits) > 1 and _tied(hits):
            return did_you_mean(hits[:CHOICES])
        service = _service_for(session, question, hits)
        if service is not None:
            return about_service(service, _service_kind(question))
        if kind in UNSURE:
            contacts = (contact_block(contact, phrases) if contact
                        else all_contacts_block(channels, phrases))
            return Answer(contacts, municipality_code=code, kind=kind, understood=False)
        return with_contact(phrases("no_services_found"), kind=kind)
    named = _clearly_named(hits, question)
    if kind in ASIDES:
        if named is None or named.service_id in URGENT_SERVICES:
            return Answer("", kind=kind)
        service = get_service(session, named.service_id, question.language)
        if service is None:
            return Answer("", kind=kind)
        if kind == "call_back":
            # The form asks the municipality and ends with the contact itself.
            return Answer(service_text(service, _service_kind(question), phrases, whom_genitive),
                          service_id=service.id, kind="info")
        return about_service(service, _service_kind(question))
    if named is not None and (kind != "hours" or named.service_id != GUIDANCE_SERVICE_ID):
        service = get_service(session, named.service_id, question.language)
        if service is not None:
            return about_service(service, _service_kind(question, default="apply"
                                                        if kind == "contact" else "info"))
    if kind in SERVICE_QUESTIONS:  # a worry: answered about the topic's own service
        service = _service_for(session, question, [])
        if service is None:
            return with_contact(phrases("no_services_found"), kind=kind)
        return about_service(service, kind)
    if kind == "contact" and hits and not question.service_id:
        # "Mihin soitan, kun äiti ei pärjää" names needs but no one service: the usual list,
        # then the contact.
        kind = "find"
    if kind in ("find", "carer"):
        need = f"{question.need_text or question.text} {TOPIC_WORDS.get(kind, '')}"
        services = _services_to_list(session, need, code, question.language)
        place = municipality.locative if municipality else phrases("county_locative")
        body = services_list_text(services, place, phrases, whom, whom_genitive)
        if municipality is None:
            return ask_municipality(body, kind=kind)
        return with_contact(body, kind=kind)
    if municipality is None:
        if kind == "contact" and not question.unknown_place:
            return ask_municipality(all_contacts_block(channels, phrases))
        return ask_municipality(kind=kind)
    if kind == "hours" and contact is not None:
        return Answer("\n\n".join(
            p for p in (opening_text(contact, now, phrases), contact_block(contact, phrases)) if p
        ), municipality_code=code, kind=kind)
    body = ""
    if question.service_id and not is_offered_in(session, question.service_id, municipality.code):
        service = get_service(session, question.service_id, question.language)
        if service:
            body = phrases("service_not_offered", name=service.name, place=municipality.name)
    if contact is None:
        return Answer(all_contacts_block(channels, phrases), municipality_code=code)
    return with_contact(body, service_id=question.service_id)


def _named_services(session, question: Question) -> list[ServiceHit]:
    """The services the message itself names, best first (none for a button's payload); a
    word of a description alone names none."""
    if not question.text or question.text.startswith("/"):
        return []
    hits = search_services(session, question.text, None, question.language, limit=CHOICES + 1)
    return hits if hits and hits[0].best_weight > DESCRIPTION_WEIGHT else []


def _tied(hits: list[ServiceHit]) -> bool:
    """Two services match the message equally well, and neither by its whole name."""
    first, second = hits[0], hits[1]
    return (first.score, first.best_weight) == (second.score, second.best_weight) \
        and first.best_weight < NAME_WEIGHT


def _clearly_named(hits: list[ServiceHit], question: Question) -> ServiceHit | None:
    """The one service a message about something else (a need, a worry, a place) names by a
    whole name or keyword, ahead of every other; a topic's own service does not count."""
    if not hits or hits[0].best_weight < KEYWORD_WEIGHT:
        return None
    if question.kind in LISTING_KINDS and len(content_words(question.text)) > LONG_MESSAGE_WORDS:
        # A long story of a situation names many things in passing: a few options serve it
        # better than one guess.
        return None
    if len(hits) > 1 and hits[1].score >= hits[0].score:
        return None
    topic_words = set(TOPIC_WORDS.get(question.kind, "").split())
    if topic_words and set(hits[0].matched_terms) <= topic_words:
        return None
    return hits[0]


def _service_kind(question: Question, default: str = "info") -> str:
    """What to tell about the service: the intent's question, else what the words ask."""
    if question.kind in ABOUT_ONE_SERVICE:
        return question.kind
    asked = asked_kind(question.text)
    if asked:
        return asked
    if question.kind in UNSURE and refers_back(question.text) \
            and question.previous_kind in ABOUT_ONE_SERVICE:
        return question.previous_kind
    return default


def _services_to_list(session, text: str, municipality_code: str | None, language: str) -> list:
    """The services that match the need, filled up with the usual help at home; the guidance
    service itself is left out, since its contact ends every answer anyway."""
    services = []
    for query in (text, HOME_HELP_WORDS):
        for service in find_services(session, query, municipality_code, language, LISTED_SERVICES):
            if service.id != GUIDANCE_SERVICE_ID and service.id not in {s.id for s in services}:
                services.append(service)
    return services[:LISTED_SERVICES]


def _service_for(session, question: Question, hits: list[ServiceHit]):
    """The service a question is about: the one the live catalogue finds in the message, else
    the one the NLU recognised, else the conversation's ("paljonko se maksaa"), else the
    general answer to a question about costs or applying."""
    if question.kind in TOPIC_WORDS:
        found = find_services(session, TOPIC_WORDS[question.kind], None, question.language, 1)
        if found:
            return found[0]
    read = get_any_service if question.include_unpublished else get_service
    if question.service_id and not hits:
        service = read(session, question.service_id, question.language)
        if service is not None:
            return service
    for hit in hits[:1]:
        service = get_service(session, hit.service_id, question.language)
        if service is not None:
            return service
    unsure = question.kind in UNSURE
    if question.previous_service_id and (not unsure or refers_back(question.text)):
        service = get_service(session, question.previous_service_id, question.language)
        if service is not None:
            return service
    general = None if unsure else GENERAL_ANSWER_WORDS.get(question.kind)
    if general:
        found = find_services(session, general, None, question.language, 1)
        if found:
            return found[0]
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

