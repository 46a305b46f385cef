"""The base of every staff admin view: role checks per request and one checked save path.

SQLAdmin asks a view ``can_create``/``can_edit``/``can_delete`` and ``is_accessible``; here those
are answered from the signed-in user's role (``bot.staff.permissions``), so a button that the
user may not use is not shown, and the route refuses it too. Every create and edit goes through
``_save``: one session, the row rules before and after the change, then commit, so the audit
trail and the search index see the change in the same transaction. A catalogue row is written
by ``bot.catalogue.editing`` (``CatalogueView``), as the API and the importers write it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

import anyio
from sqladmin import ModelView
from sqladmin._queries import Query
from sqladmin.filters import AllUniqueStringValuesFilter, StaticValuesFilter
from sqladmin.formatters import BASE_FORMATTERS
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE
from starlette.exceptions import HTTPException
from starlette.requests import Request

from bot.catalogue.editing import EditRefused, RowMissing, save_row
from bot.db import utcnow
from bot.staff import attention, permissions
from bot.staff.admin.display import enum_label, local_time, yes_no
from bot.staff.admin.forms import (
    FinnishChoiceConverter,
    FinnishForm,
    FormSection,
    language_sections,
)
from bot.staff.web_security import current_user, request_user


class FinnishValuesFilter(AllUniqueStringValuesFilter):
    async def lookups(self, request, model, run_query):  # noqa: D102
        values = await super().lookups(request, model, run_query)
        return [("", "Kaikki")] + [v for v in values[1:] if v[0] is not None]


class FinnishStaticFilter(StaticValuesFilter):
    async def lookups(self, request, model, run_query):  # noqa: D102
        return [("", "Kaikki")] + self.values


class AttentionFilter:
    """Huomio: the rows that the front page says wait for the signed-in user (new call-back
    requests, expired fees, example data...), in their area; the front page links here."""

    has_operator = False
    parameter_name = "huomio"
    title = "Huomio"

    def __init__(self, table: str) -> None:
        self.model = attention.MODELS[table]
        self.concerns = attention.CONCERNS_OF[table]

    async def lookups(self, request: Request, model: Any, run_query) -> list[tuple[str, str]]:
        return [("", "Kaikki")] + [(c.value, attention.LABELS[c]) for c in self.concerns]

    async def get_filtered_query(self, query: Any, value: Any, model: Any) -> Any:
        concern = next((c for c in self.concerns if c.value == value), None)
        if concern is None:
            return query
        return attention.filtered(query, self.model, concern, current_user.get(), utcnow())


class SaveRefused(ValueError):
    """Shown to the user above the form; ``errors`` ({form field: message}), when given, also
    next to each field (``StaffAdmin`` shows the form as it was sent, with them)."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class StaffModelView(ModelView):
    # Every stored time in Finnish time, as staff read it (stored in UTC); yes and no in words
    # (SQLAdmin shows an icon, which says nothing to a screen reader).
    column_type_formatters = {**BASE_FORMATTERS, datetime: local_time, bool: yes_no}
    column_type_formatters_detail = column_type_formatters
    form_converter = FinnishChoiceConverter
    form_base_class = FinnishForm
    page_size = 25
    page_size_options = [25, 50, 100]
    export_types = ["csv", "json"]

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

    # An enumeration's value is shown in Finnish on every list and details page, as its form's
    # select offers it: "Koko hyvinvointialue", not "WholeCounty".
    async def get_list_value(self, obj: Any, prop: str,
                             request: Request | None = None) -> tuple[Any, Any]:
        return self._in_finnish(prop, *await super().get_list_value(obj, prop, request))

    async def get_detail_value(self, obj: Any, prop: str,
                               request: Request | None = None) -> tuple[Any, Any]:
        return self._in_finnish(prop, *await super().get_detail_value(obj, prop, request))

    def _in_finnish(self, prop: str, value: Any, formatted: Any) -> tuple[Any, Any]:
        """A column's (value, shown value), the shown value in Finnish when it is an
        enumeration's value (SQLAdmin gives it as its code) that no formatter has put into
        words."""
        column = inspect(self.model).columns.get(prop)
        enum_class = getattr(getattr(column, "type", None), "enum_class", None)
        if enum_class is not None and formatted == value and value is not None:
            return value, enum_label(value, enum_class)
        return value, formatted

    def detail_links(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        """Extra buttons on the details page: (label, URL)."""
        return []

    def form_sections(self, request: Request, form: Any) -> list[FormSection]:
        """The form's fields in titled parts; [] for one list of fields, as SQLAdmin has it."""
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

    def _save(self, pk: Any, data: dict) -> Any:
        user = current_user.get()
        if not permissions.can_write(user, self.table):
            raise SaveRefused(permissions.TEXTS["forbidden"])
        with self.session_maker(expire_on_commit=False) as session:
            try:
                obj = self.write(session, pk, data, permissions.row_guard(user))
            except permissions.Forbidden as refusal:
                raise SaveRefused(str(refusal)) from refusal
            session.commit()
            return obj

    def write(self, session: Session, pk: Any, data: dict, guard: Callable[[Any], None]) -> Any:
        """Set the form's values on a new (``pk`` None) or existing row; ``guard`` refuses a
        row the user may not write. Here for the accounts: their values set as they are."""
        created = pk is None
        if created:
            obj = self.model()
        else:
            obj = session.execute(self._stmt_by_identifier(pk)).scalars().first()
            if obj is None:
                raise HTTPException(status_code=404)
            guard(obj)
        data = self.prepare(session, obj, data, created)
        obj = Query(self)._set_attributes_sync(session, obj, data)
        if created:
            session.add(obj)
        session.flush()
        relations = [r.key for r in inspect(type(obj)).relationships if not r.uselist]
        if relations:
            session.expire(obj, relations)
        guard(obj)
        return obj

    def prepare(self, session: Session, obj: Any, data: dict, created: bool) -> dict:
        """Adjust the form's values before they are set (the accounts: passwords, e-mail)."""
        return data


class CatalogueView(StaffModelView):
    """A view of a catalogue table: every save is ``bot.catalogue.editing.save_row``'s, and
    its refusals are shown next to the fields they concern. The texts are grouped by
    language, Finnish first (``?kieli=sv`` opens the Swedish ones)."""

    def form_sections(self, request: Request, form: Any) -> list[FormSection]:
        return language_sections(form, request.query_params.get("kieli"))

    def write(self, session: Session, pk: Any, data: dict, guard: Callable[[Any], None]) -> Any:
        try:
            return save_row(session, self.table, self._plain(data), key=pk, guard=guard).row
        except RowMissing as missing:
            raise HTTPException(status_code=404) from missing
        except EditRefused as refusal:
            raise SaveRefused(" ".join(
                f"{self._label(field)}: {message}" for field, message in refusal.errors.items()
            ), {self._form_field(field): message for field, message in refusal.errors.items()}
            ) from refusal

    def _form_field(self, field: str) -> str:
        """The form field of an editor's field: a reference's column is its relation's field
        ("organization_id" → "organization"); a child row's field (weekly_hours[0].opens)
        has none and stays as it is, shown only above the form."""
        for relation in inspect(self.model).relationships:
            if relation.direction is MANYTOONE and field in {c.key for c in relation.local_columns}:
                return relation.key
        return field

    def _plain(self, data: dict) -> dict[str, Any]:
        """The form's values as the editor takes them: a chosen row by its key, an empty
        optional field as no value (as SQLAdmin itself would set them)."""
        mapper = inspect(self.model)
        values: dict[str, Any] = {}
        for name, value in data.items():
            relation = mapper.relationships.get(name)
            if relation is None:
                empty = value == "" and mapper.columns[name].nullable
                values[name] = None if empty else value
            elif relation.direction is MANYTOONE:
                (column,) = relation.local_columns
                values[column.key] = value or None
            else:
                values[name] = list(value or [])
        return values

    def _label(self, field: str) -> str:
        """A field's label on the form (a reference is labelled as the row it chooses)."""
        labels = self._column_labels
        for relation in inspect(self.model).relationships:
            if relation.direction is MANYTOONE and field in {c.key for c in relation.local_columns}:
                return labels.get(field) or labels.get(relation.key, field)
        return labels.get(field, field)
