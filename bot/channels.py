"""Rasa's socket.io channel for the citizens' web chat widget, with three repairs and languages.

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
3. **Whose session.** Session ids are issued and signed by the server (``SessionIds``: 32 hex
   digits, a dot and an HMAC of them with ``IKANEUVO_SESSION_SECRET``). A session the client
   asks for is joined only with a valid signature, else a new one is issued; a message is
   handled only for the session its socket joined. Knowing a conversation's id (the 32 digits,
   which are its sender id in Rasa and in the stored conversations) is not enough to join it.
4. **The message guard** (``bot.message_guard``): cleaned text, per-conversation and
   per-address limits, and a polite answer instead of Rasa for an over-long message. The REST
   channel (``GuardedRestInput``) does the same, takes a bearer token when
   ``IKANEUVO_REST_TOKEN`` is set (the production run sets one), and refuses sender ids shaped
   like the widget's sessions, so that REST cannot write into a web conversation either.

And one addition, **the language of every bot message.** A domain response carries
``metadata: {lang: sv}`` per variation and a custom action ``utter_message(...,
metadata={"lang": "sv"})``; Rasa hands that to the output channel as ``metadata`` among the
keyword arguments, which Rasa's ``SocketIOOutput`` drops. ``LanguageSocketIOOutput`` puts it
into every ``bot_uttered`` payload as ``"lang"`` (every part of a text split on blank lines,
the part with the quick replies too), ``"fi"`` when none is given; the widget marks the message
with it and follows it. Rasa's ``handle_message`` builds its own ``SocketIOOutput``, so the
channel's ``handle_message`` is written here in full (Rasa's is ten lines) with our output.
The widget's own language comes the other way, in the user message's ``metadata``
(``{"language": "sv"}``), which Rasa hands to the NLU as it is.
"""

from __future__ import annotations

import hmac
import inspect
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Iterable, List

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.config import settings
from bot.conversations.session_ids import SessionIds
from bot.message_guard import MessageGuard, client_address
from bot.text.language import DEFAULT_LANGUAGE, LANGUAGES

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")
MAX_SENDER_CHARS = 128


def origin_allowed(origin: str | None, allowed: Iterable[str]) -> bool:
    """Whether a connection with this ``Origin`` header may use the channel."""
    if not origin:
        return True
    allowed = [a.rstrip("/") for a in allowed]
    return "*" in allowed or origin.rstrip("/") in allowed


def language_code(value: Any) -> str | None:
    """One of ``LANGUAGES`` for a language tag ("sv", "sv-FI", "sme", "se_FI"), else None."""
    if not isinstance(value, str):
        return None
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    if primary == "sme":
        primary = "se"
    return primary if primary in LANGUAGES else None


def response_language(kwargs: Dict[str, Any]) -> str:
    """The language of a bot message from the keyword arguments Rasa gives the output channel:
    ``metadata={"lang": "sv"}`` (a ``lang`` of its own is accepted too); else the default."""
    metadata = kwargs.get("metadata")
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    return language_code(lang) or language_code(kwargs.get("lang")) or DEFAULT_LANGUAGE


def answer_marker(kwargs: Dict[str, Any]) -> Dict[str, str]:
    """``{"answer": id}`` when the message is a catalogue answer that the widget may ask a
    rating for (``metadata={"answer": <the user message's id>}``, set by action_answer)."""
    metadata = kwargs.get("metadata")
    answer = metadata.get("answer") if isinstance(metadata, dict) else None
    if isinstance(answer, str) and SESSION_ID.fullmatch(answer):
        return {"answer": answer}
    return {}


class LanguageSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, with the message's language as ``"lang"`` in every payload, and
    on the last part of a catalogue answer the id the widget's rating names (``"answer"``)."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str,
                 namespace: str | None = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.namespace = namespace

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await self.sio.emit(self.bot_message_evt, response, room=socket_id,
                            namespace=self.namespace)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        lang = response_language(kwargs)
        parts = text.strip().split("\n\n")
        for number, message_part in enumerate(parts, 1):
            message = {"text": message_part, "lang": lang}
            if number == len(parts):
                message.update(answer_marker(kwargs))
            await self._send_message(recipient_id, message)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: List[Dict[str, Any]], **kwargs: Any) -> None:
        lang = response_language(kwargs)
        messages: List[Dict[str, Any]] = [
            {"text": part, "quick_replies": [], "lang": lang}
            for part in text.strip().split("\n\n")
        ]
        # The buttons go with the last part, as in Rasa's own channel.
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        messages[-1].update(answer_marker(kwargs))
        for message in messages:
            await self._send_message(recipient_id, message)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {
            "attachment": {"type": "image", "payload": {"src": image}},
            "lang": response_language(kwargs),
        })

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: Dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {
            "attachment": attachment, "lang": response_language(kwargs),
        })

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]],
                            **kwargs: Any) -> None:
        lang = response_language(kwargs)
        for element in elements:
            await self._send_message(recipient_id, {
                "attachment": {
                    "type": "template",
                    "payload": {"template_type": "generic", "elements": element},
                },
                "lang": lang,
            })


def message_metadata(value: Any) -> Dict[str, Any]:
    """The metadata of a user message: a dict, or JSON text of one; anything else is none."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


class AllowedOriginsSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel for the allowed origins, with sessions that work."""

    def __init__(self, *args: Any, allowed_origins: Iterable[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed_origins is None:
            allowed_origins = settings().cors_origins
        self.allowed_origins = list(allowed_origins)
        self.sessions = SessionIds(settings().session_secret)
        self.guard = MessageGuard(settings().redis_url)

    def output_channel(self, sio: AsyncServer) -> OutputChannel:
        return LanguageSocketIOOutput(sio, self.bot_message_evt, self.namespace)

    def get_output_channel(self) -> OutputChannel | None:
        """The output for messages Rasa sends by itself (reminders, external events)."""
        if self.sio is None:
            return super().get_output_channel()
        return self.output_channel(self.sio)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        namespace = self.namespace or "/"
        rasa_connect = sio.handlers[namespace]["connect"]

        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, self.allowed_origins):
                logger.warning("Refused a socket.io connection from origin %s", origin)
                return False
            return await rasa_connect(sid, environ, auth)

        async def session_request(sid: str, data: dict | None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = self.sessions.joined(requested)
            if self.session_persistence:
                # The room is the conversation: Rasa's answers go to its sender id.
                room = self.sessions.conversation(session_id)
                entered = sio.enter_room(sid, room, namespace=namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: Any) -> None:
            # Rasa's handle_message, with our output channel and the session check.
            if not isinstance(data, dict):
                logger.warning("Ignored a message that is not an object")
                return
            if self.session_persistence:
                sender_id = self.sessions.conversation(data.get("session_id"))
                if not sender_id or sender_id not in sio.rooms(sid, namespace=namespace):
                    logger.warning("Ignored a message for a session its socket did not join")
                    return
            else:
                sender_id = sid
            metadata = message_metadata(data.get(self.metadata_key))
            environ = sio.get_environ(sid, namespace=namespace) or {}
            # python-engineio's Sanic driver writes REMOTE_ADDR as 127.0.0.1 whoever called: the
            # peer is the Sanic request's.
            request = environ.get("sanic.request")
            peer = request.ip if request is not None else environ.get("REMOTE_ADDR")
            address = client_address(peer, environ.get("HTTP_X_REAL_IP"))
            screened = await self.guard.screen(data.get("message", ""), sender_id, address,
                                               language_code(metadata.get("language")))
            output = self.output_channel(sio)
            if screened.answer is not None:
                await output.send_text_message(sender_id, screened.answer["text"],
                                               metadata={"lang": screened.answer["lang"]})
            if not screened.for_rasa:
                return
            message = UserMessage(screened.text, output, sender_id,
                                  input_channel=self.name(), metadata=metadata)
            await on_new_message(message)

        sio.on("connect", handler=connect, namespace=self.namespace)
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=handle_message, namespace=self.namespace)
        return blueprint


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization") or ""
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


class GuardedRestInput(RestInput):
    """Rasa's REST channel (``/webhooks/rest/webhook``, the same request and answer) with the
    message guard, an optional bearer token and the widget's session ids kept out."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token if token is not None else settings().rest_token
        self.guard = MessageGuard(settings().redis_url)

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> GuardedRestInput:
        return cls()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.token and not hmac.compare_digest(bearer_token(request).encode(),
                                                      self.token.encode()):
                return response.json({"error": "a bearer token is needed"}, status=401)
            try:
                body = request.json
            except Exception:  # Sanic raises its own error for a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "a JSON object is needed"}, status=400)
            sender = body.get("sender")
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
                return response.json({"error": "sender: a text of 1-128 characters"},
                                     status=400)
            if SESSION_ID.fullmatch(sender):
                return response.json({"error": "sender: reserved for the web chat"},
                                     status=403)
            metadata = message_metadata(body.get("metadata"))
            address = client_address(request.ip, request.headers.get("X-Real-IP"))
            screened = await self.guard.screen(body.get("message", ""), sender, address,
                                               language_code(metadata.get("language")))
            if screened.dropped:
                return response.json([], status=429, headers={"Retry-After": "60"})
            if screened.answer is not None:
                return response.json([{"recipient_id": sender, "text": screened.answer["text"],
                                       "metadata": {"lang": screened.answer["lang"]}}])
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(screened.text, collector, sender,
                                                 input_channel=self.name(), metadata=metadata))
            except Exception as error:  # as Rasa's channel: answer what was said so far
                # Never the text: it may hold a name or a phone number.
                logger.error("A REST message failed: %s", type(error).__name__)
            return response.json(collector.messages)

        return webhook
