"""The importer interface: ``CatalogueData`` from any reader, checked and written as one.

A reader (our JSON or CSV file, PTV v11 today, PTV v12 tomorrow) turns its source into
``CatalogueData``: plain rows per table (see ``tables.TABLE_ORDER``). ``apply_catalogue`` then

1. maps rows that carry a PTV id onto the record that already has it (re-import updates),
2. converts every value and checks that every record has a key of its own,
3. checks every record with ``bot.catalogue.editing`` (the checks and the messages of the
   admin and the API), counting the import's own new rows as there,
4. only if nothing is wrong, writes each record with the same editor, parents first:
   existing rows are updated, never duplicated; a channel's opening hours and exceptions, and
   a service's municipalities and channels, go with it and replace the old ones when they
   differ.

It never commits: the caller's transaction either keeps all of it or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue import validation
from bot.catalogue.editing import check_row, save_row, unknown_message
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
from bot.catalogue.values import from_plain

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


def _convert(table: str, row: dict[str, Any], errors: list[str]) -> dict[str, Any] | None:
    """The row's values as its columns store them; None (and the errors) if any is wrong."""
    known = set(columns(table)) | ({"id"} if table in CHILD_TABLES else set())
    values: dict[str, Any] = {}
    ok = True
    for name, value in row.items():
        if name not in known:
            errors.append(f"{_label(table, row)}: tuntematon kenttä {name}")
            ok = False
            continue
        if name == "id" and table in CHILD_TABLES:
            continue
        try:
            values[name] = from_plain(column_object(table, name), value)
        except (ValueError, TypeError):
            errors.append(f"{_label(table, row)}: {name}: arvo {value!r} ei kelpaa")
            ok = False
    return values if ok else None


def _with_keys(table: str, rows: list[dict[str, Any]], errors: list[str]) -> list[dict[str, Any]]:
    """The rows that have a key, each once in the data."""
    if table not in MODELS or table in CHILD_TABLES:
        return rows
    (pk,) = primary_key(table)
    keys = [str(r.get(pk)) for r in rows]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"{table} {key}: sama tunniste on tiedostossa kahdesti")
    kept = []
    for row in rows:
        if row.get(pk) in (None, ""):
            errors.append(f"{_label(table, row)}: {pk}: {validation.MESSAGES['required']}")
        else:
            kept.append(row)
    return kept


def _existing_keys(session: Session, table: str) -> set[str]:
    column = column_object(table, primary_key(table)[0])
    return {str(k) for k in session.execute(select(column)).scalars()}


def _drop_unknown_links(session: Session, data: CatalogueData,
                        rows: dict[str, list[dict[str, Any]]]) -> None:
    """Links to records neither in the data nor in the catalogue are left out, with a warning."""
    keys = {table: _existing_keys(session, table) | {str(r[primary_key(table)[0]])
                                                     for r in rows[table]}
            for table in ("service", "municipality", "service_channel")}
    for table in LINK_TABLES:
        kept = []
        for row in rows[table]:
            missing = [column for (t, column), target in REFERENCES.items()
                       if t == table and row.get(column) is not None
                       and str(row[column]) not in keys[target]]
            if missing:
                data.warnings.append(
                    f"{_label(table, row)}: linkki ohitettu, kohdetta "
                    f"{', '.join(str(row.get(c)) for c in missing)} ei ole luettelossa")
            else:
                kept.append(row)
        rows[table] = kept


# The rows written with their owner, as its relation: table → (owner table, owner column,
# the owner's relation, the column that is the relation's item; None: the whole row).
OWNED = {
    "weekly_opening_hours": ("service_channel", "channel_id", "weekly_hours", None),
    "opening_exception": ("service_channel", "channel_id", "exceptions", None),
    "service_municipality": ("service", "service_id", "municipalities", "municipality_code"),
    "service_channel_link": ("service", "service_id", "channels", "channel_id"),
}


def _records(table: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The rows of ``table`` by key, each with its children or links (none: it has none now),
    and the owners of other children or links, which are in the catalogue already."""
    (pk,) = primary_key(table)
    records = {str(row[pk]): dict(row) for row in rows[table]}
    for owned, (owner_table, owner_column, relation, item) in OWNED.items():
        if owner_table != table:
            continue
        for record in records.values():
            record[relation] = []
        for row in rows[owned]:
            value = row.get(item) if item else {k: v for k, v in row.items()
                                                if k != owner_column}
            owner = records.setdefault(str(row.get(owner_column)), {})
            owner.setdefault(relation, []).append(value)
    return records


@dataclass
class _Record:
    """One row to write with its relations, and whether the catalogue has it already."""

    table: str
    key: str
    values: dict[str, Any]
    exists: bool


def _plan(session: Session, data: CatalogueData, rows: dict[str, list[dict[str, Any]]],
          errors: list[str]) -> list[_Record]:
    """Every record in writing order, parents first, each checked as if the records before it
    were written already: the errors of all of them, and nothing changed."""
    records = []
    for table in MODELS:
        if table in CHILD_TABLES:
            continue
        (pk,) = primary_key(table)
        for key, values in _records(table, rows).items():
            exists = session.get(MODELS[table], key) is not None
            if exists:
                for name in data.keep_on_update.get(table, ()):
                    values.pop(name, None)
            elif pk not in values:  # children or links of a record that is nowhere
                errors.append(f"{table} {key}: {unknown_message(table, [key])}")
                continue
            records.append(_Record(table, key, values, exists))
    pending = {t: {r.key for r in records if r.table == t and not r.exists} for t in MODELS}
    for record in records:
        problems = check_row(session, record.table, record.values,
                             key=record.key if record.exists else None, pending=pending)
        errors.extend(f"{record.table} {record.key}: {name}: {message}"
                      for name, message in problems.items())
    return records


def _write(session: Session, record: _Record, result: ImportResult) -> None:
    saved = save_row(session, record.table, record.values,
                     key=record.key if record.exists else None)
    relations = {relation: owned for owned, (_, _, relation, _) in OWNED.items()}
    if saved.created:
        _count(result.created, record.table)
    elif saved.changed - set(relations):
        _count(result.updated, record.table)
    for relation in saved.changed & set(relations):
        _count(result.updated, relations[relation])


def _count(counts: dict[str, int], table: str) -> None:
    counts[table] = counts.get(table, 0) + 1


def apply_catalogue(session: Session, data: CatalogueData) -> ImportResult:
    """Check all of ``data``, then write it; raises ``ImportFailed`` and writes nothing."""
    _map_ptv_ids(session, data)
    errors: list[str] = []
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in TABLE_ORDER:
        converted = [_convert(table, row, errors) for row in data.rows(table)]
        rows[table] = _with_keys(table, [r for r in converted if r is not None], errors)
    if data.drop_unknown_links:
        _drop_unknown_links(session, data, rows)
    records = _plan(session, data, rows, errors)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult({}, {}, data.warnings)
    for table in MODELS:
        for record in records:
            if record.table == table:
                _write(session, record, result)
        session.flush()  # the next table's rows refer to these
    return result


def known_municipality_codes(session: Session) -> set[str]:
    return set(session.execute(select(Municipality.code)).scalars())
