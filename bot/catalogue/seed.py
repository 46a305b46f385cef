"""Load the seed catalogue from ``data/catalogue/*.yml`` into the database.

Loading is an upsert by id: running it again updates records and never duplicates them.
Values staff have changed in the database since are overwritten only with ``overwrite=True``;
by default a record that exists is left as staff keep it.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot.catalogue import models
from bot.catalogue.models import SEARCH_LANGUAGES
from bot.catalogue.search_index import keyword_list
from bot.config import CATALOGUE_DATA_DIR


def read_seed(directory: Path = CATALOGUE_DATA_DIR) -> dict[str, list[dict[str, Any]]]:
    """All records of the seed files, by section name."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, records in content.items():
            sections.setdefault(section, []).extend(records or [])
    return sections


def load_seed(
    session: Session, directory: Path = CATALOGUE_DATA_DIR, overwrite: bool = False
) -> dict[str, int]:
    """Upsert the seed records; returns how many records of each kind were created."""
    seed = read_seed(directory)
    created: dict[str, int] = {}

    def upsert(model, key: str, record: dict[str, Any], **relations: Any):
        obj = session.get(model, record[key])
        is_new = obj is None
        if is_new:
            obj = model()
            session.add(obj)
            created[model.__tablename__] = created.get(model.__tablename__, 0) + 1
        if is_new or overwrite:
            for column in model.__table__.columns.keys():
                if column in record:
                    setattr(obj, column, _value(record[column]))
            for name, value in relations.items():
                setattr(obj, name, value)
        return obj

    for record in seed.get("service_areas", []):
        upsert(models.ServiceArea, "id", record)
    session.flush()
    for record in seed.get("municipalities", []):
        upsert(models.Municipality, "code", {**record, "code": str(record["code"])},
               service_area_id=record["service_area"])
    for record in seed.get("organizations", []):
        upsert(models.Organization, "id", record)
    session.flush()
    for record in seed.get("channels", []):
        upsert(
            models.ServiceChannel, "id", record,
            organization_id=record.get("organization"),
            service_area_id=record.get("service_area"),
            weekly_hours=_rows(models.WeeklyOpeningHours, record.get("weekly_hours", [])),
            exceptions=_rows(models.OpeningException, record.get("exceptions", [])),
        )
    session.flush()
    for record in seed.get("services", []):
        upsert(
            models.Service,
            "id",
            {**record, **{f"keywords_{language}": "\n".join(keyword_list(keywords))
                          for language in SEARCH_LANGUAGES
                          if (keywords := record.get(f"keywords_{language}"))}},
            organization_id=record.get("organization"),
            channels=_existing(session, models.ServiceChannel, record.get("channels", [])),
            municipalities=_existing(session, models.Municipality,
                                     [str(code) for code in record.get("municipalities", [])]),
        )
    for record in seed.get("phrases", []):
        upsert(models.AnswerPhrase, "key", record)
    session.flush()
    return created


def _rows(model: type, records: list[dict[str, Any]]) -> list:
    return [model(**{k: _value(v) for k, v in record.items()}) for record in records]


def _existing(session: Session, model: type, keys: list[str]) -> list:
    """The rows with these keys; the seed naming one that does not exist is an error."""
    found = []
    for key in keys:
        obj = session.get(model, key)
        if obj is None:
            raise ValueError(f"seed refers to an unknown {model.__tablename__}: {key!r}")
        found.append(obj)
    return found


def _value(value: Any) -> Any:
    """YAML gives "09:00" as text and 2026-01-01 as a date; the model wants time and date."""
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        return time.fromisoformat(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    return value
