"""Accounts and the gate: anonymous users get nothing, forms need their token, wrong passwords
throttle, sessions expire, cookies are locked down, passwords are argon2id hashes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.db import session_scope, utcnow
from bot.staff.accounts import TEXTS as ACCOUNT_TEXTS
from bot.staff.accounts import open_session, session_user
from bot.staff.models import AuditEvent, StaffSession, StaffUser
from bot.staff.settings import StaffSettings
from bot.staff.web_security import TEXTS as GATE_TEXTS
from tests.staff.conftest import make_app

ADMIN_PAGES = [
    "/admin/", "/admin/service/list", "/admin/service/details/kotihoito",
    "/admin/service/edit/kotihoito", "/admin/service/create", "/admin/service/preview/kotihoito",
    "/admin/service-channel/list", "/admin/weekly-opening-hours/list",
    "/admin/opening-exception/list", "/admin/organization/list", "/admin/municipality/list",
    "/admin/service-area/list", "/admin/answer-phrase/list", "/admin/staff-user/list",
    "/admin/api-token/list", "/admin/audit-event/list", "/admin/service/export/csv",
    "/admin/service/ajax/lookup?name=organization&term=a",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_gets_only_the_sign_in_page(browser_for, path):
    response = browser_for(None).get(path)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")


def test_anonymous_cannot_post_even_with_a_token(browser_for):
    browser = browser_for(None)
    token = browser.token()
    response = browser.client.post("/admin/service-channel/edit/palveluohjaus-kaakkois-puhelin",
                                   data={"phone_number": "040 123 4567", "csrf_token": token})
    assert response.status_code == 401
    assert response.text == GATE_TEXTS["signed_out"]


def test_anonymous_api_gets_401(api_client):
    client = api_client(None)
    for path in ("/api/services", "/api/me", "/api/export"):
        assert client.get(path).status_code == 401
    bad = TestClient(client.app, headers={"Authorization": "Bearer ikn_not-a-real-token"})
    assert bad.get("/api/services").status_code == 401


def test_sign_in_and_out(browser_for, accounts):
    browser = browser_for("editor")
    assert browser.get("/admin/service/list").status_code == 200
    assert browser.logout().status_code == 302
    assert browser.get("/admin/service/list").status_code == 302


def test_a_post_without_the_form_token_is_refused(browser_for):
    browser = browser_for("admin")
    path = "/admin/service-channel/edit/palveluohjaus-kaakkois-puhelin"
    fields = dict(browser.form_fields(path))
    fields.pop("csrf_token")
    fields["phone_number"] = "040 999 9999"
    response = browser.client.post(path, data={**fields, "save": "Save"})
    assert response.status_code == 403
    assert response.text == GATE_TEXTS["csrf"]
    fields["csrf_token"] = "0" * 64
    assert browser.client.post(path, data={**fields, "save": "Save"}).status_code == 403
    # JavaScript requests (deletes) need the header instead.
    assert browser.client.delete("/admin/weekly-opening-hours/delete?pks=1").status_code == 403


def test_the_sign_in_form_needs_its_token_too(browser_for, accounts):
    browser = browser_for(None)
    browser.token()  # the cookie is set, but the form field is missing
    response = browser.client.post("/admin/login", data={
        "username": accounts["admin"].email, "password": accounts["admin"].password})
    assert response.status_code == 403


def test_wrong_passwords_slow_the_next_attempts_down(browser_for, accounts, staff_engine,
                                                    staff_settings):
    browser = browser_for(None)
    email = accounts["viewer"].email
    for _ in range(staff_settings.free_failures_per_account_and_address):
        response = browser.login(email, "väärä salasana")
        assert response.status_code == 400
        assert ACCOUNT_TEXTS["bad_credentials"] in response.text
    # The next attempt right away must wait, even with the right password: a moment, not
    # fifteen minutes.
    response = browser.login(email, accounts["viewer"].password)
    assert response.status_code == 429
    assert "Odota sekunti" in response.text or "Odota 1 sekuntia" in response.text
    # Other accounts are not held up by it.
    assert browser_for(None).login(accounts["editor"].email, PASSWORD).status_code == 302
    with session_scope(staff_engine) as session:
        failures = session.execute(select(AuditEvent).where(
            AuditEvent.action == "login_failed", AuditEvent.actor_email == email)).scalars().all()
        successes = session.execute(select(AuditEvent).where(
            AuditEvent.action == "login_success")).scalars().all()
    assert len(failures) == staff_settings.free_failures_per_account_and_address + 1
    assert [f.summary for f in failures].count("throttled") == 1
    assert any(s.actor_email == accounts["editor"].email for s in successes)


def failed(session, email: str, address: str | None, at, count: int = 1) -> None:
    for _ in range(count):
        session.add(AuditEvent(action="login_failed", source="admin", actor_email=email,
                               ip_address=address, at=at))


def test_each_failure_past_the_free_ones_doubles_the_wait(staff_engine, accounts,
                                                          staff_settings):
    from bot.staff.accounts import sign_in_wait

    email, address = accounts["viewer"].email, "198.51.100.7"
    now = utcnow()
    waits = []
    with session_scope(staff_engine) as session:
        failed(session, email, address, now,
               staff_settings.free_failures_per_account_and_address - 1)
        for _ in range(6):
            failed(session, email, address, now)
            session.flush()
            waits.append(sign_in_wait(session, email, address, staff_settings, now=now))
    assert [w.total_seconds() for w in waits] == [1, 2, 4, 8, 16, 32]
    # Capped, and over once the window has passed without failures.
    with session_scope(staff_engine) as session:
        failed(session, email, address, now, 20)
        session.flush()
        assert sign_in_wait(session, email, address, staff_settings, now=now) == (
            staff_settings.max_wait)
        later = now + staff_settings.failure_window + timedelta(seconds=1)
        assert sign_in_wait(session, email, address, staff_settings, now=later) == timedelta(0)


def test_someone_guessing_from_elsewhere_cannot_lock_the_owner_out(staff_engine, accounts,
                                                                   staff_settings):
    from bot.staff.accounts import sign_in_wait

    email, own, other = accounts["viewer"].email, "198.51.100.7", "203.0.113.66"
    now = utcnow()
    with session_scope(staff_engine) as session:
        session.add(AuditEvent(action="login_success", source="admin", actor_email=email,
                               ip_address=own, at=now - timedelta(days=3)))
        failed(session, email, other, now, 200)  # a guessing script, going on right now
        session.flush()
        # The guesser waits the longest; the owner, from the address they use, not at all;
        # from a new address at most a minute: slowed, never locked.
        assert sign_in_wait(session, email, other, staff_settings, now=now) == (
            staff_settings.max_wait)
        assert sign_in_wait(session, email, own, staff_settings, now=now) == timedelta(0)
        assert sign_in_wait(session, email, "192.0.2.1", staff_settings, now=now) == (
            staff_settings.max_account_wait)


def test_one_address_guessing_many_accounts_is_slowed_for_all_of_them(staff_engine, accounts,
                                                                      staff_settings):
    from bot.staff.accounts import sign_in_wait

    address, now = "203.0.113.99", utcnow()
    with session_scope(staff_engine) as session:
        for n in range(staff_settings.free_failures_per_address + 2):
            failed(session, f"guess{n}@lapha.example", address, now)
        session.flush()
        assert sign_in_wait(session, accounts["admin"].email, address, staff_settings,
                            now=now) == timedelta(seconds=4)
        assert sign_in_wait(session, accounts["admin"].email, "198.51.100.8", staff_settings,
                            now=now) == timedelta(0)


def test_sessions_expire_when_idle_and_after_their_maximum_age(staff_engine, accounts,
                                                               staff_settings):
    with session_scope(staff_engine) as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.email == accounts["editor"].email)).scalar_one()
        token = open_session(session, user, staff_settings)
    with session_scope(staff_engine) as session:
        assert session_user(session, token, staff_settings) is not None
    with session_scope(staff_engine) as session:
        idle = utcnow() + staff_settings.session_idle + timedelta(minutes=1)
        assert session_user(session, token, staff_settings, now=idle) is None
        # An expired session is removed, not just refused.
        assert session.execute(select(StaffSession)).scalars().all() == []
    with session_scope(staff_engine) as session:
        token = open_session(session, user, staff_settings)
        session.flush()
        stored = session.execute(select(StaffSession)).scalar_one()
        stored.last_seen_at = utcnow() + staff_settings.session_absolute
    with session_scope(staff_engine) as session:
        too_old = utcnow() + staff_settings.session_absolute + timedelta(minutes=1)
        assert session_user(session, token, staff_settings, now=too_old) is None


def test_cookies_are_httponly_samesite_and_secure(staff_engine, accounts):
    settings = StaffSettings(secret_key="k" * 40, cookie_secure=True)
    client = TestClient(make_app(staff_engine, settings), base_url="https://testserver",
                        follow_redirects=False)
    page = client.get("/admin/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/admin/login", data={
        "username": accounts["admin"].email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    cookies = page.headers.get_list("set-cookie") + response.headers.get_list("set-cookie")
    assert any(c.startswith("ikaneuvo_staff=") for c in cookies)
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered
        assert "path=/admin" in lowered
    assert client.get("/admin/service/list").status_code == 200


def test_passwords_are_argon2id_hashes(staff_engine, accounts):
    with session_scope(staff_engine) as session:
        hashes = session.execute(select(StaffUser.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_cli_creates_the_first_admin_from_standard_input(tmp_path, monkeypatch, capsys):
    from bot.cli import main
    from bot.db import get_engine
    from bot.staff.accounts import sign_in

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO("ensimmäinen-salasana\n"))
    main(["user", "create", "--role", "admin", "Paakayttaja@Lapha.example"])
    assert "rooli admin" in capsys.readouterr().out
    settings = StaffSettings(secret_key="k" * 40)
    with session_scope(get_engine(url)) as session:
        assert sign_in(session, "paakayttaja@lapha.example", "ensimmäinen-salasana",
                       settings).user is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("lyhyt\n"))
    with pytest.raises(SystemExit):
        main(["user", "create", "--role", "admin", "toinen@lapha.example"])


PASSWORD = "pitka-ja-hyva-salasana"
