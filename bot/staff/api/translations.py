"""/missing-translations: the services' and channels' texts that exist in Finnish but not in
Swedish or English, one item per record, text and language (``bot.staff.translations``)."""

# pydantic and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045
from __future__ import annotations

from typing import Any, List, Literal, Optional

from fastapi import APIRouter, Query

from bot.staff.api import deps, schemas
from bot.staff.translations import missing_translations

router = APIRouter(tags=["translations"], responses=deps.ERRORS)

API_PATHS = {"service": "/services", "service_channel": "/channels"}


@router.get("/missing-translations", response_model=List[schemas.MissingTranslation])
def list_missing_translations(
    user: deps.User,
    session: deps.DbSession,
    language: Optional[Literal["sv", "en"]] = Query(None, description="only this language"),
) -> list[dict[str, Any]]:
    """Every signed-in role reads it; an editor or viewer limited to a service area gets their
    area's records only. Retired records are left out."""
    deps.require_read(user, "service")
    return [
        {"table": m.table, "id": m.key, "name_fi": m.name, "status": m.status,
         "field": m.field, "language": m.language, "label": m.label,
         "path": f"{API_PATHS[m.table]}/{m.key}", "editable": m.editable}
        for m in missing_translations(session, user, language)
    ]
