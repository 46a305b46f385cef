"""Every staff page and API answer tells the browser to trust only the staff application."""

from __future__ import annotations

import pytest

from bot.staff.security_headers import ADMIN_POLICY, API_DOCS_POLICY, API_POLICY

COMMON = {"strict-transport-security": "max-age=31536000", "x-frame-options": "DENY",
          "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def assert_headers(response, policy: str) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get("content-security-policy") == policy


@pytest.mark.parametrize("path", ["/admin/login", "/admin/", "/admin/service/list",
                                  "/admin/contact-request/list", "/admin/statics/css/main.css"])
def test_admin_pages_signed_in_or_not(browser_for, path):
    anonymous, admin = browser_for(None).get(path), browser_for("admin").get(path)
    assert admin.status_code == (302 if path == "/admin/login" else 200), path
    for response in (anonymous, admin):
        assert_headers(response, ADMIN_POLICY)


def test_the_gates_own_answers_carry_them_too(browser_for):
    response = browser_for(None).client.post("/admin/login", data={"username": "x"})
    assert response.status_code in (400, 403)
    assert_headers(response, ADMIN_POLICY)


def test_api_answers_and_its_docs(api_client):
    assert_headers(api_client("viewer").get("/api/services"), API_POLICY)
    assert_headers(api_client(None).get("/api/services"), API_POLICY)
    assert_headers(api_client(None).get("/api/docs"), API_DOCS_POLICY)


def test_admin_pages_have_no_inline_script(browser_for):
    page = browser_for("admin").get("/admin/service/list").text
    assert "<script" in page
    assert all("src=" in tag.split(">")[0] for tag in page.split("<script")[1:])
