"""Read the published catalogue into plain views that outlive the session that read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.catalogue.models import (
    ChannelType,
    Municipality,
    PublishingStatus,
    Service,
    ServiceChannel,
)
from bot.catalogue.search import ServiceHit, offered_in, search_services
from bot.text.language import place_phrase

GUIDANCE_SERVICE_ID = "palveluohjaus"


@dataclass(frozen=True)
class WeeklyHours:
    weekday_from: int
    weekday_to: int
    opens: time
    closes: time


@dataclass(frozen=True)
class ExceptionalHours:
    date_from: date
    date_to: date
    is_closed: bool
    opens: time | None
    closes: time | None
    reason: str | None


@dataclass(frozen=True)
class ChannelView:
    id: str
    channel_type: str
    name: str
    description: str | None = None
    phone_number: str | None = None
    phone_charge: str | None = None
    email: str | None = None
    url: str | None = None
    address: str | None = None
    hours_info: str | None = None
    service_area_id: str | None = None
    is_example: bool = False
    # ISO codes of the languages the channel serves in ("fi", "sv", "se"); empty when unknown.
    languages: tuple[str, ...] = ()
    weekly_hours: tuple[WeeklyHours, ...] = ()
    exceptions: tuple[ExceptionalHours, ...] = ()


@dataclass(frozen=True)
class ServiceView:
    id: str
    name: str
    summary: str | None
    description: str | None
    target_group: str | None
    how_to_apply: str | None
    fee: str | None
    fee_valid_from: date | None
    fee_valid_to: date | None
    charge_type: str | None
    legal_basis: str | None
    organization: str | None
    is_example: bool
    channels: tuple[ChannelView, ...] = field(default_factory=tuple)
    # The texts (summary, fee, ...) given in Finnish because the asked language has none.
    in_finnish: tuple[str, ...] = ()


@dataclass(frozen=True)
class MunicipalityView:
    code: str
    name: str
    locative: str
    service_area_id: str
    service_area_name: str
    in_sami_homeland: bool


def _text(obj, column: str, language: str) -> str | None:
    """The text in ``language``, falling back to Finnish, which is always there."""
    return getattr(obj, f"{column}_{language}", None) or getattr(obj, f"{column}_fi", None)


def _or(value, default):
    return default if value is None else value


def channel_view(channel: ServiceChannel, language: str = "fi") -> ChannelView:
    address = None
    if channel.street_address:
        address = ", ".join(
            p
            for p in (
                channel.street_address,
                " ".join(p for p in (channel.postal_code, channel.post_office) if p),
            )
            if p
        )
    return ChannelView(
        id=channel.id,
        channel_type=channel.channel_type.value,
        name=_text(channel, "name", language),
        description=_text(channel, "description", language),
        phone_number=channel.phone_number,
        phone_charge=_text(channel, "phone_charge", language),
        email=channel.email,
        url=channel.url,
        address=address,
        hours_info=_text(channel, "hours_info", language),
        service_area_id=channel.service_area_id,
        is_example=bool(channel.is_example),
        languages=tuple(c.strip() for c in (channel.languages or "").split(",") if c.strip()),
        weekly_hours=tuple(
            WeeklyHours(h.weekday_from, _or(h.weekday_to, h.weekday_from), h.opens, h.closes)
            for h in channel.weekly_hours
        ),
        exceptions=tuple(
            ExceptionalHours(e.date_from, e.date_to or e.date_from, e.is_closed, e.opens,
                             e.closes, e.reason_fi)
            for e in channel.exceptions
        ),
    )


SERVICE_TEXTS = ("name", "summary", "description", "target_group", "how_to_apply", "fee")


def _in_finnish(obj, columns: tuple[str, ...], language: str) -> tuple[str, ...]:
    if language == "fi":
        return ()
    return tuple(c for c in columns if getattr(obj, f"{c}_fi", None)
                 and not getattr(obj, f"{c}_{language}", None))


def service_view(service: Service, language: str = "fi") -> ServiceView:
    return ServiceView(
        id=service.id,
        name=_text(service, "name", language),
        summary=_text(service, "summary", language),
        description=_text(service, "description", language),
        target_group=_text(service, "target_group", language),
        how_to_apply=_text(service, "how_to_apply", language),
        fee=_text(service, "fee", language),
        fee_valid_from=service.fee_valid_from,
        fee_valid_to=service.fee_valid_to,
        charge_type=service.charge_type.value if service.charge_type else None,
        legal_basis=service.legal_basis,
        organization=_text(service.organization, "name", language) if service.organization
        else None,
        is_example=bool(service.is_example),
        channels=tuple(
            channel_view(c, language)
            for c in sorted(service.channels, key=lambda c: c.id)
            if c.status == PublishingStatus.published
        ),
        in_finnish=_in_finnish(service, SERVICE_TEXTS, language),
    )


def _published_services():
    return select(Service).where(Service.status == PublishingStatus.published).options(
        selectinload(Service.organization),
        selectinload(Service.channels).selectinload(ServiceChannel.weekly_hours),
        selectinload(Service.channels).selectinload(ServiceChannel.exceptions),
    )


def get_service(session: Session, service_id: str, language: str = "fi") -> ServiceView | None:
    """A published service by id, or None if it does not exist or is not published."""
    service = session.execute(
        _published_services().where(Service.id == service_id)
    ).scalar_one_or_none()
    return service_view(service, language) if service else None


def get_any_service(session: Session, service_id: str, language: str = "fi") -> ServiceView | None:
    """A service in any state, for the staff preview."""
    service = session.get(Service, service_id)
    return service_view(service, language) if service else None


def search_in_language(session: Session, text: str, municipality_code: str | None = None,
                       language: str = "fi", limit: int = 5) -> list[ServiceHit]:
    """Services matching ``text`` in the words of ``language``, else in Finnish: people name
    services in Finnish whatever language they write ("does my mum get kotihoito")."""
    hits = search_services(session, text, municipality_code, language, limit)
    if language == "fi":
        return hits
    finnish = search_services(session, text, municipality_code, "fi", limit)

    def strength(found: list[ServiceHit]) -> tuple:
        return (found[0].best_weight, found[0].score) if found else (0, 0.0)

    return finnish if strength(finnish) > strength(hits) else hits


def find_services(session: Session, text: str, municipality_code: str | None = None,
                  language: str = "fi", limit: int = 5,
                  words_language: str | None = None) -> list[ServiceView]:
    """Published services matching the words of ``text``, best first, told in ``language``.

    ``words_language``: the language of ``text`` when it is not the answer's (the assistant's
    own Finnish topic words).
    """
    hits = search_in_language(session, text, municipality_code, words_language or language,
                              limit)
    views = []
    for hit in hits:
        view = get_service(session, hit.service_id, language)
        if view:
            views.append(view)
    return views


def is_offered_in(session: Session, service_id: str, municipality_code: str) -> bool:
    return (
        session.execute(
            select(Service.id).where(Service.id == service_id, offered_in(municipality_code))
        ).first()
        is not None
    )


# A municipality's name in each answer language: English uses the Finnish names.
MUNICIPALITY_NAME_COLUMN = {"fi": "name_fi", "sv": "name_sv", "en": "name_fi", "se": "name_se"}


def get_municipality(session: Session, code: str, language: str = "fi") -> MunicipalityView | None:
    municipality = session.get(Municipality, code)
    if municipality is None:
        return None
    name = getattr(municipality, MUNICIPALITY_NAME_COLUMN.get(language, "name_fi"), None)
    name = name or municipality.name_fi
    return MunicipalityView(
        code=municipality.code,
        name=name,
        locative=place_phrase(name, language) or municipality.locative_fi,
        service_area_id=municipality.service_area_id,
        service_area_name=_text(municipality.service_area, "name", language),
        in_sami_homeland=bool(municipality.in_sami_homeland),
    )


def guidance_contacts(session: Session, language: str = "fi") -> list[ChannelView]:
    """The published phone lines of client and service guidance, one per service area."""
    channels = session.execute(
        select(ServiceChannel)
        .join(ServiceChannel.services)
        .where(
            Service.id == GUIDANCE_SERVICE_ID,
            ServiceChannel.channel_type == ChannelType.Phone,
            ServiceChannel.status == PublishingStatus.published,
        )
        .options(selectinload(ServiceChannel.weekly_hours), selectinload(ServiceChannel.exceptions))
        .order_by(ServiceChannel.service_area_id)
    ).scalars()
    return [channel_view(c, language) for c in channels]


def guidance_contact(
    session: Session, municipality_code: str, language: str = "fi"
) -> ChannelView | None:
    """The guidance phone line for the municipality's service area."""
    municipality = session.get(Municipality, municipality_code)
    if municipality is None:
        return None
    for channel in guidance_contacts(session, language):
        if channel.service_area_id == municipality.service_area_id:
            return channel
    return None
