"""Fixtures of the staff application: an app over a catalogue of its own, and accounts."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from bot.db import get_engine, session_scope
from bot.staff.accounts import create_api_token, create_user
from bot.staff.models import Role
from bot.staff.settings import StaffSettings
from bot.staff.web import mount_staff
from tests.conftest import make_catalogue
from tests.staff.browser import StaffBrowser

PASSWORD = "pitka-ja-hyva-salasana"


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    token: str


# Plain-HTTP test client: Secure cookies would not be sent back.
SETTINGS = StaffSettings(secret_key="testiavain-" * 4, cookie_secure=False,
                         totp_key="totp-testiavain-" * 3)


@pytest.fixture
def staff_settings() -> StaffSettings:
    return SETTINGS


def make_accounts(engine, settings: StaffSettings) -> dict[str, Account]:
    accounts = {}
    specs = {
        "admin": (Role.admin, None),
        "editor": (Role.editor, None),
        "area_editor": (Role.editor, "kaakkois"),
        "viewer": (Role.viewer, None),
        "area_viewer": (Role.viewer, "kaakkois"),
    }
    with session_scope(engine) as session:
        for name, (role, area) in specs.items():
            email = f"{name.replace('_', '.')}@lapha.example"
            user = create_user(session, email, PASSWORD, role, settings, service_area_id=area)
            _token, secret = create_api_token(session, user, f"{name} test")
            accounts[name] = Account(email, PASSWORD, secret)
    return accounts


@pytest.fixture(scope="session")
def staff_template(tmp_path_factory):
    """A seeded catalogue with one account of each kind, made once and copied per test."""
    path = tmp_path_factory.mktemp("staff") / "template.sqlite3"
    engine = make_catalogue(f"sqlite:///{path}")
    accounts = make_accounts(engine, SETTINGS)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, accounts


@pytest.fixture
def staff_engine(staff_template, tmp_path):
    """A catalogue of this test's own (a copy of the template)."""
    copy = tmp_path / "catalogue.sqlite3"
    shutil.copy(staff_template[0], copy)
    return get_engine(f"sqlite:///{copy}")


@pytest.fixture
def accounts(staff_template) -> dict[str, Account]:
    return staff_template[1]


def make_app(engine, settings: StaffSettings) -> FastAPI:
    app = FastAPI()
    mount_staff(app, engine, settings)
    return app


@pytest.fixture
def staff_app(staff_engine, staff_settings) -> FastAPI:
    return make_app(staff_engine, staff_settings)


@pytest.fixture
def browser_for(staff_app, accounts):
    """browser_for("editor") → a signed-in StaffBrowser; browser_for(None) → anonymous."""
    clients = []

    def make(name: str | None) -> StaffBrowser:
        client = TestClient(staff_app, follow_redirects=False)
        clients.append(client)
        browser = StaffBrowser(client)
        if name:
            response = browser.login(accounts[name].email, accounts[name].password)
            assert response.status_code == 302, response.text
        return browser

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api_client(staff_app, accounts):
    """api_client("viewer") → a TestClient whose requests carry that account's API token."""

    def make(name: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {accounts[name].token}"} if name else {}
        return TestClient(staff_app, headers=headers)

    return make
