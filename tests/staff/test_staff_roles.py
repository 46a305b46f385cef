"""Each role can do exactly what it may, in the admin and in the API; changes are audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.catalogue.models import Service, ServiceChannel
from bot.db import session_scope
from bot.staff.models import AuditEvent

CATALOGUE_LISTS = ["service", "service-channel", "weekly-opening-hours", "opening-exception",
                   "organization", "municipality", "service-area", "answer-phrase"]
ADMIN_LISTS = ["staff-user", "api-token", "audit-event"]
KAAKKOIS_LINE = "palveluohjaus-kaakkois-puhelin"  # Kaakkois-Lappi: Posio, Ranua, Rovaniemi
POHJOINEN_LINE = "palveluohjaus-pohjoinen-puhelin"

# role → (reads the catalogue, edits it, edits other areas, county-wide data, admin pages)
RULES = {
    "admin": (True, True, True, True, True),
    "editor": (True, True, True, True, False),
    "area_editor": (True, True, False, False, False),
    "viewer": (True, False, False, False, False),
}


def _phone(engine, channel_id):
    with session_scope(engine) as session:
        return session.get(ServiceChannel, channel_id).phone_number


@pytest.mark.parametrize("role", list(RULES))
def test_admin_pages_by_role(browser_for, role):
    reads, edits, _other_areas, county_wide, admin_pages = RULES[role]
    browser = browser_for(role)
    for name in CATALOGUE_LISTS:
        assert browser.get(f"/admin/{name}/list").status_code == (200 if reads else 403)
    for name in ADMIN_LISTS:
        assert browser.get(f"/admin/{name}/list").status_code == (200 if admin_pages else 403)
    assert browser.get("/admin/service/create").status_code == (200 if edits else 403)
    assert browser.get(f"/admin/service-channel/edit/{KAAKKOIS_LINE}").status_code == (
        200 if edits else 403)
    assert browser.get("/admin/organization/edit/lapha").status_code == (
        200 if county_wide else 403)
    assert browser.get("/admin/staff-user/create").status_code == (200 if admin_pages else 403)
    # The audit trail is written only by the system, for every role.
    assert browser.get("/admin/audit-event/create").status_code == 403
    menu = browser.get("/admin/").text
    assert ("Käyttäjät" in menu) == admin_pages
    assert ("Muutoshistoria" in menu) == admin_pages


@pytest.mark.parametrize("role", list(RULES))
def test_editing_a_phone_line_by_role(browser_for, staff_engine, role):
    _reads, edits, other_areas, _county, _admin = RULES[role]
    browser = browser_for(role)
    for channel, allowed in ((KAAKKOIS_LINE, edits), (POHJOINEN_LINE, other_areas)):
        path = f"/admin/service-channel/edit/{channel}"
        if allowed:
            response = browser.submit(path, {"phone_number": "040 765 4321"})
            assert response.status_code == 302, response.text
            assert _phone(staff_engine, channel) == "040 765 4321"
        else:
            before = _phone(staff_engine, channel)
            token = browser.token("/admin/")
            response = browser.client.post(path, data={"csrf_token": token,
                                                       "phone_number": "040 765 4321"})
            assert response.status_code == 403
            assert _phone(staff_engine, channel) == before


def test_an_area_editor_cannot_move_a_line_out_of_their_area(browser_for, staff_engine):
    browser = browser_for("area_editor")
    path = f"/admin/service-channel/edit/{KAAKKOIS_LINE}"
    response = browser.submit(path, {"service_area": "pohjoinen"})
    assert response.status_code == 400
    assert "oman palvelualueesi" in response.text
    with session_scope(staff_engine) as session:
        assert session.get(ServiceChannel, KAAKKOIS_LINE).service_area_id == "kaakkois"


@pytest.mark.parametrize("role", list(RULES))
def test_deleting_by_role(browser_for, staff_engine, role):
    browser = browser_for(role)
    headers = {"X-CSRF-Token": browser.token("/admin/")}
    response = browser.client.delete("/admin/service/delete?pks=kotihoito", headers=headers)
    # Services are retired, not deleted: only an administrator may delete one.
    assert response.status_code == (200 if role == "admin" else 403)
    with session_scope(staff_engine) as session:
        assert (session.get(Service, "kotihoito") is None) == (role == "admin")


@pytest.mark.parametrize("role", list(RULES))
def test_api_by_role(api_client, role):
    reads, edits, other_areas, county_wide, admin_pages = RULES[role]
    client = api_client(role)
    assert client.get("/api/services").status_code == (200 if reads else 403)
    assert client.get("/api/export").status_code == (200 if reads else 403)
    me = client.get("/api/me").json()
    assert me["role"] == ("editor" if role == "area_editor" else role)
    for channel, allowed in ((KAAKKOIS_LINE, edits), (POHJOINEN_LINE, other_areas)):
        response = client.patch(f"/api/channels/{channel}", json={"phone_number": "016 322 111"})
        assert response.status_code == (200 if allowed else 403), response.text
    response = client.patch("/api/phrases/contact_intro", json={"text_fi": "Soita meille:"})
    assert response.status_code == (200 if county_wide else 403)
    document = client.get("/api/export").json() if reads else {}
    response = client.post("/api/import", json=document)
    assert response.status_code == (200 if admin_pages else 403)


def test_changes_are_audited_with_before_and_after(browser_for, staff_engine, accounts):
    browser = browser_for("editor")
    before = _phone(staff_engine, KAAKKOIS_LINE)
    browser.submit(f"/admin/service-channel/edit/{KAAKKOIS_LINE}", {"phone_number": "040 1"})
    assert _phone(staff_engine, KAAKKOIS_LINE) == before  # refused: not a Finnish number
    browser.submit(f"/admin/service-channel/edit/{KAAKKOIS_LINE}",
                   {"phone_number": "040 765 4321"})
    with session_scope(staff_engine) as session:
        event = session.execute(select(AuditEvent).where(
            AuditEvent.action == "update", AuditEvent.entity_id == KAAKKOIS_LINE)).scalar_one()
    assert event.actor_email == accounts["editor"].email
    assert event.source == "admin"
    assert json.loads(event.before) == {"phone_number": before}
    assert json.loads(event.after) == {"phone_number": "040 765 4321"}

    admin = browser_for("admin")
    listing = admin.get("/admin/audit-event/list?entity_type=service_channel").text
    assert KAAKKOIS_LINE in listing
    assert "<td>update</td>" in listing
    assert "<td>login_success</td>" not in listing
    details = admin.get(f"/admin/audit-event/details/{event.id}").text
    assert "040 765 4321" in details and before in details


def test_api_changes_are_audited_as_api(api_client, staff_engine, accounts):
    api_client("editor").patch(f"/api/channels/{KAAKKOIS_LINE}",
                               json={"phone_number": "016 322 111"})
    with session_scope(staff_engine) as session:
        event = session.execute(select(AuditEvent).where(
            AuditEvent.entity_id == KAAKKOIS_LINE)).scalar_one()
    assert (event.source, event.actor_email) == ("api", accounts["editor"].email)
