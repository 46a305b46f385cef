"""The widget in Finnish, Swedish, English and Northern Sámi, against the scripted stand-in for
Rasa (scripted_rasa.py): the page's language, the language choice, the language sent with
every message and the one each message carries, and the accessibility audit in each language.
"""

from __future__ import annotations

import json
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from bot.text.language import LANGUAGES
from tests.browser import scripted_rasa
from tests.browser.widget import Widget, open_demo, open_made_up_page

pytestmark = pytest.mark.slow

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English", "se": "Sámegiella"}


def received(rasa_url: str, session_id: str) -> list[dict]:
    """What the stand-in received in this conversation: {"text", "metadata"} per message.
    (The session id is the conversation's id, a dot and the server's signature.)"""
    conversation = session_id.split(".")[0]
    with urlopen(f"{rasa_url}/received/{conversation}", timeout=10) as reply:
        return json.load(reply)


def open_on(new_page, servers, lang: str) -> Widget:
    """The widget on the demo page in ``lang``, opened, after the greeting."""
    widget = open_demo(new_page(), servers.demo_url, lang)
    widget.launcher.click()
    expect(widget.panel).to_be_visible()
    widget.wait_for_greeting()
    return widget


def assert_widget_speaks(widget: Widget, lang: str) -> None:
    """The widget's own texts, and its lang attribute, are those of ``lang``."""
    texts = widget.texts_in(lang)
    assert widget.language == lang
    expect(widget.root).to_have_attribute("lang", lang)
    page = widget.page
    expect(page.locator(".ikn-subtitle")).to_have_text(texts["subtitle"])
    expect(page.locator(".ikn-label")).to_have_text(texts["inputLabel"])
    expect(page.locator(".ikn-hint")).to_have_text(texts["inputHint"])
    expect(page.locator(".ikn-send")).to_have_text(texts["send"])
    expect(page.locator(".ikn-close")).to_have_text(texts["closeButton"])
    expect(page.locator(".ikn-restart")).to_have_text(texts["startOver"])
    expect(page.locator(".ikn-language-label")).to_have_text(texts["language"])
    expect(page.locator(".ikn-log")).to_have_attribute("aria-label", texts["conversation"])
    expect(widget.button(texts["largerText"])).to_have_attribute("aria-label",
                                                                 texts["largerText"])
    expect(page.locator(".ikn-launcher-text")).to_have_text(texts["openButton"])
    for code, name in LANGUAGE_NAMES.items():
        # Named in its own language (the check mark of the chosen one is not in its name).
        button = widget.button(name)
        expect(button).to_have_attribute("lang", code)
        expect(button).to_have_attribute("aria-pressed", "true" if code == lang else "false")
        check = button.locator(".ikn-check")
        if code == lang:
            expect(check).to_be_visible()
        else:
            expect(check).to_be_hidden()


def test_every_widget_text_is_written_in_every_language(new_page, scripted_servers):
    page = new_page()
    page.goto(scripted_servers.demo_url)
    languages = page.evaluate("() => IkaneuvoWidget.languages")
    texts = page.evaluate("() => IkaneuvoWidget.texts")
    names = page.evaluate("() => IkaneuvoWidget.languageNames")
    assert languages == list(LANGUAGES)
    assert names == LANGUAGE_NAMES
    assert sorted(texts) == sorted(LANGUAGES)
    keys = set(texts["fi"])
    for lang in LANGUAGES:
        assert set(texts[lang]) == keys, lang
        assert all(isinstance(v, str) and v.strip() for v in texts[lang].values()), lang
        # The phone number goes into the help text in every language.
        assert "{phone}" in texts[lang]["helpWithPhone"], lang
    # Translated, not copied: only the name stays the same.
    for lang in ("sv", "en", "se"):
        same = {key for key in keys if texts[lang][key] == texts["fi"][key]}
        assert same == {"title"}, (lang, same)


@pytest.mark.parametrize(
    ("html_lang", "data_lang", "expected"),
    [
        ("fi", None, "fi"),
        ("sv", None, "sv"),
        ("sv-FI", None, "sv"),
        ("en", None, "en"),
        ("en-GB", None, "en"),
        ("se", None, "se"),
        ("se-FI", None, "se"),
        ("sme", None, "se"),
        ("de", None, "fi"),
        ("", None, "fi"),
        ("sv", "en", "en"),
        ("fi", "sme", "se"),
    ],
)
def test_the_widget_starts_in_the_language_of_the_page_or_of_data_lang(
    new_page, scripted_servers, html_lang, data_lang, expected
):
    widget = open_made_up_page(new_page(), scripted_servers.demo_url, html_lang,
                               scripted_servers.rasa_url, data_lang)
    assert widget.language == expected
    expect(widget.root).to_have_attribute("lang", expected)
    expect(widget.page.locator(".ikn-launcher-text")).to_have_text(
        widget.texts_in(expected)["openButton"])


def test_a_swedish_page_the_language_choice_and_the_language_of_every_message(
    new_page, scripted_servers
):
    rasa_url = scripted_servers.rasa_url
    widget = open_on(new_page, scripted_servers, "sv")
    page = widget.page
    assert_widget_speaks(widget, "sv")

    # The greeting asks for Swedish, and is Swedish.
    greeting = widget.entries("bot").first
    expect(greeting.locator(".ikn-bubble")).to_have_text(scripted_rasa.GREETINGS["sv"])
    expect(greeting).to_have_attribute("lang", "sv")
    session_id = widget.session_id()
    assert received(rasa_url, session_id) == [
        {"text": '/greet{"language":"sv"}', "metadata": {"language": "sv"}},
    ]

    # A short message keeps the widget's language: the metadata says it.
    widget.input.focus()
    widget.say("Kemi")
    expect(widget.entries("user").last).to_have_attribute("lang", "sv")
    expect(widget.entries("user").last.locator(".ikn-who")).to_have_text(
        widget.texts_in("sv")["you"])
    expect(widget.entries("bot").last.locator(".ikn-bubble")).to_have_text(
        scripted_rasa.ECHO["sv"] + "Kemi")
    expect(widget.entries("bot").last).to_have_attribute("lang", "sv")
    assert received(rasa_url, session_id)[-1] == {"text": "Kemi",
                                                  "metadata": {"language": "sv"}}

    # The language choice: the widget speaks English at once, the user's message is shown as
    # the language's name, and the assistant is asked for English.
    before = widget.entries("bot").count()
    widget.button("English").click()
    assert_widget_speaks(widget, "en")
    chosen = widget.entries("user").last
    expect(chosen.locator(".ikn-bubble")).to_have_text("English")
    expect(chosen).to_have_attribute("lang", "en")
    widget.wait_for_answer(before)
    expect(widget.entries("bot").last.locator(".ikn-bubble")).to_have_text(
        scripted_rasa.LANGUAGE_CHANGED["en"])
    expect(widget.entries("bot").last).to_have_attribute("lang", "en")
    assert received(rasa_url, session_id)[-1] == {
        "text": '/change_language{"language":"en"}', "metadata": {"language": "en"},
    }

    # The widget follows the language of the assistant's latest message.
    widget.input.focus()
    widget.say(scripted_rasa.FINNISH_AGAIN)
    expect(widget.entries("user").last).to_have_attribute("lang", "en")
    expect(widget.entries("bot").last).to_have_attribute("lang", "fi")
    assert_widget_speaks(widget, "fi")
    assert received(rasa_url, session_id)[-1]["metadata"] == {"language": "en"}

    # Every message keeps its own language, also after a reload; so does the widget.
    langs = [widget.entries().nth(i).get_attribute("lang")
             for i in range(widget.entries().count())]
    assert langs == ["sv", "sv", "sv", "en", "en", "en", "fi"]
    page.reload()
    expect(widget.panel).to_be_visible()
    expect(widget.entries()).to_have_count(len(langs))
    assert [widget.entries().nth(i).get_attribute("lang") for i in range(len(langs))] == langs
    assert_widget_speaks(widget, "fi")
    # The old messages' speaker names stay in their own language.
    expect(widget.entries("user").first.locator(".ikn-who")).to_have_text(
        widget.texts_in("sv")["you"])

    # The next message tells the assistant the widget's language now.
    widget.input.focus()
    widget.say("hei")
    assert received(rasa_url, session_id)[-1] == {"text": "hei",
                                                  "metadata": {"language": "fi"}}


def test_notices_and_the_status_line_are_in_the_widgets_language(new_page, scripted_servers):
    widget = open_on(new_page, scripted_servers, "se")
    texts = widget.texts_in("se")
    widget.input.focus()
    widget.type_message("hidas")
    expect(widget.page.locator(".ikn-typing--shown")).to_have_text(texts["typing"])
    notice = widget.entries("notice").last
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_have_attribute("lang", "se")
    help_text = texts["helpWithPhone"].replace("{phone}", widget.phone)
    expect(notice.locator(".ikn-bubble")).to_have_text(f"{texts['noAnswer']} {help_text}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_wcag_a_or_aa_violations_in_each_language(new_page, scripted_servers, lang):
    widget = open_on(new_page, scripted_servers, lang)
    expect(widget.entries("bot").first).to_have_attribute("lang", lang)
    expect(widget.entries("bot").first).to_contain_text(scripted_rasa.GREETINGS[lang])
    widget.input.focus()
    widget.say("napit")  # an answer with quick replies
    expect(widget.entries("bot").last).to_contain_text(scripted_rasa.QUESTIONS[lang])
    expect(widget.entries("bot").last).to_have_attribute("lang", lang)
    expect(widget.page.locator(".ikn-replies")).to_have_attribute(
        "aria-label", widget.texts_in(lang)["quickReplies"])
    expect(widget.page.locator(".ikn-replies button")).to_have_count(
        len(scripted_rasa.CHOICES))
    assert_widget_speaks(widget, lang)
    widget.assert_no_axe_violations()
