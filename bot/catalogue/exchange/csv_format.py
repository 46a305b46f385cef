"""The whole catalogue as a ZIP of CSV files, one per table, and back.

UTF-8, a header row of column names. An empty cell is an empty text; ``\\N`` is "no value"
(as in PostgreSQL's COPY), and a text that itself starts with a backslash gets one more, so
every value comes back exactly as it was.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from bot.catalogue.exchange.catalogue_data import CatalogueData, ImportFailed
from bot.catalogue.exchange.tables import TABLE_ORDER, columns

NULL = "\\N"


def _cell(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "\\" + text if text.startswith("\\") else text


def _value(cell: str) -> Any:
    if cell == NULL:
        return None
    return cell[1:] if cell.startswith("\\") else cell


def dump_csv_zip(data: CatalogueData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLE_ORDER:
            names = columns(table)
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(names)
            for row in data.tables.get(table, []):
                writer.writerow([_cell(row.get(n)) for n in names])
            archive.writestr(f"{table}.csv", text.getvalue())
    return buffer.getvalue()


# A whole catalogue is some megabytes as CSV; a ZIP that unpacks to much more is not one
# (a "zip bomb" unpacks a few kilobytes into gigabytes).
MAX_UNPACKED_MB = 100
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
MAX_FILES = 50


def _read_capped(archive: zipfile.ZipFile, name: str, budget: int) -> bytes | None:
    """The member's bytes, or None once it passes ``budget``: read as it unpacks, since the
    sizes a ZIP declares are the sender's word."""
    with archive.open(name) as member:
        content = member.read(max(budget, 0) + 1)
    return None if len(content) > budget else content


class CsvZipCatalogueReader:
    """Reads a ZIP written by ``dump_csv_zip`` (tables that are missing are left alone)."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def read(self) -> CatalogueData:
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.content))
        except zipfile.BadZipFile as error:
            raise ImportFailed(["Tiedosto ei ole ZIP-paketti CSV-tiedostoista."]) from error
        data = CatalogueData()
        errors = []
        with archive:
            if len(archive.infolist()) > MAX_FILES:
                raise ImportFailed([f"Paketissa on yli {MAX_FILES} tiedostoa."])
            unpacked = 0
            for name in archive.namelist():
                table = name.rsplit("/", 1)[-1].removesuffix(".csv")
                if table not in TABLE_ORDER:
                    errors.append(f"Tuntematon tiedosto paketissa: {name}")
                    continue
                raw = _read_capped(archive, name, MAX_UNPACKED_BYTES - unpacked)
                if raw is None:
                    raise ImportFailed([f"Paketti on purettuna yli {MAX_UNPACKED_MB} megatavua "
                                        f"({name}): tarkista, että se on oikea tiedosto."])
                unpacked += len(raw)
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    errors.append(f"{name}: merkistö ei ole UTF-8")
                    continue
                reader = csv.reader(io.StringIO(text, newline=""))
                header = next(reader, None) or []
                rows = []
                for line, cells in enumerate(reader, start=2):
                    if len(cells) != len(header):
                        errors.append(f"{name} rivi {line}: sarakkeita {len(cells)}, "
                                      f"otsikossa {len(header)}")
                        continue
                    rows.append({h: _value(c) for h, c in zip(header, cells, strict=True)})
                data.tables[table] = rows
        if errors:
            raise ImportFailed(errors)
        return data
