"""Who may do what: one table of rules for the admin and the API. Deny by default.

- admin: everything, including accounts, API tokens and the audit trail;
- editor: reads the catalogue and writes it; an editor limited to a service area writes only
  that area's channels (and their hours) and services offered only in its municipalities,
  and nothing county-wide (organisations, municipalities, areas, answer phrases);
- viewer: reads the catalogue;
- contact requests (citizens' personal data): every role reads them, but an editor or a viewer
  limited to a service area sees only that area's, in every list, count, page and filter (so
  too the list of missing translations); accounts without an area (county-wide staff) see
  every area's. Admins always see every area's: they administer the whole county (accounts,
  deleting requests, the audit trail), so an admin is never given an area
  (``bot.staff.accounts.area_error``). Admins and editors mark requests handled (an area
  editor only their area's); only admins delete them; nobody creates or edits them by hand;
- anyone else (no account, inactive account, unknown role): nothing.

The area limits what staff *see* of citizens' data; the catalogue itself is public, so an area
viewer still reads all of it.
"""

from __future__ import annotations

from typing import Any, Callable

from bot.catalogue.models import (
    AreaType,
    OpeningException,
    Service,
    ServiceChannel,
    WeeklyOpeningHours,
)
from bot.catalogue.tables import COUNTY_WIDE_TABLES, MODELS
from bot.staff.models import ApiToken, AuditEvent, Role, StaffUser

CATALOGUE_TABLES = frozenset(MODELS)
ADMIN_TABLES = {"staff_user", "api_token", "audit_event"}
CONTACT_REQUEST_TABLE = "contact_request"
# Services and channels are retired, not deleted, so that the trail and links stay whole.
ADMIN_ONLY_DELETE = {"service", "service_channel", *COUNTY_WIDE_TABLES}

TEXTS = {
    "outside_area": "Voit muokata vain oman palvelualueesi ({area}) tietoja.",
    "county_wide": "Tätä tietoa voivat muokata vain koko hyvinvointialueen muokkaajat.",
    "forbidden": "Sinulla ei ole oikeutta tähän.",
    "other_area_request": "Voit käsitellä vain oman palvelualueesi ({area}) "
                          "yhteydenottopyyntöjä.",
}


def _role(user: StaffUser | None) -> Role | None:
    if user is None or not user.is_active:
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


def can_read(user: StaffUser | None, table: str) -> bool:
    role = _role(user)
    if role is None:
        return False
    if table in ADMIN_TABLES:
        return role == Role.admin
    return table in CATALOGUE_TABLES or table == CONTACT_REQUEST_TABLE


def can_write(user: StaffUser | None, table: str) -> bool:
    """May create and edit rows of ``table`` at all (row rules come on top)."""
    role = _role(user)
    if role == Role.admin:
        return table in CATALOGUE_TABLES or table in {"staff_user", "api_token"}
    if role == Role.editor and table in CATALOGUE_TABLES:
        return not (user.service_area_id and table in COUNTY_WIDE_TABLES)
    return False


def can_delete(user: StaffUser | None, table: str) -> bool:
    if table == CONTACT_REQUEST_TABLE:
        return _role(user) == Role.admin
    if not can_write(user, table):
        return False
    return _role(user) == Role.admin or table not in ADMIN_ONLY_DELETE


def can_import(user: StaffUser | None) -> bool:
    return _role(user) == Role.admin


# The roles that an account's service area limits; admins see the whole county.
AREA_ROLES = frozenset({Role.editor, Role.viewer})


def own_area(user: StaffUser | None) -> str | None:
    """The one service area whose rows the area-limited lists (contact requests, missing
    translations) show ``user``; None: every area's (county-wide staff and admins)."""
    if _role(user) in AREA_ROLES and user.service_area_id:
        return user.service_area_id
    return None


def contact_request_area(user: StaffUser | None) -> str | None:
    """The one service area whose contact requests ``user`` sees; None: every area's."""
    return own_area(user)


def in_own_area(user: StaffUser | None, obj: Any) -> bool:
    """Whether an area-limited list shows ``user`` this catalogue row: every row to those not
    limited to an area; to an area editor or viewer, the rows that belong to their area
    (county-wide rows belong to none)."""
    area = own_area(user)
    if area is None:
        return True
    areas = area_of(obj)
    return areas is not None and area in areas


def can_handle_contact_requests(user: StaffUser | None) -> bool:
    return _role(user) in (Role.admin, Role.editor)


def handle_error(user: StaffUser | None, request: Any) -> str | None:
    """Why ``user`` may not mark this contact request handled (in Finnish), or None."""
    if not can_handle_contact_requests(user):
        return TEXTS["forbidden"]
    area = contact_request_area(user)
    if area and request.service_area_id != area:
        return TEXTS["other_area_request"].format(area=area)
    return None


def area_of(obj: Any) -> set[str] | None:
    """The service areas a row belongs to; None when it is county-wide."""
    if isinstance(obj, ServiceChannel):
        areas = set()
        if obj.service_area_id:
            areas.add(obj.service_area_id)
        if obj.municipality is not None:
            areas.add(obj.municipality.service_area_id)
        return areas or None
    if isinstance(obj, (WeeklyOpeningHours, OpeningException)):
        return area_of(obj.channel) if obj.channel is not None else None
    if isinstance(obj, Service):
        if obj.area_type != AreaType.Municipalities or not obj.municipalities:
            return None
        return {m.service_area_id for m in obj.municipalities}
    return None


def row_error(user: StaffUser | None, obj: Any) -> str | None:
    """Why ``user`` may not write this row as it now is (in Finnish), or None when they may."""
    table = getattr(obj, "__tablename__", "")
    if not can_write(user, table):
        return TEXTS["forbidden"]
    area = user.service_area_id
    if _role(user) != Role.editor or not area:
        return None
    if table in COUNTY_WIDE_TABLES:
        return TEXTS["county_wide"]
    if isinstance(obj, (StaffUser, ApiToken, AuditEvent)):
        return TEXTS["forbidden"]
    areas = area_of(obj)
    if areas is None:
        return TEXTS["county_wide"]
    if areas != {area}:
        return TEXTS["outside_area"].format(area=area)
    return None


class Forbidden(PermissionError):
    """A write refused by these rules; the text (in Finnish) says why."""


def row_guard(user: StaffUser | None) -> Callable[[Any], None]:
    """The ``guard`` for ``bot.catalogue.editing.save_row``: it raises ``Forbidden`` when
    ``user`` may not write the row as it is (it is asked before and after the change)."""

    def guard(obj: Any) -> None:
        refusal = row_error(user, obj)
        if refusal:
            raise Forbidden(refusal)

    return guard
