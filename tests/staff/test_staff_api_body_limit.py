"""The staff API reads no body before it knows the request has a token, and none too large."""

from __future__ import annotations

import asyncio

from bot.staff.api.body_limit import MAX_BODY_BYTES, BodyLimit


def test_an_anonymous_body_is_refused_unread(api_client):
    reply = api_client(None).post("/api/import", content=b"[" + b"1," * 1000 + b"1]",
                                  headers={"Content-Type": "application/json"})
    assert reply.status_code == 401 and "API-avain" in reply.json()["detail"]
    assert reply.headers["www-authenticate"] == "Bearer"


def test_a_declared_oversized_body_is_refused_unread(api_client):
    reply = api_client("admin").post("/api/import", content=b"{}", headers={
        "Content-Type": "application/json", "Content-Length": str(MAX_BODY_BYTES + 1)})
    assert reply.status_code == 413


def test_an_authorised_body_within_the_limit_is_read(api_client):
    reply = api_client("admin").post("/api/import?format=json", json={"format": "other"})
    assert reply.status_code == 422  # read and checked: not an export


class Spy:
    """An app that reads its whole body, and records whether it was called at all."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(app, headers: list, chunks: list[bytes]) -> tuple[int, int]:
    """Sends ``chunks`` as one streamed body; returns (status, chunks the app pulled)."""
    pulled, sent = 0, []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunks[pulled - 1],
                "more_body": pulled < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/import", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], pulled


def test_a_streamed_body_is_cut_off_as_soon_as_it_passes_the_limit():
    spy = Spy()
    limit = BodyLimit(spy, limit=1000)
    status, pulled = run(limit, [(b"authorization", b"Bearer ikn_x")], [b"a" * 600] * 50)
    assert status == 413 and pulled == 2  # not all 50 chunks
    spy_anonymous = Spy()
    status, pulled = run(BodyLimit(spy_anonymous), [], [b"a" * 600] * 50)
    assert status == 401 and pulled == 0 and not spy_anonymous.called
