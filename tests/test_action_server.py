"""The action server answers only the Rasa servers: a forged tracker without the action secret
stores nothing (the real action server, started on its own port)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from bot.action_server import SECRET_HEADER, secret_matches
from bot.config import PROJECT_ROOT
from bot.contact_requests import submit
from bot.contact_requests.drafts import KEPT_IN_DRAFT
from bot.contact_requests.models import ContactRequest, ContactRequestDraft
from bot.db import get_engine, session_scope
from bot.launcher import start_action_server
from tests.conftest import make_catalogue
from tests.support.ports import ReservedPort

SECRET = "s" * 40


@pytest.fixture(scope="module")
def action_server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The action server's address and its own catalogue's URL."""
    root: Path = tmp_path_factory.mktemp("action-server")
    url = f"sqlite:///{root / 'catalogue.sqlite3'}"
    make_catalogue(url)
    with ReservedPort() as port:
        process = start_action_server(port.port, {
            "DATABASE_URL": url, "IKANEUVO_ACTION_SECRET": SECRET,
            "IKANEUVO_VAR_DIR": str(root),
        })
        try:
            yield port.url, url
        finally:
            process.stop()


def domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def action_call(action: str, sender: str, slots: dict, text: str = "kyllä") -> dict:
    """What the Rasa server posts to /webhook to run ``action``."""
    message = {"text": text, "intent": {"name": "affirm", "confidence": 1.0}, "entities": []}
    all_slots = {name: None for name in domain()["slots"]}
    all_slots.update(slots)
    return {
        "next_action": action, "sender_id": sender, "version": "3.6.21",
        "tracker": {
            "sender_id": sender, "slots": all_slots, "latest_message": message,
            "events": [{"event": "user", "text": text, "parse_data": message}],
            "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": domain(),
    }


def counts(database_url: str) -> tuple[int, int]:
    with session_scope(get_engine(database_url)) as session:
        return (session.scalar(select(func.count()).select_from(ContactRequest)),
                session.scalar(select(func.count()).select_from(ContactRequestDraft)))


SUBMIT_SLOTS = {"municipality": "240", "cr_for_whom": "self", "cr_consent": True,
                "cr_confirming": True, "cr_topic": KEPT_IN_DRAFT, "cr_name": KEPT_IN_DRAFT,
                "cr_phone": KEPT_IN_DRAFT}
FORGED_NAME = {"requested_slot": "cr_name", "cr_name": "Väärä Nimi"}


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: ""},
                                     {"Authorization": f"Bearer {SECRET}"}])
def test_a_forged_tracker_without_the_secret_stores_nothing(action_server, headers):
    address, database_url = action_server
    before = counts(database_url)
    for action, slots in (("validate_contact_request_form", FORGED_NAME),
                          ("action_submit_contact_request", SUBMIT_SLOTS)):
        reply = httpx.post(f"{address}/webhook", headers=headers, timeout=10,
                           json=action_call(action, "forged-caller", slots))
        assert reply.status_code == 403
        assert "events" not in reply.text
    assert counts(database_url) == before


def test_a_compressed_body_without_the_secret_is_refused_before_it_is_inflated(action_server):
    address, _ = action_server
    # 64 MB of zeros in some 64 kB: inflated, it would fill the server's memory.
    bomb = zlib.compress(b"0" * (64 * 1024 * 1024), 9)
    reply = httpx.post(f"{address}/webhook", content=bomb, timeout=10,
                       headers={"Content-Encoding": "deflate",
                                "Content-Type": "application/json"})
    assert reply.status_code == 403


def test_the_list_of_actions_is_not_given_without_the_secret(action_server):
    address, _ = action_server
    assert httpx.get(f"{address}/actions", timeout=10).status_code == 403
    assert httpx.get(f"{address}/health", timeout=10).status_code == 200


def test_the_rasa_servers_call_with_the_secret_still_works(action_server, monkeypatch):
    # The same forged submit that was refused above, with the secret: it would have stored a
    # request (so the refusal is what protects staff from phoning a made-up caller).
    address, database_url = action_server
    monkeypatch.setenv("DATABASE_URL", database_url)
    sender = "rasa-caller"
    submit.start_form(sender)
    for slot, value in (("cr_topic", "apua kotiin"), ("cr_name", "Testi Asiakas"),
                        ("cr_phone", "040 0000098")):
        submit.keep_form_answer(sender, slot, value)
    requests_before, _ = counts(database_url)
    reply = httpx.post(f"{address}/webhook", headers={SECRET_HEADER: SECRET}, timeout=30,
                       content=json.dumps(action_call("action_submit_contact_request", sender,
                                                      SUBMIT_SLOTS)))
    assert reply.status_code == 200
    assert counts(database_url)[0] == requests_before + 1


def test_the_secret_is_compared_whole():
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(SECRET[:-1], SECRET)
    assert not secret_matches(None, SECRET)
    assert not secret_matches("", "")


def test_the_rasa_servers_endpoints_send_the_secret_from_their_environment(tmp_path,
                                                                           monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    from bot.launcher import endpoints_yaml

    path = tmp_path / "endpoints.yml"
    path.write_text(endpoints_yaml(5055))
    assert SECRET not in path.read_text()  # the file names the variable, not the secret
    monkeypatch.setenv("IKANEUVO_ACTION_SECRET", SECRET)
    endpoint = read_endpoint_config(str(path), "action_endpoint")
    assert endpoint.headers == {SECRET_HEADER: SECRET}
