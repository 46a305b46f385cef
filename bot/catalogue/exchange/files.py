"""Import and export files: the formats by name, for the command line and the admin."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue.exchange.catalogue_data import (
    CatalogueData,
    CatalogueReader,
    ImportFailed,
    ImportResult,
    apply_catalogue,
    export_catalogue,
    known_municipality_codes,
)
from bot.catalogue.exchange.csv_format import CsvZipCatalogueReader, dump_csv_zip
from bot.catalogue.exchange.json_format import JsonCatalogueReader, dump_json
from bot.catalogue.exchange.ptv_v11 import PtvV11Reader

FORMATS = ("json", "csv", "ptv")
MEDIA_TYPES = {"json": "application/json", "csv": "application/zip"}
SUFFIXES = {"json": "json", "csv": "zip"}


def export_bytes(session: Session, fmt: str) -> bytes:
    data = export_catalogue(session)
    if fmt == "json":
        return dump_json(data).encode("utf-8")
    if fmt == "csv":
        return dump_csv_zip(data)
    raise ValueError(f"unknown export format: {fmt}")


def reader_for(session: Session, fmt: str, contents: list[bytes]) -> CatalogueReader:
    if fmt == "json":
        if len(contents) != 1:
            raise ImportFailed(["Tuo yksi JSON-tiedosto kerrallaan."])
        return JsonCatalogueReader(contents[0])
    if fmt == "csv":
        if len(contents) != 1:
            raise ImportFailed(["Tuo yksi ZIP-paketti kerrallaan."])
        return CsvZipCatalogueReader(contents[0])
    if fmt == "ptv":
        documents: list[Any] = []
        for content in contents:
            try:
                documents.append(json.loads(content))
            except ValueError as error:
                raise ImportFailed([f"PTV-tiedosto ei ole JSON-muotoinen: {error}"]) from error
        return PtvV11Reader(documents, known_municipality_codes(session))
    raise ImportFailed([f"Tuntematon muoto {fmt!r}; käytä: {', '.join(FORMATS)}."])


def import_contents(session: Session, fmt: str, contents: list[bytes]) -> ImportResult:
    """Read and apply; raises ``ImportFailed`` (nothing written) when anything is wrong."""
    data: CatalogueData = reader_for(session, fmt, contents).read()
    return apply_catalogue(session, data)
