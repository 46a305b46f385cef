"""Puuttuvat käännökset: the admin page listing the services' and channels' texts that exist
in Finnish but not in Swedish or English, each record linked to its form (opened at the
language), filterable by language. Every signed-in role reads it; an editor or viewer limited
to a service area sees their area's records (``bot.staff.translations.missing_translations``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import anyio
from sqladmin import BaseView, expose
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.catalogue.models import PublishingStatus
from bot.db import session_scope
from bot.staff import permissions
from bot.staff.admin.display import enum_label
from bot.staff.translations import (
    LANGUAGE_NAMES,
    RECORD_LABELS,
    TRANSLATED_LANGUAGES,
    MissingTranslation,
    missing_translations,
)
from bot.staff.web_security import request_user

# The admin's view of each table, for the links.
IDENTITIES = {"service": "service", "service_channel": "service-channel"}


@dataclass
class MissingRow:
    """One record's missing texts in one language: one line of the page."""

    table: str
    key: str
    name: str
    status: str
    language: str
    editable: bool
    labels: list[str] = field(default_factory=list)
    # The record's form opened at the language, or its details for a user who may not edit.
    url: str = ""

    @property
    def record_label(self) -> str:
        return RECORD_LABELS[self.table]

    @property
    def status_label(self) -> str:
        return enum_label(self.status, PublishingStatus)

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES[self.language]


def rows_by_record(items: list[MissingTranslation]) -> list[MissingRow]:
    rows: dict[tuple[str, str, str], MissingRow] = {}
    for item in items:
        key = (item.table, item.key, item.language)
        if key not in rows:
            rows[key] = MissingRow(item.table, item.key, item.name, item.status,
                                   item.language, item.editable)
        rows[key].labels.append(item.label)
    return list(rows.values())


class MissingTranslationsView(BaseView):
    name = "Puuttuvat käännökset"
    icon = "fa-solid fa-language"
    category = "Palveluluettelo"

    def is_accessible(self, request: Request) -> bool:
        return permissions.can_read(request_user(request), "service")

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    @expose("/missing-translations", methods=["GET"], identity="missing-translations")
    async def missing_translations(self, request: Request) -> Response:
        if not self.is_accessible(request):
            raise HTTPException(status_code=403)
        language = request.query_params.get("kieli") or None
        if language not in TRANSLATED_LANGUAGES:
            language = None
        user = request_user(request)

        def read() -> list[MissingTranslation]:
            with session_scope(self._admin_ref.engine) as session:
                return missing_translations(session, user, language)

        items = await anyio.to_thread.run_sync(read)
        rows = rows_by_record(items)
        for row in rows:
            identity = IDENTITIES[row.table]
            if row.editable:
                url = request.url_for("admin:edit", identity=identity, pk=row.key)
                row.url = str(url.include_query_params(kieli=row.language))
            else:
                row.url = str(request.url_for("admin:details", identity=identity, pk=row.key))
        return await self.templates.TemplateResponse(request, "staff/missing_translations.html", {
            "rows": rows, "count": len(items), "language": language,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in TRANSLATED_LANGUAGES],
            "area": permissions.own_area(user),
        })
