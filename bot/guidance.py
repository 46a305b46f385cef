"""Answer one service-guidance question from the catalogue.

This is what the Rasa actions and the staff preview call: a question in, an answer text out.
It opens its own session for each question, so concurrent conversations share nothing but
the connection pool. When the catalogue cannot be read, it still answers with the guidance
phone numbers read last (or the seed file's wording), never with an error.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.answers.compose import (
    all_contacts_block,
    contact_block,
    opening_text,
    service_text,
    services_list_text,
)
from bot.answers.kinds import (
    ABOUT_ONE_SERVICE,
    ASIDES,
    SERVICE_QUESTIONS,
    UNSURE,
    QuestionKind,
)
from bot.catalogue.opening_hours import local_now
from bot.catalogue.phrases import Phrases, last_known_phrases, load_phrases
from bot.catalogue.queries import (
    GUIDANCE_SERVICE_ID,
    ChannelView,
    MunicipalityView,
    find_services,
    get_any_service,
    get_municipality,
    get_service,
    guidance_contacts,
    is_offered_in,
    search_in_language,
)
from bot.catalogue.search import ServiceHit
from bot.catalogue.search_index import DESCRIPTION_WEIGHT, KEYWORD_WEIGHT, NAME_WEIGHT
from bot.db import session_scope
from bot.db.deadline import within
from bot.text.finnish import content_words
from bot.text.question_words import asked_kind, refers_back
from bot.text.relatives import Relative, relatives

logger = logging.getLogger(__name__)

# What the actions and the staff preview need of the kinds, from the one entry point.
__all__ = [
    "ABOUT_ONE_SERVICE", "ASIDES", "SERVICE_QUESTIONS", "UNSURE", "Answer", "Question",
    "QuestionKind", "ServiceChoice", "answer_question", "render_preview",
]

# The urgent numbers' own records: the urgent answer has said them already.
URGENT_SERVICES = ("hatanumero", "paivystysapu")
# Topics whose services are found by catalogue words rather than by the user's own words:
# a worried neighbour rarely names "huoli-ilmoitus", an exhausted carer rarely names respite.
TOPIC_WORDS = {
    QuestionKind.WORRY: "huoli-ilmoitus",
    QuestionKind.CARER: "omaishoitaja omaishoitajan vapaa vertaistuki",
}
# A question about costs or applying that names no service is about these.
GENERAL_ANSWER_WORDS = {
    QuestionKind.COST: "asiakasmaksu",
    QuestionKind.APPLY: "palvelutarpeen arviointi",
    QuestionKind.ELIGIBILITY: "palvelutarpeen arviointi",
}
# "I need help" rarely names a service: the usual help at home fills the list up.
HOME_HELP_WORDS = "kotihoito ateriapalvelu turvapuhelin kauppapalvelu"
LISTED_SERVICES = 4
CHOICES = 3
# Kinds that answer with a list of services when no one service is clearly named.
LISTING_KINDS = (QuestionKind.FIND, QuestionKind.CARER)
LONG_MESSAGE_WORDS = 8


@dataclass(frozen=True)
class Question:
    # A QuestionKind or its value ("cost"); made a QuestionKind, an unknown value "contact".
    kind: QuestionKind | str
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", QuestionKind.parse(self.kind))


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
    kind: QuestionKind = QuestionKind.CONTACT
    # False: nothing in the message was understood; the text holds only the contacts.
    understood: bool = True
    # Two or more services match equally well: "Tarkoititko…?" with these as quick replies.
    choices: tuple[ServiceChoice, ...] = ()
    # Whether the catalogue had what the message asked: False also for an understood question
    # answered only in general (no service found, or the general answer about costs or
    # applying for a message that named no service). The staff's insights list the rest.
    found: bool = True


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


def remember_contacts(engine: Engine | None = None) -> int:
    """Read the guidance contacts once, when an action server starts: a server that has not
    answered yet (several run behind one address) still knows them while the catalogue is
    down. Returns how many it knows; a blocking call."""
    try:
        with session_scope(engine) as session:
            channels = guidance_contacts(session, "fi")
    except SQLAlchemyError as error:
        logger.warning("Contacts not read at start: %s", type(error).__name__)
        return 0
    last_known.remember(channels, None, None)
    return len(channels)


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


def answer_in_session(session: Session, question: Question, now: datetime | None = None
                      ) -> Answer:
    """The answer to ``question`` as ``session`` sees the catalogue: the staff's preview of an
    edit before it is committed (mark the session with ``search.SEES_UNCOMMITTED``)."""
    return _answer(session, question, now or local_now())


async def answer_in_time(question: Question) -> Answer:
    """``answer_question`` in a worker thread within the database deadline; when the
    catalogue does not answer in time, the last known contacts (``bot.db.deadline``)."""
    return await within(
        partial(answer_question, question), partial(catalogue_unavailable_answer, question)
    )


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


def _answer(session: Session, question: Question, now: datetime) -> Answer:
    turn = _Turn.start(session, question, now)
    answer = HANDLERS[question.kind](turn)
    return replace(answer, found=_found(turn, answer))


def _found(turn: _Turn, answer: Answer) -> bool:
    if not answer.understood:
        return False
    if turn.phrases("no_services_found") in answer.text:
        return False
    if answer.service_id and answer.kind in ABOUT_ONE_SERVICE and not answer.choices:
        question = turn.question
        named = {hit.service_id for hit in turn.hits}
        named |= {question.service_id, question.previous_service_id}
        return answer.service_id in named
    return True


@dataclass
class _Turn:
    """What one question's answer is made from: read once, shared by the kind's handler."""

    session: Session
    question: Question
    now: datetime
    phrases: Phrases
    channels: list[ChannelView]
    municipality: MunicipalityView | None
    relative: Relative | None
    hits: list[ServiceHit] = field(default_factory=list)

    @classmethod
    def start(cls, session: Session, question: Question, now: datetime) -> _Turn:
        municipality = (
            get_municipality(session, question.municipality_code, question.language)
            if question.municipality_code else None
        )
        channels = guidance_contacts(session, question.language)
        last_known.remember(
            channels,
            municipality.code if municipality else None,
            municipality.service_area_id if municipality else None,
        )
        return cls(
            session, question, now, load_phrases(session, question.language), channels,
            municipality, relatives().get(question.relative_key or ""),
            _named_services(session, question),
        )

    @property
    def kind(self) -> QuestionKind:
        return QuestionKind(self.question.kind)

    @property
    def code(self) -> str | None:
        return self.municipality.code if self.municipality else None

    @property
    def contact(self) -> ChannelView | None:
        """The guidance line of the user's service area, once the municipality is known."""
        area = self.municipality.service_area_id if self.municipality else None
        return next((c for c in self.channels if area and c.service_area_id == area), None)

    @property
    def whom(self) -> str | None:
        return self.relative.whom_for(self.question.language) if self.relative else None

    @property
    def whom_genitive(self) -> str | None:
        return self.relative.whom_genitive_for(self.question.language) if self.relative else None

    def service(self, service_id: str):
        return get_service(self.session, service_id, self.question.language)

    def ask_municipality(self, body: str = "", **fields) -> Answer:
        phrases = self.phrases
        ask = (
            phrases("ask_municipality_relative", whom=self.whom)
            if self.relative else phrases("ask_municipality_for_contact")
        )
        if self.question.unknown_place:
            body = _paragraphs(
                body, phrases("unknown_municipality", place=self.question.unknown_place),
                all_contacts_block(self.channels, phrases),
            )
            ask = ""
        return Answer(_paragraphs(body, ask), asks_municipality=True, **fields)

    def with_contact(self, body: str, **fields) -> Answer:
        contact = self.contact
        if contact is None:
            return self.ask_municipality(body, **fields)
        return Answer(_paragraphs(body, contact_block(contact, self.phrases)),
                      municipality_code=self.code, **fields)

    def all_contacts(self) -> str:
        contact = self.contact
        return (contact_block(contact, self.phrases) if contact
                else all_contacts_block(self.channels, self.phrases))

    def about_service(self, service, kind: QuestionKind) -> Answer:
        body = service_text(service, kind, self.phrases, self.now.date(), self.whom_genitive)
        municipality = self.municipality
        if municipality and not is_offered_in(self.session, service.id, municipality.code):
            body += "\n\n" + self.phrases("service_not_offered", name=service.name,
                                           place=municipality.name)
        return self.with_contact(body, service_id=service.id, kind=kind)

    def about_hits(self) -> Answer | None:
        """About the service the message names: "Tarkoititko…?" on a tie, None for none."""
        if len(self.hits) > 1 and _tied(self.hits):
            views = (self.service(hit.service_id) for hit in self.hits[:CHOICES])
            choices = tuple(ServiceChoice(v.id, v.name) for v in views if v is not None)
            asked = self.with_contact(self.phrases("did_you_mean"),
                                      kind=_service_kind(self.question))
            return replace(asked, choices=choices)
        service = _service_for(self.session, self.question, self.hits)
        return None if service is None else self.about_service(
            service, _service_kind(self.question))

    def named_service(self, excluded: tuple[str, ...] = ()):
        """The one service a message about something else names clearly, if any."""
        named = _clearly_named(self.hits, self.question)
        if named is None or named.service_id in excluded:
            return None
        return self.service(named.service_id)

    def about_named_service(self, default: QuestionKind,
                            excluded: tuple[str, ...] = ()) -> Answer | None:
        service = self.named_service(excluded)
        if service is None:
            return None
        return self.about_service(service, _service_kind(self.question, default))

    def services_list(self, kind: QuestionKind) -> Answer:
        question, municipality = self.question, self.municipality
        need, topic = question.need_text or question.text, TOPIC_WORDS.get(kind, "")
        if question.language == "fi":
            queries = [(f"{need} {topic}", "fi")]
        else:
            # The topic words are Finnish: looked up apart from the user's own words.
            queries = [(need, question.language), (topic, "fi")]
        services = _services_to_list(self.session, queries, self.code, question.language)
        place = municipality.locative if municipality else self.phrases("county_locative")
        body = services_list_text(services, place, self.phrases, self.whom, self.whom_genitive)
        if municipality is None:
            return self.ask_municipality(body, kind=kind)
        return self.with_contact(body, kind=kind)

    def guidance_contact(self) -> Answer:
        """The user's guidance line, saying first when the service asked about is not
        offered in their municipality."""
        question, municipality = self.question, self.municipality
        body = ""
        if question.service_id and not is_offered_in(self.session, question.service_id,
                                                     municipality.code):
            service = self.service(question.service_id)
            if service:
                body = self.phrases("service_not_offered", name=service.name,
                                    place=municipality.name)
        if self.contact is None:
            return Answer(all_contacts_block(self.channels, self.phrases),
                          municipality_code=self.code)
        return self.with_contact(body, service_id=question.service_id)


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


Handler = Callable[[_Turn], Answer]
HANDLERS: dict[QuestionKind, Handler] = {}


def handles(*kinds: QuestionKind) -> Callable[[Handler], Handler]:
    """Register the decorated function as the answer to questions of these kinds."""
    def register(handler: Handler) -> Handler:
        for kind in kinds:
            HANDLERS[kind] = handler
        return handler
    return register


@handles(*ABOUT_ONE_SERVICE)
def _about_one_service(turn: _Turn) -> Answer:
    return turn.about_hits() or turn.with_contact(turn.phrases("no_services_found"),
                                                  kind=turn.kind)


@handles(*UNSURE)
def _unsure(turn: _Turn) -> Answer:
    """Answered from the catalogue when the message names something it knows, else the
    contacts, marked as not understood."""
    return turn.about_hits() or Answer(
        turn.all_contacts(), municipality_code=turn.code, kind=turn.kind, understood=False
    )


@handles(QuestionKind.URGENT, QuestionKind.GREET, QuestionKind.EMERGENCY)
def _aside(turn: _Turn) -> Answer:
    """The fixed answer has been given; the urgent numbers' own records have said it all."""
    answer = turn.about_named_service(QuestionKind.INFO, excluded=URGENT_SERVICES)
    return answer or Answer("", kind=turn.kind)


@handles(QuestionKind.CALL_BACK)
def _call_back(turn: _Turn) -> Answer:
    """The service the request names, without a contact: the form asks the municipality and
    ends with the contact itself."""
    service = turn.named_service(excluded=URGENT_SERVICES)
    if service is None:
        return Answer("", kind=turn.kind)
    kind = _service_kind(turn.question)
    return Answer(service_text(service, kind, turn.phrases, turn.now.date(),
                               turn.whom_genitive),
                  service_id=service.id, kind=QuestionKind.INFO)


@handles(QuestionKind.WORRY)
def _worry(turn: _Turn) -> Answer:
    answer = turn.about_named_service(QuestionKind.INFO)
    if answer is not None:
        return answer
    service = _service_for(turn.session, turn.question, [])
    if service is None:
        return turn.with_contact(turn.phrases("no_services_found"), kind=turn.kind)
    return turn.about_service(service, turn.kind)


@handles(*LISTING_KINDS)
def _services_for_need(turn: _Turn) -> Answer:
    return turn.about_named_service(QuestionKind.INFO) or turn.services_list(turn.kind)


@handles(QuestionKind.CONTACT)
def _contact(turn: _Turn) -> Answer:
    answer = turn.about_named_service(QuestionKind.APPLY)
    if answer is not None:
        return answer
    if turn.hits and not turn.question.service_id:
        # "Mihin soitan, kun äiti ei pärjää" names needs but no one service: the usual list,
        # then the contact.
        return turn.services_list(QuestionKind.FIND)
    if turn.municipality is None:
        if turn.question.unknown_place:
            return turn.ask_municipality(kind=turn.kind)
        return turn.ask_municipality(all_contacts_block(turn.channels, turn.phrases))
    return turn.guidance_contact()


@handles(QuestionKind.HOURS)
def _hours(turn: _Turn) -> Answer:
    # "Milloin palveluohjaus on auki" names the guidance service: its hours, not its record.
    answer = turn.about_named_service(QuestionKind.INFO, excluded=(GUIDANCE_SERVICE_ID,))
    if answer is not None:
        return answer
    if turn.municipality is None:
        return turn.ask_municipality(kind=turn.kind)
    contact = turn.contact
    if contact is None:
        return turn.guidance_contact()
    return Answer(_paragraphs(opening_text(contact, turn.now, turn.phrases),
                              contact_block(contact, turn.phrases)),
                  municipality_code=turn.code, kind=turn.kind)


def _named_services(session, question: Question) -> list[ServiceHit]:
    """The services the message itself names, best first (none for a button's payload); a
    word of a description alone names none."""
    if not question.text or question.text.startswith("/"):
        return []
    hits = search_in_language(session, question.text, None, question.language, CHOICES + 1)
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


def _service_kind(question: Question,
                  default: QuestionKind = QuestionKind.INFO) -> QuestionKind:
    """What to tell about the service: the intent's question, else what the words ask."""
    if question.kind in ABOUT_ONE_SERVICE:
        return question.kind
    asked = asked_kind(question.text)
    if asked:
        return QuestionKind.parse(asked, default)
    if question.kind in UNSURE and refers_back(question.text) \
            and question.previous_kind in ABOUT_ONE_SERVICE:
        return QuestionKind.parse(question.previous_kind)
    return default


def _services_to_list(session, queries: list[tuple[str, str]], municipality_code: str | None,
                      language: str) -> list:
    """The services that match the need ((words, their language) pairs), filled up with the
    usual help at home; the guidance service itself is left out, since its contact ends every
    answer anyway."""
    services = []
    for query, words_language in [*queries, (HOME_HELP_WORDS, "fi")]:
        if not query.strip():
            continue
        for service in find_services(session, query, municipality_code, language,
                                     LISTED_SERVICES, words_language):
            if service.id != GUIDANCE_SERVICE_ID and service.id not in {s.id for s in services}:
                services.append(service)
    return services[:LISTED_SERVICES]


def _service_for(session, question: Question, hits: list[ServiceHit]):
    """The service a question is about: the one the live catalogue finds in the message, else
    the one the NLU recognised, else the conversation's ("paljonko se maksaa"), else the
    general answer to a question about costs or applying."""
    if question.kind in TOPIC_WORDS:
        found = find_services(session, TOPIC_WORDS[question.kind], None, question.language, 1,
                              "fi")
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
        found = find_services(session, general, None, question.language, 1, "fi")
        if found:
            return found[0]
    return None


def render_preview(
    service_id: str,
    kind: QuestionKind = QuestionKind.INFO,
    engine: Engine | None = None,
    municipality_code: str | None = None,
    now: datetime | None = None,
    language: str = "fi",
) -> str:
    """The answer about one service, as the assistant would give it in ``language`` ("fi",
    "sv", "en", "se"), for the staff preview.

    The same ``answer_question`` the actions call, with one difference: a draft (or retired)
    service is answered about too, so staff see the answer before they publish.
    """
    question = Question(
        kind=kind, service_id=service_id, municipality_code=municipality_code,
        language=language, include_unpublished=True,
    )
    return answer_question(question, engine, now).text

