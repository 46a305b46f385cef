"""The widget against a scripted stand-in for Rasa: buttons, hostile text, a silent server,
the display settings, phone links and the origin check.

The stand-in (scripted_rasa.py) is Rasa's own socket.io channel with scripted answers, so the
widget meets what Rasa sends, including answers the trained model does not give.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import socketio
from playwright.sync_api import expect

from tests.browser import scripted_rasa
from tests.browser.widget import Widget, digits
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def open_widget(new_page, url: str, **options) -> Widget:
    page = new_page(**options)
    page.goto(url)
    widget = Widget(page)
    # The demo page's own "Avaa Ikäneuvo-chat" button opens the widget too.
    page.get_by_role("button", name="Avaa Ikäneuvo-chat").click()
    expect(widget.panel).to_be_visible()
    widget.wait_for_greeting()
    expect(widget.entries("bot").first).to_contain_text(scripted_rasa.GREETING)
    return widget


def test_quick_replies_are_buttons_that_answer_the_question(new_page, demo_with_scripted_rasa):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    widget.input.focus()
    widget.say("napit")
    expect(widget.entries("bot").last).to_contain_text(scripted_rasa.QUESTION)
    replies = widget.page.locator(".ikn-replies button")
    expect(replies).to_have_text([title for title, _ in scripted_rasa.CHOICES])

    # From the text field, Shift+Tab reaches the last button; Enter presses it.
    before = widget.entries("bot").count()
    widget.page.keyboard.press("Shift+Tab")
    assert "ikn-reply" in widget.focused_in_widget()
    widget.page.keyboard.press("Enter")
    widget.wait_for_answer(before)

    title, payload = scripted_rasa.CHOICES[-1]
    expect(widget.entries("user").last.locator(".ikn-bubble")).to_have_text(title)
    answer = widget.entries("bot").last
    expect(answer).to_contain_text(scripted_rasa.ANSWER_FOR[payload])
    phone = answer.locator('a[href^="tel:"]')
    expect(phone).to_have_attribute("href", "tel:" + digits("040 000 0002"))
    # Used buttons go away; the keyboard focus goes on in the text field.
    expect(replies).to_have_count(0)
    expect(widget.input).to_be_focused()

    shown = widget.entry_texts()
    widget.page.reload()
    expect(widget.entries().locator(".ikn-bubble")).to_have_text(shown, use_inner_text=True)
    expect(replies).to_have_count(0)


def test_messages_are_shown_as_text_and_never_run(new_page, demo_with_scripted_rasa):
    # Without the page's Content-Security-Policy, so that only the widget itself protects.
    widget = open_widget(new_page, demo_with_scripted_rasa, bypass_csp=True)
    page = widget.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    widget.input.focus()
    hostile = '<img src=x onerror="window.__xss=5"><b>lihava</b>'
    widget.say(hostile)
    expect(widget.entries("user").last.locator(".ikn-bubble")).to_have_text(hostile)
    expect(widget.entries("bot").last).to_contain_text("Kirjoitit: " + hostile)

    widget.say("html")
    log = page.locator(".ikn-log")
    expect(widget.entries("bot").last).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(widget.entries("bot").last).to_contain_text("<script>window.__xss=2</script>")
    links = log.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "https://lapha.fi/ikaihmiset" in hrefs
    assert "mailto:posti@example.fi" in hrefs
    assert all(href.split(":")[0] in ("https", "tel", "mailto") for href in hrefs), hrefs

    def nothing_ran() -> None:
        # An <img src=x> made from the messages would have asked for /x as soon as it was
        # made, and run its error handler when that failed. The test's own image, made now,
        # asks for the same address: once its error handler has run, the earlier one's would
        # have run too.
        page.evaluate("""() => new Promise((done, fail) => {
            const probe = new Image();
            probe.onerror = done;
            probe.onload = () => fail(new Error('/x is an image'));
            probe.src = 'x?probe';
            setTimeout(() => fail(new Error('the probe image did not fail to load')), 15000);
        })""")
        assert requested.count("/x") == 1, requested  # the probe's own request
        assert log.locator("img, script, b, iframe, object").count() == 0
        assert page.evaluate("() => window.__xss") is None

    nothing_ran()
    # The stored conversation is drawn again after a reload, just as safely.
    requested.clear()
    page.reload()
    expect(widget.entries("bot").last).to_contain_text("<script>window.__xss=2</script>")
    nothing_ran()


def test_a_silent_server_gets_the_help_message_with_the_phone_number(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    widget.input.focus()
    started = time.monotonic()
    widget.type_message("hidas")
    expect(widget.page.locator(".ikn-typing--shown")).to_have_text(widget.texts["typing"])

    notice = widget.entries("notice").last
    expect(notice).to_be_visible(timeout=15_000)
    waited = time.monotonic() - started
    assert 7 <= waited <= 12, f"the help message came after {waited:.1f} s"
    expect(notice.locator(".ikn-bubble")).to_have_text(widget.expected_notice("noAnswer"))
    expect(notice.locator('a[href^="tel:"]').first).to_have_attribute(
        "href", "tel:" + digits(widget.phone)
    )
    # The late answer is still shown when it comes, after the notice.
    expect(widget.entries().last).to_contain_text("Vastaus tuli hitaasti.", timeout=15_000)


def test_text_size_high_contrast_big_targets_and_focus(new_page, demo_with_scripted_rasa):
    page = new_page()
    page.goto(demo_with_scripted_rasa)
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    box = widget.launcher.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    widget.launcher.click()
    widget.wait_for_greeting()

    def font_px(locator) -> float:
        return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))

    bubble = widget.entries("bot").first.locator(".ikn-bubble")
    assert font_px(bubble) >= 18
    assert page.locator(".ikn").get_attribute("lang") == "fi"
    assert widget.entries("bot").first.get_attribute("lang") == "fi"

    buttons = page.locator(".ikn-panel button")
    for i in range(buttons.count()):
        if buttons.nth(i).is_visible():
            box = buttons.nth(i).bounding_box()
            name = buttons.nth(i).inner_text()
            assert box["width"] >= 44 and box["height"] >= 44, f"{name!r}: {box}"

    texts = widget.texts
    base = font_px(bubble)
    widget.button(texts["largerText"]).click()
    widget.button(texts["largerText"]).click()
    expect(page.locator(".ikn-size-value")).to_have_text("130 %")
    assert font_px(bubble) == pytest.approx(base * 1.3, abs=0.5)

    contrast = widget.button(texts["highContrast"])
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert widget.panel.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"

    # The choices are remembered on the next visit.
    page.reload()
    expect(widget.panel).to_be_visible()
    bubble = widget.entries("bot").first.locator(".ikn-bubble")
    assert font_px(bubble) == pytest.approx(base * 1.3, abs=0.5)
    expect(widget.button(texts["highContrast"])).to_have_attribute("aria-pressed", "true")

    # Focus is visible: a ring drawn around the focused control.
    widget.input.focus()
    page.keyboard.press("Shift+Tab")
    focused = page.locator(".ikn-log")
    assert "ikn-log" in widget.focused_in_widget()
    assert focused.evaluate("e => getComputedStyle(e).boxShadow") != "none"

    # Escape closes the panel and gives the focus back to the widget's button.
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert "ikn-launcher" in widget.focused_in_widget()


def link_case(text: str, links: list[tuple[str, str]], shown: str | None = None):
    """A text, the links made in it (their text and address), and the text shown: the text
    itself unless a Markdown link in it is shown as its label."""
    return pytest.param(text, text if shown is None else shown, links, id=text)


@pytest.mark.parametrize(
    ("text", "shown", "links"),
    [
        link_case("Soita 040 000 0001.", [("040 000 0001", "tel:0400000001")]),
        link_case("Päivystysapu 116 117 tai 112!",
                  [("116 117", "tel:116117"), ("112", "tel:112")]),
        link_case("Puh. +358 40 000 0001", [("+358 40 000 0001", "tel:+358400000001")]),
        link_case("Puhelin (016) 322 4000", [("(016) 322 4000", "tel:0163224000")]),
        link_case("Maksuton 0800 12345", [("0800 12345", "tel:080012345")]),
        link_case("Lue https://lapha.fi/ikaihmiset.",
                  [("https://lapha.fi/ikaihmiset", "https://lapha.fi/ikaihmiset")]),
        link_case("Katso [Lapha](https://lapha.fi)", [("Lapha", "https://lapha.fi/")],
                  shown="Katso Lapha"),
        link_case("Kirjoita posti@example.fi", [("posti@example.fi", "mailto:posti@example.fi")]),
        link_case("Vuonna 2023 raja oli 1512,38 € ja 85 %, 96100 Rovaniemi, klo 09.00, 1120 m",
                  []),
        link_case("[x](javascript:alert(1)) javascript:alert(1) http://example.com "
                  "data:text/html,x", []),
    ],
)
def test_phone_numbers_and_addresses_become_links(new_page, demo_with_scripted_rasa, text,
                                                  shown, links):
    page = new_page()
    page.goto(demo_with_scripted_rasa)
    parts = page.evaluate("(text) => IkaneuvoWidget.linkParts(text)", text)
    # The parts make up the text as shown (a Markdown link by its label), and exactly the
    # expected parts are links.
    assert "".join(part["text"] for part in parts) == shown
    assert [(p["text"], p["href"]) for p in parts if "href" in p] == links


class ChannelClient:
    """A socket.io client of the channel with an ``Origin`` header, as a page would have."""

    def __init__(self, url: str, origin: str) -> None:
        self.sio = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        self.answers: list = []
        self.sessions: list = []
        self.sio.on("session_confirm", self.sessions.append)
        self.sio.on("bot_uttered", self.answers.append)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)

    def request_session(self, session_id: str) -> str:
        self.sio.emit("session_request", {"session_id": session_id})
        wait_until(lambda: self.sessions, 10, "the channel did not confirm a session")
        return self.sessions[-1]

    def send(self, text: str, session_id: str) -> None:
        self.sio.emit("user_uttered", {"message": text, "session_id": session_id})

    def say(self, text: str, session_id: str) -> dict:
        """Send a message and wait for the next answer; returns it."""
        before = len(self.answers)
        self.send(text, session_id)
        wait_until(lambda: len(self.answers) > before, 10, f"no answer to {text!r}")
        return self.answers[before]

    def close(self) -> None:
        self.sio.disconnect()


def test_pages_of_other_origins_cannot_talk_to_the_channel(new_page, scripted_servers):
    # The same demo page, but from http://localhost:…, an origin that is not allowed.
    other_origin = scripted_servers.demo_url.replace("127.0.0.1", "localhost")
    assert other_origin.split("/demo")[0] not in scripted_servers.origins
    page = new_page()
    page.goto(other_origin)
    widget = Widget(page)
    widget.launcher.click()
    notice = widget.entries("notice").last
    expect(notice.locator(".ikn-bubble")).to_have_text(
        widget.expected_notice("connectionLost"), timeout=15_000
    )
    expect(widget.entries("bot")).to_have_count(0)

    # Without a browser, over WebSocket, where browsers apply no CORS at all.
    url = scripted_servers.rasa_url
    with pytest.raises(socketio.exceptions.ConnectionError):
        ChannelClient(url, "https://evil.example")

    allowed_origin = scripted_servers.demo_url.split("/demo")[0]
    owner = ChannelClient(url, allowed_origin)
    intruder = ChannelClient(url, allowed_origin)
    try:
        # Session ids are the server's: one the client makes up is replaced by a signed one.
        session_id = owner.request_session("not a session id")
        assert session_id != "not a session id" and len(session_id) == 65
        # Knowing the owner's conversation id (the 32 digits before the signature) is not
        # knowing the session: the intruder gets a session of its own.
        intruder_session_id = intruder.request_session(session_id[:32])
        assert intruder_session_id[:32] != session_id[:32]
        intruder.send("vieras", session_id[:32])

        # A message for another conversation than the socket's own is ignored...
        intruder.send("vieras", session_id)
        # ...and one for its own is answered. The channel takes a socket's messages in order,
        # so the first had been dealt with when this answer was sent.
        assert intruder.say("oma", intruder_session_id) == {"text": "Kirjoitit: oma",
                                                             "lang": "fi"}
        # An answer to the first, had there been one, would have gone to the owner's
        # conversation before the answer to the owner's own message.
        assert owner.say("hei", session_id) == {"text": "Kirjoitit: hei", "lang": "fi"}
        assert owner.answers == [{"text": "Kirjoitit: hei", "lang": "fi"}]
        assert intruder.answers == [{"text": "Kirjoitit: oma", "lang": "fi"}]
    finally:
        owner.close()
        intruder.close()


def test_a_long_answer_is_shown_from_its_start(new_page, demo_with_scripted_rasa):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    widget.input.focus()
    widget.say("pitkä")
    expect(widget.entries("bot")).to_have_count(1 + scripted_rasa.LONG_ANSWER.count("\n\n") + 1)
    assert widget.answer_start_in_view()
    # The parts of one answer carry the speaker's name once, for the eye; every part keeps
    # it for screen readers.
    labels = widget.entries("bot").locator(".ikn-who")
    assert labels.nth(1).bounding_box()["height"] > 10
    assert labels.nth(2).bounding_box()["height"] <= 1  # visually hidden
    assert labels.nth(2).text_content() == widget.page.locator(".ikn-title").text_content()
