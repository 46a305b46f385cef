"""Driving the chat widget in a page as a person would, and reading what it shows.

Playwright's CSS selectors reach into the widget's (open) shadow root. The widget's own texts
are read from the page (``IkaneuvoWidget.texts``): they live in widget.js only.

``open_demo`` shows the widget on the demo page in one of its languages (/demo, /demo/sv, …).
``open_made_up_page`` on a page with any ``<html lang>`` and ``data-lang``, made up by the
browser itself (``page.route``) at an address of the web application: enough to see the
language the widget starts in, but it cannot connect, since Chromium does not let a page
that did not come from a local server talk to one (local network access).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations, axe_violations

ANSWER_TIMEOUT_MS = 60_000


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page

    # ------------------------------------------------------------------ what is on the page

    @property
    def texts(self) -> dict:
        """The widget's own texts in its current language."""
        return self.page.evaluate("() => IkaneuvoWidget.texts[IkaneuvoWidget.language()]")

    def texts_in(self, lang: str) -> dict:
        return self.page.evaluate("(lang) => IkaneuvoWidget.texts[lang]", lang)

    @property
    def language(self) -> str:
        """The widget's current language."""
        return self.page.evaluate("() => IkaneuvoWidget.language()")

    @property
    def root(self):
        """The widget's root element, which carries its ``lang``."""
        return self.page.locator(".ikn")

    @property
    def phone(self) -> str:
        return self.page.evaluate("() => IkaneuvoWidget.widget.config.phone")

    @property
    def launcher(self):
        return self.page.locator(".ikn-launcher")

    @property
    def panel(self):
        return self.page.locator(".ikn-panel")

    @property
    def input(self):
        return self.page.locator(".ikn-input")

    def entries(self, who: str = ""):
        return self.page.locator(f".ikn-entry--{who}" if who else ".ikn-entry")

    def entry_texts(self) -> list[str]:
        return [text.strip() for text in self.entries().locator(".ikn-bubble").all_inner_texts()]

    def button(self, name: str):
        return self.page.locator(".ikn").get_by_role("button", name=name, exact=True)

    def session_id(self) -> str | None:
        return self.page.evaluate("() => IkaneuvoWidget.widget.state.sessionId")

    def focused_in_widget(self) -> str:
        """The class of the widget element that has the keyboard focus ("" if none)."""
        return self.page.evaluate(
            """() => {
                const host = document.querySelector('[data-ikaneuvo-widget]');
                const active = host && host.shadowRoot.activeElement;
                return active ? active.className : '';
            }"""
        )

    # ------------------------------------------------------------------ doing things

    def open_with_keyboard(self, max_tabs: int = 60) -> None:
        """Tab from the top of the page to the widget's button and press Enter."""
        self.page.locator("body").focus()
        for _ in range(max_tabs):
            self.page.keyboard.press("Tab")
            if "ikn-launcher" in self.focused_in_widget():
                break
        else:
            raise AssertionError("The widget's button was not reached with the Tab key")
        self.page.keyboard.press("Enter")
        expect(self.panel).to_be_visible()
        expect(self.input).to_be_focused()

    def tab_to(self, class_name: str, backwards: bool = False, max_presses: int = 40) -> None:
        """Press Tab (or Shift+Tab) until a widget element with this class has the focus."""
        for _ in range(max_presses):
            if class_name in self.focused_in_widget().split():
                return
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"{class_name} was not reached with the keyboard")

    def type_message(self, text: str) -> None:
        """Type into the focused text field and press Enter."""
        expect(self.input).to_be_focused()
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def wait_for_answer(self, bot_entries_before: int) -> None:
        """Until a new bot message has come and the assistant has finished answering."""
        expect(self.entries("bot")).not_to_have_count(bot_entries_before,
                                                       timeout=ANSWER_TIMEOUT_MS)
        expect(self.page.locator(".ikn-typing--shown")).to_have_count(0,
                                                                      timeout=ANSWER_TIMEOUT_MS)

    def say(self, text: str) -> None:
        before = self.entries("bot").count()
        self.type_message(text)
        self.wait_for_answer(before)

    def wait_for_greeting(self) -> None:
        expect(self.entries("bot")).not_to_have_count(0, timeout=ANSWER_TIMEOUT_MS)
        expect(self.page.locator(".ikn-typing--shown")).to_have_count(0,
                                                                      timeout=ANSWER_TIMEOUT_MS)

    def answer_start_in_view(self) -> bool:
        """Whether the first part of the latest answer is in view in the conversation."""
        return self.page.evaluate(
            """() => {
                const root = document.querySelector('[data-ikaneuvo-widget]').shadowRoot;
                const log = root.querySelector('.ikn-log');
                const entries = [...log.querySelectorAll('.ikn-entry')];
                const lastUser = entries.map(e => e.classList.contains('ikn-entry--user'))
                    .lastIndexOf(true);
                const first = entries.slice(lastUser + 1)
                    .find(e => e.classList.contains('ikn-entry--bot'));
                const box = log.getBoundingClientRect(), top = first.getBoundingClientRect().top;
                return top >= box.top - 1 && top < box.bottom;
            }"""
        )

    def expected_notice(self, lead: str) -> str:
        texts = self.texts
        help_text = (texts["helpWithPhone"].replace("{phone}", self.phone) if self.phone
                     else texts["helpWithoutPhone"])
        return f"{texts[lead]} {help_text}"

    # ------------------------------------------------------------------ checking

    def axe_violations(self) -> list[dict]:
        """axe-core's WCAG 2.0/2.1 A and AA violations on the whole page, widget included."""
        return axe_violations(self.page)

    def assert_no_axe_violations(self) -> None:
        assert_no_axe_violations(self.page)


def digits(text: str) -> str:
    return re.sub(r"[^0-9+]", "", text)


def open_demo(page: Page, site_url: str, lang: str) -> Widget:
    """Go to the demo page in ``lang`` of the web application at ``site_url``."""
    parts = urlsplit(site_url)
    path = "/demo" if lang == "fi" else f"/demo/{lang}"
    page.goto(f"{parts.scheme}://{parts.netloc}{path}")
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    return widget


def open_made_up_page(page: Page, site_url: str, lang: str, rasa_url: str,
                      data_lang: str | None = None) -> Widget:
    """Go to a page with ``<html lang=LANG>`` (and ``data-lang`` on the script tag, if
    given), served by the browser at an address of the web application ``site_url``. Its
    widget cannot connect to ``rasa_url`` (see above)."""
    parts = urlsplit(site_url)
    url = f"{parts.scheme}://{parts.netloc}/made-up-page"
    data_lang_attribute = f' data-lang="{html.escape(data_lang)}"' if data_lang else ""
    body = f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
  <meta charset="utf-8">
  <title>Ikäneuvo</title>
  <script src="/widget/widget.js" data-server-url="{html.escape(rasa_url)}"
          data-open="false"{data_lang_attribute} defer></script>
</head>
<body><main><h1>Ikäneuvo</h1></main></body>
</html>"""
    page.route(url, lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=body))
    page.goto(url)
    widget = Widget(page)
    expect(widget.launcher).to_be_visible()
    return widget
