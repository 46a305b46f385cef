"""Shared fixtures: a migrated and seeded catalogue, and the real servers when a test needs them."""

from __future__ import annotations

import importlib.util
import os
import socket
from pathlib import Path
from typing import Iterator

import pytest

from bot.catalogue.seed import load_seed
from bot.db import get_engine, session_scope
from bot.db.migrate import migrate

# Two virtualenvs run the tests (scripts/test.sh): the Rasa server's .venv (Rasa 3.6 and its
# pins) and the application's .venv-app (the staff application, the web page and the action
# server on current versions). Each collects the tests of what runs in it; the tests of the
# code both load (catalogue, answers, database) run in both, on SQLAlchemy 1.4 and on 2.
APP_TESTS = {"staff", "test_web_widget.py", "test_actions.py", "test_contact_request_actions.py",
             "test_contact_requests.py"}
SHARED_TESTS = {
    "test_calendar.py", "test_catalogue.py", "test_catalogue_editing.py",
    "test_catalogue_languages.py", "test_contact_form_words.py", "test_contact_request_drafts.py",
    "test_db.py", "test_emergency.py", "test_guidance.py", "test_guidance_languages.py",
    "test_personal_data.py", "test_phone.py", "test_relatives_languages.py",
}
IN_RASA_VENV = importlib.util.find_spec("rasa") is not None
TESTS_DIR = Path(__file__).parent


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    try:
        top = collection_path.relative_to(TESTS_DIR).parts[0]
    except (ValueError, IndexError):
        return None
    if not (top.startswith("test_") or (TESTS_DIR / top / "__init__.py").exists()) \
            or top == "support":
        return None
    if IN_RASA_VENV:
        return True if top in APP_TESTS else None
    return None if top in APP_TESTS | SHARED_TESTS else True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_catalogue(url: str):
    """Migrate and seed the database at ``url``; returns its engine."""
    migrate(url)
    engine = get_engine(url)
    with session_scope(engine) as session:
        load_seed(session)
    return engine


@pytest.fixture(scope="session")
def catalogue_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("catalogue") / "catalogue.sqlite3"
    url = f"sqlite:///{path}"
    make_catalogue(url)
    return url


@pytest.fixture(scope="session")
def engine(catalogue_url):
    return get_engine(catalogue_url)


@pytest.fixture
def fresh_engine(tmp_path):
    """A catalogue of its own, for tests that change data."""
    return make_catalogue(f"sqlite:///{tmp_path / 'catalogue.sqlite3'}")


class RunningSystem:
    def __init__(self, rasa_url: str, action_url: str, database_url: str, system,
                 env: dict[str, str] | None = None) -> None:
        self.rasa_url = rasa_url
        self.action_url = action_url
        self.database_url = database_url
        self.system = system
        self.env = env or {}

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same port, as after a crash."""
        from bot.launcher import start_rasa_server

        rasa = next(p for p in self.system.processes if p.name == "rasa-server")
        rasa.stop()
        action_port = int(self.action_url.rsplit(":", 1)[1])
        rasa_port = int(self.rasa_url.rsplit(":", 1)[1])
        started = start_rasa_server(rasa_port, action_port, self.env)
        self.system.processes[self.system.processes.index(rasa)] = started

    def say(self, sender: str, text: str) -> list[dict]:
        import httpx

        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def say_text(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text))


@pytest.fixture(scope="session")
def running_system(tmp_path_factory) -> Iterator[RunningSystem]:
    """The real action server and Rasa server on free ports, over a catalogue of their own."""
    from bot.launcher import System, start_action_server, start_rasa_server, train

    path: Path = tmp_path_factory.mktemp("running") / "catalogue.sqlite3"
    url = os.environ.get("IKANEUVO_TEST_SYSTEM_DATABASE_URL") or f"sqlite:///{path}"
    make_catalogue(url)
    train(force=False)
    action_port, rasa_port = free_port(), free_port()
    conversations = tmp_path_factory.mktemp("conversations") / "conversations.sqlite3"
    env = {"DATABASE_URL": url, "CONVERSATIONS_DATABASE_URL": f"sqlite:///{conversations}"}
    system = System()
    try:
        system.processes.append(start_action_server(action_port, env))
        system.processes.append(start_rasa_server(rasa_port, action_port, env))
        yield RunningSystem(
            f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", url, system, env
        )
    finally:
        system.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server (Debian's package), started for this test session."""
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def any_engine(request, catalogue_url):
    """The seeded catalogue on SQLite and on PostgreSQL: catalogue tests run on both."""
    if request.param == "sqlite":
        return get_engine(catalogue_url)
    return make_catalogue(request.getfixturevalue("postgres_url"))
