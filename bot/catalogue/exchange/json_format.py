"""The whole catalogue as one JSON document, and back."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from bot.catalogue.exchange.catalogue_data import (
    FORMAT_NAME,
    FORMAT_VERSION,
    CatalogueData,
    ImportFailed,
)
from bot.catalogue.exchange.tables import TABLE_ORDER


def dump_json(data: CatalogueData) -> str:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "tables": {table: data.tables.get(table, []) for table in TABLE_ORDER},
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


class JsonCatalogueReader:
    """Reads a document written by ``dump_json``."""

    def __init__(self, text: str | bytes) -> None:
        self.text = text

    def read(self) -> CatalogueData:
        try:
            document: Any = json.loads(self.text)
        except ValueError as error:
            raise ImportFailed([f"Tiedosto ei ole JSON-muotoinen: {error}"]) from error
        if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
            raise ImportFailed([f"Tiedosto ei ole palveluluettelon vientitiedosto "
                                f"(format: {FORMAT_NAME})."])
        if document.get("version") != FORMAT_VERSION:
            raise ImportFailed([f"Tuntematon versio {document.get('version')!r}."])
        tables = document.get("tables")
        if not isinstance(tables, dict):
            raise ImportFailed(["Tiedostosta puuttuu tables."])
        unknown = sorted(set(tables) - set(TABLE_ORDER))
        if unknown:
            raise ImportFailed([f"Tuntematon taulu: {name}" for name in unknown])
        data = CatalogueData()
        for table, rows in tables.items():
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ImportFailed([f"{table}: rivit puuttuvat tai ovat väärää muotoa."])
            data.tables[table] = [dict(r) for r in rows]
        return data
