"""The admin page for importing and exporting the whole catalogue (administrators only)."""

from __future__ import annotations

import anyio
from sqladmin import BaseView, expose
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.catalogue.exchange.catalogue_data import ImportFailed
from bot.catalogue.exchange.files import MEDIA_TYPES, SUFFIXES, export_bytes, import_contents
from bot.staff import permissions
from bot.staff.audit import record
from bot.staff.web_security import current_user, request_user

MAX_UPLOAD_BYTES = 4 * 1024 * 1024


class ExchangeView(BaseView):
    name = "Tuonti ja vienti"
    icon = "fa-solid fa-right-left"
    category = "Ylläpito"

    def is_accessible(self, request: Request) -> bool:
        return permissions.can_import(request_user(request))

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    def _engine(self):
        return self._admin_ref.engine

    @expose("/exchange", methods=["GET", "POST"], identity="exchange")
    async def exchange(self, request: Request) -> Response:
        if not self.is_accessible(request):
            raise HTTPException(status_code=403)
        context: dict = {"formats": [("json", "JSON"), ("csv", "CSV (ZIP)"),
                                     ("ptv", "PTV v11 (JSON)")]}
        if request.method == "POST":
            form = await request.form()
            fmt = str(form.get("format") or "")
            dry_run = bool(form.get("dry_run"))
            uploads = [f for f in form.getlist("files") if hasattr(f, "read")]
            contents = [await f.read(MAX_UPLOAD_BYTES + 1) for f in uploads]
            if not contents or any(len(c) > MAX_UPLOAD_BYTES for c in contents):
                context["errors"] = ["Valitse tiedosto (enintään 4 Mt)."]
            else:
                context.update(await anyio.to_thread.run_sync(
                    self._import, fmt, contents, dry_run))
        return await self.templates.TemplateResponse(request, "staff/exchange.html", context,
                                                     status_code=400 if context.get(
                                                         "errors") else 200)

    def _import(self, fmt: str, contents: list[bytes], dry_run: bool) -> dict:
        from bot.db import session_scope

        try:
            with session_scope(self._engine()) as session:
                result = import_contents(session, fmt, contents)
                record(session, "import", summary=f"ylläpito {fmt}",
                       after={"created": result.created, "updated": result.updated})
                if dry_run:
                    session.rollback()
        except ImportFailed as failure:
            return {"errors": failure.errors}
        return {"result": result, "dry_run": dry_run}

    @expose("/catalogue-download/{fmt}", methods=["GET"], identity="exchange-export")
    async def export(self, request: Request) -> Response:
        if not permissions.can_read(current_user.get(), "service"):
            raise HTTPException(status_code=403)
        fmt = request.path_params["fmt"]
        if fmt not in MEDIA_TYPES:
            raise HTTPException(status_code=404)

        def read() -> bytes:
            from bot.db import session_scope

            with session_scope(self._engine()) as session:
                return export_bytes(session, fmt)

        content = await anyio.to_thread.run_sync(read)
        return Response(content, media_type=MEDIA_TYPES[fmt], headers={
            "Content-Disposition": f'attachment; filename="palveluluettelo.{SUFFIXES[fmt]}"'})
