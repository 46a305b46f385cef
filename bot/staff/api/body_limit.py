"""Request bodies of the staff API are limited before anything parses them.

FastAPI reads and parses a request's whole JSON body before the token dependency runs, so
without this anyone could make the API read any amount without a token. Here:

- a request that carries a body but no API token (``Authorization: Bearer ikn_…``) is
  refused at once, unread (401);
- one with a token may send ``MAX_BODY_BYTES`` (a whole county's PTV export fits); a declared
  ``Content-Length`` above it is refused unread, and a body sent without one is counted as it
  arrives and refused the moment it passes the limit (413).

The token itself is checked afterwards, as for every request (``deps.api_user``).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.staff.accounts import TOKEN_PREFIX
from bot.staff.api.deps import TEXTS

MAX_BODY_BYTES = 20 * 1024 * 1024
TOO_LARGE = "Pyyntö on liian suuri: enintään 20 megatavua."
BODYLESS = {"GET", "HEAD", "OPTIONS", "DELETE"}


class _TooLarge(Exception):
    pass


async def _problem(send: Send, status: int, detail: str) -> None:
    # The API's own error form (``deps.add_problem_responses``).
    body = json.dumps({"detail": detail, "errors": {}}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODYLESS:
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if not authorization.lower().startswith("bearer " + TOKEN_PREFIX):
            await _problem(send, 401, TEXTS["token"])
            return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _problem(send, 413, TOO_LARGE)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _problem(send, 413, TOO_LARGE)
