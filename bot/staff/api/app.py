"""The staff REST API at /api: the catalogue as JSON for integrations, with OpenAPI.

Every request carries an API token (``Authorization: Bearer ikn_…``, made with
``python -m bot.cli user token``) and acts with its owner's role, under the same rules as the
admin (``bot.staff.permissions``); every change is in the audit trail. One session per request.
"""

# pydantic v1 and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045
from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.catalogue import validation
from bot.catalogue.exchange.catalogue_data import ImportFailed
from bot.catalogue.exchange.files import export_bytes, import_contents
from bot.catalogue.models import (
    AnswerPhrase,
    Municipality,
    OpeningException,
    Organization,
    Service,
    ServiceArea,
    ServiceChannel,
    WeeklyOpeningHours,
)
from bot.catalogue.search_index import keyword_list
from bot.db import session_scope
from bot.staff import permissions
from bot.staff.accounts import token_user
from bot.staff.admin.base import slug, unique_id
from bot.staff.api import schemas
from bot.staff.audit import Actor, record
from bot.staff.models import StaffUser

TEXTS = {
    "token": "Anna voimassa oleva API-avain otsakkeessa Authorization: Bearer <avain>.",
    "forbidden": permissions.TEXTS["forbidden"],
    "not_found": "Tietoa ei löytynyt.",
    "invalid": "Tarkista tiedot.",
    "conflict": "Tieto on jo olemassa tai sitä käytetään muualla.",
    "import_failed": "Tuonti epäonnistui, mitään ei muutettu.",
}
PROBLEM = {"model": schemas.Problem}
ERRORS = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM}

bearer = HTTPBearer(auto_error=False)


class ApiProblem(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, str] | None = None) -> None:
        self.status, self.detail, self.errors = status, detail, errors or {}


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        # Writes are checked before anything is flushed; the commit flushes them.
        session.autoflush = False
        yield session


def api_user(
    request: Request,
    credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer),
    session: Session = Depends(get_session),
) -> StaffUser:
    user = token_user(session, credentials.credentials if credentials else None)
    if user is None:
        raise HTTPException(401, TEXTS["token"], headers={"WWW-Authenticate": "Bearer"})
    client = request.client.host if request.client else None
    session.info["actor"] = Actor(user.id, user.email, "api", client)
    return user


def _require_read(user: StaffUser, table: str) -> None:
    if not permissions.can_read(user, table):
        raise ApiProblem(403, TEXTS["forbidden"])


def _require_write(user: StaffUser, table: str) -> None:
    if not permissions.can_write(user, table):
        raise ApiProblem(403, TEXTS["forbidden"])


def _row_values(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs}


def _check(session: Session, user: StaffUser, table: str, obj: Any,
           errors: dict[str, str]) -> None:
    codes = session.execute(select(Municipality.code)).scalars().all()
    errors.update(validation.check_record(table, _row_values(obj), codes))
    if errors:
        raise ApiProblem(422, TEXTS["invalid"], errors)
    refusal = permissions.row_error(user, obj)
    if refusal:
        raise ApiProblem(403, refusal)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise ApiProblem(409, TEXTS["conflict"]) from error


def _found(obj: Any) -> Any:
    if obj is None:
        raise ApiProblem(404, TEXTS["not_found"])
    return obj


def _new_id(session: Session, model: Any, values: dict[str, Any],
            errors: dict[str, str]) -> str:
    """The id the client gave (checked, 409 if taken), or one made from the Finnish name."""
    given = values.pop("id", None)
    if not given:
        return unique_id(session, model, slug(values.get("name_fi") or ""))
    message = validation.id_error(given)
    if message:
        errors["id"] = message
    elif session.get(model, given) is not None:
        raise ApiProblem(409, TEXTS["conflict"])
    return given


def service_out(service: Service) -> dict[str, Any]:
    values = _row_values(service)
    values["municipalities"] = [m.code for m in service.municipalities]
    values["channels"] = sorted(c.id for c in service.channels)
    return values


def channel_out(channel: ServiceChannel) -> dict[str, Any]:
    values = _row_values(channel)
    values["weekly_hours"] = [_row_values(h) for h in channel.weekly_hours]
    values["exceptions"] = [_row_values(e) for e in channel.exceptions]
    return values


REFERENCE_FIELDS = ("organization_id", "service_area_id", "municipality_code")


def _blank_references(body: dict[str, Any]) -> None:
    """An empty reference means "none" (a form or a client may send "")."""
    for name in REFERENCE_FIELDS:
        if name in body and not (body[name] or "").strip():
            body[name] = None


def _set_service_fields(session: Session, service: Service, body: dict[str, Any],
                        errors: dict[str, str]) -> None:
    _blank_references(body)
    municipalities = body.pop("municipalities", None)
    channels = body.pop("channels", None)
    for language in ("fi", "sv", "en"):
        key = f"keywords_{language}"
        if body.get(key):
            body[key] = "\n".join(keyword_list(body[key]))
    if body.get("organization_id") and session.get(Organization, body["organization_id"]) is None:
        errors["organization_id"] = "Organisaatiota ei ole."
        body.pop("organization_id")
    for name, value in body.items():
        setattr(service, name, value)
    if municipalities is not None:
        found = [session.get(Municipality, code) for code in dict.fromkeys(municipalities)]
        if any(m is None for m in found):
            errors["municipalities"] = validation.MESSAGES["municipality_unknown"].format(
                code=", ".join(c for c, m in zip(municipalities, found, strict=False) if m is None))
        else:
            service.municipalities = found
    if channels is not None:
        found_channels = [session.get(ServiceChannel, c) for c in dict.fromkeys(channels)]
        if any(c is None for c in found_channels):
            errors["channels"] = "Yhteystapaa ei ole."
        else:
            service.channels = found_channels


def _set_channel_fields(session: Session, channel: ServiceChannel, body: dict[str, Any],
                        errors: dict[str, str]) -> None:
    _blank_references(body)
    hours = body.pop("weekly_hours", None)
    exceptions = body.pop("exceptions", None)
    references = {"organization_id": Organization, "service_area_id": ServiceArea,
                  "municipality_code": Municipality}
    for name, model in references.items():
        if body.get(name) and session.get(model, body[name]) is None:
            errors[name] = (validation.MESSAGES["municipality_unknown"].format(code=body[name])
                            if model is Municipality else "Tätä ei ole luettelossa.")
            body.pop(name)
    for name, value in body.items():
        setattr(channel, name, value)
    if hours is not None:
        for index, h in enumerate(hours):
            for field, message in validation.weekly_hours_errors(
                h["weekday_from"], h.get("weekday_to"), h["opens"], h["closes"],
                h.get("valid_from"), h.get("valid_to"),
            ).items():
                errors[f"weekly_hours[{index}].{field}"] = message
        channel.weekly_hours = [WeeklyOpeningHours(**h) for h in hours]
    if exceptions is not None:
        for index, e in enumerate(exceptions):
            for field, message in validation.opening_exception_errors(
                e["date_from"], e.get("date_to"), e.get("is_closed", True), e.get("opens"),
                e.get("closes"),
            ).items():
                errors[f"exceptions[{index}].{field}"] = message
        channel.exceptions = [OpeningException(**e) for e in exceptions]


def create_api_app(engine: Engine) -> FastAPI:
    api = FastAPI(
        title="Ikäneuvo – palveluluettelon API",
        version="1",
        description="The service catalogue of the older people's service guidance. Token auth: "
                    "`Authorization: Bearer <token>` (python -m bot.cli user token EMAIL).",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.engine = engine

    @api.exception_handler(ApiProblem)
    async def problem(_request: Request, error: ApiProblem) -> JSONResponse:
        return JSONResponse({"detail": error.detail, "errors": error.errors},
                            status_code=error.status)

    @api.get("/me", response_model=schemas.Me, responses=ERRORS, tags=["account"])
    def me(user: StaffUser = Depends(api_user)) -> dict[str, Any]:
        return {"id": user.id, "email": user.email, "role": str(user.role.value),
                "service_area_id": user.service_area_id}

    # --- services ----------------------------------------------------------------------------

    @api.get("/services", response_model=List[schemas.ServiceOut], responses=ERRORS,
             tags=["services"])
    def list_services(
        status: Optional[schemas.PublishingStatus] = None,
        q: Optional[str] = Query(None, max_length=100, description="part of the Finnish name"),
        limit: int = Query(100, ge=1, le=500),
        offset: int = Query(0, ge=0, le=1_000_000),
        user: StaffUser = Depends(api_user),
        session: Session = Depends(get_session),
    ) -> list[dict[str, Any]]:
        _require_read(user, "service")
        statement = select(Service).options(
            selectinload(Service.municipalities), selectinload(Service.channels)
        ).order_by(Service.id).limit(limit).offset(offset)
        if status is not None:
            statement = statement.where(Service.status == status)
        if q:
            statement = statement.where(func.lower(Service.name_fi).contains(q.lower()))
        return [service_out(s) for s in session.execute(statement).scalars()]

    @api.get("/services/{service_id}", response_model=schemas.ServiceOut, responses=ERRORS,
             tags=["services"])
    def get_service(service_id: str, user: StaffUser = Depends(api_user),
                    session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_read(user, "service")
        service = _found(session.get(Service, service_id))
        return service_out(service)

    @api.post("/services", response_model=schemas.ServiceOut, status_code=201,
              responses=ERRORS, tags=["services"])
    def create_service(body: schemas.ServiceCreate, user: StaffUser = Depends(api_user),
                       session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_write(user, "service")
        values = body.dict(exclude_unset=True)
        errors: dict[str, str] = {}
        service = Service(id=_new_id(session, Service, values, errors))
        _set_service_fields(session, service, values, errors)
        session.add(service)
        _check(session, user, "service", service, errors)
        _commit(session)
        return service_out(service)

    @api.patch("/services/{service_id}", response_model=schemas.ServiceOut, responses=ERRORS,
               tags=["services"])
    def update_service(service_id: str, body: schemas.ServiceUpdate,
                       user: StaffUser = Depends(api_user),
                       session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_write(user, "service")
        service = _found(session.get(Service, service_id))
        refusal = permissions.row_error(user, service)
        if refusal:
            raise ApiProblem(403, refusal)
        values = body.dict(exclude_unset=True)
        if "name_fi" in values and values["name_fi"] is None:
            values["name_fi"] = ""
        for required in ("status", "area_type", "is_example"):
            if required in values and values[required] is None:
                values.pop(required)
        errors: dict[str, str] = {}
        _set_service_fields(session, service, values, errors)
        _check(session, user, "service", service, errors)
        _commit(session)
        return service_out(service)

    # --- channels ----------------------------------------------------------------------------

    @api.get("/channels", response_model=List[schemas.ChannelOut], responses=ERRORS,
             tags=["channels"])
    def list_channels(
        limit: int = Query(100, ge=1, le=500),
        offset: int = Query(0, ge=0, le=1_000_000),
        user: StaffUser = Depends(api_user),
        session: Session = Depends(get_session),
    ) -> list[dict[str, Any]]:
        _require_read(user, "service_channel")
        statement = select(ServiceChannel).options(
            selectinload(ServiceChannel.weekly_hours), selectinload(ServiceChannel.exceptions)
        ).order_by(ServiceChannel.id).limit(limit).offset(offset)
        return [channel_out(c) for c in session.execute(statement).scalars()]

    @api.get("/channels/{channel_id}", response_model=schemas.ChannelOut, responses=ERRORS,
             tags=["channels"])
    def get_channel(channel_id: str, user: StaffUser = Depends(api_user),
                    session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_read(user, "service_channel")
        channel = _found(session.get(ServiceChannel, channel_id))
        return channel_out(channel)

    @api.post("/channels", response_model=schemas.ChannelOut, status_code=201,
              responses=ERRORS, tags=["channels"])
    def create_channel(body: schemas.ChannelCreate, user: StaffUser = Depends(api_user),
                       session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_write(user, "service_channel")
        values = body.dict(exclude_unset=True)
        errors: dict[str, str] = {}
        channel = ServiceChannel(id=_new_id(session, ServiceChannel, values, errors))
        _set_channel_fields(session, channel, values, errors)
        session.add(channel)
        if not errors:
            session.flush()
            session.expire(channel, ["municipality"])
        _check(session, user, "service_channel", channel, errors)
        _commit(session)
        return channel_out(channel)

    @api.patch("/channels/{channel_id}", response_model=schemas.ChannelOut, responses=ERRORS,
               tags=["channels"])
    def update_channel(channel_id: str, body: schemas.ChannelUpdate,
                       user: StaffUser = Depends(api_user),
                       session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_write(user, "service_channel")
        channel = _found(session.get(ServiceChannel, channel_id))
        refusal = permissions.row_error(user, channel)
        if refusal:
            raise ApiProblem(403, refusal)
        values = body.dict(exclude_unset=True)
        if "name_fi" in values and values["name_fi"] is None:
            values["name_fi"] = ""
        for required in ("status", "channel_type", "is_example"):
            if required in values and values[required] is None:
                values.pop(required)
        errors: dict[str, str] = {}
        _set_channel_fields(session, channel, values, errors)
        if not errors:
            session.flush()
            session.expire(channel, ["municipality"])
        _check(session, user, "service_channel", channel, errors)
        _commit(session)
        return channel_out(channel)

    # --- reference data and phrases ----------------------------------------------------------

    @api.get("/municipalities", response_model=List[schemas.Municipality], responses=ERRORS,
             tags=["areas"])
    def list_municipalities(user: StaffUser = Depends(api_user),
                            session: Session = Depends(get_session)) -> list[dict[str, Any]]:
        _require_read(user, "municipality")
        rows = session.execute(select(Municipality).order_by(Municipality.code)).scalars()
        return [_row_values(m) for m in rows]

    @api.get("/service-areas", response_model=List[schemas.ServiceArea], responses=ERRORS,
             tags=["areas"])
    def list_service_areas(user: StaffUser = Depends(api_user),
                           session: Session = Depends(get_session)) -> list[dict[str, Any]]:
        _require_read(user, "service_area")
        areas = session.execute(select(ServiceArea).order_by(ServiceArea.id)).scalars()
        return [{**_row_values(a), "municipalities": [m.code for m in a.municipalities]}
                for a in areas]

    @api.get("/organizations", response_model=List[schemas.Organization], responses=ERRORS,
             tags=["areas"])
    def list_organizations(user: StaffUser = Depends(api_user),
                           session: Session = Depends(get_session)) -> list[dict[str, Any]]:
        _require_read(user, "organization")
        rows = session.execute(select(Organization).order_by(Organization.id)).scalars()
        return [{**_row_values(o), "org_type": o.org_type.value} for o in rows]

    @api.get("/phrases", response_model=List[schemas.Phrase], responses=ERRORS,
             tags=["phrases"])
    def list_phrases(user: StaffUser = Depends(api_user),
                     session: Session = Depends(get_session)) -> list[dict[str, Any]]:
        _require_read(user, "answer_phrase")
        rows = session.execute(select(AnswerPhrase).order_by(AnswerPhrase.key)).scalars()
        return [_row_values(p) for p in rows]

    @api.patch("/phrases/{key}", response_model=schemas.Phrase, responses=ERRORS,
               tags=["phrases"])
    def update_phrase(key: str, body: schemas.PhraseUpdate, user: StaffUser = Depends(api_user),
                      session: Session = Depends(get_session)) -> dict[str, Any]:
        _require_write(user, "answer_phrase")
        phrase = _found(session.get(AnswerPhrase, key))
        values = body.dict(exclude_unset=True)
        if "text_fi" in values and values["text_fi"] is None:
            values["text_fi"] = ""
        for name, value in values.items():
            setattr(phrase, name, value)
        _check(session, user, "answer_phrase", phrase, {})
        _commit(session)
        return _row_values(phrase)

    # --- the whole catalogue -----------------------------------------------------------------

    @api.get("/export", responses={**ERRORS, 200: {"content": {
        "application/json": {}, "application/zip": {}}}}, tags=["import and export"])
    def export(
        format: str = Query("json", regex="^(json|csv)$"),
        user: StaffUser = Depends(api_user),
        session: Session = Depends(get_session),
    ) -> Response:
        """The whole catalogue: JSON, or a ZIP of one CSV per table."""
        for table in permissions.CATALOGUE_TABLES:
            _require_read(user, table)
        content = export_bytes(session, format)
        media = "application/json" if format == "json" else "application/zip"
        return Response(content, media_type=media)

    @api.post("/import", response_model=schemas.ImportReport, responses=ERRORS,
              tags=["import and export"])
    def import_catalogue(
        document: Any = Body(..., description="our export (format=json) or PTV v11 JSON "
                                              "(format=ptv: a record, a page or a list)"),
        format: str = Query("json", regex="^(json|ptv)$"),
        user: StaffUser = Depends(api_user),
        session: Session = Depends(get_session),
    ) -> Dict[str, Any]:
        """Import all or nothing (administrators only). Re-importing updates, never duplicates."""
        if not permissions.can_import(user):
            raise ApiProblem(403, TEXTS["forbidden"])
        if isinstance(document, (bytes, bytearray)):
            content = bytes(document)  # sent as something other than JSON: the reader checks
        else:
            content = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
        try:
            result = import_contents(session, format, [content])
        except ImportFailed as failure:
            session.rollback()
            errors = {str(i + 1): e for i, e in enumerate(failure.errors[:200])}
            raise ApiProblem(422, TEXTS["import_failed"], errors) from failure
        record(session, "import", session.info.get("actor"), summary=f"API {format}",
               after={"created": result.created, "updated": result.updated})
        _commit(session)
        return {"created": result.created, "updated": result.updated,
                "warnings": result.warnings}

    return api
