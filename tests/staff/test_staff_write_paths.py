"""The admin, the API and the importer write the catalogue alike (``bot.catalogue.editing``):
the same invalid value is refused with the same Finnish message, and keywords are stored the
same way whichever path they came by."""

from __future__ import annotations

import html
import json

import pytest

from bot.catalogue import validation
from bot.catalogue.exchange.catalogue_data import ImportFailed
from bot.catalogue.exchange.files import export_bytes, import_contents
from bot.catalogue.models import Service, ServiceChannel
from bot.catalogue.search_index import keyword_list
from bot.db import session_scope

LINE = "palveluohjaus-kaakkois-puhelin"
M = validation.MESSAGES


def _document(engine) -> dict:
    with session_scope(engine) as session:
        return json.loads(export_bytes(session, "json"))


def _import(engine, document: dict) -> None:
    with session_scope(engine) as session:
        import_contents(session, "json", [json.dumps(document).encode()])


@pytest.mark.parametrize(("table", "key", "field", "value", "message"), [
    ("service_channel", LINE, "phone_number", "soita meille", M["phone"]),
    ("service_channel", LINE, "url", "www.lapha.fi", M["url"]),
    ("service_channel", LINE, "name_fi", "   ", M["finnish_name"]),
    ("service", "kotihoito", "fee_valid_to", "2020-01-01", M["date_order"]),
])
def test_the_same_invalid_value_is_refused_alike_everywhere(
        browser_for, api_client, staff_engine, table, key, field, value, message):
    changes = {field: value, "fee_valid_from": "2026-01-01"} if table == "service" else {
        field: value}
    path = {"service": "services", "service_channel": "channels"}[table]
    admin = browser_for("editor").submit(f"/admin/{table.replace('_', '-')}/edit/{key}",
                                         changes)
    assert admin.status_code == 400
    assert message in html.unescape(admin.text)

    api = api_client("editor").patch(f"/api/{path}/{key}", json=changes)
    assert api.status_code == 422
    assert api.json()["errors"][field] == message

    document = _document(staff_engine)
    row = next(r for r in document["tables"][table] if r["id"] == key)
    row.update(changes)
    with pytest.raises(ImportFailed) as failure:
        _import(staff_engine, document)
    assert failure.value.errors == [f"{table} {key}: {field}: {message}"]

    with session_scope(staff_engine) as session:
        model = {"service": Service, "service_channel": ServiceChannel}[table]
        assert getattr(session.get(model, key), field) != value


def test_keywords_are_stored_alike_from_every_path(browser_for, api_client, staff_engine):
    typed = "kylvetys, peseytyminen\n  sauna "
    admin = browser_for("editor").submit("/admin/service/create", {
        "name_fi": "Kylvetysapu hallinnasta", "keywords_fi": typed, "status": "draft",
        "area_type": "WholeCounty"})
    assert admin.status_code == 302, admin.text
    api = api_client("editor").post("/api/services", json={
        "name_fi": "Kylvetysapu rajapinnasta", "keywords_fi": typed})
    assert api.status_code == 201, api.text
    document = _document(staff_engine)
    document["tables"]["service"].append(dict(
        document["tables"]["service"][0], id="kylvetysapu-tuonnista",
        name_fi="Kylvetysapu tuonnista", ptv_id=None, keywords_fi=typed))
    _import(staff_engine, document)
    with session_scope(staff_engine) as session:
        stored = [session.get(Service, i).keywords_fi for i in (
            "kylvetysapu-hallinnasta", "kylvetysapu-rajapinnasta", "kylvetysapu-tuonnista")]
    assert stored == ["\n".join(keyword_list(typed))] * 3 == ["kylvetys\npeseytyminen\nsauna"] * 3


def test_the_admin_shows_an_editor_refusal_with_the_fields_label(browser_for, api_client):
    response = browser_for("editor").submit("/admin/service/create", {
        "name_fi": "Toinen kotihoito", "id": "kotihoito", "status": "draft",
        "area_type": "WholeCounty"})
    assert response.status_code == 400
    assert f"Tunniste: {M['key_taken']}" in html.unescape(response.text)
    # The API answers a taken id as it always has: 409.
    api = api_client("editor").post("/api/services", json={"id": "kotihoito",
                                                            "name_fi": "Toinen kotihoito"})
    assert api.status_code == 409
