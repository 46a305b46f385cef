"""Everyday questions through the real servers reach the right service or contact.

``tests/data/e2e_questions.yml`` was written by someone who had read only ``domain.md`` and the
list of service names, never the training data; it is never trained on. Each question is sent
as the first message of its own conversation through the REST channel, and the answer must be
about the expected service (its name in the answer, or among the "Tarkoititko…?" choices), give
the expected service area's guidance line, or put 112 first.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from bot.catalogue.db import get_engine, session_scope
from bot.catalogue.queries import get_service, guidance_contacts
from tests.support.texts import first_sentence

pytestmark = pytest.mark.slow

QUESTIONS_FILE = Path(__file__).parent / "data" / "e2e_questions.yml"
REQUIRED_SHARE = 0.95
URGENT_NUMBERS = {"hatanumero": "112", "paivystysapu": "116 117"}


def load_questions() -> list[dict]:
    return yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"]


def test_the_question_set_is_large_and_covers_the_catalogue(engine):
    questions = load_questions()
    assert len(questions) >= 300
    expected = {q["expect"]["service"] for q in questions if "service" in q["expect"]}
    with session_scope(engine) as session:
        for service_id in expected:
            assert get_service(session, service_id) is not None, service_id
    assert len(expected) >= 45


def _verdict(question: dict, messages: list[dict], names: dict, phones: dict) -> str | None:
    """None when the answer is right; otherwise what it got wrong."""
    text = "\n".join(m.get("text") or "" for m in messages)
    titles = {b.get("title") for m in messages for b in m.get("buttons") or []}
    expect = question["expect"]
    if expect.get("emergency"):
        return None if text.lstrip().startswith(first_sentence("utter_emergency")) else "no 112"
    if "contact" in expect:
        area = expect["contact"]
        wanted = set(phones.values()) if area == "any" else {phones[area]}
        return None if any(phone in text for phone in wanted) else f"no contact ({area})"
    right = [expect["service"], *question.get("also", [])]
    if any(names[s] in text or names[s] in titles for s in right if s in names):
        return None
    # The urgent numbers' own answers name the number, not the record.
    if any(URGENT_NUMBERS.get(s, "\0") in text for s in right):
        return None
    return f"not {expect['service']}"


def test_at_least_95_percent_get_the_right_service_or_contact(running_system):
    questions = load_questions()
    with session_scope(get_engine(running_system.database_url)) as session:
        names = {q["expect"]["service"]: get_service(session, q["expect"]["service"]).name
                 for q in questions if "service" in q["expect"]}
        for q in questions:
            for also in q.get("also", []):
                names[also] = get_service(session, also).name
        phones = {c.service_area_id: c.phone_number for c in guidance_contacts(session)}
    misses = []
    for question in questions:
        messages = running_system.say(f"questions-{uuid.uuid4()}", question["text"])
        wrong = _verdict(question, messages, names, phones)
        if wrong:
            first = (messages[0].get("text") or "").split("\n")[0] if messages else "(silence)"
            misses.append(f"{question['text']!r}: {wrong}; got {first[:80]!r}")
    share = 1 - len(misses) / len(questions)
    print(f"\n{len(questions) - len(misses)}/{len(questions)} right ({share:.1%}); misses:")
    print("\n".join(misses))
    assert share >= REQUIRED_SHARE, "\n".join(misses)
