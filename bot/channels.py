"""Rasa's socket.io channel for the citizens' web chat widget, with three repairs.

credentials.yml names this class in place of ``socketio``. It is Rasa 3.6's own channel (same
events, ``session_persistence``, JWT, the name ``socketio``), with these changes:

1. **Origins.** Rasa creates its socket.io server with ``cors_allowed_origins=[]``, which turns
   python-engineio's origin check off and leaves CORS to Sanic-CORS (``rasa run --cors``). That
   protects only the HTTP long-polling transport: browsers apply no CORS to WebSockets, so a page
   on any site could open a WebSocket to the channel and chat through it. Here a socket.io
   connection whose ``Origin`` header is not in ``IKANEUVO_CORS_ORIGINS`` (the list the launcher
   also passes to ``--cors``) is refused, and python-socketio then ignores its events. Requests
   without an ``Origin`` header do not come from a web page and are let through, as
   python-engineio's own check does. (That check is not used because it also adds CORS headers,
   which Sanic-CORS adds again: browsers reject two ``Access-Control-Allow-Origin`` headers.)
2. **Joining the session.** Rasa calls ``sio.enter_room(...)`` without ``await``; in
   python-socketio 5.x (5.18 here) that is a coroutine, so the socket never joined its session's
   room and, with ``session_persistence``, no answer ever reached the browser. Here it is awaited.
3. **Whose session.** A session id the client asks for is used only if it looks like one Rasa
   hands out (32 hex digits); a message is handled only for the session its socket asked for,
   so a socket cannot write into another conversation by naming its id.
"""

from __future__ import annotations

import inspect
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Iterable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.config import settings

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


def origin_allowed(origin: str | None, allowed: Iterable[str]) -> bool:
    """Whether a connection with this ``Origin`` header may use the channel."""
    if not origin:
        return True
    allowed = [a.rstrip("/") for a in allowed]
    return "*" in allowed or origin.rstrip("/") in allowed


def valid_session_id(value: Any) -> str:
    """The requested session id if it is one Rasa would make, else a new one."""
    if isinstance(value, str) and SESSION_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class AllowedOriginsSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel for the allowed origins, with sessions that work."""

    def __init__(self, *args: Any, allowed_origins: Iterable[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed_origins is None:
            allowed_origins = settings().cors_origins
        self.allowed_origins = list(allowed_origins)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        namespace = self.namespace or "/"
        rasa_connect = sio.handlers[namespace]["connect"]
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]

        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, self.allowed_origins):
                logger.warning("Refused a socket.io connection from origin %s", origin)
                return False
            return await rasa_connect(sid, environ, auth)

        async def session_request(sid: str, data: dict | None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_session_id(requested)
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: dict) -> None:
            if self.session_persistence:
                session_id = data.get("session_id") if isinstance(data, dict) else None
                if not session_id or session_id not in sio.rooms(sid, namespace=namespace):
                    logger.warning("Ignored a message for a session its socket did not request")
                    return
            await rasa_handle_message(sid, data)

        sio.on("connect", handler=connect, namespace=self.namespace)
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=handle_message, namespace=self.namespace)
        return blueprint
