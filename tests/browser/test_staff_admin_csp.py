"""The staff admin in a real browser under its Content-Security-Policy: the pages work (their
own script runs) and the browser reports no violation."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.db import session_scope
from bot.launcher import start, web_command
from bot.staff.accounts import create_user
from bot.staff.models import Role
from bot.staff.security_headers import ADMIN_POLICY
from bot.staff.settings import StaffSettings
from tests.conftest import make_catalogue
from tests.support.ports import ReservedPort

EMAIL, PASSWORD = "csp.admin@lapha.example", "pitka-ja-hyva-salasana"
SECRET = "selaintesti-" * 4


@pytest.fixture(scope="module")
def admin_url(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("admin-csp")
    url = f"sqlite:///{root / 'catalogue.sqlite3'}"
    engine = make_catalogue(url)
    with session_scope(engine) as session:
        create_user(session, EMAIL, PASSWORD, Role.admin,
                    StaffSettings(secret_key=SECRET, cookie_secure=False))
    with ReservedPort() as port:
        command = web_command(port.port)
        process = start("web-admin-csp", command, f"{port.url}/admin/login", {
            "DATABASE_URL": url, "IKANEUVO_COOKIE_SECURE": "no",
            "IKANEUVO_STAFF_SECRET_KEY": SECRET, "IKANEUVO_VAR_DIR": str(root),
        }, timeout=60)
        try:
            yield f"{port.url}/admin"
        finally:
            process.stop()


def test_admin_pages_run_their_script_and_break_no_policy(new_page, admin_url):
    page = new_page()
    reports: list[str] = []
    page.on("console", lambda message: reports.append(message.text))
    page.goto(f"{admin_url}/login")
    page.fill("#username", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{admin_url}/")
    for path in ("/", "/service/list", "/contact-request/list"):
        response = page.goto(f"{admin_url}{path}")
        assert response.ok
        assert response.headers["content-security-policy"] == ADMIN_POLICY
        # admin.js ran: jQuery's requests carry the form token.
        token = page.evaluate("() => ($.ajaxSetup().headers || {})['X-CSRF-Token']")
        assert token and len(token) >= 32, path
    violations = [r for r in reports if "Content Security Policy" in r]
    assert violations == []
