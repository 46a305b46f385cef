"""The widget's rating of an answer, printing the conversation and reading an answer aloud,
in Chromium against the scripted stand-in for Rasa (scripted_rasa.py), whose catalogue answers
carry an answer id through the project's socket.io channel as action_answer's do.

The ratings endpoint (/api/public/ratings of the web application that serves widget.js) is
answered by the test (``page.route``): it records what the widget posts and replies 204, 500,
422 or nothing at all. One test passes the widget's requests on to the real endpoint of a web
application over a database of its own, and reads what it stored. Speech: headless Chromium
has no voices; a stub of ``speechSynthesis`` gives the widget some and records what it is
asked to read.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import ExitStack
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.db import get_engine, session_scope
from bot.db.migrate import migrate
from bot.feedback.models import AnswerRating
from bot.launcher import start, web_command
from tests.browser import scripted_rasa
from tests.browser.servers import on_fresh_ports, port_taken_check
from tests.browser.widget import Widget, open_demo
from tests.support.ports import ReservedPort

pytestmark = pytest.mark.slow

RATINGS_PATH = "/api/public/ratings"

# Records window.print() instead of opening the print dialog, and what the widget fetches.
RECORD_PRINT_AND_FETCH = """
window.__printed = 0;
window.print = () => { window.__printed += 1; };
window.__fetches = [];
const realFetch = window.fetch;
window.fetch = function (url, options) {
    options = options || {};
    window.__fetches.push({
        url: String(url), method: options.method, credentials: options.credentials,
        headers: options.headers || {},
    });
    return realFetch.apply(this, arguments);
};
"""

# A browser with the voices in window.__voices (a Finnish one to begin with); speak() records
# the utterance instead of speaking it.
STUB_VOICES = """
window.__voices = [{lang: 'fi-FI', name: 'Testiääni', voiceURI: 'test-fi', default: true,
                    localService: true}];
window.__spoken = [];
window.__utterances = [];
window.__cancelled = 0;
speechSynthesis.getVoices = () => window.__voices;
speechSynthesis.speak = (utterance) => {
    window.__utterances.push(utterance);
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
};
const realCancel = speechSynthesis.cancel.bind(speechSynthesis);
speechSynthesis.cancel = () => { window.__cancelled += 1; realCancel(); };
"""


class RatingsEndpoint:
    """/api/public/ratings as the browser meets it: every request recorded, answered with
    ``reply`` (a status code, or "network" for a connection that fails)."""

    def __init__(self, page: Page, site_url: str) -> None:
        parts = urlsplit(site_url)
        self.url = f"{parts.scheme}://{parts.netloc}{RATINGS_PATH}"
        self.requests: list[dict] = []
        self.reply: int | str = 204
        page.route(self.url, self._handle)

    def _handle(self, route) -> None:
        request = route.request
        self.requests.append({
            "method": request.method,
            "content_type": request.headers.get("content-type"),
            "body": json.loads(request.post_data or "null"),
        })
        if self.reply == "network":
            route.abort("connectionfailed")
        elif self.reply == 422:
            route.fulfill(status=422, content_type="application/json",
                          body=json.dumps({"detail": {"comment": "too long"}}))
        else:
            route.fulfill(status=int(self.reply), body="")

    @property
    def bodies(self) -> list[dict]:
        return [request["body"] for request in self.requests]


def until(page: Page, condition, what: str, seconds: float = 10) -> None:
    """Wait for ``condition()`` while the browser runs (Playwright answers routes only while
    it is called: a plain sleep would keep the request waiting)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        page.wait_for_timeout(50)


def open_widget(new_page, url: str, *init_scripts: str) -> Widget:
    page = new_page()
    for script in (RECORD_PRINT_AND_FETCH, *init_scripts):
        page.add_init_script(script)
    widget = open_demo(page, url, "fi")
    widget.launcher.click()
    expect(widget.panel).to_be_visible()
    widget.wait_for_greeting()
    widget.input.focus()
    return widget


def rating_of(entry):
    return entry.locator(".ikn-rating")


def choice(entry, name: str):
    return entry.get_by_role("button", name=name, exact=True)


def status_of(entry):
    return entry.locator('.ikn-rating [role="status"]')


def in_view_in_the_log(page: Page, locator) -> bool:
    """Whether all of ``locator`` is in the visible part of the conversation."""
    log = page.locator(".ikn-log").bounding_box()
    box = locator.bounding_box()
    return box["y"] >= log["y"] - 1 and box["y"] + box["height"] <= log["y"] + log["height"] + 1


def stored_session_id(page: Page) -> str:
    """The session id as the widget keeps it (sessionStorage), as the server gave it."""
    ids = page.evaluate("""() => Object.keys(sessionStorage)
        .filter(key => key.startsWith('ikaneuvo:'))
        .map(key => JSON.parse(sessionStorage.getItem(key)).sessionId)""")
    assert len(ids) == 1 and ids[0], ids
    return ids[0]


def test_the_rating_question_comes_after_a_catalogue_answer_only_and_yes_is_sent(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    page, texts = widget.page, widget.texts
    ratings = RatingsEndpoint(page, demo_with_scripted_rasa)

    widget.say("hei")  # an echo: no answer id
    widget.say(scripted_rasa.SERVICE)  # a catalogue answer in two parts, the id on the second
    bots = widget.entries("bot")
    expect(bots).to_have_count(4)
    expect(page.locator(".ikn-rating")).to_have_count(1)
    # Not on the greeting, the echo, the answer's first part, nor on the user's messages.
    for i in range(3):
        expect(rating_of(bots.nth(i))).to_have_count(0)
    expect(widget.entries("user").locator(".ikn-rating")).to_have_count(0)

    answer = bots.last
    group = answer.get_by_role("group", name=texts["helpfulQuestion"], exact=True)
    expect(group).to_be_visible()
    yes, no = choice(answer, texts["helpfulYes"]), choice(answer, texts["helpfulNo"])
    expect(yes).to_have_attribute("aria-pressed", "false")
    expect(no).to_have_attribute("aria-pressed", "false")
    expect(answer.locator(".ikn-comment")).to_be_hidden()

    yes.click()
    expect(status_of(answer)).to_have_text(texts["feedbackThanks"])
    session_id = stored_session_id(page)
    assert re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{32}", session_id), session_id
    assert ratings.requests == [{
        "method": "POST",
        "content_type": "application/json",
        "body": {"session": session_id, "answer": scripted_rasa.ANSWER_IDS[scripted_rasa.SERVICE],
                 "helpful": True, "lang": "fi"},
    }]
    fetches = [f for f in page.evaluate("() => window.__fetches") if RATINGS_PATH in f["url"]]
    assert fetches == [{"url": ratings.url, "method": "POST", "credentials": "omit",
                        "headers": {"Content-Type": "application/json"}}]
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(no).to_have_attribute("aria-pressed", "false")
    expect(answer.locator(".ikn-comment")).to_be_hidden()

    # A change of mind is sent too, and the comment is offered.
    no.click()
    until(page, lambda: len(ratings.requests) == 2, "the second rating")
    assert ratings.bodies[1] == {"session": session_id,
                                 "answer": scripted_rasa.ANSWER_IDS[scripted_rasa.SERVICE],
                                 "helpful": False, "lang": "fi"}
    expect(yes).to_have_attribute("aria-pressed", "false")
    expect(no).to_have_attribute("aria-pressed", "true")
    comment = answer.get_by_label(texts["feedbackComment"], exact=True)
    expect(comment).to_be_visible()
    # Opened under the fold of the conversation, it is scrolled into view.
    expect(answer.locator(".ikn-comment-send")).to_be_visible()
    until(page, lambda: in_view_in_the_log(page, answer.locator(".ikn-comment-send")),
          "the comment field in view")
    expect(comment).to_have_attribute("maxlength", "300")
    expect(comment).to_have_accessible_description(texts["feedbackCommentHint"])
    expect(answer.locator(".ikn-comment-hint")).to_have_text(texts["feedbackCommentHint"])

    # The stored choice survives a reload; clicking it again sends nothing new.
    page.reload()
    answer = widget.entries("bot").last
    no = choice(answer, texts["helpfulNo"])
    expect(no).to_have_attribute("aria-pressed", "true")
    expect(choice(answer, texts["helpfulYes"])).to_have_attribute("aria-pressed", "false")
    expect(answer.get_by_label(texts["feedbackComment"], exact=True)).to_be_visible()
    no.click()
    page.wait_for_timeout(300)
    assert len(ratings.requests) == 2


def test_a_comment_not_saved_stays_in_its_field_and_is_sent_again(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    page, texts = widget.page, widget.texts
    ratings = RatingsEndpoint(page, demo_with_scripted_rasa)
    ratings.reply = 500
    widget.say("napit")
    page.locator(".ikn-replies button").first.click()  # "Rovaniemi": a catalogue answer
    expect(widget.entries("bot").last).to_contain_text("040 000 0001")
    answer = widget.entries("bot").last
    no = choice(answer, texts["helpfulNo"])
    no.click()
    status = status_of(answer)
    expect(status).to_have_text(texts["feedbackFailed"])
    expect(no).to_have_attribute("aria-pressed", "true")

    written = "Puhelinnumero puuttui, ja aukioloajat."
    comment = answer.get_by_label(texts["feedbackComment"], exact=True)
    comment.fill(written)
    send = answer.locator(".ikn-comment").get_by_role("button", name=texts["send"], exact=True)
    for failure in (500, 422, "network"):
        ratings.reply = failure
        expected = len(ratings.requests) + 1
        send.click()
        until(page, lambda n=expected: len(ratings.requests) == n, f"the comment ({failure})")
        expect(status).to_have_text(texts["feedbackFailed"])
        expect(comment).to_have_value(written)
        expect(comment).to_be_visible()

    ratings.reply = 204
    send.click()
    expect(status).to_have_text(texts["feedbackThanks"])
    assert ratings.bodies[-1] == {
        "session": stored_session_id(page),
        "answer": scripted_rasa.ANSWER_IDS[scripted_rasa.CHOICES[0][1]],
        "helpful": False, "comment": written, "lang": "fi",
    }
    # Sent: the field goes, and the keyboard goes on from the chosen button.
    expect(answer.locator(".ikn-comment")).to_be_hidden()
    assert "ikn-rating-no" in widget.focused_in_widget().split()
    page.reload()
    answer = widget.entries("bot").last
    expect(choice(answer, texts["helpfulNo"])).to_have_attribute("aria-pressed", "true")
    expect(answer.locator(".ikn-comment")).to_be_hidden()


def test_rating_and_commenting_with_the_keyboard_alone(new_page, demo_with_scripted_rasa):
    page = new_page()
    page.add_init_script(RECORD_PRINT_AND_FETCH)
    widget = open_demo(page, demo_with_scripted_rasa, "fi")
    ratings = RatingsEndpoint(page, demo_with_scripted_rasa)
    widget.open_with_keyboard()
    widget.wait_for_greeting()
    texts = widget.texts
    widget.say(scripted_rasa.SERVICE)
    answer = widget.entries("bot").last

    # From the question field back to the rating: Space chooses "Kyllä".
    widget.tab_to("ikn-rating-yes", backwards=True)
    page.keyboard.press("Space")
    expect(status_of(answer)).to_have_text(texts["feedbackThanks"])
    expect(choice(answer, texts["helpfulYes"])).to_have_attribute("aria-pressed", "true")
    # Tab to "Ei", Enter; then Tab reaches the comment, and Enter sends it.
    page.keyboard.press("Tab")
    assert "ikn-rating-no" in widget.focused_in_widget().split()
    page.keyboard.press("Enter")
    until(page, lambda: len(ratings.requests) == 2, "the rating 'Ei'")
    expect(choice(answer, texts["helpfulNo"])).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Tab")
    assert "ikn-comment-input" in widget.focused_in_widget().split()
    page.keyboard.type("Hinta puuttui")
    page.keyboard.press("Enter")
    until(page, lambda: len(ratings.requests) == 3, "the comment")
    assert [(b["helpful"], b.get("comment")) for b in ratings.bodies] == [
        (True, None), (False, None), (False, "Hinta puuttui"),
    ]
    expect(answer.locator(".ikn-comment")).to_be_hidden()
    assert "ikn-rating-no" in widget.focused_in_widget().split()
    # And on to the question field, as before.
    widget.tab_to("ikn-input")


def test_no_wcag_a_or_aa_violations_with_the_rating_the_comment_and_the_tools(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa, STUB_VOICES)
    page, texts = widget.page, widget.texts
    RatingsEndpoint(page, demo_with_scripted_rasa)
    widget.say(scripted_rasa.SERVICE)
    answer = widget.entries("bot").last
    expect(choice(answer, texts["helpfulYes"])).to_be_visible()
    expect(widget.button(texts["printConversation"])).to_be_visible()
    expect(page.locator(".ikn-speak").first).to_be_visible()
    widget.assert_no_axe_violations()

    choice(answer, texts["helpfulNo"]).click()
    expect(status_of(answer)).to_have_text(texts["feedbackThanks"])
    expect(answer.get_by_label(texts["feedbackComment"], exact=True)).to_be_visible()
    widget.assert_no_axe_violations()

    # The new buttons are targets of 44 × 44 px at least, like the others.
    for button in page.locator(".ikn-rating button, .ikn-print, .ikn-speak").all():
        if button.is_visible():
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, (button.inner_text(), box)


def printed_text(page: Page) -> str:
    """What the page shows now (innerText leaves out what is not rendered), the widget's
    shadow root included."""
    return page.evaluate("""() => document.body.innerText + '\\n' +
        document.querySelector('[data-ikaneuvo-widget]').shadowRoot
            .querySelector('.ikn').innerText""")


def test_printing_shows_the_whole_conversation_and_nothing_else(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa, STUB_VOICES)
    page, texts = widget.page, widget.texts
    RatingsEndpoint(page, demo_with_scripted_rasa)
    widget.say(scripted_rasa.SERVICE)
    choice(widget.entries("bot").last, texts["helpfulYes"]).click()
    expect(status_of(widget.entries("bot").last)).to_have_text(texts["feedbackThanks"])
    widget.input.focus()
    widget.say("pitkä")
    log = page.locator(".ikn-log")
    # On the screen the conversation scrolls in its box: printing must undo that.
    assert log.evaluate("e => e.scrollHeight > e.clientHeight + 1")
    session_id = stored_session_id(page)
    expect(page.locator(".ikn-speak").first).to_be_visible()

    print_button = widget.button(texts["printConversation"])
    expect(print_button).to_have_text(texts["printConversation"])
    page_title = page.title()
    print_button.click()
    assert page.evaluate("() => window.__printed") == 1
    assert page.evaluate("() => document.documentElement.classList.contains('ikaneuvo-printing')")
    # The title names a saved PDF and heads the printed pages.
    assert page.title().startswith("Ikäneuvo – keskustelu ")

    page.emulate_media(media="print")
    for part in ("main", ".site-header", ".site-footer", ".skip-link"):
        expect(page.locator(part)).to_be_hidden()
    entries = widget.entries()
    count = entries.count()
    assert count >= 8
    for i in range(count):
        expect(entries.nth(i)).to_be_visible()
    assert log.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && "
                        "getComputedStyle(e).overflowY === 'visible'")
    assert widget.panel.evaluate("e => getComputedStyle(e).position") == "static"
    for hidden in (".ikn-button", ".ikn-rating", ".ikn-speak", ".ikn-input", ".ikn-form",
                   ".ikn-toolbar", ".ikn-header", ".ikn-launcher"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()

    text = printed_text(page)
    assert "Ikäneuvo – keskustelu" in text
    assert page.evaluate("""() => new Intl.DateTimeFormat('fi-FI',
        {day: 'numeric', month: 'long', year: 'numeric'}).format(new Date())""") in text
    assert "040 000 0001" in text
    assert "Kappale 4:" in text  # the end of the long answer
    assert texts["helpfulQuestion"] not in text and texts["feedbackThanks"] not in text
    for secret in (session_id, session_id.split(".")[0], session_id.split(".")[1],
                   *scripted_rasa.ANSWER_IDS.values()):
        assert secret not in text
    assert not re.search(r"[0-9a-f]{32}", text)
    # A named link is printed with its address after it; a phone number is its own text.
    named = page.locator(".ikn-link--named")
    expect(named).to_have_text("Lapin hyvinvointialue")
    assert named.evaluate("e => getComputedStyle(e, '::after').content") == \
        '" (https://lapha.fi/ikaihmiset)"'
    phone = page.locator('.ikn-log a[href="tel:0400000001"]').first
    expect(phone).to_have_text("040 000 0001")
    assert phone.evaluate("e => getComputedStyle(e, '::after').content") == "none"

    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")

    # After printing the page prints as itself again, without the widget.
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.title() == page_title
    expect(page.locator("main")).to_be_visible()
    expect(widget.panel).to_be_hidden()
    page.emulate_media(media="screen")
    expect(widget.panel).to_be_visible()
    assert log.evaluate("e => e.scrollHeight > e.clientHeight + 1")


def test_read_aloud_is_not_offered_without_a_voice(new_page, demo_with_scripted_rasa):
    widget = open_widget(new_page, demo_with_scripted_rasa)
    page = widget.page
    widget.say(scripted_rasa.SERVICE)
    voices = page.evaluate("() => speechSynthesis.getVoices().map(v => v.lang)")
    finnish = [lang for lang in voices if lang.lower().replace("_", "-").split("-")[0] == "fi"]
    if voices:
        # Not the case on the machines the tests were written on (headless Chromium has
        # no voices): then the button must follow the voice list.
        expect(page.locator(".ikn-speak")).to_have_count(2 if finnish else 0)
    else:
        assert voices == []
        expect(widget.entries("bot")).to_have_count(3)
        expect(page.locator(".ikn-entry-head")).to_have_count(2)
        expect(page.locator(".ikn-speak")).to_have_count(0)


def test_read_aloud_reads_an_answer_in_its_language_when_there_is_a_voice_for_it(
    new_page, demo_with_scripted_rasa
):
    widget = open_widget(new_page, demo_with_scripted_rasa, STUB_VOICES)
    page, texts = widget.page, widget.texts
    widget.say(scripted_rasa.SERVICE)
    bots = widget.entries("bot")
    # One button per answer, beside the name on its first part: the greeting, the answer.
    speak = page.locator(".ikn-speak")
    expect(speak).to_have_count(2)
    expect(bots.nth(1).locator(".ikn-speak")).to_have_text(texts["readAloud"])
    expect(bots.nth(2).locator(".ikn-speak")).to_have_count(0)
    expect(widget.entries("user").locator(".ikn-speak")).to_have_count(0)

    button = bots.nth(1).locator(".ikn-speak")
    button.click()
    first, second = scripted_rasa.SERVICE_ANSWER.split("\n\n")
    assert page.evaluate("() => window.__spoken") == [
        {"text": first.replace("[Lapin hyvinvointialue](https://lapha.fi/ikaihmiset)",
                               "Lapin hyvinvointialue"), "lang": "fi-FI"},
        {"text": second, "lang": "fi-FI"},
    ]
    expect(button).to_have_text(texts["stopReading"])
    expect(button).to_have_accessible_name(texts["stopReading"])
    button.click()
    expect(button).to_have_text(texts["readAloud"])
    assert page.evaluate("() => window.__cancelled") >= 1

    # Read to the end: the button is back to "Lue ääneen" by itself.
    bots.first.locator(".ikn-speak").click()
    expect(bots.first.locator(".ikn-speak")).to_have_text(texts["stopReading"])
    assert page.evaluate("() => window.__spoken.at(-1)") == {"text": scripted_rasa.GREETING,
                                                             "lang": "fi-FI"}
    page.evaluate("() => window.__utterances.at(-1).onend()")
    expect(bots.first.locator(".ikn-speak")).to_have_text(texts["readAloud"])

    # A Swedish answer, and only a Finnish voice: no button for it.
    before = bots.count()
    widget.button("Svenska").click()
    widget.wait_for_answer(before)
    swedish = bots.last
    expect(swedish).to_have_attribute("lang", "sv")
    expect(swedish.locator(".ikn-entry-head")).to_have_count(1)
    expect(swedish.locator(".ikn-speak")).to_have_count(0)
    expect(speak).to_have_count(2)

    # The buttons follow the browser's voices as they change (voiceschanged).
    page.evaluate("""() => { window.__voices = [];
        speechSynthesis.dispatchEvent(new Event('voiceschanged')); }""")
    expect(speak).to_have_count(0)
    page.evaluate("""() => { window.__voices = [{lang: 'sv-FI', name: 'Teströst'},
                                                {lang: 'fi-FI', name: 'Testiääni'}];
        speechSynthesis.dispatchEvent(new Event('voiceschanged')); }""")
    expect(speak).to_have_count(3)
    swedish.locator(".ikn-speak").click()
    expect(swedish.locator(".ikn-speak")).to_have_text(widget.texts_in("sv")["stopReading"])
    assert page.evaluate("() => window.__spoken.at(-1)") == {
        "text": scripted_rasa.LANGUAGE_CHANGED["sv"], "lang": "sv-FI"}


@pytest.fixture(scope="module")
def ratings_app(scripted_servers, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The project's web application over a database of its own (migrated, empty) that
    accepts the scripted demo page's origin: its address and the database's."""
    folder = tmp_path_factory.mktemp("ratings")
    database_url = f"sqlite:///{folder / 'catalogue.sqlite3'}"
    migrate(database_url)
    env = {
        "DATABASE_URL": database_url,
        # Empty: the rated answer is not found there, and the rating is stored without it.
        "CONVERSATIONS_DATABASE_URL": f"sqlite:///{folder / 'conversations.sqlite3'}",
        "IKANEUVO_CORS_ORIGINS": " ".join(scripted_servers.origins),
        "IKANEUVO_RASA_URL": scripted_servers.rasa_url,
    }

    def start_app(stack: ExitStack) -> str:
        port = stack.enter_context(ReservedPort())
        with port_taken_check("web-ratings"):
            process = start("web-ratings", web_command(port.port), f"{port.url}/demo", env,
                            timeout=60)
        stack.callback(process.stop)
        return port.url

    with on_fresh_ports(start_app) as url:
        yield url, database_url


def test_the_real_endpoint_stores_what_the_widget_sends(new_page, demo_with_scripted_rasa,
                                                       ratings_app):
    app_url, database_url = ratings_app
    widget = open_widget(new_page, demo_with_scripted_rasa)
    page, texts = widget.page, widget.texts
    replies: list[int] = []

    # The scripted Rasa server accepts the demo page's origin only: the page stays there, and
    # its ratings are passed on, as the browser sent them, to the other web application.
    def pass_on(route) -> None:
        response = route.fetch(url=app_url + RATINGS_PATH)
        replies.append(response.status)
        route.fulfill(response=response)

    page.route(f"**{RATINGS_PATH}", pass_on)
    widget.say(scripted_rasa.SERVICE)
    answer = widget.entries("bot").last
    choice(answer, texts["helpfulYes"]).click()
    expect(status_of(answer)).to_have_text(texts["feedbackThanks"])
    choice(answer, texts["helpfulNo"]).click()
    until(page, lambda: len(replies) == 2, "the second rating")
    comment = answer.get_by_label(texts["feedbackComment"], exact=True)
    comment.fill("Hinta puuttui. Soita minulle 040 123 4567")
    comment.press("Enter")
    until(page, lambda: len(replies) == 3, "the comment")
    expect(answer.locator(".ikn-comment")).to_be_hidden()
    expect(status_of(answer)).to_have_text(texts["feedbackThanks"])
    assert replies == [204, 204, 204]

    engine = get_engine(database_url)
    try:
        with session_scope(engine) as session:
            rows = [(r.helpful, r.comment, r.language)
                    for r in session.scalars(select(AnswerRating))]
    finally:
        engine.dispose()
    # One row, changed by the change of mind; the phone number is not kept.
    assert len(rows) == 1, rows
    helpful, stored_comment, language = rows[0]
    assert (helpful, language) == (False, "fi")
    assert stored_comment.startswith("Hinta puuttui.") and "040 123 4567" not in stored_comment
