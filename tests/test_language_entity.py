"""The language entity the NLU gives the language slot (bot/nlu/language_entity.py)."""

from __future__ import annotations

import pytest

from bot.nlu.language_entity import DETECTED, language_entity


@pytest.mark.parametrize("text, language", [
    ("på svenska tack", "sv"), ("in English please", "en"), ("sámegillii", "se"),
    ("suomeksi kiitos", "fi"),
])
def test_a_request_for_a_language_has_no_role(text, language):
    assert language_entity(text, []) == {"entity": "language", "value": language}


@pytest.mark.parametrize("text, language", [
    ("vad kostar hemvården för min mamma", "sv"),
    ("how much does the safety phone cost", "en"),
    ("paljonko turvapuhelin maksaa", "fi"),
    ("Bures, gos sáhtán riŋget?", "se"),
])
def test_a_message_s_own_language_is_detected(text, language):
    assert language_entity(text, []) == {"entity": "language", "value": language,
                                         "role": DETECTED}


def test_names_are_left_out_of_the_guess():
    text = "does my mum in Kemijärvi get kotihoito"
    spans = [{"entity": "municipality", "start": 15, "end": 24},
             {"entity": "service", "start": 29, "end": 38}]
    assert language_entity(text, spans)["value"] == "en"


@pytest.mark.parametrize("text", ["Kemi", "ok", "112"])
def test_a_short_message_tells_no_language(text):
    assert language_entity(text, []) is None


def test_a_short_message_takes_the_widget_s_language():
    found = language_entity("Kemi", [], {"language": "sv"})
    assert found == {"entity": "language", "value": "sv", "role": DETECTED}


def test_an_unknown_widget_language_is_ignored():
    assert language_entity("Kemi", [], {"language": "de"}) is None
