"""The staff's commonest task with the keyboard alone, in Chromium at 1366 × 768: find a
service, change its guidance line's phone hours, preview the answer, publish the service, and
see the next answer in the chat change.

The admin runs over the catalogue of the real action server (``running_system``); the chat is
the demo page's widget talking to the real Rasa server. The test puts the catalogue back as it
was, since the other tests share that system.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.catalogue.models import PublishingStatus, Service, WeeklyOpeningHours
from bot.db import get_engine, session_scope
from tests.browser.staff_admin import EMAIL, PASSWORD, RunningAdmin, started_admin
from tests.browser.widget import Widget

pytestmark = pytest.mark.slow

SERVICE_ID = "omaishoidon-tuki"
SERVICE_NAME = "Omaishoidon tuki"
CHANNEL_ID = "palveluohjaus-kaakkois-puhelin"
CHANNEL_NAME = "Kaakkois-Lapin asiakas- ja palveluohjaus"
QUESTION = "Mitä omaishoidon tuki on? Asun Rovaniemellä."
OLD_HOURS, NEW_HOURS = "kello 9–15", "kello 9–16"

# What the focused element is: its tag, and what it is called (text, label, accessible name).
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return ['', ''];
    const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
    const value = e.tagName === 'BUTTON' ? e.value : '';
    return [e.tagName, [e.innerText, value, e.getAttribute('aria-label'), label, e.title]
        .filter(Boolean).join(' | ').replace(/\\s+/g, ' ').trim()];
}"""


def tab_to(page: Page, name: str, tag: str | None = None, limit: int = 250) -> None:
    """Press Tab until the focused element (an ``<a>`` for tag "A") is called ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused_tag, called = page.evaluate(FOCUSED)
        if name in called and tag in (None, focused_tag):
            return
    raise AssertionError(f"Tab did not reach {name!r} on {page.url}")


def keyboard_sign_in(page: Page, admin_url: str) -> None:
    page.goto(f"{admin_url}/login")
    tab_to(page, "Sähköposti")
    page.keyboard.type(EMAIL)
    tab_to(page, "Salasana")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{admin_url}/")


def open_service(page: Page) -> None:
    """From any admin page: the menu's services, the search, the service's own page."""
    tab_to(page, "Palvelut", "A")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/service/list"))
    tab_to(page, "Hakusana")
    page.keyboard.type(SERVICE_NAME)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search="))
    tab_to(page, SERVICE_NAME, "A")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/admin/service/details/{SERVICE_ID}$"))


def chat_answer(page: Page, demo_url: str) -> str:
    page.goto(demo_url)
    widget = Widget(page)
    widget.open_with_keyboard()
    widget.wait_for_greeting()
    widget.say(QUESTION)
    return "\n".join(widget.entries("bot").locator(".ikn-bubble").all_inner_texts()[1:])


@pytest.fixture
def shared_admin(running_system, tmp_path) -> Iterator[RunningAdmin]:
    """The admin over the running system's catalogue, the service a draft waiting to be
    published; afterwards the service and the hours as they were (the account stays: that
    catalogue is the test session's own)."""
    engine = get_engine(running_system.database_url)
    with session_scope(engine) as session:
        service = session.get(Service, SERVICE_ID)
        hours = session.execute(select(WeeklyOpeningHours).where(
            WeeklyOpeningHours.channel_id == CHANNEL_ID)).scalars().one()
        status, closes = service.status, hours.closes
        assert closes == time(15) and CHANNEL_ID in [c.id for c in service.channels]
        service.status = PublishingStatus.draft
    try:
        with started_admin(tmp_path, running_system.database_url) as admin:
            yield admin
    finally:
        with session_scope(engine) as session:
            session.get(Service, SERVICE_ID).status = status
            session.execute(select(WeeklyOpeningHours).where(
                WeeklyOpeningHours.channel_id == CHANNEL_ID)).scalars().one().closes = closes
        engine.dispose()


def test_find_change_hours_preview_publish_and_the_chat_answer_changes(
        new_page, shared_admin, demo_with_rasa, screenshots):
    before = chat_answer(new_page(), demo_with_rasa)
    assert SERVICE_NAME not in before  # a draft: the assistant does not tell of it

    page = new_page(viewport={"width": 1366, "height": 768})
    keyboard_sign_in(page, shared_admin.url)
    open_service(page)

    # The service's guidance line, its hours, and their form.
    tab_to(page, CHANNEL_NAME, "A")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/admin/service-channel/details/{CHANNEL_ID}$"))
    tab_to(page, "maanantai–perjantai", "A")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/weekly-opening-hours/details/"))
    tab_to(page, "Muokkaa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/weekly-opening-hours/edit/"))
    tab_to(page, "Sulkeutuu")
    page.keyboard.press("Control+A")
    page.keyboard.type("16:00")
    page.screenshot(path=screenshots / "admin-edit-hours.png")
    tab_to(page, "Tallenna")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/weekly-opening-hours/(list|details)"))

    # The answer as the assistant gives it to someone in Rovaniemi, before publishing.
    open_service(page)
    tab_to(page, "Esikatsele vastausta", "A")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/admin/service/preview/{SERVICE_ID}"))
    tab_to(page, "Kysyjän kunta")
    page.keyboard.type("Rovaniemi")
    tab_to(page, "Näytä")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kunta=698"))
    expect(page.locator(".preview-answer").first).to_contain_text(NEW_HOURS)
    page.screenshot(path=screenshots / "admin-preview.png", full_page=True)

    tab_to(page, "Julkaise")
    page.keyboard.press("Enter")
    expect(page.locator("#service-status")).to_have_text("Julkaistu")

    after = chat_answer(new_page(), demo_with_rasa)
    assert SERVICE_NAME in after and NEW_HOURS in after and OLD_HOURS not in after
