"""The widget on the demo page, with the real Rasa server, action server and catalogue, used with
the keyboard alone: a conversation that survives a reload and a change of page, starting over,
the accessibility audit and the screenshots (normal, high contrast, 200 % zoom); and a Swedish
question on the Swedish demo page, answered in Swedish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget, open_demo

pytestmark = pytest.mark.slow

NEED = "Tarvitsen apua kotiin"
MUNICIPALITY = "Asun Rovaniemellä"


def converse(widget: Widget) -> None:
    """Greeting, a need, then the municipality. Each turn is a quick reply when the assistant
    offers buttons (pressed with the keyboard), else typed. The answer has the service
    guidance number as a tel: link."""
    widget.wait_for_greeting()
    for typed in (NEED, MUNICIPALITY):
        replies = widget.page.locator(".ikn-replies button")
        if replies.count():
            before = widget.entries("bot").count()
            widget.tab_to("ikn-reply", backwards=True)
            widget.page.keyboard.press("Enter")
            widget.wait_for_answer(before)
            expect(widget.input).to_be_focused()
        else:
            widget.say(typed)
    expect(widget.page.locator('.ikn-entry--bot a[href^="tel:"]')).not_to_have_count(0)
    # A long answer in several parts is shown from its start.
    assert widget.answer_start_in_view()


def test_keyboard_conversation_survives_reload_and_page_change_then_starts_over(
    new_page, demo_with_rasa
):
    page = new_page()
    page.goto(demo_with_rasa)
    widget = Widget(page)
    widget.open_with_keyboard()
    converse(widget)
    assert len(widget.entries("user").all()) >= 2
    shown = widget.entry_texts()
    session_id = widget.session_id()

    # Reload: the panel is still open with the whole conversation, in the same Rasa session.
    page.reload()
    expect(widget.panel).to_be_visible()
    expect(widget.entries().locator(".ikn-bubble")).to_have_text(shown, use_inner_text=True)
    assert widget.session_id() == session_id

    # Another page of the site: the same, and the conversation goes on.
    # (The open panel covers the page's menu on this window: the link is reached by keyboard.)
    page.get_by_role("link", name="Yhteystiedot").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/demo/yhteystiedot")
    expect(widget.entries().locator(".ikn-bubble")).to_have_text(shown, use_inner_text=True)
    widget.input.focus()
    widget.say("Kiitos")
    assert widget.session_id() == session_id

    # Start over, with the keyboard: asked first, then a new conversation with a greeting.
    texts = widget.texts
    widget.tab_to("ikn-restart", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".ikn-confirm")).to_be_visible()
    expect(page.locator(".ikn-confirm")).to_contain_text(texts["startOverQuestion"])
    widget.tab_to("ikn-button--primary", backwards=True)
    page.keyboard.press("Enter")
    expect(widget.entries("user")).to_have_count(0)
    expect(widget.input).to_be_focused()
    widget.wait_for_greeting()
    assert widget.session_id() not in (None, session_id)
    page.reload()
    expect(widget.entries("user")).to_have_count(0)


def test_no_wcag_a_or_aa_violations_normal_and_high_contrast(new_page, demo_with_rasa,
                                                             screenshots):
    page = new_page()
    page.goto(demo_with_rasa)
    widget = Widget(page)
    widget.open_with_keyboard()
    converse(widget)
    widget.assert_no_axe_violations()
    page.screenshot(path=screenshots / "widget-normal.png")

    widget.tab_to("ikn-contrast", backwards=True)
    page.keyboard.press("Enter")
    expect(widget.button(widget.texts["highContrast"])).to_have_attribute("aria-pressed", "true")
    widget.assert_no_axe_violations()
    page.screenshot(path=screenshots / "widget-high-contrast.png")


def test_keyboard_alone_at_200_percent_zoom(new_page, demo_with_rasa, screenshots):
    # A 1280 × 800 window at 200 % zoom: 640 × 400 CSS pixels, each two device pixels wide.
    page = new_page(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page.goto(demo_with_rasa)
    widget = Widget(page)
    widget.open_with_keyboard()
    converse(widget)
    # Nothing to scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    assert widget.panel.evaluate("e => e.scrollWidth <= e.clientWidth")
    widget.assert_no_axe_violations()
    page.screenshot(path=screenshots / "widget-zoom-200.png")

    # The settings fold behind a button here; open them and turn on high contrast.
    widget.tab_to("ikn-settings", backwards=True)
    page.keyboard.press("Enter")
    widget.tab_to("ikn-contrast")
    page.keyboard.press("Enter")
    widget.assert_no_axe_violations()
    page.screenshot(path=screenshots / "widget-zoom-200-high-contrast.png")


# Words one of which a Swedish answer about the fee of home care in Tornio has.
SWEDISH_FEE_WORDS = ("kostar", "hemvård", "avgift")


def test_a_swedish_question_on_the_swedish_page_is_answered_in_swedish(
    new_page, demo_with_rasa, screenshots
):
    page = new_page(locale="sv-FI")
    widget = open_demo(page, demo_with_rasa, "sv")
    assert widget.language == "sv"
    widget.open_with_keyboard()
    widget.wait_for_greeting()
    before = widget.entries("bot").count()
    widget.say("vad kostar hemvård i Torneå")
    expect(widget.entries("user").last).to_have_attribute("lang", "sv")
    answer = [widget.entries("bot").nth(i) for i in range(before, widget.entries("bot").count())]
    assert answer, "no answer"
    for part in answer:
        expect(part).to_have_attribute("lang", "sv")
    text = " ".join(part.locator(".ikn-bubble").inner_text() for part in answer).lower()
    assert any(word in text for word in SWEDISH_FEE_WORDS), text
    # The widget still speaks Swedish, as the answer does.
    assert widget.language == "sv"
    expect(widget.root).to_have_attribute("lang", "sv")
    page.screenshot(path=screenshots / "widget-swedish.png")
