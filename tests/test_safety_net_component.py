"""The emergency safety net as Rasa runs it: emergencies promoted, names and numbers demoted."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.emergency_safety_net import EmergencySafetyNet
from bot.text.names import looks_like_a_name


def classified(text: str, intent: str) -> Message:
    return Message(data={
        "text": text, "intent": {"name": intent, "confidence": 0.55},
        "intent_ranking": [{"name": intent, "confidence": 0.55},
                           {"name": "goodbye", "confidence": 0.2}],
        "entities": [],
    })


def after_safety_net(text: str, intent: str) -> str:
    [message] = EmergencySafetyNet().process([classified(text, intent)])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", ["Testi Uaoihtdk", "Anna Virtanen", "Marja-Leena Heinonen"])
def test_a_name_the_classifier_took_for_an_emergency_is_not_one(text):
    assert after_safety_net(text, "emergency") == "goodbye"


@pytest.mark.parametrize("text", ["040 000 0098", "0400000098", "+358 40 000 0098",
                                  "016 322 111"])
def test_a_phone_number_the_classifier_took_for_an_emergency_is_not_one(text):
    # Found when the contact form answered "040 000 0098" at its number question with 112.
    assert after_safety_net(text, "emergency") == "goodbye"


def test_the_emergency_number_itself_stays_an_emergency():
    assert after_safety_net("112", "emergency") == "emergency"


@pytest.mark.parametrize("text", ["Isä Kaatui Eikä Pääse Ylös", "mieheni kaatui eikä pääse ylös",
                                  "Äiti Ei Hengitä"])
def test_an_emergency_stays_one_however_it_is_written(text):
    assert after_safety_net(text, "emergency") == "emergency"
    assert after_safety_net(text, "greet") == "emergency"


def test_other_intents_are_left_alone():
    assert after_safety_net("Anna Virtanen", "cancel") == "cancel"


@pytest.mark.parametrize("text, expected", [
    ("Anna Virtanen", True), ("Anna-Liisa O'Neill", True), ("Máret Aikio", True),
    ("Juha Pekka Matti Virtanen", True), ("anna olla", False), ("Anna olla", False),
    ("PERU KAIKKI", False), ("Anna", False), ("Testi 123", False),
    ("Yksi Kaksi Kolme Neljä Viisi", False), ("", False),
])
def test_what_reads_as_a_name(text, expected):
    assert looks_like_a_name(text) is expected
