"""/services: the catalogue's services, with their municipalities and channels by key."""

# pydantic and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045
from __future__ import annotations

from typing import Any, List, Optional

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.catalogue.editing import unknown_message
from bot.catalogue.models import Municipality, Service
from bot.guidance import ABOUT_ONE_SERVICE, QuestionKind, render_preview
from bot.staff.api import deps, schemas

router = APIRouter(tags=["services"], responses=deps.ERRORS)


def service_out(service: Service) -> dict[str, Any]:
    values = deps.row_values(service)
    values["municipalities"] = [m.code for m in service.municipalities]
    values["channels"] = sorted(c.id for c in service.channels)
    return values


@router.get("/services", response_model=List[schemas.ServiceOut])
def list_services(
    user: deps.User,
    session: deps.DbSession,
    status: Optional[schemas.PublishingStatus] = None,
    q: Optional[str] = Query(None, max_length=100, description="part of the Finnish name"),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[dict[str, Any]]:
    deps.require_read(user, "service")
    statement = select(Service).options(
        selectinload(Service.municipalities), selectinload(Service.channels)
    ).order_by(Service.id).limit(limit).offset(offset)
    if status is not None:
        statement = statement.where(Service.status == status)
    if q:
        statement = statement.where(func.lower(Service.name_fi).contains(q.lower()))
    return [service_out(s) for s in session.execute(statement).scalars()]


@router.get("/services/{service_id}", response_model=schemas.ServiceOut)
def get_service(service_id: str, user: deps.User, session: deps.DbSession) -> dict[str, Any]:
    deps.require_read(user, "service")
    return service_out(deps.found(session.get(Service, service_id)))


@router.post("/services", response_model=schemas.ServiceOut, status_code=201)
def create_service(body: schemas.ServiceCreate, user: deps.User,
                   session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service")
    return service_out(deps.save(session, user, "service", body.model_dump(exclude_unset=True)))


@router.patch("/services/{service_id}", response_model=schemas.ServiceOut)
def update_service(service_id: str, body: schemas.ServiceUpdate, user: deps.User,
                   session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service")
    values = deps.patch_values(body, "name_fi", keep=("status", "area_type", "is_example"))
    return service_out(deps.save(session, user, "service", values, key=service_id))


@router.get("/services/{service_id}/preview", response_model=schemas.Preview)
def preview_service(
    service_id: str,
    request: Request,
    user: deps.User,
    session: deps.DbSession,
    language: schemas.Language = Query("fi", description="the language of the answer"),
    kind: Optional[schemas.PreviewKind] = Query(
        None, description="one question only; all four when not given"),
    municipality_code: Optional[str] = Query(None, max_length=3,
                                             description="the asker's municipality"),
) -> dict[str, Any]:
    """The assistant's answers about the service as it gives them in ``language``, drafts
    too (``bot.guidance.render_preview``, the admin's preview)."""
    deps.require_read(user, "service")
    deps.found(session.get(Service, service_id))
    if municipality_code and session.get(Municipality, municipality_code) is None:
        raise deps.ApiProblem(422, deps.TEXTS["invalid"], {
            "municipality_code": unknown_message("municipality", [municipality_code])})
    kinds = [QuestionKind(kind.value)] if kind else list(ABOUT_ONE_SERVICE)
    engine = request.app.state.engine
    return {
        "service_id": service_id, "language": language, "municipality_code": municipality_code,
        "answers": [{"kind": k.value, "label": k.label,
                     "text": render_preview(service_id, k, engine, municipality_code,
                                            language=language)}
                    for k in kinds],
    }
