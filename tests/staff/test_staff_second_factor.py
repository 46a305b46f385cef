"""The optional second factor (TOTP): turned on only with a valid code, asked for after the
password, good once, throttled like wrong passwords, reset by an administrator (audited),
required of administrators where the settings say so; API tokens are not affected."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

import pyotp
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.db import session_scope, utcnow
from bot.staff.models import AuditEvent, StaffSession, StaffUser
from bot.staff.second_factor import TEXTS
from bot.staff.secret_box import SealBroken, open_seal, seal
from tests.staff.browser import StaffBrowser, as_form_data, forms
from tests.staff.conftest import SETTINGS, make_app

ACCOUNT = "/admin/account"
CODE_PAGE = "/admin/login/code"


def _user(session, email: str) -> StaffUser:
    return session.execute(select(StaffUser).where(StaffUser.email == email)).scalar_one()


def factor_on(engine, email: str) -> str:
    """Give the account a second factor as if its owner had set one up; its secret."""
    secret = pyotp.random_base32()
    with session_scope(engine) as session:
        user = _user(session, email)
        user.totp_secret, user.totp_enabled_at = seal(SETTINGS.totp_key, secret), utcnow()
    return secret


def wrong_code(secret: str) -> str:
    """A code that none of the accepted steps has."""
    totp, now = pyotp.TOTP(secret), time.time()
    taken = {totp.at(now + offset) for offset in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in taken)


def send_code(browser: StaffBrowser, code: str):
    # The form token is the browser's, the same on every page (the code page may be gone).
    return browser.client.post(CODE_PAGE, data={"code": code, "csrf_token": browser.token()})


def sign_in_with_password(browser_for, accounts, name: str) -> StaffBrowser:
    browser = browser_for(None)
    response = browser.login(accounts[name].email, accounts[name].password)
    assert response.status_code == 302
    assert response.headers["location"].endswith(CODE_PAGE)
    return browser


def post_account(browser: StaffBrowser, action: str, code: str | None = None):
    data = {"action": action, "csrf_token": browser.token(ACCOUNT)}
    if code is not None:
        data["code"] = code
    return browser.client.post(ACCOUNT, data=data)


def shown_secret(page: str) -> str:
    return re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def trail(engine, *actions: str) -> list[AuditEvent]:
    with session_scope(engine) as session:
        return session.execute(select(AuditEvent).where(AuditEvent.action.in_(actions))
                               .order_by(AuditEvent.id)).scalars().all()


# --- turning it on -------------------------------------------------------------------------

def test_turning_it_on_needs_a_valid_code_from_the_app(browser_for, staff_engine, accounts):
    browser = browser_for("admin")
    page = browser.get(ACCOUNT)
    assert page.status_code == 200 and 'id="second-factor-off"' in page.text
    assert post_account(browser, "start").status_code == 302
    page = browser.get(ACCOUNT).text
    secret = shown_secret(page)
    uri = re.search(r'id="totp-uri"[^>]*>([^<]+)<', page).group(1).replace("&amp;", "&")
    assert pyotp.parse_uri(uri).secret == secret
    assert "admin%40lapha.example" in uri and "issuer=Ik%C3%A4neuvo" in uri

    for code in (wrong_code(secret), "12345", "kuusi"):
        refused = post_account(browser, "confirm", code)
        assert refused.status_code == 400
        assert TEXTS["code_wrong"] in refused.text or TEXTS["code_format"] in refused.text
    with session_scope(staff_engine) as session:
        user = _user(session, accounts["admin"].email)
        assert user.totp_secret is None and user.totp_pending_secret is not None

    confirmed = post_account(browser, "confirm", pyotp.TOTP(secret).now())
    assert confirmed.status_code == 302
    assert 'id="second-factor-on"' in browser.get(confirmed.headers["location"]).text
    with session_scope(staff_engine) as session:
        user = _user(session, accounts["admin"].email)
        stored, pending = user.totp_secret, user.totp_pending_secret
    # Stored sealed, never as it is; the trail says it was turned on and holds no secret.
    assert pending is None and secret not in stored
    assert open_seal(SETTINGS.totp_key, stored) == secret
    [event] = trail(staff_engine, "second_factor_on")
    assert event.actor_email == accounts["admin"].email
    with session_scope(staff_engine) as session:
        every_row = " ".join(f"{e.summary} {e.before} {e.after}" for e in
                             session.execute(select(AuditEvent)).scalars())
    assert secret not in every_row and stored not in every_row


def test_any_staff_member_may_turn_it_on_and_off_again_with_a_code(browser_for, staff_engine,
                                                                   accounts):
    browser = browser_for("viewer")
    post_account(browser, "start")
    secret = shown_secret(browser.get(ACCOUNT).text)
    totp = pyotp.TOTP(secret)
    assert post_account(browser, "confirm", totp.now()).status_code == 302
    assert TEXTS["already_on"] in post_account(browser, "start").text
    # The confirming code is used up: turning it off takes the next one.
    assert post_account(browser, "off", wrong_code(secret)).status_code == 400
    assert TEXTS["code_used"] in post_account(browser, "off", totp.now()).text
    assert post_account(browser, "off", totp.at(time.time() + 30)).status_code == 302
    with session_scope(staff_engine) as session:
        assert _user(session, accounts["viewer"].email).totp_secret is None
    assert [e.actor_email for e in trail(staff_engine, "second_factor_off")] == [
        accounts["viewer"].email]


# --- signing in ----------------------------------------------------------------------------

def test_signing_in_needs_the_code_after_the_password(browser_for, staff_engine, accounts,
                                                      api_client):
    secret = factor_on(staff_engine, accounts["admin"].email)
    browser = sign_in_with_password(browser_for, accounts, "admin")
    # The password alone opens nothing.
    for path in ("/admin/", "/admin/service/list", "/admin/staff-user/list", ACCOUNT):
        response = browser.get(path)
        assert response.status_code == 302 and response.headers["location"].endswith(
            "/admin/login"), path
    page = browser.get(CODE_PAGE)
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text
    # Without a code, and with a wrong one: still signed out.
    for code in ("", wrong_code(secret)):
        refused = send_code(browser, code)
        assert refused.status_code == 400
        assert browser.get("/admin/service/list").status_code == 302
    with session_scope(staff_engine) as session:
        waiting = session.execute(select(StaffSession)).scalar_one()
        assert waiting.awaiting_code
    assert send_code(browser, pyotp.TOTP(secret).now()).status_code == 302
    assert browser.get("/admin/staff-user/list").status_code == 200
    with session_scope(staff_engine) as session:
        [signed_in] = session.execute(select(StaffSession)).scalars().all()
        assert not signed_in.awaiting_code and signed_in.id != waiting.id  # a new token
    actions = [e.action for e in trail(staff_engine, "login_password_ok", "login_failed",
                                       "login_success")
               if e.actor_email == accounts["admin"].email]
    assert actions == ["login_password_ok", "login_failed", "login_failed", "login_success"]
    # API tokens are a credential of their own: the second factor does not touch them.
    assert api_client("admin").get("/api/me").status_code == 200


def test_a_code_is_good_only_once(browser_for, staff_engine, accounts):
    secret = factor_on(staff_engine, accounts["editor"].email)
    code = pyotp.TOTP(secret).now()
    first = sign_in_with_password(browser_for, accounts, "editor")
    assert send_code(first, code).status_code == 302
    second = sign_in_with_password(browser_for, accounts, "editor")
    reused = send_code(second, code)
    assert reused.status_code == 400 and TEXTS["code_used"] in reused.text
    assert second.get("/admin/service/list").status_code == 302
    [failure] = [e for e in trail(staff_engine, "login_failed")]
    assert failure.summary == "code_used"
    # The app's next code does it.
    assert send_code(second, pyotp.TOTP(secret).at(time.time() + 30)).status_code == 302
    assert second.get("/admin/service/list").status_code == 200


def test_wrong_codes_slow_the_next_attempts_like_wrong_passwords(browser_for, staff_engine,
                                                                 accounts, staff_settings):
    secret = factor_on(staff_engine, accounts["viewer"].email)
    browser = sign_in_with_password(browser_for, accounts, "viewer")
    for _ in range(staff_settings.free_failures_per_account_and_address):
        assert send_code(browser, wrong_code(secret)).status_code == 400
    # Now even the right code must wait, and signing in again with the password too.
    waited = send_code(browser, pyotp.TOTP(secret).now())
    assert waited.status_code == 429 and "Odota" in waited.text
    assert browser.get("/admin/service/list").status_code == 302
    again = browser_for(None).login(accounts["viewer"].email, accounts["viewer"].password)
    assert again.status_code == 429
    summaries = [e.summary for e in trail(staff_engine, "login_failed")]
    assert summaries == ["code"] * 3 + ["throttled", "throttled"]


def test_the_code_page_without_a_right_password_goes_back_to_signing_in(browser_for,
                                                                        staff_engine):
    browser = browser_for(None)
    page = browser.get(CODE_PAGE)
    assert page.status_code == 302 and page.headers["location"].endswith("/admin/login")
    refused = browser.client.post(CODE_PAGE, data={"code": "123456",
                                                   "csrf_token": browser.token()})
    assert refused.status_code == 400 and TEXTS["code_expired"] in refused.text


def test_a_password_waits_for_its_code_only_a_few_minutes(browser_for, staff_engine,
                                                          accounts):
    secret = factor_on(staff_engine, accounts["admin"].email)
    browser = sign_in_with_password(browser_for, accounts, "admin")
    with session_scope(staff_engine) as session:
        waiting = session.execute(select(StaffSession)).scalar_one()
        assert waiting.expires_at - waiting.created_at == SETTINGS.code_wait
        waiting.expires_at = utcnow()
    expired = send_code(browser, pyotp.TOTP(secret).now())
    assert expired.status_code == 400 and TEXTS["code_expired"] in expired.text
    assert browser.get("/admin/").status_code == 302


# --- resetting it --------------------------------------------------------------------------

def test_an_admin_resets_someone_elses_second_factor_and_the_trail_says_so(
        browser_for, staff_engine, accounts):
    secret = factor_on(staff_engine, accounts["area_editor"].email)
    owner = sign_in_with_password(browser_for, accounts, "area_editor")
    assert send_code(owner, pyotp.TOTP(secret).now()).status_code == 302
    with session_scope(staff_engine) as session:
        user_id = _user(session, accounts["area_editor"].email).id
    details = f"/admin/staff-user/details/{user_id}"
    reset_path = f"/admin/staff-user/second-factor-reset/{user_id}"

    # Nobody but an administrator may.
    editor = browser_for("editor")
    assert editor.client.post(reset_path, data={
        "csrf_token": editor.token("/admin/")}).status_code == 403
    admin = browser_for("admin")
    page = admin.get(details).text
    assert "käytössä" in page and secret not in page
    [form] = [f for f in forms(page) if f["action"].endswith(reset_path)]
    response = admin.client.post(form["action"], data=as_form_data(form["fields"]))
    assert response.status_code == 302

    with session_scope(staff_engine) as session:
        user = _user(session, accounts["area_editor"].email)
        assert user.totp_secret is None and user.totp_last_step is None
    assert owner.get("/admin/service/list").status_code == 302  # signed out everywhere
    [event] = trail(staff_engine, "second_factor_reset")
    assert (event.actor_email, event.source, event.entity_id) == (
        accounts["admin"].email, "admin", str(user_id))
    assert json.loads(event.before) == {"second_factor": True}
    assert "Poista kaksivaiheinen" not in admin.get(details).text
    # The password alone signs in again.
    assert browser_for("area_editor").get("/admin/service/list").status_code == 200


def test_the_command_line_turns_it_off_when_nobody_can_sign_in(staff_engine, accounts,
                                                               monkeypatch, capsys):
    from bot.cli import main

    factor_on(staff_engine, accounts["admin"].email)
    monkeypatch.setenv("DATABASE_URL", str(staff_engine.url))
    main(["user", "second-factor-off", accounts["admin"].email])
    assert "poistettu käytöstä" in capsys.readouterr().out
    with session_scope(staff_engine) as session:
        assert _user(session, accounts["admin"].email).totp_secret is None
    [event] = trail(staff_engine, "second_factor_reset")
    assert event.source == "cli"


# --- required of administrators ------------------------------------------------------------

def test_where_required_an_admin_sets_it_up_before_anything_else(staff_engine, accounts):
    app = make_app(staff_engine, replace(SETTINGS, admin_second_factor_required=True))
    with TestClient(app, follow_redirects=False) as client:
        admin = StaffBrowser(client)
        assert admin.login(accounts["admin"].email, accounts["admin"].password
                           ).status_code == 302
        blocked = admin.get("/admin/service/list")
        assert blocked.status_code == 302 and blocked.headers["location"].endswith(ACCOUNT)
        assert 'id="second-factor-required"' in admin.get(ACCOUNT).text
        refused = client.delete("/admin/service/delete?pks=kotihoito",
                                headers={"X-CSRF-Token": admin.token(ACCOUNT)})
        assert refused.status_code == 403 and refused.text == TEXTS["required"]
        post_account(admin, "start")
        secret = shown_secret(admin.get(ACCOUNT).text)
        assert post_account(admin, "confirm", pyotp.TOTP(secret).now()).status_code == 302
        assert admin.get("/admin/service/list").status_code == 200
    # Other roles are not asked.
    with TestClient(app, follow_redirects=False) as client:
        editor = StaffBrowser(client)
        editor.login(accounts["editor"].email, accounts["editor"].password)
        assert editor.get("/admin/service/list").status_code == 200


# --- the sealed secrets --------------------------------------------------------------------

def test_secrets_are_sealed_so_that_only_the_key_opens_them():
    sealed = seal("avain-" * 6, "JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed.startswith("v2.")
    assert open_seal("avain-" * 6, sealed) == "JBSWY3DPEHPK3PXP"
    assert seal("avain-" * 6, "JBSWY3DPEHPK3PXP") != sealed  # a nonce of its own each time
    for broken in (lambda: open_seal("toinen-" * 6, sealed),
                   lambda: open_seal("avain-" * 6, sealed[:-4] + "AAAA"),
                   lambda: open_seal("avain-" * 6, "v2.ei-sinetti"),
                   lambda: open_seal("", sealed)):
        with pytest.raises(SealBroken):
            broken()
    with pytest.raises(ValueError):
        seal("", "JBSWY3DPEHPK3PXP")
