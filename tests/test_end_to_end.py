"""A multi-turn conversation through the real Rasa server, action server and catalogue."""

from __future__ import annotations

import uuid

import pytest

from bot.catalogue.phrases import seed_phrases
from bot.catalogue.queries import get_service, guidance_contact
from bot.db import get_engine, session_scope
from tests.support.texts import first_sentence

pytestmark = pytest.mark.slow
PHRASES = seed_phrases()


def phone_of(database_url: str, code: str) -> str:
    with session_scope(get_engine(database_url)) as session:
        return guidance_contact(session, code).phone_number


def test_cost_question_then_municipality_then_follow_up(running_system):
    sender = f"e2e-{uuid.uuid4()}"
    first = running_system.say_text(sender, "Paljonko turvapuhelin maksaa")
    with session_scope(get_engine(running_system.database_url)) as session:
        fee = get_service(session, "turvapuhelin").fee
    assert fee in first
    assert PHRASES("ask_municipality_for_contact") in first

    second = running_system.say_text(sender, "asun sodankylässä")
    assert phone_of(running_system.database_url, "758") in second

    # The municipality is remembered: the next question is answered with the same contact.
    third = running_system.say_text(sender, "onko palveluohjaus auki nyt")
    assert phone_of(running_system.database_url, "758") in third


def test_relative_in_kemijarvi_gets_services_and_eastern_contact(running_system):
    sender = f"e2e-{uuid.uuid4()}"
    text = running_system.say_text(sender, "Äiti ei enää pärjää yksin Kemijärvellä mitä teen")
    assert "äitisi" in text.lower()
    assert phone_of(running_system.database_url, "320") in text


# After a question, and in the middle of the contact request form: 112 first.
@pytest.mark.parametrize("before", ["Paljonko kotihoito maksaa",
                                    "pyydän soittoa asun rovaniemellä"])
def test_emergency_comes_first(running_system, before):
    sender = f"e2e-{uuid.uuid4()}"
    running_system.say_text(sender, before)
    text = running_system.say_text(sender, "Mieheni kaatui eikä pääse ylös")
    assert text.lstrip().startswith(first_sentence("utter_emergency"))


def test_out_of_scope_is_polite_and_gives_a_contact(running_system):
    sender = f"e2e-{uuid.uuid4()}"
    text = running_system.say_text(sender, "Mikä on huomisen sää")
    assert first_sentence("utter_out_of_scope") in text
    assert phone_of(running_system.database_url, "698") in text  # all four lines are listed


@pytest.mark.parametrize("message", ["😀😀😀", "<b>hei</b><script>alert(1)</script>", "a" * 5000])
def test_odd_input_gets_an_answer(running_system, message):
    sender = f"e2e-{uuid.uuid4()}"
    assert running_system.say_text(sender, message).strip()


def test_a_conversation_survives_a_restart_of_the_rasa_server(running_system):
    """Conversations are stored (SQLite by default), not kept in the server's memory."""
    sender = f"e2e-restart-{uuid.uuid4()}"
    running_system.say_text(sender, "asun Sodankylässä")
    running_system.restart_rasa()
    answer = running_system.say_text(sender, "mikä on palveluohjauksen numero")
    # Sodankylä's line only: a forgotten municipality would list every line.
    assert phone_of(running_system.database_url, "758") in answer
    assert phone_of(running_system.database_url, "698") not in answer
    assert PHRASES("ask_municipality_for_contact") not in answer
