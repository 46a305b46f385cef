"""The Rasa server stops in the middle of a conversation and comes back.

A Rasa server of its own for this test (the shared one of ``running_system`` stays up), on a
port of its own, with the shared action server and catalogue.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot.launcher import start_rasa_server
from tests.browser.servers import free_port, start_web_app, web_origin
from tests.browser.widget import Widget, digits

pytestmark = pytest.mark.slow


def test_help_with_the_phone_number_while_rasa_is_down_and_recovery(
    new_page, running_system, screenshots
):
    port = free_port()
    action_port = int(running_system.action_url.rsplit(":", 1)[1])
    env = {"DATABASE_URL": running_system.database_url}
    rasa = start_rasa_server(port, action_port, env)
    web = start_web_app("outage", f"http://127.0.0.1:{port}")
    try:
        page = new_page()
        page.goto(f"{web_origin('outage')}/demo")
        widget = Widget(page)
        texts = widget.texts
        widget.open_with_keyboard()
        widget.wait_for_greeting()
        widget.say("Tarvitsen apua kotiin")

        rasa.stop()
        notice = widget.entries("notice").last
        expect(notice.locator(".ikn-bubble")).to_have_text(
            widget.expected_notice("connectionLost"), timeout=20_000
        )
        expect(notice.locator(f'a[href="tel:{digits(widget.phone)}"]')).to_be_visible()
        expect(page.locator(".ikn-connection")).to_have_text(texts["offline"])
        # Written while the server is down: kept, and sent once it is back.
        widget.type_message("Asun Rovaniemellä")
        expect(widget.entries("user").last.locator(".ikn-pending")).to_have_text(texts["pending"])
        page.screenshot(path=screenshots / "widget-connection-lost.png")
        bot_entries = widget.entries("bot").count()

        rasa = start_rasa_server(port, action_port, env)
        expect(widget.entries("notice").last.locator(".ikn-bubble")).to_have_text(
            texts["reconnected"], timeout=60_000
        )
        expect(page.locator(".ikn-connection")).to_have_text("")
        expect(page.locator(".ikn-pending")).to_have_count(0)
        widget.wait_for_answer(bot_entries)
        # The answer follows the message that waited.
        assert "ikn-entry--bot" in widget.entries().last.get_attribute("class").split()
    finally:
        web.stop()
        rasa.stop()
