"""What the channels do with a user's message before Rasa sees it (``bot.channels``).

1. The text is cleaned (``bot.text.incoming``): no control, direction or invisible characters.
2. It is counted, per conversation and per address (``bot.conversations.rate_limit``): the
   first message past a limit gets a polite answer, the ones after it none, until the minute
   has passed. A person types a message in ten seconds or more; 20 a minute is someone holding
   a key down or a script. One address may be a service centre's computers or a home's router:
   it gets nginx's rate for HTTP requests (30 a second), which WebSocket messages bypass.
   Programs on this machine itself (the tests, the benchmarks, the embedded default's only
   clients) have no address to count; what comes through nginx has the caller's.
3. A message longer than a person's (``MAX_MESSAGE_CHARS``) gets a polite answer, and is not
   handed to Rasa at all: understanding a megabyte would hold everyone else's answers up.

The polite answers are ``domain.yml`` responses (``utter_message_too_long``,
``utter_too_many_messages``), in the message's language: the widget's (its metadata) or the
text's own, Finnish when neither is known. They end with the county's guidance number.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.config import PROJECT_ROOT, settings
from bot.conversations.rate_limit import MessageRateLimit, Verdict
from bot.text.incoming import clean_message, too_long
from bot.text.language import DEFAULT_LANGUAGE, LANGUAGES, message_language

CONVERSATION_LIMIT = 20
ADDRESS_LIMIT = 30 * 60
WINDOW_SECONDS = 60.0
# Enough of a long text to tell its language.
LANGUAGE_SAMPLE_CHARS = 300


@dataclass(frozen=True)
class Screened:
    """A message after the guard: its ``text`` for Rasa, or the ``answer`` to give instead
    (``{"text", "lang"}``), or neither when it is to be dropped without a word."""

    text: str
    answer: dict[str, str] | None = None
    dropped: bool = False

    @property
    def for_rasa(self) -> bool:
        return self.answer is None and not self.dropped


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict[str, Any]]]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain["responses"]


def channel_answer(name: str, language: str) -> dict[str, str]:
    """The ``domain.yml`` response ``name`` in ``language`` (its condition on the language
    slot), else its Finnish variation; ``{phone}`` is the guidance number."""
    variations = _responses()[name]
    default = next(v for v in variations if not v.get("condition"))
    chosen = next((v for v in variations
                   if any(c.get("value") == language for c in v.get("condition") or [])),
                  default)
    text = chosen["text"].replace("{phone}", settings().guidance_phone)
    return {"text": text, "lang": (chosen.get("metadata") or {}).get("lang", DEFAULT_LANGUAGE)}


def client_address(peer: str | None, forwarded: str | None) -> str | None:
    """Where a message came from: nginx's ``X-Real-IP`` when the peer is nginx on this machine
    (nginx sets the header itself, replacing any a client sent), else the peer; None for a
    program on this machine talking to the server directly."""
    try:
        local = peer is not None and ipaddress.ip_address(peer).is_loopback
    except ValueError:
        local = False
    if local:
        return forwarded.strip() if forwarded and forwarded.strip() else None
    return peer or "unknown"


class MessageGuard:
    def __init__(self, redis_url: str | None = None) -> None:
        self.per_conversation = MessageRateLimit(CONVERSATION_LIMIT, WINDOW_SECONDS, redis_url)
        self.per_address = MessageRateLimit(ADDRESS_LIMIT, WINDOW_SECONDS, redis_url)

    async def screen(self, text: Any, conversation: str, address: str | None,
                     language_hint: Any = None) -> Screened:
        cleaned = clean_message(text if isinstance(text, str) else "")
        verdicts = {await self.per_conversation.check(f"c:{conversation}")}
        if address is not None:
            verdicts.add(await self.per_address.check(f"a:{address}"))
        if Verdict.REFUSED in verdicts:
            return Screened(cleaned, dropped=True)
        if Verdict.FIRST_REFUSED in verdicts:
            return Screened(cleaned, answer=channel_answer(
                "utter_too_many_messages", _language(cleaned, language_hint)))
        if too_long(cleaned):
            return Screened(cleaned, answer=channel_answer(
                "utter_message_too_long", _language(cleaned, language_hint)))
        return Screened(cleaned)


def _language(text: str, hint: Any) -> str:
    if isinstance(hint, str) and hint in LANGUAGES:
        return hint
    return message_language(text[:LANGUAGE_SAMPLE_CHARS]) or DEFAULT_LANGUAGE
