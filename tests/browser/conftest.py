"""Fixtures of the browser tests: Debian's Chromium driven by Playwright for Python, the web
application on free ports that the Rasa servers accept as origins, and a scripted stand-in for
Rasa.

The Rasa server of ``running_system`` reads its allowed origins from ``IKANEUVO_CORS_ORIGINS``
when it starts, so the web application's ports are chosen, and added to that variable, when
this file is loaded: at collection, before any server starts.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

from bot.config import PROJECT_ROOT, cors_origins
from bot.launcher import start
from tests.browser.servers import WEB_PORTS, free_port, start_web_app, web_origin

# Debian's Chromium, as root in a container, without anything that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"


def pytest_configure(config) -> None:
    origins = cors_origins() + [web_origin(name) for name in WEB_PORTS]
    os.environ["IKANEUVO_CORS_ORIGINS"] = " ".join(dict.fromkeys(origins))


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps an event loop running in this thread while it
    # is open, which would break every asyncio test that runs after the browser tests.
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make setup`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Pages in fresh browser contexts; a JavaScript error on any of them fails the test."""
    contexts, errors = [], []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("locale", "fi-FI")
        context = browser.new_context(**options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def demo_with_rasa(running_system) -> Iterator[str]:
    """The demo page's address, its widget talking to the real Rasa server."""
    process = start_web_app("rasa", running_system.rasa_url)
    try:
        yield f"{web_origin('rasa')}/demo"
    finally:
        process.stop()


@pytest.fixture(scope="session")
def scripted_rasa_url() -> Iterator[str]:
    """A stand-in for Rasa with scripted answers (tests/browser/scripted_rasa.py)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start("scripted-rasa", [sys.executable, "-m", "tests.browser.scripted_rasa",
                                      str(port)], f"{url}/", timeout=120)
    try:
        yield url
    finally:
        process.stop()


@pytest.fixture(scope="session")
def demo_with_scripted_rasa(scripted_rasa_url) -> Iterator[str]:
    """The demo page's address, its widget talking to the scripted stand-in."""
    process = start_web_app("scripted", scripted_rasa_url)
    try:
        yield f"{web_origin('scripted')}/demo"
    finally:
        process.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
