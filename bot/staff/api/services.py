"""/services: the catalogue's services, with their municipalities and channels by key."""

# pydantic v1 and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045
from __future__ import annotations

from typing import Any, List, Optional

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.catalogue.models import Service
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
    return service_out(deps.save(session, user, "service", body.dict(exclude_unset=True)))


@router.patch("/services/{service_id}", response_model=schemas.ServiceOut)
def update_service(service_id: str, body: schemas.ServiceUpdate, user: deps.User,
                   session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service")
    values = deps.patch_values(body, "name_fi", keep=("status", "area_type", "is_example"))
    return service_out(deps.save(session, user, "service", values, key=service_id))
