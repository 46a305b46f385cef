"""Answers composed from the catalogue: what the actions send and the staff preview shows."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.engine import create_engine

from bot.answers.phrases import seed_phrases
from bot.catalogue.db import session_scope
from bot.catalogue.models import ServiceChannel
from bot.catalogue.queries import get_service, guidance_contact
from bot.guidance import Question, answer_question, last_known

PHRASES = seed_phrases()
WEEKDAY_NOON = datetime(2026, 11, 24, 12, 0)
SUNDAY_NOON = datetime(2026, 11, 29, 12, 0)


def contact_phone(engine, code: str) -> str:
    with session_scope(engine) as session:
        return guidance_contact(session, code).phone_number


def test_home_help_in_kemijarvi_lists_services_and_the_eastern_contact(engine):
    answer = answer_question(
        Question("find", "Tarvitsen apua kotiin, asun Kemijärvellä", municipality_code="320"),
        engine,
    )
    assert "Kemijärvellä" in answer.text
    with session_scope(engine) as session:
        assert get_service(session, "kotihoito").name in answer.text
        channel = session.get(ServiceChannel, guidance_contact(session, "320").id)
    assert channel.service_area_id == "itainen"
    assert channel.phone_number in answer.text
    assert PHRASES("contact_example") in answer.text  # the seed numbers are example data


def test_relative_is_addressed_as_a_relative(engine):
    answer = answer_question(
        Question("find", "äiti ei enää pärjää yksin", municipality_code="758",
                 relative_key="mother"),
        engine,
    )
    assert "äitisi" in answer.text
    assert contact_phone(engine, "758") in answer.text


def test_find_without_municipality_asks_for_it(engine):
    answer = answer_question(Question("find", "tarvitsen apua kotiin"), engine)
    assert answer.asks_municipality
    assert answer.text == PHRASES("ask_municipality_for_contact")


def test_cost_question_gives_fee_and_how_to_apply_then_asks_municipality(engine):
    answer = answer_question(Question("cost", "paljonko turvapuhelin maksaa"), engine)
    with session_scope(engine) as session:
        service = get_service(session, "turvapuhelin")
    assert answer.service_id == "turvapuhelin"
    assert service.fee in answer.text and service.how_to_apply in answer.text
    assert answer.text.endswith(PHRASES("ask_municipality_for_contact"))


def test_follow_up_with_municipality_gives_the_area_contact(engine):
    answer = answer_question(
        Question("contact", service_id="turvapuhelin", municipality_code="047"), engine
    )
    assert contact_phone(engine, "047") in answer.text
    assert not answer.asks_municipality


@pytest.mark.parametrize("moment,phrase", [(WEEKDAY_NOON, "open_now"), (SUNDAY_NOON, "closed_now")])
def test_is_guidance_open_now(engine, moment, phrase):
    answer = answer_question(Question("hours", municipality_code="698"), engine, now=moment)
    head = PHRASES(phrase, name="X").split("X")[-1].split("{")[0].strip()[:12]
    assert head in answer.text
    assert contact_phone(engine, "698") in answer.text


def test_unknown_place_is_named_and_all_contacts_given(engine):
    answer = answer_question(Question("contact", unknown_place="Oulu"), engine)
    assert "Oulu" in answer.text
    for code in ("047", "320", "698", "240"):
        assert contact_phone(engine, code) in answer.text


def test_closed_database_still_gives_the_last_known_contact(engine, tmp_path):
    answer_question(Question("contact", municipality_code="320"), engine)  # remembers contacts
    broken = create_engine(f"sqlite:///{tmp_path}/missing/none.sqlite3", future=True)
    answer = answer_question(Question("contact", municipality_code="320"), broken)
    assert not answer.catalogue_available
    assert PHRASES("catalogue_unavailable") in answer.text
    assert contact_phone(engine, "320") in answer.text
    assert last_known.channels
