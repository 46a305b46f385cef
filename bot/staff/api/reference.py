"""/municipalities, /service-areas, /organizations: what services and channels refer to."""

from __future__ import annotations

from typing import Any, List

from fastapi import APIRouter

from bot.catalogue.models import Municipality, Organization, ServiceArea
from bot.staff.api import deps, schemas

router = APIRouter(tags=["areas"], responses=deps.ERRORS)


@router.get("/municipalities", response_model=List[schemas.Municipality])
def list_municipalities(user: deps.User, session: deps.DbSession) -> list[dict[str, Any]]:
    rows = deps.readable_rows(user, session, Municipality, Municipality.code)
    return [deps.row_values(m) for m in rows]


@router.get("/service-areas", response_model=List[schemas.ServiceArea])
def list_service_areas(user: deps.User, session: deps.DbSession) -> list[dict[str, Any]]:
    areas = deps.readable_rows(user, session, ServiceArea, ServiceArea.id)
    return [{**deps.row_values(a), "municipalities": [m.code for m in a.municipalities]}
            for a in areas]


@router.get("/organizations", response_model=List[schemas.Organization])
def list_organizations(user: deps.User, session: deps.DbSession) -> list[dict[str, Any]]:
    rows = deps.readable_rows(user, session, Organization, Organization.id)
    return [{**deps.row_values(o), "org_type": o.org_type.value} for o in rows]
