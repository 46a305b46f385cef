"""The Rasa server stops in the middle of a conversation and comes back.

A Rasa server of its own for this test (the shared one of ``running_system`` stays up), on a
port of its own that stays reserved while the server is down, with the shared action server and
catalogue.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Iterator

import pytest
from playwright.sync_api import expect

from bot.launcher import Process, start_rasa_server
from tests.browser.servers import on_fresh_ports, origins_with, port_taken_check, start_web_app
from tests.browser.widget import Widget, digits
from tests.support.ports import ReservedPort

pytestmark = pytest.mark.slow


class OwnRasa:
    """A Rasa server that can be stopped and started again on its port, which stays reserved
    meanwhile."""

    def __init__(self, port: ReservedPort, action_port: int, env: dict[str, str]) -> None:
        self.port, self.action_port, self.env = port, action_port, env
        self.process: Process | None = None

    def start(self) -> None:
        with port_taken_check("rasa-server"):
            self.process = start_rasa_server(self.port.port, self.action_port, self.env)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


@pytest.fixture
def outage_servers(running_system) -> Iterator[tuple[OwnRasa, str]]:
    """A Rasa server of its own and the demo page's address, its widget talking to it."""
    action_port = int(running_system.action_url.rsplit(":", 1)[1])

    def start_servers(stack: ExitStack) -> tuple[OwnRasa, str]:
        rasa_port = stack.enter_context(ReservedPort())
        web_port = stack.enter_context(ReservedPort())
        env = {"DATABASE_URL": running_system.database_url,
               "IKANEUVO_CORS_ORIGINS": " ".join(origins_with(web_port.url))}
        rasa = OwnRasa(rasa_port, action_port, env)
        stack.callback(rasa.stop)
        rasa.start()
        stack.callback(start_web_app("outage", web_port.port, rasa_port.url).stop)
        return rasa, f"{web_port.url}/demo"

    with on_fresh_ports(start_servers) as servers:
        yield servers


def test_help_with_the_phone_number_while_rasa_is_down_and_recovery(
    new_page, outage_servers, screenshots
):
    rasa, demo = outage_servers
    page = new_page()
    page.goto(demo)
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

    rasa.start()
    expect(widget.entries("notice").last.locator(".ikn-bubble")).to_have_text(
        texts["reconnected"], timeout=60_000
    )
    expect(page.locator(".ikn-connection")).to_have_text("")
    expect(page.locator(".ikn-pending")).to_have_count(0)
    widget.wait_for_answer(bot_entries)
    # The answer follows the message that waited.
    assert "ikn-entry--bot" in widget.entries().last.get_attribute("class").split()
