"""/export and /import: the whole catalogue at once (importing is for administrators)."""

from __future__ import annotations

import json
from typing import Any, Dict

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from bot.catalogue.exchange.catalogue_data import ImportFailed
from bot.catalogue.exchange.files import export_bytes, import_contents
from bot.staff import permissions
from bot.staff.api import deps, schemas
from bot.staff.audit import record

router = APIRouter(tags=["import and export"], responses=deps.ERRORS)


@router.get("/export", responses={200: {"content": {
    "application/json": {}, "application/zip": {}}}})
def export(
    user: deps.User,
    session: deps.DbSession,
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """The whole catalogue: JSON, or a ZIP of one CSV per table."""
    for table in permissions.CATALOGUE_TABLES:
        deps.require_read(user, table)
    content = export_bytes(session, format)
    media = "application/json" if format == "json" else "application/zip"
    return Response(content, media_type=media)


@router.post("/import", response_model=schemas.ImportReport)
def import_catalogue(
    user: deps.User,
    session: deps.DbSession,
    document: Any = Body(..., description="our export (format=json) or PTV v11 JSON "
                                          "(format=ptv: a record, a page or a list)"),
    format: str = Query("json", pattern="^(json|ptv)$"),
) -> Dict[str, Any]:
    """Import all or nothing (administrators only). Re-importing updates, never duplicates."""
    if not permissions.can_import(user):
        raise deps.ApiProblem(403, deps.TEXTS["forbidden"])
    if isinstance(document, (bytes, bytearray)):
        content = bytes(document)  # sent as something other than JSON: the reader checks
    else:
        content = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        result = import_contents(session, format, [content])
    except ImportFailed as failure:
        session.rollback()
        errors = {str(i + 1): e for i, e in enumerate(failure.errors[:200])}
        raise deps.ApiProblem(422, deps.TEXTS["import_failed"], errors) from failure
    record(session, "import", session.info.get("actor"), summary=f"API {format}",
           after={"created": result.created, "updated": result.updated})
    deps.commit(session)
    return {"created": result.created, "updated": result.updated,
            "warnings": result.warnings}
