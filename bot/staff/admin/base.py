"""The base of every staff admin view: role checks per request and one checked save path.

SQLAdmin asks a view ``can_create``/``can_edit``/``can_delete`` and ``is_accessible``; here those
are answered from the signed-in user's role (``bot.staff.permissions``), so a button that the
user may not use is not shown, and the route refuses it too. Every create and edit goes through
``_save``: one session, the row rules before and after the change, the catalogue checks, then
commit, so the audit trail and the search index see the change in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import anyio
from sqladmin import ModelView
from sqladmin._queries import Query
from sqladmin.filters import AllUniqueStringValuesFilter, StaticValuesFilter
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request

from bot.catalogue import validation
from bot.catalogue.models import Municipality
from bot.staff import permissions
from bot.staff.admin.forms import FinnishChoiceConverter, FinnishForm
from bot.staff.web_security import current_user, request_user


class FinnishValuesFilter(AllUniqueStringValuesFilter):
    async def lookups(self, request, model, run_query):  # noqa: D102
        values = await super().lookups(request, model, run_query)
        return [("", "Kaikki")] + [v for v in values[1:] if v[0] is not None]


class FinnishStaticFilter(StaticValuesFilter):
    async def lookups(self, request, model, run_query):  # noqa: D102
        return [("", "Kaikki")] + self.values


def slug(text: str, limit: int = 60) -> str:
    """"Kotihoito Rovaniemellä" → "kotihoito-rovaniemella": an id staff need not invent."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "uusi"


def unique_id(session: Session, model: type, base: str) -> str:
    candidate, n = base, 2
    while session.get(model, candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class SaveRefused(ValueError):
    """Shown to the user above the form (SQLAdmin shows the exception's text)."""


class StaffModelView(ModelView):
    form_converter = FinnishChoiceConverter
    form_base_class = FinnishForm
    page_size = 25
    page_size_options = [25, 50, 100]
    export_types = ["csv", "json"]
    # Columns that are the primary key: kept as they are when a row is edited.
    key_fields: tuple[str, ...] = ("id",)

    @property
    def table(self) -> str:
        return self.model.__tablename__

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return permissions.can_write(current_user.get(), self.table)

    @property
    def can_edit(self) -> bool:  # type: ignore[override]
        return permissions.can_write(current_user.get(), self.table)

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return permissions.can_delete(current_user.get(), self.table)

    @property
    def can_export(self) -> bool:  # type: ignore[override]
        return permissions.can_read(current_user.get(), self.table)

    def is_accessible(self, request: Request) -> bool:
        return permissions.can_read(request_user(request), self.table)

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    def detail_links(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        """Extra buttons on the details page: (label, URL)."""
        return []

    def detail_posts(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        """Extra buttons on the details page that change something: (label, URL), each sent
        as a POST form with the CSRF token."""
        return []

    # --- row rules -----------------------------------------------------------------------

    def _row_refusal(self, pk: Any) -> str | None:
        with self.session_maker(expire_on_commit=False) as session:
            obj = session.execute(self._stmt_by_identifier(pk)).scalars().first()
            if obj is None:
                return None
            return permissions.row_error(current_user.get(), obj)

    async def _check_row(self, pk: Any) -> None:
        refusal = await anyio.to_thread.run_sync(self._row_refusal, pk)
        if refusal:
            raise HTTPException(status_code=403, detail=refusal)

    async def get_object_for_edit(self, request: Request) -> Any:
        if not self.can_edit:
            raise HTTPException(status_code=403)
        await self._check_row(request.path_params["pk"])
        return await super().get_object_for_edit(request)

    async def delete_model(self, request: Request, pk: Any) -> None:
        if not self.can_delete:
            raise HTTPException(status_code=403)
        await self._check_row(pk)
        await super().delete_model(request, pk)

    # --- saving --------------------------------------------------------------------------

    async def insert_model(self, request: Request, data: dict) -> Any:
        return await anyio.to_thread.run_sync(self._save, None, dict(data))

    async def update_model(self, request: Request, pk: str, data: dict) -> Any:
        return await anyio.to_thread.run_sync(self._save, pk, dict(data))

    def prepare(self, session: Session, obj: Any, data: dict, created: bool) -> dict:
        """Adjust the form's values before they are set (subclasses: ids, passwords)."""
        return data

    def _save(self, pk: Any, data: dict) -> Any:
        user = current_user.get()
        if not permissions.can_write(user, self.table):
            raise SaveRefused(permissions.TEXTS["forbidden"])
        created = pk is None
        with self.session_maker(expire_on_commit=False) as session:
            if created:
                obj = self.model()
            else:
                obj = session.execute(self._stmt_by_identifier(pk)).scalars().first()
                if obj is None:
                    raise HTTPException(status_code=404)
                refusal = permissions.row_error(user, obj)
                if refusal:
                    raise SaveRefused(refusal)
                for key in self.key_fields:
                    data.pop(key, None)
            data = self.prepare(session, obj, data, created)
            obj = Query(self)._set_attributes_sync(session, obj, data)
            if created:
                session.add(obj)
            session.flush()
            relations = [r.key for r in inspect(type(obj)).relationships if not r.uselist]
            if relations:
                session.expire(obj, relations)
            self._check_values(session, obj)
            refusal = permissions.row_error(user, obj)
            if refusal:
                raise SaveRefused(refusal)
            session.commit()
            return obj

    def _check_values(self, session: Session, obj: Any) -> None:
        row = {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs}
        codes = session.execute(select(Municipality.code)).scalars().all()
        errors = validation.check_record(self.table, row, codes)
        if errors:
            labels = self._column_labels
            raise SaveRefused(" ".join(
                f"{labels.get(field, field)}: {message}" for field, message in errors.items()
            ))
