"""``POST /api/public/ratings``: the chat widget's "Oliko vastauksesta apua?" (``bot.feedback``).

A public entry, so it is limited like the chat itself: the body at most ``MAX_BODY_BYTES``
(counted as it arrives), ``PER_ADDRESS`` ratings a minute from one address and
``PER_CONVERSATION`` from one conversation, only from the allowed origins
(``IKANEUVO_CORS_ORIGINS``, the widget's pages on other sites), and only for a session id this
server signed. The database calls have deadlines; a conversation store that does not answer
costs the rating its service, not the rating.

Answers: 204 stored; 422 ``{"detail": {field: message}}``; 403 an origin or a session not
allowed; 413 too large; 429 too many; 503 the database did not answer (the widget keeps what
was typed and says so).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import settings
from bot.conversations.rate_limit import MessageRateLimit, Verdict
from bot.conversations.session_ids import SessionIds
from bot.db import get_engine, session_scope
from bot.db.deadline import Breaker, within
from bot.feedback.models import COMMENT_CHARS
from bot.feedback.ratings import Rating, find_turn, store_rating

MAX_BODY_BYTES = 4096
PER_ADDRESS = 30
PER_CONVERSATION = 20
LOOKUP_SECONDS = 1.0
STORE_SECONDS = 3.0
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
    "Vary": "Origin",
}
MESSAGES = {
    "origin": "Tältä sivulta ei voi antaa palautetta.",
    "session": "Keskustelua ei tunnistettu. Aloita uusi keskustelu.",
    "too_large": "Palaute on liian pitkä.",
    "too_many": "Liian monta palautetta. Odota hetki.",
    "unavailable": "Palautetta ei voitu tallentaa nyt. Yritä hetken kuluttua uudelleen.",
    "invalid": "Tarkista tämä tieto.",
    "json": "Palautteen pitää olla JSON-muodossa.",
}

router = APIRouter()
_per_address = MessageRateLimit(PER_ADDRESS)
_per_conversation = MessageRateLimit(PER_CONVERSATION)
_lookup_breaker = Breaker("conversation store (ratings)")
_store_breaker = Breaker("database (ratings)")


class RatingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session: str = Field(max_length=80)
    answer: str = Field(pattern=r"^[0-9a-f]{32}$")
    helpful: StrictBool
    # Longer comments are cut to COMMENT_CHARS when stored; far longer ones are refused.
    comment: str | None = Field(default=None, max_length=COMMENT_CHARS * 3)
    lang: str = Field(default="fi", max_length=5)


def _origin_allowed(origin: str | None) -> bool:
    allowed = [o.rstrip("/") for o in settings().cors_origins]
    return origin is None or "*" in allowed or origin.rstrip("/") in allowed


def _cors(origin: str | None) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, **CORS_HEADERS} if origin else {}


def _problem(status: int, origin: str | None, detail: Any) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=_cors(origin))


async def _limited_body(request: Request) -> bytes | None:
    """The body, or None once it passes ``MAX_BODY_BYTES`` (declared or counted)."""
    declared = request.headers.get("content-length")
    if declared and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return body


@router.options("/api/public/ratings", include_in_schema=False)
async def rating_preflight(request: Request) -> Response:
    origin = request.headers.get("origin")
    if not _origin_allowed(origin):
        return Response(status_code=403)
    return Response(status_code=204, headers=_cors(origin))


@router.post("/api/public/ratings", include_in_schema=False)
async def rate_answer(request: Request) -> Response:
    origin = request.headers.get("origin")
    if not _origin_allowed(origin):
        return _problem(403, None, MESSAGES["origin"])
    address = request.client.host if request.client else "unknown"
    if await _per_address.check(address) != Verdict.ALLOWED:
        return _problem(429, origin, MESSAGES["too_many"])
    raw = await _limited_body(request)
    if raw is None:
        return _problem(413, origin, MESSAGES["too_large"])
    try:
        body = RatingBody.model_validate(json.loads(raw or b"null"))
    except ValueError as error:
        if isinstance(error, ValidationError):
            fields = {".".join(str(p) for p in e["loc"]) or "body": MESSAGES["invalid"]
                      for e in error.errors()}
            return _problem(422, origin, fields)
        return _problem(422, origin, {"body": MESSAGES["json"]})
    config = settings()
    conversation = SessionIds(config.session_secret).conversation(body.session)
    if conversation is None:
        return _problem(403, origin, MESSAGES["session"])
    if await _per_conversation.check(conversation) != Verdict.ALLOWED:
        return _problem(429, origin, MESSAGES["too_many"])
    rating = Rating(conversation, body.answer, body.helpful, body.comment,
                    body.lang.split("-")[0].lower())
    conversations = get_engine(config.conversations_database_url)
    turn = await within(partial(find_turn, conversations, rating), lambda: None,
                        LOOKUP_SECONDS, _lookup_breaker)
    stored = await within(partial(_store, rating, config.session_secret, turn), lambda: False,
                          STORE_SECONDS, _store_breaker)
    if not stored:
        return _problem(503, origin, MESSAGES["unavailable"])
    return Response(status_code=204, headers=_cors(origin))


def _store(rating: Rating, secret: str, turn: Any) -> bool:
    try:
        with session_scope() as session:
            store_rating(session, rating, secret, turn)
        return True
    except SQLAlchemyError:
        return False
