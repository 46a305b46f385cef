"""Conversations in Swedish, English and Northern Sámi through the real Rasa server, action
server and catalogue: the municipality asked and remembered, a cost question, an emergency
(112 first) and a change of language in the middle."""

from __future__ import annotations

import uuid

import pytest

from bot.catalogue.phrases import seed_phrases
from bot.catalogue.queries import get_service, guidance_contact
from bot.db import get_engine, session_scope
from tests.support.texts import first_sentence, response

pytestmark = pytest.mark.slow

# language → (cost question about the safety phone, the municipality alone, its code,
#             a follow-up that needs the municipality, an emergency)
CONVERSATIONS = {
    "sv": ("Vad kostar trygghetstelefonen?", "Torneå", "851",
           "Vilket nummer ska jag ringa?", "min man har ramlat och kommer inte upp"),
    "en": ("How much does the safety phone cost?", "I live in Kemi", "240",
           "which number should I call", "my husband fell and can't get up"),
    "se": ("Man ollu dorvotelefovdna máksá?", "Anáris", "148",
           "Gosa sáhtán riŋget?", "Áhčči gahčai ja ii sáhte čuožžilit"),
}


def phone_of(database_url: str, code: str) -> str:
    with session_scope(get_engine(database_url)) as session:
        return guidance_contact(session, code).phone_number


def safety_phone_fee(database_url: str, language: str) -> str:
    with session_scope(get_engine(database_url)) as session:
        return get_service(session, "turvapuhelin", language).fee


@pytest.mark.parametrize("language", CONVERSATIONS)
def test_cost_then_municipality_then_follow_up_in_the_user_s_language(running_system,
                                                                       language):
    cost, place, code, follow_up, _ = CONVERSATIONS[language]
    phrases = seed_phrases(language)
    sender = f"e2e-{language}-{uuid.uuid4()}"

    first = running_system.say_text(sender, cost)
    assert safety_phone_fee(running_system.database_url, language) in first
    assert phrases("ask_municipality_for_contact") in first
    if language == "se":
        # The catalogue has the safety phone's texts in Finnish only: the answer says so.
        assert phrases("text_in_finnish") in first

    second = running_system.say_text(sender, place)
    assert phone_of(running_system.database_url, code) in second
    assert phrases("contact_intro") in second

    third = running_system.say_text(sender, follow_up)
    assert phone_of(running_system.database_url, code) in third
    assert phrases("contact_intro") in third


@pytest.mark.parametrize("language", CONVERSATIONS)
def test_an_emergency_gets_112_first_in_the_user_s_language(running_system, language):
    *_, emergency = CONVERSATIONS[language]
    sender = f"e2e-{language}-{uuid.uuid4()}"
    text = running_system.say_text(sender, emergency)
    assert text.lstrip().startswith(first_sentence("utter_emergency", language))
    assert "112" in text


@pytest.mark.parametrize("language, greeting", [("sv", "Hej"), ("en", "Hello there"),
                                                ("se", "Bures")])
def test_a_greeting_is_answered_in_its_language(running_system, language, greeting):
    text = running_system.say_text(f"e2e-{language}-{uuid.uuid4()}", greeting)
    assert first_sentence("utter_greet", language) in text


def test_the_language_changes_mid_way_and_stays(running_system):
    sender = f"e2e-switch-{uuid.uuid4()}"
    first = running_system.say_text(sender, "Paljonko turvapuhelin maksaa?")
    assert safety_phone_fee(running_system.database_url, "fi") in first

    assert response("utter_language_changed", "en") in running_system.say_text(
        sender, "in English please")
    english = running_system.say_text(sender, "Kemi")
    assert seed_phrases("en")("contact_intro") in english
    assert phone_of(running_system.database_url, "240") in english

    assert response("utter_language_changed", "sv") in running_system.say_text(
        sender, "på svenska tack")
    swedish = running_system.say_text(sender, "vad kostar det?")
    assert safety_phone_fee(running_system.database_url, "sv") in swedish
    assert phone_of(running_system.database_url, "240") in swedish


def test_a_name_in_the_contact_form_does_not_change_the_language(running_system):
    sender = f"e2e-form-{uuid.uuid4()}"
    running_system.say_text(sender, "Voiko palveluohjaaja soittaa minulle? Asun Kemissä.")
    running_system.say_text(sender, "omista asioistani")
    running_system.say_text(sender, "tarvitsen apua kotiin")
    asked_phone = running_system.say_text(sender, "Anna Svensson")
    assert response("utter_ask_cr_phone") in asked_phone
