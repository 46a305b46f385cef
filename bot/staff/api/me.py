"""/me: whose token this is, and with which role it acts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bot.staff.api import deps, schemas

router = APIRouter(tags=["account"], responses=deps.ERRORS)


@router.get("/me", response_model=schemas.Me)
def me(user: deps.User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "role": str(user.role.value),
            "service_area_id": user.service_area_id}
