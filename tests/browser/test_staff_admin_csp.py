"""The staff admin in a real browser under its Content-Security-Policy: the pages work (their
own script runs) and the browser reports no violation."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.staff.security_headers import ADMIN_POLICY
from tests.browser.staff_admin import sign_in, started_admin


@pytest.fixture(scope="module")
def admin_url(tmp_path_factory) -> Iterator[str]:
    with started_admin(tmp_path_factory.mktemp("admin-csp")) as admin:
        yield admin.url


def test_admin_pages_run_their_script_and_break_no_policy(new_page, admin_url):
    page = new_page()
    reports: list[str] = []
    page.on("console", lambda message: reports.append(message.text))
    sign_in(page, admin_url)
    for path in ("/", "/service/list", "/contact-request/list"):
        response = page.goto(f"{admin_url}{path}")
        assert response.ok
        assert response.headers["content-security-policy"] == ADMIN_POLICY
        # admin.js ran: jQuery's requests carry the form token.
        token = page.evaluate("() => ($.ajaxSetup().headers || {})['X-CSRF-Token']")
        assert token and len(token) >= 32, path
    violations = [r for r in reports if "Content Security Policy" in r]
    assert violations == []
