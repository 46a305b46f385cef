"""Import and export: JSON and CSV round trips without loss, all-or-nothing imports, and PTV
v11 data (the shared samples written by other teams, unchanged, and our own fixtures)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.catalogue import validation
from bot.catalogue.exchange.catalogue_data import ImportFailed, export_catalogue
from bot.catalogue.exchange.files import export_bytes, import_contents
from bot.catalogue.models import (
    OpeningException,
    Organization,
    PublishingStatus,
    Service,
    ServiceChannel,
    WeeklyOpeningHours,
)
from bot.config import PROJECT_ROOT
from bot.db import get_engine, session_scope
from bot.db.migrate import migrate
from bot.staff.audit import Actor

SHARED_SAMPLES = PROJECT_ROOT.parent / "shared" / "ptv-samples"
OWN_SAMPLES = Path(__file__).parent / "data"


def empty_catalogue(tmp_path, name="empty.sqlite3"):
    url = f"sqlite:///{tmp_path / name}"
    migrate(url)
    return get_engine(url)


def tables(engine) -> dict:
    with session_scope(engine) as session:
        return export_catalogue(session).tables


def counts(engine) -> dict[str, int]:
    return {t: len(rows) for t, rows in tables(engine).items()}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_into_an_empty_catalogue_loses_nothing(staff_engine, tmp_path, fmt):
    with session_scope(staff_engine) as session:
        session.get(Service, "kotihoito").fee_sv = ""  # empty text is not "no value"
        session.get(Service, "kotihoito").legal_basis = "\\N ja \\\\ kenoviivat, \"lainaus\""
    original = tables(staff_engine)
    with session_scope(staff_engine) as session:
        content = export_bytes(session, fmt)
    target = empty_catalogue(tmp_path)
    with session_scope(target) as session:
        result = import_contents(session, fmt, [content])
    assert result.created["service"] == len(original["service"])
    assert tables(target) == original
    with session_scope(target) as session:
        again = export_bytes(session, fmt)
    if fmt == "csv":  # the files themselves are the same, byte for byte
        assert zip_members(again) == zip_members(content)


def zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_reimporting_updates_and_never_duplicates(staff_engine, fmt):
    with session_scope(staff_engine) as session:
        content = export_bytes(session, fmt)
    before = counts(staff_engine)
    with session_scope(staff_engine) as session:
        result = import_contents(session, fmt, [content])
    assert (result.created, result.updated) == ({}, {})
    assert counts(staff_engine) == before


def test_an_import_with_one_bad_value_changes_nothing(staff_engine):
    with session_scope(staff_engine) as session:
        document = json.loads(export_bytes(session, "json"))
    before = tables(staff_engine)
    for row in document["tables"]["service"]:
        row["summary_fi"] = "Muutettu"
    document["tables"]["service"].append(dict(document["tables"]["service"][0], id="uusi"))
    channel = document["tables"]["service_channel"][0]
    channel["phone_number"] = "soita meille"
    document["tables"]["weekly_opening_hours"][0]["closes"] = "00:00:00"
    document["tables"]["organization"].append(document["tables"]["organization"][0])
    document["tables"]["service_municipality"].append(
        {"service_id": "kotihoito", "municipality_code": "091"})
    with session_scope(staff_engine) as session, pytest.raises(ImportFailed) as failure:
        import_contents(session, "json", [json.dumps(document).encode()])
    errors = "\n".join(failure.value.errors)
    assert f"service_channel {channel['id']}: phone_number: Tarkista puhelinnumero" in errors
    assert "closes: Sulkemisajan pitää olla avaamisajan jälkeen" in errors
    unknown = validation.MESSAGES["municipality_unknown"].format(code="091")
    assert f"service kotihoito: municipalities: {unknown}" in errors
    assert "sama tunniste on tiedostossa kahdesti" in errors
    assert tables(staff_engine) == before


@pytest.mark.parametrize("content", [b"not json", b'{"format": "other"}', b"[1, 2]"])
def test_files_that_are_not_exports_are_refused(staff_engine, content):
    with session_scope(staff_engine) as session, pytest.raises(ImportFailed):
        import_contents(session, "json", [content])
    with session_scope(staff_engine) as session, pytest.raises(ImportFailed):
        import_contents(session, "csv", [content])


def shared_samples() -> list[bytes]:
    paths = sorted(SHARED_SAMPLES.glob("*.json"))
    assert len(paths) == 5, "the shared PTV samples are missing"
    return [p.read_bytes() for p in paths]


def test_ptv_shared_samples_import_unchanged(staff_engine):
    with session_scope(staff_engine) as session:
        session.info["actor"] = Actor(None, None, "cli")
        result = import_contents(session, "ptv", shared_samples())
    assert result.created == {"organization": 3, "service_channel": 3, "service": 4}
    with session_scope(staff_engine) as session:
        imported = {s.ptv_id: s for s in session.execute(
            select(Service).where(Service.ptv_id.is_not(None))).scalars()}
        assert set(imported) == {
            "3668d250-cd80-45c4-abcc-9b2d3a2b3e42", "6c00d407-d3fd-4c7e-a373-57be9f3b2cff",
            "0008afc0-182c-4580-ba73-7472287f4d63", "00094685-ccc8-44a7-8345-07e36afde1b6",
        }
        assert all(s.status == PublishingStatus.draft for s in imported.values())
        lukio = imported["3668d250-cd80-45c4-abcc-9b2d3a2b3e42"]
        # "AlternativeName" comes first in the data; the name is the one of type "Name".
        assert lukio.name_fi == "Nettilukio aikuisille"
        assert "Etälukio" in lukio.keywords_fi.splitlines()
        assert lukio.summary_fi == "Aikuislukio verkko-opintoina."
        assert lukio.how_to_apply_fi.startswith("Hae Nettilukioon")
        assert lukio.charge_type.value == "FreeOfCharge"
        assert lukio.area_type.value == "Nationwide"
        # Municipalities outside the catalogue (Liperi, Testikunta) are left out, with a warning.
        assert imported["6c00d407-d3fd-4c7e-a373-57be9f3b2cff"].municipalities == []
        location = session.execute(select(ServiceChannel).where(
            ServiceChannel.ptv_id == "0001a1c4-6273-424f-8d17-2ac62be89741")).scalar_one()
        # The second channel file has the same channel with Monday–Friday hours: it wins.
        assert [(h.weekday_from, h.opens, h.closes) for h in location.weekly_hours] == [
            (0, time(8), time(16)), (1, time(8), time(16)), (2, time(8), time(16)),
            (3, time(8), time(16)), (4, time(8), time(14))]
        assert location.phone_number == "+358 101010100"
        assert location.street_address == "Testitie 13"
        assert location.municipality_code is None
        assert location.name_sv == "Hälsostationen"
        assert {s.ptv_id for s in location.services} == {"0008afc0-182c-4580-ba73-7472287f4d63"}
        phone_channel = session.execute(select(ServiceChannel).where(
            ServiceChannel.ptv_id == "00090e9c-f8be-4aaa-a874-721c7f7643e1")).scalar_one()
        assert phone_channel.phone_number is None  # "+358 000000000" is not a phone number
    warnings = "\n".join(result.warnings)
    assert "kunta 426 ei kuulu luetteloon" in warnings
    assert "000000000 ei kelpaa" in warnings


def test_ptv_reimport_is_idempotent_and_keeps_what_staff_published(staff_engine):
    with session_scope(staff_engine) as session:
        import_contents(session, "ptv", shared_samples())
    with session_scope(staff_engine) as session:
        service = session.execute(select(Service).where(
            Service.ptv_id == "0008afc0-182c-4580-ba73-7472287f4d63")).scalar_one()
        service.status = PublishingStatus.published
    before = counts(staff_engine)
    with session_scope(staff_engine) as session:
        result = import_contents(session, "ptv", shared_samples())
    assert (result.created, result.updated) == ({}, {})
    assert counts(staff_engine) == before
    with session_scope(staff_engine) as session:
        service = session.execute(select(Service).where(
            Service.ptv_id == "0008afc0-182c-4580-ba73-7472287f4d63")).scalar_one()
        assert service.status == PublishingStatus.published


def test_ptv_older_peoples_service_with_lapland_municipalities(staff_engine):
    contents = [(OWN_SAMPLES / n).read_bytes()
                for n in ("ptv_ikaihmiset.json", "ptv_ikaihmiset_kanavat.json")]
    with session_scope(staff_engine) as session:
        result = import_contents(session, "ptv", contents)
    with session_scope(staff_engine) as session:
        service = session.get(Service, "ptv-7d6a2f10-0000-4000-8000-000000000001")
        assert service.name_fi == "Kotihoidon tukipalvelut Rovaniemellä (esimerkki)"
        assert service.name_sv == "Stödtjänster för hemvård"
        assert service.keywords_fi.splitlines() == ["Kotiapu", "kauppa-apu", "siivousapu"]
        assert service.service_class == "P4.3"
        assert service.fee_fi == "Hinta riippuu tuloista."
        assert service.target_group_fi == "Palvelutarve arvioidaan ensin."
        assert service.legal_basis == "Vanhuspalvelulaki 980/2012"
        assert [m.code for m in service.municipalities] == ["683", "698"]
        assert service.organization.name_fi == "Lapin hyvinvointialue (esimerkki)"
        channel = service.channels[0]
        assert channel.phone_number == "+358 401234567"
        assert (channel.street_address, channel.postal_code, channel.post_office) == (
            "Esimerkkikatu 1", "96100", "Rovaniemi")
        assert channel.municipality_code == "698"
        assert channel.organization_id == service.organization_id
        assert [(h.weekday_from, h.weekday_to) for h in channel.weekly_hours] == [(0, 4)]
        assert [(e.date_from.isoformat(), e.is_closed, e.reason_fi) for e in
                channel.exceptions] == [("2026-12-24", True, "Joulu")]
    warnings = "\n".join(result.warnings)
    assert "kunta 564 ei kuulu luetteloon" in warnings  # Oulu is not in Lapland
    assert "yli puolenyön" in warnings


def test_a_failed_ptv_import_changes_nothing(staff_engine):
    broken = json.dumps({"itemList": [
        {"id": "a", "serviceNames": [{"language": "fi", "value": "Hyvä", "type": "Name"}]},
        {"id": "b", "serviceNames": [{"language": "fi", "value": None, "type": "Name"}]},
        {"id": "c", "serviceChannelType": "Carrier pigeon", "serviceChannelNames": []},
    ]}).encode()
    before = counts(staff_engine)
    with session_scope(staff_engine) as session, pytest.raises(ImportFailed) as failure:
        import_contents(session, "ptv", [broken])
    assert any("palvelulla ei ole nimeä" in e for e in failure.value.errors)
    assert any("tuntematon kanavan laji" in e for e in failure.value.errors)
    assert counts(staff_engine) == before


def test_cli_export_and_import(staff_engine, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", str(staff_engine.url))
    main(["export", "--format", "csv", "--output", str(tmp_path / "luettelo.zip")])
    target = tmp_path / "target.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    main(["import", "--format", "csv", str(tmp_path / "luettelo.zip")])
    assert tables(get_engine(f"sqlite:///{target}")) == tables(staff_engine)
    main(["import", "--format", "ptv", *map(str, sorted(SHARED_SAMPLES.glob("*.json")))])
    main(["import", "--format", "ptv", *map(str, sorted(SHARED_SAMPLES.glob("*.json")))])
    out = capsys.readouterr().out
    assert out.strip().endswith("Tuotu: uusia ei, muutettuja ei.")
    with session_scope(get_engine(f"sqlite:///{target}")) as session:
        assert session.execute(select(func.count(Organization.id))).scalar_one() == (
            len(tables(staff_engine)["organization"]) + 3)
        assert session.execute(select(func.count(WeeklyOpeningHours.id))).scalar_one() > 0
        assert session.execute(select(func.count(OpeningException.id))).scalar_one() > 0


def test_ptv_channel_languages_are_stored(staff_engine):
    """PTV keeps a channel's languages as a list; the catalogue as "fi,sv,se"."""
    sample = SHARED_SAMPLES / "helsinki_municipality_channels.json"
    with session_scope(staff_engine) as session:
        import_contents(session, "ptv", [sample.read_bytes()])
    sample_ids = [item["id"] for item in json.loads(sample.read_text())["itemList"]]
    with session_scope(staff_engine) as session:
        stored = {c.ptv_id: c.languages for c in session.execute(
            select(ServiceChannel).where(ServiceChannel.ptv_id.in_(sample_ids))).scalars()}
    assert stored == dict.fromkeys(sample_ids, "fi")  # every channel there: "languages": ["fi"]

    # Our own channel, served in three languages (PTV's codes in any case, once each; what is
    # no language code is left out); a re-import brings the new list.
    channel = json.loads((OWN_SAMPLES / "ptv_ikaihmiset_kanavat.json").read_text())[0]
    key = "ptv-" + channel["id"]
    for languages, expected in ((["fi", "SV", "se", "fi", "", 7], "fi,sv,se"), (["fi"], "fi")):
        channel["languages"] = languages
        with session_scope(staff_engine) as session:
            import_contents(session, "ptv", [json.dumps([channel]).encode()])
        with session_scope(staff_engine) as session:
            assert session.get(ServiceChannel, key).languages == expected
            assert validation.languages_error(expected) is None


def test_a_zip_bomb_is_refused_without_unpacking_it_whole(staff_engine, monkeypatch):
    import tracemalloc

    from bot.catalogue.exchange import csv_format

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # 200 MB of the same line, some 200 kB packed; the header is a real table's.
        archive.writestr("service.csv", "id\n" + "x\n" * (100 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with session_scope(staff_engine) as session, pytest.raises(ImportFailed) as failure:
            import_contents(session, "csv", [bomb])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "purettuna yli" in failure.value.errors[0]
    assert peak < 2 * csv_format.MAX_UNPACKED_BYTES + 50 * 1024 * 1024  # not all 200 MB


def test_a_zip_of_too_many_files_is_refused(staff_engine):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(60):
            archive.writestr(f"extra{n}.csv", "id\n")
    with session_scope(staff_engine) as session, pytest.raises(ImportFailed) as failure:
        import_contents(session, "csv", [buffer.getvalue()])
    assert "yli 50 tiedostoa" in failure.value.errors[0]
