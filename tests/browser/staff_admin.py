"""The staff admin as its browser tests start and use it: the web application over a seeded
catalogue of the test's own, an administrator, and signing in as a person does."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from playwright.sync_api import Page
from sqlalchemy import select

from bot.contact_requests.store import NewContactRequest, save_request
from bot.db import session_scope
from bot.launcher import start, web_command
from bot.staff.accounts import create_user
from bot.staff.models import Role, StaffUser
from bot.staff.settings import StaffSettings
from tests.conftest import make_catalogue
from tests.support.ports import ReservedPort

EMAIL, PASSWORD = "selain.admin@lapha.example", "pitka-ja-hyva-salasana"
SECRET = "selaintesti-" * 4


@dataclass(frozen=True)
class RunningAdmin:
    url: str           # the admin's address: http://127.0.0.1:port/admin
    site: str          # the web application's: http://127.0.0.1:port
    database_url: str


@contextmanager
def started_admin(root: Path, database_url: str | None = None,
                  conversations_url: str | None = None) -> Iterator[RunningAdmin]:
    """The web application (admin, citizens' page) on a free port with one administrator:
    over a seeded catalogue of its own in ``root``, with one call-back request waiting, or
    over the catalogue at ``database_url`` (another server's, which it leaves as it was
    apart from the account); its insights page reads the conversations at
    ``conversations_url`` (default: none yet, under ``root``)."""
    url = database_url or f"sqlite:///{root / 'catalogue.sqlite3'}"
    engine = make_catalogue(url)
    with session_scope(engine) as session:
        # Over a shared catalogue an earlier test may have made the account already.
        if session.scalar(select(StaffUser).where(StaffUser.email == EMAIL)) is None:
            create_user(session, EMAIL, PASSWORD, Role.admin,
                        StaffSettings(secret_key=SECRET, cookie_secure=False))
        if database_url is None:
            save_request(session, NewContactRequest(
                municipality_code="698", for_whom="mother", topic="Äiti ei pärjää enää kotona",
                name="Testi Henkilö", phone="040 000 0001", preferred_time="aamupäivällä",
                consent_given=True))
    engine.dispose()
    with ReservedPort() as port:
        process = start("web-admin-browser", web_command(port.port), f"{port.url}/admin/login", {
            "DATABASE_URL": url, "IKANEUVO_COOKIE_SECURE": "no",
            "IKANEUVO_STAFF_SECRET_KEY": SECRET, "IKANEUVO_VAR_DIR": str(root),
            **({"CONVERSATIONS_DATABASE_URL": conversations_url} if conversations_url else {}),
        }, timeout=60)
        try:
            yield RunningAdmin(f"{port.url}/admin", port.url, url)
        finally:
            process.stop()


def sign_in(page: Page, admin_url: str, email: str = EMAIL, password: str = PASSWORD) -> None:
    page.goto(f"{admin_url}/login")
    page.fill("#username", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{admin_url}/")
