"""The importer interface: ``CatalogueData`` from any reader, checked and written as one.

A reader (our JSON or CSV file, PTV v11 today, PTV v12 tomorrow) turns its source into
``CatalogueData``: plain rows per table (see ``tables.TABLE_ORDER``). ``apply_catalogue`` then

1. maps rows that carry a PTV id onto the record that already has it (re-import updates),
2. converts and checks every value (``bot.catalogue.validation``) and every reference,
3. only if nothing is wrong, upserts rows by key: existing rows are updated, never duplicated;
   a channel's opening hours and exceptions, and a service's municipalities and channels, are
   replaced by the imported ones when they differ.

It never commits: the caller's transaction either keeps all of it or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue import validation
from bot.catalogue.exchange.tables import (
    CHILD_TABLES,
    LINK_TABLES,
    MODELS,
    TABLE_ORDER,
    column_object,
    columns,
    primary_key,
    read_rows,
)
from bot.catalogue.models import Municipality
from bot.catalogue.values import from_plain, to_plain

FORMAT_NAME = "ikaneuvo-catalogue"
FORMAT_VERSION = 1

# References between tables: (table, column) → referenced table.
REFERENCES = {
    ("municipality", "service_area_id"): "service_area",
    ("service_channel", "organization_id"): "organization",
    ("service_channel", "service_area_id"): "service_area",
    ("service_channel", "municipality_code"): "municipality",
    ("weekly_opening_hours", "channel_id"): "service_channel",
    ("opening_exception", "channel_id"): "service_channel",
    ("service", "organization_id"): "organization",
    ("service_municipality", "service_id"): "service",
    ("service_municipality", "municipality_code"): "municipality",
    ("service_channel_link", "service_id"): "service",
    ("service_channel_link", "channel_id"): "service_channel",
}
PTV_TABLES = ("service", "service_channel", "organization")


@dataclass
class CatalogueData:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Columns an existing record keeps (a PTV import must not unpublish what staff published).
    keep_on_update: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Links to records that are neither in the data nor in the database: dropped with a
    # warning (PTV data links to other organisations' channels) or an error (our own files).
    drop_unknown_links: bool = False

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.setdefault(table, [])

    def counts(self) -> dict[str, int]:
        return {t: len(r) for t, r in self.tables.items() if r}


class CatalogueReader(Protocol):
    """What every importer provides: its source as catalogue rows."""

    def read(self) -> CatalogueData: ...


class ImportFailed(ValueError):
    """The data has errors; nothing was written. ``errors`` are in Finnish, one per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} virhettä: " + "; ".join(errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: dict[str, int]
    updated: dict[str, int]
    warnings: list[str]


def export_catalogue(session: Session) -> CatalogueData:
    return CatalogueData({table: read_rows(session, table) for table in TABLE_ORDER})


def _label(table: str, row: dict[str, Any]) -> str:
    key = ",".join(str(row.get(k)) for k in primary_key(table) if row.get(k) is not None)
    if table in CHILD_TABLES:
        key = str(row.get("channel_id"))
    return f"{table} {key}".strip()


def _map_ptv_ids(session: Session, data: CatalogueData) -> None:
    """Rows whose PTV id is already in the catalogue take that record's id."""
    renamed: dict[str, dict[str, str]] = {}
    for table in PTV_TABLES:
        model = MODELS[table]
        for row in data.rows(table):
            ptv_id = row.get("ptv_id")
            if not ptv_id:
                continue
            existing = session.execute(
                select(model.id).where(model.ptv_id == ptv_id)
            ).scalar_one_or_none()
            if existing and existing != row.get("id"):
                renamed.setdefault(table, {})[row["id"]] = existing
                row["id"] = existing
    if not renamed:
        return
    for (table, column), target in REFERENCES.items():
        mapping = renamed.get(target)
        if not mapping:
            continue
        for row in data.rows(table):
            if row.get(column) in mapping:
                row[column] = mapping[row[column]]


def _convert(table: str, row: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    known = set(columns(table)) | ({"id"} if table in CHILD_TABLES else set())
    values: dict[str, Any] = {}
    for name, value in row.items():
        if name not in known:
            errors.append(f"{_label(table, row)}: tuntematon kenttä {name}")
            continue
        if name == "id" and table in CHILD_TABLES:
            continue
        try:
            values[name] = from_plain(column_object(table, name), value)
        except (ValueError, TypeError):
            errors.append(f"{_label(table, row)}: {name}: arvo {value!r} ei kelpaa")
    return values


def _existing_keys(session: Session, table: str) -> set[str]:
    column = column_object(table, primary_key(table)[0])
    return {str(k) for k in session.execute(select(column)).scalars()}


def _check(session: Session, data: CatalogueData) -> dict[str, list[dict[str, Any]]]:
    errors: list[str] = []
    converted: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, set[str]] = {}
    for table in TABLE_ORDER:
        rows = []
        for row in data.rows(table):
            values = _convert(table, row, errors)
            rows.append(values)
        converted[table] = rows
    for table in MODELS:
        if table in CHILD_TABLES:
            continue
        pk = primary_key(table)[0]
        in_data = [str(r.get(pk)) for r in converted[table]]
        duplicates = {k for k in in_data if in_data.count(k) > 1}
        for key in sorted(duplicates):
            errors.append(f"{table} {key}: sama tunniste on tiedostossa kahdesti")
        keys[table] = _existing_keys(session, table) | set(in_data)
    municipality_codes = keys["municipality"]
    for table, rows in converted.items():
        for row in rows:
            label = _label(table, row)
            if table in MODELS and table not in CHILD_TABLES:
                for name in primary_key(table):
                    if row.get(name) in (None, ""):
                        errors.append(f"{label}: {name}: {validation.MESSAGES['required']}")
            for name, message in validation.check_record(table, row, municipality_codes).items():
                errors.append(f"{label}: {name}: {message}")
    kept: dict[str, list[dict[str, Any]]] = {}
    for table in TABLE_ORDER:
        kept[table] = []
        for row in converted[table]:
            missing = [
                (column, target) for (t, column), target in REFERENCES.items()
                if t == table and row.get(column) is not None
                and str(row[column]) not in keys[target]
            ]
            if missing and table in LINK_TABLES and data.drop_unknown_links:
                data.warnings.append(
                    f"{_label(table, row)}: linkki ohitettu, kohdetta "
                    f"{', '.join(str(row[c]) for c, _ in missing)} ei ole luettelossa")
                continue
            for column, target in missing:
                errors.append(f"{_label(table, row)}: {column}: {target} {row[column]} puuttuu")
            kept[table].append(row)
    if errors:
        raise ImportFailed(errors)
    return kept


def _upsert(session: Session, data: CatalogueData, table: str, row: dict[str, Any],
            result: ImportResult) -> None:
    model = MODELS[table]
    key = tuple(row[k] for k in primary_key(table))
    obj = session.get(model, key if len(key) > 1 else key[0])
    if obj is None:
        obj = model()
        for name, value in row.items():
            setattr(obj, name, value)
        session.add(obj)
        result.created[table] = result.created.get(table, 0) + 1
        return
    keep = set(data.keep_on_update.get(table, ()))
    changed = False
    for name, value in row.items():
        if name in keep or getattr(obj, name) == value:
            continue
        setattr(obj, name, value)
        changed = True
    if changed:
        result.updated[table] = result.updated.get(table, 0) + 1


def _hours_signature(table: str, rows: list[dict[str, Any]]) -> list[tuple]:
    names = [c for c in columns(table) if c != "channel_id"]
    return sorted(tuple(str(to_plain(r.get(n))) for n in names) for r in rows)


def _replace_children(session: Session, table: str, rows: list[dict[str, Any]],
                      channel_ids: set[str], result: ImportResult) -> None:
    model = MODELS[table]
    by_channel: dict[str, list[dict[str, Any]]] = {c: [] for c in channel_ids}
    for row in rows:
        by_channel.setdefault(row["channel_id"], []).append(row)
    for channel_id, wanted in by_channel.items():
        existing = session.execute(
            select(model).where(model.channel_id == channel_id)
        ).scalars().all()
        current = [{c: getattr(o, c) for c in columns(table)} for o in existing]
        if _hours_signature(table, current) == _hours_signature(table, wanted):
            continue
        for obj in existing:
            session.delete(obj)
        for row in wanted:
            session.add(model(**row))
        result.updated[table] = result.updated.get(table, 0) + 1


LINK_RELATIONS = {
    "service_municipality": ("municipalities", "municipality_code", "municipality"),
    "service_channel_link": ("channels", "channel_id", "service_channel"),
}


def _replace_links(session: Session, table: str, rows: list[dict[str, Any]],
                   service_ids: set[str], result: ImportResult) -> None:
    """Set a service's municipalities or channels through the ORM (so audit and index see it)."""
    relation, column, target_table = LINK_RELATIONS[table]
    target_model = MODELS[target_table]
    wanted: dict[str, set[str]] = {s: set() for s in service_ids}
    for row in rows:
        wanted.setdefault(row["service_id"], set()).add(str(row[column]))
    for service_id, targets in wanted.items():
        service = session.get(MODELS["service"], service_id)
        current = getattr(service, relation)
        if {str(_pk(o)) for o in current} == targets:
            continue
        setattr(service, relation, [session.get(target_model, t) for t in sorted(targets)])
        result.updated[table] = result.updated.get(table, 0) + 1


def _pk(obj: Any) -> Any:
    return getattr(obj, "code", None) or obj.id


def apply_catalogue(session: Session, data: CatalogueData) -> ImportResult:
    """Check all of ``data``, then write it; raises ``ImportFailed`` and writes nothing."""
    _map_ptv_ids(session, data)
    rows = _check(session, data)
    result = ImportResult({}, {}, data.warnings)
    for table in MODELS:
        if table in CHILD_TABLES:
            continue
        for row in rows[table]:
            _upsert(session, data, table, row, result)
        session.flush()
    channel_ids = {r["id"] for r in rows["service_channel"]}
    for table in CHILD_TABLES:
        _replace_children(session, table, rows[table], channel_ids, result)
    service_ids = {r["id"] for r in rows["service"]}
    session.flush()
    for table in LINK_TABLES:
        _replace_links(session, table, rows[table], service_ids, result)
    session.flush()
    return result


def known_municipality_codes(session: Session) -> set[str]:
    return set(session.execute(select(Municipality.code)).scalars())
