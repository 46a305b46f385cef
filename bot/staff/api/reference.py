"""/municipalities, /service-areas, /organizations: what services and channels refer to;
areas and organisations can be renamed, in Finnish, Swedish and English."""

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


@router.patch("/service-areas/{area_id}", response_model=schemas.ServiceArea)
def update_service_area(area_id: str, body: schemas.ServiceAreaUpdate, user: deps.User,
                        session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service_area")
    values = deps.patch_values(body, "name_fi")
    area = deps.save(session, user, "service_area", values, key=area_id)
    return {**deps.row_values(area), "municipalities": [m.code for m in area.municipalities]}


@router.patch("/organizations/{organization_id}", response_model=schemas.Organization)
def update_organization(organization_id: str, body: schemas.OrganizationUpdate,
                        user: deps.User, session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "organization")
    values = deps.patch_values(body, "name_fi")
    organization = deps.save(session, user, "organization", values, key=organization_id)
    return {**deps.row_values(organization), "org_type": organization.org_type.value}
