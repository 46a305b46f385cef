"""The message guard in front of Rasa: cleaned text, limits per conversation and address,
a polite answer for an over-long message (bot.message_guard, bot.text.incoming,
bot.conversations.rate_limit)."""

from __future__ import annotations

import pytest

from bot.conversations.rate_limit import MessageRateLimit, Verdict
from bot.message_guard import (
    ADDRESS_LIMIT,
    CONVERSATION_LIMIT,
    MessageGuard,
    channel_answer,
    client_address,
)
from bot.text.incoming import MAX_MESSAGE_CHARS, clean_message, too_long


@pytest.mark.parametrize("typed, kept", [
    ("Matti\u202eVirtanen", "MattiVirtanen"),  # a direction override ("Trojan Source")
    ("koti\u200bhoito", "kotihoito"),  # a zero-width space inside a word
    ("\ufeffhei", "hei"),
    ("nimi\x00\x1b[31m", "nimi[31m"),  # NUL and an escape sequence's control character
    ("rivi\r\nrivi\u2028rivi", "rivi\n\nrivi\nrivi"),
    ("a\tb", "a b"),
    ("perhe 👨\u200d👩\u200d👧 ja lippu 🇫🇮", "perhe 👨\u200d👩\u200d👧 ja lippu 🇫🇮"),
    ("Ääkköset e\u0301", "Ääkköset é"),  # NFC
    ("  <b>HTML</b>  ", "<b>HTML</b>"),  # markup stays text: the widget never runs it
])
def test_cleaning_keeps_what_a_person_typed(typed, kept):
    assert clean_message(typed) == kept


def test_not_text_is_empty():
    assert clean_message(None) == "" and clean_message(42) == ""


def test_a_message_longer_than_a_person_types_is_too_long():
    assert not too_long("a" * MAX_MESSAGE_CHARS)
    assert too_long("a" * (MAX_MESSAGE_CHARS + 1))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_limit_lets_through_then_answers_once_then_is_silent_until_the_window_passes():
    clock = Clock()
    limit = MessageRateLimit(3, 60, clock=clock)
    verdicts = [await limit.check("k") for _ in range(6)]
    assert verdicts == [Verdict.ALLOWED] * 3 + [Verdict.FIRST_REFUSED] + [Verdict.REFUSED] * 2
    assert await limit.check("other") is Verdict.ALLOWED
    clock.now += 61
    assert await limit.check("k") is Verdict.ALLOWED


async def test_redis_that_does_not_answer_falls_back_to_counting_here():
    # Nothing listens on port 9 (discard): the limit still holds, counted in this process.
    limit = MessageRateLimit(2, 60, redis_url="redis://127.0.0.1:9/0")
    verdicts = [await limit.check("k") for _ in range(3)]
    assert verdicts == [Verdict.ALLOWED, Verdict.ALLOWED, Verdict.FIRST_REFUSED]


@pytest.mark.parametrize("peer, header, address", [
    ("127.0.0.1", "203.0.113.5", "203.0.113.5"),  # nginx on this machine says who called
    ("127.0.0.1", None, None),  # a program on this machine itself: no address to count
    ("203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a caller cannot choose its own address
    (None, None, "unknown"),
])
def test_the_callers_address(peer, header, address):
    assert client_address(peer, header) == address


async def test_one_address_is_limited_across_conversations():
    guard = MessageGuard()
    results = [await guard.screen("hei", f"conversation-{n}", "203.0.113.7")
               for n in range(ADDRESS_LIMIT + 2)]
    assert all(r.for_rasa for r in results[:ADDRESS_LIMIT])
    assert results[ADDRESS_LIMIT].answer is not None
    assert results[ADDRESS_LIMIT + 1].dropped
    # Another address, and programs on this machine, are not held up by it.
    assert (await guard.screen("hei", "conversation-x", "203.0.113.8")).for_rasa
    assert (await guard.screen("hei", "conversation-y", None)).for_rasa


async def test_the_polite_answers_are_in_the_messages_language_and_end_with_contacts():
    guard = MessageGuard()
    long_swedish = "Min mamma behöver hjälp hemma och hon bor i Torneå. " * 60
    swedish = await guard.screen(long_swedish, "c-sv", None)
    assert swedish.answer["lang"] == "sv" and "för långt" in swedish.answer["text"]
    for language in ("fi", "sv", "en", "se"):
        for name in ("utter_message_too_long", "utter_too_many_messages"):
            answer = channel_answer(name, language)
            assert answer["lang"] == language
            assert "112" in answer["text"] and "{phone}" not in answer["text"]
    flood = [await guard.screen("hei", "c-flood", None) for _ in range(CONVERSATION_LIMIT + 1)]
    assert flood[-1].answer == channel_answer("utter_too_many_messages", "fi")


async def test_redis_down_costs_one_timeout_not_one_per_message(monkeypatch):
    limit = MessageRateLimit(5, 60, redis_url="redis://127.0.0.1:9/0")
    tries = []
    shipped = limit._count_in_redis

    async def counted(key):
        tries.append(key)
        return await shipped(key)

    monkeypatch.setattr(limit, "_count_in_redis", counted)
    verdicts = [await limit.check("k") for _ in range(4)]
    assert verdicts == [Verdict.ALLOWED] * 4 and len(tries) == 1
