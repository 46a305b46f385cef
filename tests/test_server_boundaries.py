"""What the running Rasa server and action server let in (the real servers, as `make run`
starts them): loopback only, Rasa's API only with a signed bearer token, no secret in a URL or
a process list, and the action server only for callers with the secret."""

from __future__ import annotations

import time
import uuid

import httpx
import psutil
import pytest

from bot.config import settings
from bot.rasa_server import api_token

pytestmark = pytest.mark.slow


def processes(running_system) -> dict[str, psutil.Process]:
    return {p.name: psutil.Process(p.popen.pid) for p in running_system.system.processes}


def test_the_api_without_a_token_is_refused(running_system):
    for method, path in (("GET", "/status"), ("POST", "/model/parse"),
                         ("GET", "/conversations/someone/tracker")):
        reply = httpx.request(method, f"{running_system.rasa_url}{path}", timeout=10,
                              json={"text": "hei"} if method == "POST" else None)
        assert reply.status_code == 401, path


def test_a_token_in_the_url_is_refused(running_system):
    secret = settings().rasa_jwt_secret
    for token in (secret, api_token(secret)):
        reply = httpx.get(f"{running_system.rasa_url}/status", params={"token": token},
                          timeout=10)
        assert reply.status_code == 401


def test_a_token_signed_with_another_secret_is_refused(running_system):
    forged = api_token("not-the-secret-" * 3)
    reply = httpx.get(f"{running_system.rasa_url}/status", timeout=10,
                      headers={"Authorization": f"Bearer {forged}"})
    assert reply.status_code == 401


def test_a_signed_bearer_token_is_let_in(running_system):
    token = api_token(settings().rasa_jwt_secret)
    reply = httpx.post(f"{running_system.rasa_url}/model/parse", json={"text": "hei"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert reply.status_code == 200 and reply.json()["intent"]["name"]


def test_no_secret_is_in_a_command_line(running_system):
    secrets = [settings().rasa_jwt_secret, settings().action_secret]
    for name, process in processes(running_system).items():
        command_line = " ".join(process.cmdline())
        assert "--auth-token" not in command_line and "--jwt-secret" not in command_line, name
        for secret in secrets:
            assert secret not in command_line, name


def test_both_servers_listen_on_loopback_only(running_system):
    for name, process in processes(running_system).items():
        listening = [c.laddr for p in (process, *process.children(recursive=True))
                     for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        assert listening, name
        assert {address.ip for address in listening} <= {"127.0.0.1"}, (name, listening)


def test_the_action_server_refuses_the_webhook_without_the_secret(running_system):
    reply = httpx.post(f"{running_system.action_url}/webhook", timeout=10,
                       json={"next_action": "action_submit_contact_request"})
    assert reply.status_code == 403


def say(running_system, sender: str, text: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{running_system.rasa_url}/webhooks/rest/webhook",
                      json={"sender": sender, "message": text}, timeout=timeout)


def test_a_megabyte_message_gets_the_polite_answer_and_holds_no_one_up(running_system):
    from bot.message_guard import channel_answer

    started = time.monotonic()
    reply = say(running_system, f"huge-{uuid.uuid4()}", "apua " * 200_000)
    assert reply.status_code == 200
    assert [m["text"] for m in reply.json()] == [channel_answer("utter_message_too_long",
                                                                "fi")["text"]]
    # The next person is answered as usual, and soon.
    answer = say(running_system, f"next-{uuid.uuid4()}", "Paljonko turvapuhelin maksaa",
                 timeout=10)
    assert answer.status_code == 200 and answer.json()
    assert time.monotonic() - started < 15


def test_rest_cannot_write_into_a_web_chat_conversation(running_system):
    reply = say(running_system, uuid.uuid4().hex, "hei")
    assert reply.status_code == 403 and "reserved" in reply.text


def test_a_body_past_the_servers_limit_is_not_read(running_system):
    reply = httpx.post(f"{running_system.rasa_url}/webhooks/rest/webhook", timeout=30,
                       content=b'{"sender": "x", "message": "' + b"a" * (3 * 1024 * 1024)
                       + b'"}', headers={"Content-Type": "application/json"})
    assert reply.status_code == 413
