"""What waits for a staff member: the admin's front page and the list filters it links to.

Each concern is one SQL condition, so the count on the front page and the list it links to
(``?huomio=...``) are the same rows. An editor or viewer limited to a service area sees their
area's requests and records (``area_condition`` is ``permissions.area_of`` in SQL);
county-wide staff and admins see the whole county's.

A call-back request is overdue when it is still new after the working days the citizen was
promised (``RESPONSE_WORKING_DAYS``; Saturdays and Sundays are not working days).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.catalogue.models import (
    AreaType,
    Municipality,
    PublishingStatus,
    Service,
    ServiceChannel,
    WeeklyOpeningHours,
)
from bot.config import TIMEZONE
from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.contact_requests.store import RESPONSE_WORKING_DAYS
from bot.staff import permissions
from bot.staff.models import StaffUser
from bot.staff.translations import missing_translations

_LOCAL = ZoneInfo(TIMEZONE)
# The oldest requests named on the front page; the list has the rest.
SHOWN_REQUESTS = 10


class Concern(str, enum.Enum):
    """One kind of thing that waits; the value is the list filter's (``?huomio=``)."""

    new_requests = "uudet"
    overdue_requests = "myohassa"
    fee_expired = "hinta-vanhentunut"
    hours_expired = "aukiolo-vanhentunut"
    example_data = "esimerkkitieto"


LABELS = {
    Concern.new_requests: "Uudet soittopyynnöt",
    Concern.overdue_requests: "Myöhässä olevat soittopyynnöt",
    Concern.fee_expired: "Hinnat, joiden voimassaolo on päättynyt",
    Concern.hours_expired: "Aukioloajat, joiden voimassaolo on päättynyt",
    Concern.example_data: "Esimerkkitietoja, jotka pitää korvata oikeilla",
}
# An item about example data names its records: "Palvelut, joissa on esimerkkitietoja".
EXAMPLE_LABELS = {"service": "Palvelut, joissa on esimerkkitietoja",
                  "service_channel": "Yhteystavat, joissa on esimerkkitietoja"}
# The concerns of each table, whose admin list each filters.
CONCERNS_OF = {
    "contact_request": [Concern.new_requests, Concern.overdue_requests],
    "service": [Concern.fee_expired, Concern.example_data],
    "service_channel": [Concern.example_data],
    "weekly_opening_hours": [Concern.hours_expired],
}


def local_today(now: datetime) -> date:
    """Today in Finland for a UTC moment (naive, as the database keeps times)."""
    return now.replace(tzinfo=timezone.utc).astimezone(_LOCAL).date()


def overdue_before(now: datetime, working_days: int = RESPONSE_WORKING_DAYS) -> datetime:
    """The moment (naive UTC) before which a request still new is overdue: ``working_days``
    working days before ``now``, counted in Finnish time with weekends skipped."""
    moment = now.replace(tzinfo=timezone.utc).astimezone(_LOCAL)
    left = working_days
    while left:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def waited_text(since: datetime, now: datetime) -> str:
    """How long a request has waited, as staff say it: "2 päivää", "5 tuntia", "alle tunnin"."""
    seconds = max(0, (now - since).total_seconds())
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if days:
        return "1 päivä" if days == 1 else f"{days} päivää"
    if hours:
        return "1 tunti" if hours == 1 else f"{hours} tuntia"
    return "alle tunnin"


def area_condition(model: type, area: str | None) -> ColumnElement[bool] | None:
    """``permissions.in_own_area`` in SQL: the rows of ``model`` that belong to ``area``;
    None when every row is shown (no area)."""
    if area is None:
        return None
    if model is ContactRequest:
        return ContactRequest.service_area_id == area
    if model is ServiceChannel:
        return or_(ServiceChannel.service_area_id == area,
                   ServiceChannel.municipality.has(Municipality.service_area_id == area))
    if model is WeeklyOpeningHours:
        return WeeklyOpeningHours.channel.has(area_condition(ServiceChannel, area))
    if model is Service:
        return and_(Service.area_type == AreaType.Municipalities,
                    Service.municipalities.any(Municipality.service_area_id == area))
    return false()


def concern_condition(model: type, concern: Concern, now: datetime) -> ColumnElement[bool]:
    """The rows of ``model`` that ``concern`` is about (false for a model it is not about)."""
    today = local_today(now)
    in_use = None if model is ContactRequest else (
        _status_of(model) != PublishingStatus.retired)
    condition: ColumnElement[bool] | None = None
    if model is ContactRequest and concern == Concern.new_requests:
        condition = ContactRequest.status == RequestStatus.new
    elif model is ContactRequest and concern == Concern.overdue_requests:
        condition = and_(ContactRequest.status == RequestStatus.new,
                         ContactRequest.created_at < overdue_before(now))
    elif model is Service and concern == Concern.fee_expired:
        condition = Service.fee_valid_to < today
    elif model is WeeklyOpeningHours and concern == Concern.hours_expired:
        condition = WeeklyOpeningHours.valid_to < today
    elif model in (Service, ServiceChannel) and concern == Concern.example_data:
        condition = model.is_example.is_(True)
    if condition is None:
        return false()
    return condition if in_use is None else and_(condition, in_use)


def _status_of(model: type) -> Any:
    if model is WeeklyOpeningHours:
        return select(ServiceChannel.status).where(
            ServiceChannel.id == WeeklyOpeningHours.channel_id).scalar_subquery()
    return model.status


def filtered(statement: Any, model: type, concern: Concern, user: StaffUser | None,
             now: datetime) -> Any:
    """``statement`` (a select of ``model``) narrowed to the rows of ``concern`` that ``user``
    is shown: the list that a front-page item links to."""
    statement = statement.where(concern_condition(model, concern, now))
    area = area_condition(model, permissions.own_area(user))
    return statement if area is None else statement.where(area)


@dataclass
class WaitingRequest:
    id: int
    reference: str
    municipality: str
    waited: str
    overdue: bool


@dataclass
class Item:
    """One line of the front page: what, how many, and the list that shows them."""

    concern: Concern | None
    label: str
    count: int
    # The table whose admin list shows them (filtered by the concern); or a page of its own.
    table: str = ""
    page: str = ""


@dataclass
class Attention:
    requests: list[WaitingRequest] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


MODELS = {"contact_request": ContactRequest, "service": Service,
          "service_channel": ServiceChannel, "weekly_opening_hours": WeeklyOpeningHours}
MISSING_TRANSLATIONS = "Puuttuvat käännökset (ruotsi ja englanti)"


def needs_attention(session: Session, user: StaffUser | None, now: datetime) -> Attention:
    """What waits for ``user`` at ``now`` (naive UTC), in the tables they may read."""
    attention = Attention()
    for table, concerns in CONCERNS_OF.items():
        if not permissions.can_read(user, table):
            continue
        model = MODELS[table]
        for concern in concerns:
            count = session.execute(filtered(select(func.count()).select_from(model), model,
                                             concern, user, now)).scalar_one()
            label = EXAMPLE_LABELS[table] if concern == Concern.example_data else LABELS[concern]
            attention.items.append(Item(concern, label, count, table))
    if permissions.can_read(user, "contact_request"):
        attention.requests = _waiting_requests(session, user, now)
    missing = missing_translations(session, user)
    attention.items.append(Item(None, MISSING_TRANSLATIONS,
                                len({(m.table, m.key, m.language) for m in missing}),
                                page="missing-translations"))
    return attention


def _waiting_requests(session: Session, user: StaffUser | None,
                      now: datetime) -> list[WaitingRequest]:
    statement = filtered(select(ContactRequest, Municipality.name_fi).join(
        Municipality, Municipality.code == ContactRequest.municipality_code),
        ContactRequest, Concern.new_requests, user, now)
    rows = session.execute(statement.order_by(ContactRequest.created_at, ContactRequest.id)
                           .limit(SHOWN_REQUESTS)).all()
    late = overdue_before(now)
    return [WaitingRequest(request.id, request.reference, municipality,
                           waited_text(request.created_at, now), request.created_at < late)
            for request, municipality in rows]
