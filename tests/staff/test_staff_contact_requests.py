"""Contact requests in the staff admin: each sees their own area's, marks them handled (audited,
with the form token), viewers only read, nobody anonymous; the purge command for cron."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.contact_requests.store import NewContactRequest, mark_handled, save_request
from bot.db import session_scope, utcnow
from bot.staff.models import AuditEvent
from bot.staff.web_security import TEXTS as GATE_TEXTS
from tests.staff.browser import as_form_data, forms

LIST = "/admin/contact-request/list"
ROVANIEMI, INARI = "698", "148"  # service areas kaakkois and pohjoinen


def _request(engine, municipality: str, name: str, phone: str) -> tuple[int, str]:
    with session_scope(engine) as session:
        stored = save_request(session, NewContactRequest(
            municipality_code=municipality, for_whom="mother", topic="Äiti ei enää pärjää kotona",
            name=name, phone=phone, preferred_time="aamupäivällä", consent_given=True))
        return stored.id, stored.reference


@pytest.fixture
def requests(staff_engine) -> dict[str, tuple[int, str]]:
    return {
        "kaakkois": _request(staff_engine, ROVANIEMI, "Kaisa Kaakkoinen", "040 111 2233"),
        "pohjoinen": _request(staff_engine, INARI, "Pekka Pohjoinen", "050 444 5566"),
    }


def _status(engine, request_id: int) -> ContactRequest:
    with session_scope(engine) as session:
        return session.get(ContactRequest, request_id)


def _handle_form(browser, request_id: int) -> dict | None:
    page = browser.get(f"/admin/contact-request/details/{request_id}")
    assert page.status_code == 200
    found = [f for f in forms(page.text) if f["action"].endswith(f"/handle/{request_id}")]
    return found[0] if found else None


def _handle_path(request_id: int) -> str:
    return f"/admin/contact-request/handle/{request_id}"


def test_an_area_editor_lists_only_their_own_areas_requests(browser_for, requests):
    (own_id, own_ref), (other_id, other_ref) = requests["kaakkois"], requests["pohjoinen"]
    browser = browser_for("area_editor")
    page = browser.get(LIST)
    assert page.status_code == 200
    assert own_ref in page.text and "Kaisa Kaakkoinen" in page.text
    assert 'href="tel:+358401112233"' in page.text
    assert other_ref not in page.text and "Pekka Pohjoinen" not in page.text
    # Not by the filter, the details page or a search either.
    assert other_ref not in browser.get(f"{LIST}?palvelualue=pohjoinen").text
    assert "Pohjoisen Lapin palvelualue" not in page.text
    assert browser.get(f"/admin/contact-request/details/{other_id}").status_code == 404
    assert "Pekka Pohjoinen" not in browser.get(f"{LIST}?search={other_ref}").text
    assert browser.get(f"/admin/contact-request/details/{own_id}").status_code == 200


def test_an_editor_for_the_whole_county_filters_by_area_status_and_reference(browser_for,
                                                                             requests,
                                                                             staff_engine):
    (own_id, own_ref), (_other_id, other_ref) = requests["kaakkois"], requests["pohjoinen"]
    browser = browser_for("editor")
    page = browser.get(LIST).text
    assert "Yhteydenottopyynnöt" in page
    assert own_ref in page and other_ref in page
    assert "Pohjoisen Lapin palvelualue" in page  # offered as a filter
    north = browser.get(f"{LIST}?palvelualue=pohjoinen").text
    assert other_ref in north and own_ref not in north
    found = browser.get(f"{LIST}?search={own_ref.lower()}").text
    assert own_ref in found and other_ref not in found
    with session_scope(staff_engine) as session:
        mark_handled(session, own_id, "toinen@lapha.example")
    handled = browser.get(f"{LIST}?status=handled").text
    assert own_ref in handled and other_ref not in handled
    waiting = browser.get(f"{LIST}?status=new").text
    assert other_ref in waiting and own_ref not in waiting


def test_newest_first(browser_for, staff_engine, requests):
    with session_scope(staff_engine) as session:
        session.get(ContactRequest, requests["kaakkois"][0]).created_at = (
            utcnow() - timedelta(days=2))
    page = browser_for("admin").get(LIST).text
    assert page.index(requests["pohjoinen"][1]) < page.index(requests["kaakkois"][1])


@pytest.mark.parametrize("role", ["area_editor", "editor", "admin"])
def test_marking_handled_is_recorded_and_audited(browser_for, staff_engine, accounts,
                                                 requests, role, caplog):
    request_id, reference = requests["kaakkois"]
    browser = browser_for(role)
    form = _handle_form(browser, request_id)
    assert form is not None and form["method"] == "post"
    with caplog.at_level(logging.DEBUG):
        response = browser.client.post(form["action"], data=as_form_data(form["fields"]))
    assert response.status_code == 302
    assert response.headers["location"].endswith(f"/admin/contact-request/details/{request_id}")
    stored = _status(staff_engine, request_id)
    assert stored.status == RequestStatus.handled
    assert stored.handled_by == accounts[role].email
    assert stored.handled_at is not None
    for personal in ("Kaisa Kaakkoinen", "+358401112233", "040 1112233", "pärjää"):
        assert personal not in caplog.text

    with session_scope(staff_engine) as session:
        event = session.execute(select(AuditEvent).where(
            AuditEvent.entity_type == "contact_request",
            AuditEvent.action != "read")).scalar_one()
    assert (event.action, event.entity_id, event.summary) == (
        "handled", str(request_id), reference)
    assert (event.actor_email, event.source) == (accounts[role].email, "admin")
    assert json.loads(event.before) == {"status": "new"}
    after = json.loads(event.after)
    assert (after["status"], after["handled_by"]) == ("handled", accounts[role].email)
    assert "Kaisa" not in event.after and "358" not in event.after

    # The button is gone; a second post changes nothing and records nothing more.
    assert _handle_form(browser, request_id) is None
    token = browser.token("/admin/")
    assert browser.client.post(_handle_path(request_id),
                               data={"csrf_token": token}).status_code == 302
    with session_scope(staff_engine) as session:
        assert len(session.execute(select(AuditEvent).where(
            AuditEvent.entity_type == "contact_request",
            AuditEvent.action != "read")).all()) == 1


def _assert_cannot_handle(browser, staff_engine, request_id: int) -> None:
    """Posting "handled" directly, without the page's button, is refused and changes nothing."""
    token = browser.token("/admin/")
    response = browser.client.post(_handle_path(request_id), data={"csrf_token": token})
    assert response.status_code == 403
    assert _status(staff_engine, request_id).status == RequestStatus.new


def test_an_area_editor_cannot_handle_another_areas_request(browser_for, staff_engine,
                                                            requests):
    other_id = requests["pohjoinen"][0]
    _assert_cannot_handle(browser_for("area_editor"), staff_engine, other_id)


def test_a_viewer_reads_but_cannot_mark_handled(browser_for, staff_engine, requests):
    request_id, reference = requests["kaakkois"]
    browser = browser_for("viewer")
    page = browser.get(LIST)
    assert page.status_code == 200 and reference in page.text
    assert requests["pohjoinen"][1] in page.text
    assert _handle_form(browser, request_id) is None
    assert "Merkitse hoidetuksi" not in browser.get(
        f"/admin/contact-request/details/{request_id}").text
    _assert_cannot_handle(browser, staff_engine, request_id)


def test_anonymous_gets_nothing(browser_for, staff_engine, requests):
    request_id, reference = requests["kaakkois"]
    browser = browser_for(None)
    for path in (LIST, f"/admin/contact-request/details/{request_id}"):
        response = browser.get(path)
        assert response.status_code == 302
        assert response.headers["location"].endswith("/admin/login")
        assert reference not in response.text
    token = browser.token()
    response = browser.client.post(_handle_path(request_id), data={"csrf_token": token})
    assert response.status_code == 401
    assert response.text == GATE_TEXTS["signed_out"]
    assert _status(staff_engine, request_id).status == RequestStatus.new


def test_marking_handled_without_the_form_token_is_refused(browser_for, staff_engine,
                                                           requests):
    request_id = requests["kaakkois"][0]
    browser = browser_for("editor")
    response = browser.client.post(_handle_path(request_id), data={})
    assert response.status_code == 403
    assert response.text == GATE_TEXTS["csrf"]
    forged = browser.client.post(_handle_path(request_id), data={"csrf_token": "0" * 64})
    assert forged.status_code == 403
    # A GET does not change anything either.
    assert browser.get(_handle_path(request_id)).status_code == 405
    assert _status(staff_engine, request_id).status == RequestStatus.new


def test_no_creating_editing_or_exporting(browser_for, requests):
    request_id = requests["kaakkois"][0]
    browser = browser_for("admin")
    assert browser.get("/admin/contact-request/create").status_code == 403
    assert browser.get(f"/admin/contact-request/edit/{request_id}").status_code == 403
    assert browser.get("/admin/contact-request/export/csv").status_code == 403


@pytest.mark.parametrize("role", ["area_editor", "editor", "viewer", "admin"])
def test_only_admins_delete(browser_for, staff_engine, requests, role):
    request_id, reference = requests["kaakkois"]
    browser = browser_for(role)
    headers = {"X-CSRF-Token": browser.token("/admin/")}
    response = browser.client.delete(f"/admin/contact-request/delete?pks={request_id}",
                                     headers=headers)
    assert response.status_code == (200 if role == "admin" else 403)
    with session_scope(staff_engine) as session:
        assert (session.get(ContactRequest, request_id) is None) == (role == "admin")
        # Changes only: the front page that gave the form token is a read in the trail.
        events = session.execute(select(AuditEvent).where(
            AuditEvent.entity_type == "contact_request", AuditEvent.action != "read")
        ).scalars().all()
    if role == "admin":
        [event] = events
        assert (event.action, event.summary) == ("delete", reference)
        assert "Kaisa" not in event.before and "358" not in event.before
    else:
        assert events == []


def test_purge_command_deletes_requests_past_retention_and_says_so_in_the_trail(
        staff_engine, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", str(staff_engine.url))
    monkeypatch.setenv("CONTACT_REQUEST_RETENTION_DAYS", "10")
    now = utcnow()
    ids = {}
    for key in ("old_handled", "recent_handled", "old_waiting", "recent_waiting"):
        ids[key] = _request(staff_engine, ROVANIEMI, "Testi Henkilö", "040 000 0099")[0]
    with session_scope(staff_engine) as session:
        for key, handled_days_ago in (("old_handled", 11), ("recent_handled", 9)):
            mark_handled(session, ids[key], "editor@lapha.example")
            session.get(ContactRequest, ids[key]).handled_at = now - timedelta(
                days=handled_days_ago)
        # Unhandled for longer than the retention: its personal data goes all the same.
        session.get(ContactRequest, ids["old_waiting"]).created_at = now - timedelta(days=11)
        session.get(ContactRequest, ids["recent_waiting"]).created_at = now - timedelta(days=9)

    main(["contact-requests", "purge"])
    assert capsys.readouterr().out.strip() == (
        "Deleted 1 handled and 1 unhandled contact request(s) older than 10 days.")
    with session_scope(staff_engine) as session:
        left = set(session.execute(select(ContactRequest.id)).scalars())
        event = session.execute(select(AuditEvent).where(
            AuditEvent.action == "purge")).scalar_one()
    assert left == {ids["recent_handled"], ids["recent_waiting"]}
    assert (event.source, json.loads(event.after)) == (
        "cli", {"handled": 1, "unhandled": 1, "retention_days": 10})
    assert "Testi" not in (event.summary or "") + (event.after or "")

    main(["contact-requests", "purge"])
    assert "Deleted 0 " in capsys.readouterr().out


def test_every_read_leaves_a_row_in_the_audit_trail_without_personal_data(browser_for,
                                                                          requests,
                                                                          staff_engine,
                                                                          accounts):
    (own_id, own_ref), (_other_id, other_ref) = requests["kaakkois"], requests["pohjoinen"]
    browser = browser_for("area_editor")
    browser.get(LIST)
    browser.get(f"/admin/contact-request/details/{own_id}")
    with session_scope(staff_engine) as session:
        reads = session.execute(select(AuditEvent).where(
            AuditEvent.action == "read").order_by(AuditEvent.id)).scalars().all()
    assert [json.loads(r.after)["view"] for r in reads] == ["list", "details"]
    assert all(r.actor_email == accounts["area_editor"].email for r in reads)
    assert json.loads(reads[0].after)["references"] == [own_ref]  # what the page showed
    assert reads[1].entity_id == str(own_id) and own_ref in reads[1].summary
    trail = " ".join(f"{r.summary} {r.after}" for r in reads)
    assert other_ref not in trail
    for personal in ("Kaisa", "Kaakkoinen", "040", "Äiti"):
        assert personal not in trail
