"""The development loop against the real servers, in Chromium: a citizen asks the chat a question
the catalogue cannot answer and says the answer did not help; a staff member sees the question
and the rating on the insights page, adds a word of it as a keyword to a service, previews the
answer and saves; the same question in the chat is then answered with that service. No
retraining: the real Rasa server and action server run throughout.

The admin and the demo page run over the catalogue and the stored conversations of the real
action and Rasa servers (``running_system``); the test puts the service's keywords back.
"""

from __future__ import annotations

import re
import time
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from bot.catalogue.models import Service
from bot.db import get_engine, session_scope
from tests.browser.axe import assert_no_axe_violations
from tests.browser.staff_admin import RunningAdmin, sign_in, started_admin
from tests.browser.widget import Widget

pytestmark = pytest.mark.slow

# The model reads it as a question about applying; the catalogue knows no hairdresser, so the
# answer is only the general one (the service need assessment): unanswered.
QUESTION = "Voiko kampaajan tilata kotiin?"
COMMENT = "Kysyin kampaajasta, soittakaa 040 123 4567"
SERVICE_ID, SERVICE_NAME = "kauppapalvelu", "Kauppa- ja asiointipalvelu"
KEYWORD = "kampaaja"


def ask(page: Page, demo_url: str, question: str) -> tuple[Widget, str]:
    """A new conversation on the demo page; the question's answer as the widget shows it."""
    page.goto(demo_url)
    widget = Widget(page)
    widget.open_with_keyboard()
    widget.wait_for_greeting()
    before = widget.entries("bot").count()
    widget.say(question)
    texts = widget.entries("bot").locator(".ikn-bubble").all_inner_texts()
    return widget, "\n".join(texts[before:])


@pytest.fixture
def loop_admin(running_system, tmp_path) -> Iterator[RunningAdmin]:
    engine = get_engine(running_system.database_url)
    with session_scope(engine) as session:
        keywords = session.get(Service, SERVICE_ID).keywords_fi
    assert KEYWORD not in (keywords or "")
    try:
        with started_admin(tmp_path, running_system.database_url,
                           running_system.env["CONVERSATIONS_DATABASE_URL"]) as admin:
            yield admin
    finally:
        with session_scope(engine) as session:
            session.get(Service, SERVICE_ID).keywords_fi = keywords
        engine.dispose()


def test_unanswered_question_to_keyword_to_answer(new_page, loop_admin, demo_with_rasa,
                                                  screenshots):
    chat = new_page()
    _widget, before = ask(chat, demo_with_rasa, QUESTION)
    assert SERVICE_NAME not in before
    # "Oliko vastauksesta apua?" Ei, and a comment: stored by the web application.
    answer = chat.locator(".ikn-entry--bot", has=chat.locator(".ikn-rating")).last
    answer.locator(".ikn-rating-no").click()
    answer.get_by_label("Mikä jäi puuttumaan? (vapaaehtoinen)").fill(COMMENT)
    answer.locator(".ikn-comment-send").click()
    expect(answer.locator('.ikn-rating [role="status"]')).to_have_text("Kiitos palautteesta!")

    staff = new_page(viewport={"width": 1366, "height": 768})
    started = time.monotonic()
    sign_in(staff, loop_admin.url)
    staff.get_by_role("link", name="Kysymykset ja palaute").click()
    staff.wait_for_url(re.compile(r"/admin/insights"))
    # The page opens at last week's figures; this question was asked this week.
    staff.get_by_role("link", name="Seuraava viikko").click()
    row = staff.locator("#unanswered tr.unanswered-group", has_text=QUESTION)
    expect(row).to_have_count(1)
    assert int(staff.locator('[data-figure="unanswered"]').inner_text()) >= 1
    assert int(staff.locator('[data-figure="not_helpful"]').inner_text()) >= 1
    # The comment, with the phone number taken out before it was stored.
    expect(staff.locator("#rating-comments")).to_contain_text(
        "Kysyin kampaajasta, soittakaa [PHONE]")
    assert "040 123 4567" not in staff.content()
    staff.screenshot(path=screenshots / "admin-insights.png", full_page=True)
    assert_no_axe_violations(staff, "the insights page with an unanswered question")
    row.get_by_role("link", name=re.compile("Lisää hakusanaksi palveluun")).click()
    staff.wait_for_url(re.compile(r"/admin/insights/hakusana"))
    expect(staff.locator("#keyword-question")).to_have_text(QUESTION)
    staff.get_by_label("Palvelu, josta avustaja vastaa").select_option(label=SERVICE_NAME)
    staff.get_by_label("Hakusana").fill(KEYWORD)
    staff.get_by_label("Kysyjän kunta esikatselussa").select_option(label="Rovaniemi")
    staff.get_by_role("button", name="Esikatsele vastaus").click()
    expect(staff.locator("#keyword-preview")).to_contain_text(SERVICE_NAME)
    staff.screenshot(path=screenshots / "admin-insights-keyword.png", full_page=True)
    assert_no_axe_violations(staff, "the keyword form with its preview")
    staff.get_by_role("button", name="Tallenna hakusana").click()
    expect(staff.locator("#keyword-added")).to_contain_text(f"{KEYWORD} → {SERVICE_NAME}")
    took = time.monotonic() - started
    print(f"\nstaff: from signing in to the saved keyword {took:.1f} s")

    _widget, after = ask(new_page(), demo_with_rasa, QUESTION)
    assert SERVICE_NAME in after, after
