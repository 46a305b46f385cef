"""The staff admin's gate: who is signed in, CSRF tokens on every form, deny by default.

A pure ASGI middleware in front of the admin application:

- it reads the session cookie and finds the signed-in user (sessions expire when idle and
  after a maximum age); nobody signed in gets only the sign-in pages (the password, then the
  second factor's code) and static files; where administrators must have a second factor,
  one without it gets only the page that sets it up;
- every request that changes something (any method but GET/HEAD/OPTIONS) must carry the
  form token, as the ``csrf_token`` form field or the ``X-CSRF-Token`` header; the token is an
  HMAC of a random cookie, so another site can neither read nor forge it;
- it sets the cookies the endpoints ask for (``scope["staff_cookies"]``), always HttpOnly and
  SameSite=Lax, and Secure unless configured off for local plain-HTTP use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextvars import ContextVar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import anyio
from sqlalchemy.engine import Engine
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.db import session_scope
from bot.staff.accounts import session_user
from bot.staff.audit import Actor, current_actor
from bot.staff.models import StaffUser
from bot.staff.second_factor import TEXTS as SECOND_FACTOR_TEXTS
from bot.staff.second_factor import needs_setting_up
from bot.staff.settings import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    StaffSettings,
)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# The code page finds its own session, the one awaiting a code (bot.staff.second_factor).
PUBLIC_PATHS = ("/login", "/login/code")
# What an administrator who must set up a second factor first may open.
SETUP_PATHS = ("/account", "/logout")
PUBLIC_PREFIXES = ("/statics/", "/staff-static/")
TEXTS = {
    "csrf": "Lomakkeen tarkiste puuttuu tai on vanhentunut. Lataa sivu uudelleen ja yritä "
    "sitten uudelleen.",
    "signed_out": "Kirjaudu ensin sisään.",
    "too_large": "Lomake on liian suuri.",
}

current_user: ContextVar[StaffUser | None] = ContextVar("current_staff_user", default=None)


def csrf_token_for(secret_key: str, cookie_value: str) -> str:
    return hmac.new(secret_key.encode(), cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token to put in every form of this page (a Jinja global)."""
    return request.scope.get("staff_csrf_token", "")


def request_user(request: Request) -> StaffUser | None:
    return request.scope.get("staff_user")


def _route_path(scope: Scope) -> str:
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def _cookie_header(name: str, value: str, path: str, settings: StaffSettings,
                   clear: bool = False) -> bytes:
    morsel = SimpleCookie()
    morsel[name] = value
    item = morsel[name]
    item["path"] = path or "/"
    item["httponly"] = True
    item["samesite"] = "Lax"
    if settings.cookie_secure:
        item["secure"] = True
    if clear:
        item["max-age"] = 0
        item["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
    return item.OutputString().encode("latin-1")


MAX_FORM_BYTES = 5 * 1024 * 1024


class _TooLarge(Exception):
    pass


async def _read_body(receive: Receive) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _submitted_token(scope: Scope, body: bytes, receive: Receive) -> str | None:
    headers = Headers(scope=scope)
    token = headers.get(CSRF_HEADER)
    if token:
        return token
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True)
        found = values.get(CSRF_FIELD)
        return found[0] if found else None
    if content_type.startswith("multipart/form-data"):
        form = await Request(scope, _replay(body, receive)).form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


class StaffSecurityMiddleware:
    def __init__(self, app: ASGIApp, engine: Engine, settings: StaffSettings) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings

    def _lookup(self, token: str | None) -> StaffUser | None:
        with session_scope(self.engine) as session:
            return session_user(session, token, self.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie_path = scope.get("root_path") or "/"
        new_cookies: list[bytes] = []
        csrf_cookie = request.cookies.get(CSRF_COOKIE, "")
        if len(csrf_cookie) < 32:
            csrf_cookie = secrets.token_urlsafe(32)
            new_cookies.append(_cookie_header(CSRF_COOKIE, csrf_cookie, cookie_path,
                                              self.settings))
        expected = csrf_token_for(self.settings.secret_key, csrf_cookie)
        scope["staff_csrf_token"] = expected
        scope["staff_cookies"] = {}

        if scope["method"] not in SAFE_METHODS:
            try:
                body = await _read_body(receive)
            except _TooLarge:
                await PlainTextResponse(TEXTS["too_large"], status_code=413)(scope, receive, send)
                return
            submitted = await _submitted_token(scope, body, receive)
            receive = _replay(body, receive)
            if not submitted or not hmac.compare_digest(submitted, expected):
                await PlainTextResponse(TEXTS["csrf"], status_code=403)(scope, receive, send)
                return

        user = await anyio.to_thread.run_sync(self._lookup, request.cookies.get(SESSION_COOKIE))
        scope["staff_user"] = user
        path = _route_path(scope)
        public = path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)
        if user is None and not public:
            if scope["method"] in SAFE_METHODS:
                response: Any = RedirectResponse(f"{scope.get('root_path', '')}/login", 302)
            else:
                response = PlainTextResponse(TEXTS["signed_out"], status_code=401)
            await response(scope, receive, self._send_with_cookies(send, new_cookies, scope,
                                                                   cookie_path))
            return
        if needs_setting_up(user, self.settings) and not (
                path in SETUP_PATHS or path.startswith(PUBLIC_PREFIXES)):
            if scope["method"] in SAFE_METHODS:
                response = RedirectResponse(f"{scope.get('root_path', '')}/account", 302)
            else:
                response = PlainTextResponse(SECOND_FACTOR_TEXTS["required"], status_code=403)
            await response(scope, receive, self._send_with_cookies(send, new_cookies, scope,
                                                                   cookie_path))
            return

        client = scope.get("client")
        actor = Actor(user.id, user.email, "admin", client[0] if client else None) if user else None
        user_token = current_user.set(user)
        actor_token = current_actor.set(actor)
        try:
            await self.app(scope, receive,
                           self._send_with_cookies(send, new_cookies, scope, cookie_path))
        finally:
            current_actor.reset(actor_token)
            current_user.reset(user_token)

    def _send_with_cookies(self, send: Send, cookies: list[bytes], scope: Scope,
                           path: str) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                for header in cookies:
                    headers.append((b"set-cookie", header))
                for name, value in scope.get("staff_cookies", {}).items():
                    headers.append((b"set-cookie", _cookie_header(
                        name, value or "", path, self.settings, clear=value is None)))
                headers.append((b"cache-control", b"no-store"))
                headers.append((b"x-frame-options", b"DENY"))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped


__all__ = [
    "SESSION_COOKIE",
    "StaffSecurityMiddleware",
    "csrf_token",
    "current_user",
    "request_user",
]
