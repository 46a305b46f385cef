"""The one way to write a catalogue row: the staff admin, the REST API and the importers use it.

``save_row(session, table, values)`` creates a row of any catalogue table from plain values,
``save_row(session, table, values, key=...)`` updates one. A service's ``municipalities`` and
``channels`` come as lists of keys, a channel's ``weekly_hours`` and ``exceptions`` as lists of
plain rows that replace the old ones. Everything is checked before anything is changed: the
values (``validation.check_record``), the columns that must have a value, and that every
referenced municipality, organisation, area and channel exists. A refusal is one
``EditRefused`` carrying ``{field: Finnish message}`` and leaves the session as it was.

A new row with no key gets one made from its Finnish name; keywords are stored one per line.
Who may write is not decided here (that is ``bot.staff.permissions``): the caller's ``guard``
sees the row before and after the change and raises to refuse, and the caller then rolls its
transaction back. Nothing is flushed or committed here, so the caller's transaction, the
search index and the audit trail see the change together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE

from bot.catalogue import validation
from bot.catalogue.models import LANGUAGES
from bot.catalogue.search_index import keyword_list
from bot.catalogue.tables import MODELS
from bot.catalogue.values import from_plain, to_plain

# The relations written with their row: a list of keys (links) or of plain rows (children).
LIST_RELATIONS = {"service": ("municipalities", "channels"),
                  "service_channel": ("weekly_hours", "exceptions")}
# The message for a reference to a row that is not in the catalogue, by the row's table.
UNKNOWN = {"municipality": "municipality_unknown", "organization": "organization_unknown",
           "service_area": "service_area_unknown", "service_channel": "channel_unknown",
           "service": "service_unknown"}
# What a child row is compared by: its values, not its generated id or its parent.
CHILD_IDENTITY = {"id", "channel_id"}

Guard = Callable[[Any], None]


class EditRefused(ValueError):
    """The values were refused and nothing was changed; ``errors`` is {field: message}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class KeyTaken(EditRefused):
    """The key given for a new row is another row's already."""


class RowMissing(LookupError):
    """No row of the table has the key to update."""


@dataclass(frozen=True)
class Saved:
    row: Any
    created: bool
    # The columns and relations whose value the write changed.
    changed: frozenset[str]


def slug(text: str | None, limit: int = 60) -> str:
    """"Kotihoito Rovaniemellä" → "kotihoito-rovaniemella": an id staff need not invent."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "uusi"


def unique_id(session: Session, model: type, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``…: the first that no row (saved or pending) has."""
    pending = {getattr(o, "id", None) for o in session.new if isinstance(o, model)}
    candidate, n = base, 2
    while candidate in pending or session.get(model, candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def save_row(session: Session, table: str, values: dict[str, Any], *,
             key: Any = None, guard: Guard | None = None) -> Saved:
    """Create (``key`` None) or update a row of ``table`` from plain column values.

    Raises ``EditRefused`` (``KeyTaken`` for a new row's taken key) and ``RowMissing``
    before changing anything; ``guard`` may raise before and after the change.
    """
    change = _read(session, table, values, key)
    if guard and not change.created:
        guard(change.row)
    references, linked, errors = _check(session, change, {})
    if errors:
        raise EditRefused(errors)
    changed = _apply(change, references, linked)
    if change.created:
        session.add(change.row)
    if guard:
        guard(change.row)
    return Saved(change.row, change.created, frozenset(changed))


def check_row(session: Session, table: str, values: dict[str, Any], *, key: Any = None,
              pending: dict[str, set[str]] | None = None) -> dict[str, str]:
    """The errors ``save_row`` would refuse the same write with ({} if none); changes nothing.

    ``pending`` (table → keys) names rows that will exist by the time this one is written,
    such as the rows an import writes before it.
    """
    try:
        change = _read(session, table, values, key)
    except KeyTaken as taken:
        return taken.errors
    return _check(session, change, pending or {})[2]


@dataclass
class _Change:
    """One write, read and tidied but not yet applied to ``row``."""

    table: str
    row: Any
    created: bool
    values: dict[str, Any]
    relations: dict[str, Any]


def _read(session: Session, table: str, values: dict[str, Any], key: Any) -> _Change:
    model = MODELS[table]
    mapper = inspect(model)
    (pk,) = (c.key for c in mapper.primary_key)
    values = dict(values)
    # A relation given as None is left as it is, like a relation not given at all.
    given = {n: values.pop(n, None) for n in LIST_RELATIONS.get(table, ())}
    relations = {n: v for n, v in given.items() if v is not None}
    if key is None:
        row = model()
        new_key = _new_key(session, model, pk, values)
        if new_key is not None:
            values[pk] = new_key
    else:
        try:
            row = session.get(model, from_plain(mapper.columns[pk], key))
        except ValueError:
            row = None  # "abc" for a numbered row
        if row is None:
            raise RowMissing(f"{table} {key}")
        values.pop(pk, None)  # a row's key never changes
    _tidy(table, mapper, values)
    return _Change(table, row, key is None, values, relations)


def _named_by_id(model: type) -> bool:
    """Rows whose key is a text ``id``, which can be made from the Finnish name."""
    column = model.__table__.c.get("id")
    return column is not None and column.primary_key and isinstance(column.type, String)


def _new_key(session: Session, model: type, pk: str, values: dict[str, Any]) -> Any:
    given = values.get(pk)
    if not given:
        if not _named_by_id(model):
            return None
        limit = min(60, model.__table__.c.id.type.length)
        return unique_id(session, model, slug(values.get("name_fi"), limit))
    if session.get(model, given) is not None:
        raise KeyTaken({pk: validation.MESSAGES["key_taken"]})
    return given


def _tidy(table: str, mapper: Any, values: dict[str, Any]) -> None:
    """An empty reference means none (a form or a client may send ""); keywords one a line."""
    unknown = set(values) - {c.key for c in mapper.column_attrs}
    if unknown:
        raise TypeError(f"{table} has no column {', '.join(sorted(unknown))}")
    for relation in _to_one(mapper):
        (column,) = relation.local_columns
        value = values.get(column.key)
        if isinstance(value, str) and not value.strip():
            values[column.key] = None
    if table == "service":
        for language in LANGUAGES:
            name = f"keywords_{language}"
            if values.get(name):
                values[name] = "\n".join(keyword_list(values[name]))


def _to_one(mapper: Any) -> list[Any]:
    return [r for r in mapper.relationships if r.direction is MANYTOONE]


def _check(session: Session, change: _Change, pending: dict[str, set[str]]
           ) -> tuple[dict[str, tuple[str, Any]], dict[str, list[Any]], dict[str, str]]:
    """The errors of the row as it would be, and the rows it would refer to."""
    row, values = change.row, change.values
    mapper = inspect(type(row))
    after = {c.key: getattr(row, c.key) for c in mapper.column_attrs} | values
    errors = validation.check_record(change.table, after)
    if change.created and _named_by_id(type(row)):
        _add(errors, "id", validation.id_error(after["id"]))
    for column in mapper.columns:
        required = not (column.nullable or column.primary_key or column.default is not None
                        or column.server_default is not None)
        if required and after.get(column.key) is None:
            _add(errors, column.key, validation.MESSAGES["required"])

    def find(field: str, relation: Any, keys: list[Any]) -> list[Any]:
        """The referenced rows; a key that neither a row nor ``pending`` has is an error."""
        target = relation.mapper.class_
        found = [session.get(target, k) for k in keys]
        waiting = pending.get(target.__tablename__, set())
        missing = [k for k, o in zip(keys, found, strict=True)
                   if o is None and str(k) not in waiting]
        if missing:
            errors[field] = unknown_message(target.__tablename__, missing)
        return found

    references: dict[str, tuple[str, Any]] = {}
    for relation in _to_one(mapper):
        (column,) = relation.local_columns
        if column.key in values and column.key not in errors:
            value = values[column.key]
            target = None if value is None else find(column.key, relation, [value])[0]
            references[column.key] = (relation.key, target)
    linked: dict[str, list[Any]] = {}
    for name, given in change.relations.items():
        relation = mapper.relationships[name]
        if relation.secondary is not None:
            linked[name] = find(name, relation, list(dict.fromkeys(given)))
            continue
        child = relation.mapper.class_.__tablename__
        for index, child_row in enumerate(given):
            for field, message in validation.check_record(child, child_row).items():
                errors[f"{name}[{index}].{field}"] = message
    return references, linked, errors


def _add(errors: dict[str, str], field: str, message: str | None) -> None:
    if message and field not in errors:
        errors[field] = message


def unknown_message(table: str, keys: Iterable[Any]) -> str:
    """The Finnish message for ``keys`` of ``table`` that no row has."""
    message = validation.MESSAGES[UNKNOWN.get(table, "row_unknown")]
    return message.format(code=", ".join(str(k) for k in keys))


def _apply(change: _Change, references: dict[str, tuple[str, Any]],
           linked: dict[str, list[Any]]) -> set[str]:
    row = change.row
    changed = set()
    for name, value in change.values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.add(name)
    # The referenced row itself too, so that a guard sees where the row now belongs.
    for column, (name, target) in references.items():
        if column in changed:
            setattr(row, name, target)
    for name, targets in linked.items():
        if {_key_of(o) for o in getattr(row, name)} != {_key_of(o) for o in targets}:
            changed.add(name)
        setattr(row, name, targets)
    mapper = inspect(type(row))
    for name, rows in change.relations.items():
        if name in linked:
            continue
        model = mapper.relationships[name].mapper.class_
        current = [{c.key: getattr(o, c.key) for c in inspect(model).column_attrs}
                   for o in getattr(row, name)]
        if _signature(model, current) != _signature(model, rows):
            setattr(row, name, [model(**r) for r in rows])
            changed.add(name)
    return changed


def _key_of(obj: Any) -> Any:
    return inspect(obj).mapper.primary_key_from_instance(obj)[0]


def _signature(model: type, rows: list[dict[str, Any]]) -> list[tuple]:
    names = [c.key for c in inspect(model).column_attrs if c.key not in CHILD_IDENTITY]
    return sorted(tuple(str(to_plain(r.get(n))) for n in names) for r in rows)
