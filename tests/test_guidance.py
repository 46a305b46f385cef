"""Answers composed from the catalogue: what the actions send and the staff preview shows."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.engine import create_engine

from bot.catalogue.models import PublishingStatus, Service, ServiceChannel
from bot.catalogue.phrases import seed_phrases
from bot.catalogue.queries import get_service, guidance_contact
from bot.db import session_scope
from bot.guidance import HANDLERS, Question, QuestionKind, answer_question, last_known

PHRASES = seed_phrases()
WEEKDAY_NOON = datetime(2026, 11, 24, 12, 0)
SUNDAY_NOON = datetime(2026, 11, 29, 12, 0)


def contact_phone(engine, code: str) -> str:
    with session_scope(engine) as session:
        return guidance_contact(session, code).phone_number


def test_every_question_kind_has_a_handler_and_a_staff_label():
    assert set(HANDLERS) == set(QuestionKind)
    assert all(kind.label for kind in QuestionKind)
    assert len({kind.label for kind in QuestionKind}) == len(QuestionKind)


def test_an_unknown_kind_is_answered_as_a_contact_question(engine):
    answer = answer_question(Question("no-such-kind", municipality_code="698"), engine)
    assert answer.kind == QuestionKind.CONTACT and answer.municipality_code == "698"
    assert answer.text == answer_question(Question("contact", municipality_code="698"),
                                          engine).text


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


def test_find_without_municipality_lists_county_services_then_asks_for_it(engine):
    answer = answer_question(Question("find", "tarvitsen apua kotiin"), engine)
    assert answer.asks_municipality
    assert answer.text.startswith(PHRASES("services_intro_self",
                                          place_locative=PHRASES("county_locative")))
    items = [line for line in answer.text.splitlines() if line.startswith("• ")]
    assert 1 <= len(items) <= 4
    with session_scope(engine) as session:
        assert f"• {get_service(session, 'kotihoito').name}:" in answer.text
    assert answer.text.endswith(PHRASES("ask_municipality_for_contact"))


def test_cost_question_gives_fee_and_how_to_apply_then_asks_municipality(engine):
    answer = answer_question(Question("cost", "paljonko turvapuhelin maksaa"), engine)
    with session_scope(engine) as session:
        service = get_service(session, "turvapuhelin")
    assert answer.service_id == "turvapuhelin"
    assert service.fee in answer.text and service.how_to_apply in answer.text
    assert answer.text.endswith(PHRASES("ask_municipality_for_contact"))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_fee_past_its_period_is_said_to_have_ended_and_the_contact_given(engine, language):
    # The seed's client fees are valid to the end of 2023.
    question = Question("cost", service_id="asiakasmaksut", municipality_code="698",
                        language=language)
    phrases = seed_phrases(language)
    ended = phrases("fee_period_ended", valid_to="X").split("X")
    answer = answer_question(question, engine, now=WEEKDAY_NOON).text
    assert ended[0] in answer and ended[1] in answer
    assert phrases("fee_period", valid_from="X", valid_to="Y").split("X")[0] not in answer
    assert contact_phone(engine, "698") in answer
    during = answer_question(question, engine, now=datetime(2023, 6, 1, 12, 0)).text
    assert ended[1] not in during
    assert phrases("fee_period", valid_from="X", valid_to="Y").split("X")[0] in during


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


def test_a_server_that_has_not_answered_yet_knows_the_contacts_from_its_start(
        engine, tmp_path, monkeypatch):
    from bot import guidance

    monkeypatch.setattr(guidance, "last_known", guidance._LastKnownContacts())
    broken = create_engine(f"sqlite:///{tmp_path}/missing/none.sqlite3", future=True)
    assert guidance.remember_contacts(broken) == 0  # a closed database at start: no harm
    unknown = answer_question(Question("contact", municipality_code="320"), broken)
    assert contact_phone(engine, "320") not in unknown.text
    assert guidance.remember_contacts(engine) >= 4
    answer = answer_question(Question("contact", municipality_code="320"), broken)
    assert not answer.catalogue_available and contact_phone(engine, "320") in answer.text


# --- The catalogue decides the service ------------------------------------------------------

def service_name(engine, service_id: str) -> str:
    with session_scope(engine) as session:
        return get_service(session, service_id).name


@pytest.mark.parametrize("kind", ["unclear", "out_of_scope"])
@pytest.mark.parametrize(
    "text,expected",
    [("kotihoitoo", "kotihoito"), ("OMAISHOIDONTUKI", "omaishoidon-tuki"),
     ("siivousapu", "siivouspalvelu"), ("taksikortti", "kuljetuspalvelu")],
)
def test_an_unsure_classifier_does_not_hide_a_service_the_message_names(
    engine, kind, text, expected
):
    answer = answer_question(Question(kind, text), engine)
    assert answer.understood and answer.service_id == expected
    assert answer.text.startswith(service_name(engine, expected))


def test_what_the_words_ask_chooses_the_answer_when_the_intent_does_not(engine):
    answer = answer_question(Question("unclear", "turvapuhelin hinta"), engine)
    assert answer.kind == "cost" and PHRASES("cost_heading") in answer.text


def test_nothing_understood_gives_only_the_contacts(engine):
    answer = answer_question(Question("unclear", "asdf qwerty"), engine)
    assert not answer.understood and answer.service_id is None
    assert answer.text.startswith(PHRASES("all_contacts_intro"))


def test_its_cost_is_about_the_service_of_the_conversation(engine):
    answer = answer_question(
        Question("cost", "paljonko se maksaa", previous_service_id="turvapuhelin"), engine
    )
    assert answer.service_id == "turvapuhelin"


def test_entä_keeps_the_question_and_changes_the_service(engine):
    answer = answer_question(
        Question("unclear", "entä ateriapalvelu?", previous_service_id="turvapuhelin",
                 previous_kind="cost"), engine
    )
    assert (answer.service_id, answer.kind) == ("ateriapalvelu", "cost")


def test_a_question_on_costs_naming_no_service_gets_the_client_fees(engine):
    answer = answer_question(Question("cost", "paljonko palvelut maksaa"), engine)
    assert answer.service_id == "asiakasmaksut"


def test_a_carer_asking_for_respite_gets_respite_care(engine):
    answer = answer_question(
        Question("carer", "olen omaishoitaja ja tarvitsisin intervallijakson"), engine
    )
    assert answer.service_id == "lyhytaikaishoito" and answer.kind != "carer"


def test_an_exhausted_carer_gets_the_carers_services(engine):
    answer = answer_question(
        Question("carer", "olen omaishoitaja ja ihan väsynyt", municipality_code="698"), engine
    )
    assert answer.kind == "carer"
    assert service_name(engine, "omaishoidon-tuki") in answer.text


def test_a_need_from_outside_the_county_is_answered_and_the_place_explained(engine):
    answer = answer_question(
        Question("find", "äiti tarvitsee kotihoitoa, hän asuu Oulussa", unknown_place="Oulu"),
        engine,
    )
    assert answer.service_id == "kotihoito"
    assert PHRASES("unknown_municipality", place="Oulu") in answer.text
    assert PHRASES("all_contacts_intro") in answer.text


def test_two_equally_good_matches_are_offered_as_choices(fresh_engine):
    with session_scope(fresh_engine) as session:
        for service_id in ("ulkoilu-a", "ulkoilu-b"):
            session.add(Service(id=service_id, name_fi=f"Palvelu {service_id}",
                                keywords_fi="ulkoiluystävä", status=PublishingStatus.published))
    answer = answer_question(Question("unclear", "ulkoiluystävä"), fresh_engine)
    assert answer.text.startswith(PHRASES("did_you_mean"))
    assert {c.service_id for c in answer.choices} == {"ulkoilu-a", "ulkoilu-b"}


def test_a_service_staff_add_is_answered_in_the_next_question(fresh_engine):
    with session_scope(fresh_engine) as session:
        session.add(Service(id="kalastuskerho", name_fi="Senioreiden kalastuskerho",
                            keywords_fi="pilkkiminen\nonkiminen",
                            status=PublishingStatus.published))
    for text in ("kalastuskerho", "kalastuskerhoon", "kalastukerho", "pilkkimään"):
        answer = answer_question(Question("unclear", text), fresh_engine)
        assert answer.service_id == "kalastuskerho", text


def test_living_is_a_need_but_where_one_lives_is_not(engine):
    choices = answer_question(Question("unclear", "asuminen"), engine).choices
    assert "yhteisollinen-asuminen" in {c.service_id for c in choices}
    assert not answer_question(Question("unclear", "asun rovaniemellä"), engine).understood


def test_a_service_number_names_its_service(engine):
    answer = answer_question(Question("unclear", "116117 mikä numero se on"), engine)
    assert answer.service_id == "paivystysapu"


@pytest.mark.parametrize("kind, text, previous, found", [
    ("cost", "paljonko kotihoito maksaa", None, True),
    ("eligibility", "saako äiti kotihoitoa", None, True),
    ("apply", "miten haen omaishoidon tukea", None, True),
    ("unclear", "kotihoitoo", None, True),
    ("cost", "paljonko se maksaa", "ateriapalvelu", True),
    ("find", "mitä apua kotiin saa", None, True),
    ("contact", "asun kemissä", None, True),
    # The catalogue did not have it: the general answer about applying, "no service found",
    # or nothing understood. The staff's insights list these as unanswered.
    ("eligibility", "Saako kampaajan kotiin?", None, False),
    ("info", "Saako kampaajan kotiin?", None, False),
    ("unclear", "saako kampaajan kotiin", None, False),
])
def test_an_answer_says_whether_the_catalogue_had_what_was_asked(engine, kind, text, previous,
                                                                   found):
    answer = answer_question(Question(kind, text, previous_service_id=previous), engine)
    assert answer.found is found, answer.text
