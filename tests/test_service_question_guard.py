"""A message naming a catalogue service is a question about it, whatever short intent the
classifier gave it; requests to change the language and other intents are left alone."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.service_question_guard import ServiceQuestionGuard

SERVICE = {"entity": "service", "value": "laakkeiden-annosjakelu", "start": 0, "end": 11}


def message(intent: str, entities: list[dict]) -> Message:
    return Message(data={
        "text": "annosjakelu", "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": intent, "confidence": 0.9},
                           {"name": "find_services", "confidence": 0.05}],
        "entities": entities,
    })


def guarded(intent: str, entities: list[dict]) -> str:
    [out] = ServiceQuestionGuard().process([message(intent, entities)])
    return out.get("intent")["name"]


@pytest.mark.parametrize("intent", ["cancel", "affirm", "deny", "thank", "goodbye", "greet",
                                    "change_language", "bot_challenge"])
def test_a_short_intent_with_a_service_becomes_a_service_question(intent):
    assert guarded(intent, [SERVICE]) == "find_services"


def test_the_ranking_keeps_the_classifiers_reading_after_it():
    [out] = ServiceQuestionGuard().process([message("cancel", [SERVICE])])
    assert [r["name"] for r in out.get("intent_ranking")] == ["find_services", "cancel"]


@pytest.mark.parametrize("intent", ["emergency", "urgent_health", "ask_cost", "correct",
                                    "request_contact"])
def test_other_intents_are_left_alone(intent):
    assert guarded(intent, [SERVICE]) == intent


def test_without_a_service_or_with_a_language_request_nothing_changes():
    assert guarded("cancel", []) == "cancel"
    request = {"entity": "language", "value": "sv", "start": 0, "end": 3}
    assert guarded("change_language", [SERVICE, request]) == "change_language"
    detected = {**request, "role": "detected"}
    assert guarded("change_language", [SERVICE, detected]) == "find_services"
