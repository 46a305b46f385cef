"""Fixtures of the browser tests: Debian's Chromium driven by Playwright for Python, the web
application on ports that the Rasa servers accept as origins, and a scripted stand-in for Rasa.

The shared Rasa server of ``running_system`` (tests/conftest.py) reads its allowed origins from
``IKANEUVO_CORS_ORIGINS`` when it starts, and a test elsewhere may start it before any browser
test runs. So the port of the web application that talks to it is reserved, and its origin added
to that variable, when this file is loaded; the port stays held (``ReservedPort``) until that
web application starts on it. The other servers (the scripted stand-in and its web application,
the outage test's) get their ports in the fixture that starts them, just before they start,
and their allowed origins from it.
"""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from bot.config import PROJECT_ROOT
from bot.launcher import start
from tests.browser.servers import on_fresh_ports, origins_with, port_taken_check, start_web_app
from tests.support.ports import ReservedPort

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


# The port of the web application whose widget talks to the shared Rasa server.
RASA_WEB_PORT = pytest.StashKey[ReservedPort]()


def pytest_configure(config) -> None:
    port = config.stash[RASA_WEB_PORT] = ReservedPort()
    os.environ["IKANEUVO_CORS_ORIGINS"] = " ".join(origins_with(port.url))


def pytest_unconfigure(config) -> None:
    if RASA_WEB_PORT in config.stash:
        config.stash[RASA_WEB_PORT].close()


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
def demo_with_rasa(running_system, pytestconfig) -> Iterator[str]:
    """The demo page's address, its widget talking to the real Rasa server; the web
    application over that system's catalogue and stored conversations (the ratings)."""
    port = pytestconfig.stash[RASA_WEB_PORT]
    # No new port if this one was taken after all: the Rasa server allows this origin only.
    process = start_web_app("rasa", port.port, running_system.rasa_url, running_system.env)
    try:
        yield f"{port.url}/demo"
    finally:
        process.stop()


@dataclass
class ScriptedServers:
    rasa_url: str
    demo_url: str
    origins: list[str]


def start_scripted_servers(stack: ExitStack) -> ScriptedServers:
    rasa_port = stack.enter_context(ReservedPort())
    web_port = stack.enter_context(ReservedPort())
    origins = origins_with(web_port.url)
    command = [sys.executable, "-m", "tests.browser.scripted_rasa", str(rasa_port.port)]
    with port_taken_check("scripted-rasa"):
        rasa = start("scripted-rasa", command, f"{rasa_port.url}/",
                     {"IKANEUVO_CORS_ORIGINS": " ".join(origins)}, timeout=120)
    stack.callback(rasa.stop)
    web = start_web_app("scripted", web_port.port, rasa_port.url)
    stack.callback(web.stop)
    return ScriptedServers(rasa_port.url, f"{web_port.url}/demo", origins)


@pytest.fixture(scope="session")
def scripted_servers() -> Iterator[ScriptedServers]:
    """A stand-in for Rasa with scripted answers (tests/browser/scripted_rasa.py) that allows
    the origins ``origins``, and the demo page at ``demo_url``, its widget talking to it."""
    with on_fresh_ports(start_scripted_servers) as servers:
        yield servers


@pytest.fixture(scope="session")
def scripted_rasa_url(scripted_servers) -> str:
    return scripted_servers.rasa_url


@pytest.fixture(scope="session")
def demo_with_scripted_rasa(scripted_servers) -> str:
    return scripted_servers.demo_url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
