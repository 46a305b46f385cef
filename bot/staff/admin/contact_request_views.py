"""Contact requests (yhteydenottopyynnöt) in the staff admin: read, filter, mark handled.

The rows hold citizens' names and phone numbers, so the view is narrower than the catalogue's:
an editor or a viewer limited to a service area sees only that area's requests (the list, the
details, the filter's choices and the counts are all filtered in the query, and another
area's request opened by its address is "not found", with the refusal in the audit trail);
county-wide staff and administrators see every area's. Nobody creates or edits a request by
hand; marking one handled is a POST with the form token, through
``bot.contact_requests.store.mark_handled``; only administrators delete. Nothing exports them
(no CSV, no API). The audit trail records the reference and the status, never the
name, phone or topic (``ContactRequest`` is not among the automatically audited types, so a
deleted request leaves no personal data behind in the trail). Nothing here logs personal data.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
from markupsafe import Markup
from sqladmin import expose
from sqlalchemy import func, select
from sqlalchemy.sql import Select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.catalogue.models import ServiceArea
from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.contact_requests.store import mark_handled
from bot.staff import permissions
from bot.staff.admin.base import AttentionFilter, FinnishStaticFilter, StaffModelView
from bot.staff.audit import record
from bot.staff.web_security import current_user, request_user
from bot.text.phone import display_phone

log = logging.getLogger(__name__)

STATUS_LABELS = {RequestStatus.new.value: "Uusi", RequestStatus.handled.value: "Hoidettu"}
FOR_WHOM_LABELS = {
    "self": "Itselleen", "mother": "Äidille", "father": "Isälle", "husband": "Miehelle",
    "wife": "Vaimolle", "spouse": "Puolisolle", "grandmother": "Isoäidille",
    "grandfather": "Isoisälle", "parent": "Vanhemmalle", "sibling": "Sisarukselle",
    "relative": "Läheiselle", "neighbour": "Naapurille", "friend": "Ystävälle",
}
HANDLE_LABEL = "Merkitse hoidetuksi"
TEXTS = {
    "not_found": "Yhteydenottopyyntöä ei löytynyt.",
    "not_in_area": "Yhteydenottopyyntöä ei löytynyt. Näet vain oman palvelualueesi ({area}) "
                   "yhteydenottopyynnöt.",
}
TOPIC_PREVIEW = 60


def _status(value: Any) -> str:
    value = value.value if hasattr(value, "value") else value
    return STATUS_LABELS.get(value, str(value or ""))


def _status_badge(model: Any, _attribute: Any) -> Markup:
    kind = "bg-warning text-dark" if model.status == RequestStatus.new else "bg-secondary"
    return Markup('<span class="badge {}">{}</span>').format(kind, _status(model.status))


def _phone_link(model: Any, _attribute: Any) -> Markup:
    phone = model.phone or ""
    shown = display_phone(phone) if phone.startswith("+358") else phone
    return Markup('<a href="tel:{}">{}</a>').format(phone, shown)


def _for_whom(model: Any, _attribute: Any) -> str:
    return FOR_WHOM_LABELS.get(model.for_whom, model.for_whom)


def _topic_full(model: Any, _attribute: Any) -> Markup:
    return Markup('<div class="text-wrap">{}</div>').format(model.topic or "")


def _topic_preview(model: Any, _attribute: Any) -> str:
    topic = model.topic or ""
    return topic if len(topic) <= TOPIC_PREVIEW else topic[:TOPIC_PREVIEW - 1].rstrip() + "…"


class ServiceAreaFilter:
    """Palvelualue: the areas by name; an account limited to an area is offered only theirs."""

    has_operator = False
    parameter_name = "palvelualue"
    title = "Palvelualue"

    async def lookups(self, request: Request, model: Any, run_query) -> list[tuple[str, str]]:
        statement = select(ServiceArea.id, ServiceArea.name_fi).order_by(ServiceArea.name_fi)
        own = permissions.contact_request_area(request_user(request))
        if own:
            statement = statement.where(ServiceArea.id == own)
        return [("", "Kaikki")] + [(key, name) for key, name in await run_query(statement)]

    async def get_filtered_query(self, query: Select, value: Any, model: Any) -> Select:
        return query.where(ContactRequest.service_area_id == value) if value else query


class ContactRequestAdmin(StaffModelView, model=ContactRequest):
    name = "Yhteydenottopyyntö"
    name_plural = "Yhteydenottopyynnöt"
    icon = "fa-solid fa-phone-volume"
    category = "Palveluohjaus"
    # What a call needs at a glance; the area (the filter has it) and the time that suits the
    # caller are on the details page, where the request is also marked handled.
    column_list = [
        ContactRequest.reference, ContactRequest.created_at, ContactRequest.municipality,
        ContactRequest.for_whom, ContactRequest.topic, ContactRequest.name,
        ContactRequest.phone, ContactRequest.status,
    ]
    column_details_list = [
        ContactRequest.reference, ContactRequest.status, ContactRequest.created_at,
        ContactRequest.municipality, ContactRequest.service_area, ContactRequest.for_whom,
        ContactRequest.topic, ContactRequest.name, ContactRequest.phone,
        ContactRequest.preferred_time, ContactRequest.consent_at, ContactRequest.handled_at,
        ContactRequest.handled_by,
    ]
    column_searchable_list = [ContactRequest.reference]
    column_sortable_list = [ContactRequest.created_at, ContactRequest.reference,
                            ContactRequest.status]
    column_default_sort = [(ContactRequest.created_at, True)]
    column_filters = [
        ServiceAreaFilter(),
        FinnishStaticFilter(ContactRequest.status, list(STATUS_LABELS.items()), title="Tila"),
        AttentionFilter("contact_request"),
    ]
    column_labels = {
        "reference": "Viite", "created_at": "Saapunut", "municipality": "Kunta",
        "service_area": "Palvelualue", "for_whom": "Kenelle", "topic": "Asia",
        "name": "Nimi", "phone": "Puhelin", "preferred_time": "Sopiva aika",
        "status": "Tila", "consent_at": "Suostumus annettu", "handled_at": "Hoidettu",
        "handled_by": "Hoitaja",
    }
    column_formatters = {
        ContactRequest.for_whom: _for_whom,
        ContactRequest.topic: _topic_preview,
        ContactRequest.phone: _phone_link,
        ContactRequest.status: _status_badge,
    }
    column_formatters_detail = {
        ContactRequest.for_whom: _for_whom,
        ContactRequest.topic: _topic_full,
        ContactRequest.phone: _phone_link,
        ContactRequest.status: _status_badge,
    }

    # Requests come only from the assistant's form (no role may create or edit them:
    # bot.staff.permissions); staff only mark them handled.
    @property
    def can_export(self) -> bool:  # type: ignore[override]
        # Personal data stays in the application, not in spreadsheets.
        return False

    # --- what each user sees -------------------------------------------------------------

    def _own_area(self, statement: Select, request: Request) -> Select:
        area = permissions.contact_request_area(request_user(request))
        return statement.where(ContactRequest.service_area_id == area) if area else statement

    def list_query(self, request: Request) -> Select:
        return self._own_area(select(ContactRequest), request)

    def count_query(self, request: Request) -> Select:
        return self._own_area(select(func.count(ContactRequest.id)), request)

    def details_query(self, request: Request) -> Select:
        return self._own_area(super().details_query(request), request)

    # --- every read in the audit trail: who saw which requests (references, nothing else) --

    async def list(self, request: Request) -> Any:
        page = await super().list(request)
        references = [row.reference for row in page.rows]
        if references:
            await anyio.to_thread.run_sync(self._record_read, "list", references, None)
        return page

    async def get_object_for_details(self, request: Request) -> Any:
        obj = await super().get_object_for_details(request)
        # SQLAdmin also fetches the row to check a delete, and twice for one details page:
        # a read is the details page shown, once.
        shown = getattr(request.scope.get("endpoint"), "__name__", "") == "details"
        if obj is None:
            if shown:
                await self._not_found(request)
            return obj
        if shown and not getattr(request.state, "read_recorded", False):
            request.state.read_recorded = True
            await anyio.to_thread.run_sync(self._record_read, "details", [obj.reference],
                                           str(obj.id))
        return obj

    async def _not_found(self, request: Request) -> None:
        """Another area's request, or none at all: the same answer for both, so the page does
        not tell whether the number exists. An area-limited user's attempt is in the trail
        (the number asked for, nothing of the request), so guessing addresses shows."""
        area = permissions.contact_request_area(request_user(request))
        if area is None:
            raise HTTPException(status_code=404, detail=TEXTS["not_found"])
        pk = str(request.path_params.get("pk", ""))[:40]
        await anyio.to_thread.run_sync(self._record_refusal, pk, area)
        raise HTTPException(status_code=404, detail=TEXTS["not_in_area"].format(area=area))

    def _record_refusal(self, pk: str, area: str) -> None:
        with self.session_maker(expire_on_commit=False) as session:
            record(session, "read_refused", entity_type=ContactRequest.__tablename__,
                   entity_id=pk, summary=f"details: {pk} (alue {area})",
                   after={"view": "details", "own_area": area})
            session.commit()

    def _record_read(self, kind: str, references: list[str], entity_id: str | None) -> None:
        with self.session_maker(expire_on_commit=False) as session:
            record(session, "read", entity_type=ContactRequest.__tablename__,
                   entity_id=entity_id, summary=f"{kind}: {', '.join(references)}",
                   after={"view": kind, "references": references})
            session.commit()

    def detail_posts(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        if obj.status != RequestStatus.new or permissions.handle_error(
                request_user(request), obj):
            return []
        return [(HANDLE_LABEL, str(request.url_for(
            "admin:view-contact-request-handle", pk=obj.id)))]

    # --- marking handled -----------------------------------------------------------------

    @expose("/handle/{pk}", methods=["POST"])
    async def handle(self, request: Request) -> Response:
        """Merkitse hoidetuksi: a form on the details page (POST, with the form token)."""
        pk = request.path_params["pk"]
        await anyio.to_thread.run_sync(self._mark_handled, pk)
        return RedirectResponse(
            request.url_for("admin:details", identity=self.identity, pk=pk), status_code=302)

    def _get(self, session, pk: Any) -> ContactRequest:
        try:
            request = session.get(ContactRequest, int(pk))
        except (TypeError, ValueError):
            request = None
        if request is None:
            raise HTTPException(status_code=404)
        return request

    def _mark_handled(self, pk: Any) -> None:
        user = current_user.get()
        with self.session_maker(expire_on_commit=False) as session:
            request = self._get(session, pk)
            refusal = permissions.handle_error(user, request)
            if refusal:
                raise HTTPException(status_code=403, detail=refusal)
            if request.status == RequestStatus.handled:
                return
            mark_handled(session, request.id, user.email)
            record(session, "handled", entity_type=ContactRequest.__tablename__,
                   entity_id=str(request.id), summary=request.reference,
                   before={"status": RequestStatus.new.value},
                   after={"status": RequestStatus.handled.value,
                          "handled_at": request.handled_at, "handled_by": request.handled_by})
            session.commit()
            log.info("Contact request %s marked handled", request.reference)

    # --- deleting (administrators) -------------------------------------------------------

    async def delete_model(self, request: Request, pk: Any) -> None:
        if not self.can_delete:
            raise HTTPException(status_code=403)
        await anyio.to_thread.run_sync(self._delete, pk)

    def _delete(self, pk: Any) -> None:
        with self.session_maker(expire_on_commit=False) as session:
            request = self._get(session, pk)
            record(session, "delete", entity_type=ContactRequest.__tablename__,
                   entity_id=str(request.id), summary=request.reference,
                   before={"status": request.status.value,
                           "service_area_id": request.service_area_id,
                           "created_at": request.created_at})
            session.delete(request)
            session.commit()
            log.info("Contact request %s deleted", request.reference)


CONTACT_REQUEST_VIEWS = [ContactRequestAdmin]
