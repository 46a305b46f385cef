"""The Rasa action with real trackers and dispatchers: messages and events."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from bot.catalogue.models import PublishingStatus, Service
from bot.catalogue.phrases import seed_phrases
from bot.catalogue.queries import get_service, guidance_contact
from bot.db import session_scope

PHRASES = seed_phrases()


def tracker(text: str, intent: str, entities: list[dict] | None = None, **slots) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={"municipality": None, "service": None, "relative": None, "question": None,
               "need_text": None, **slots},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str) -> dict:
    return {"entity": name, "value": value, "start": 0, "end": 1}


@pytest.fixture(autouse=True)
def catalogue_from_env(monkeypatch, catalogue_url):
    monkeypatch.setenv("DATABASE_URL", catalogue_url)


async def run(t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer().run(dispatcher, t, {})
    return dispatcher.messages, events


async def test_find_services_with_municipality_answers_with_area_contact(engine):
    messages, events = await run(
        tracker("Tarvitsen apua kotiin, asun Kemijärvellä", "find_services",
                [entity("municipality", "320")])
    )
    with session_scope(engine) as session:
        phone = guidance_contact(session, "320").phone_number
    assert len(messages) == 1 and phone in messages[0]["text"]
    assert SlotSet("question", "find") in events
    assert SlotSet("municipality", "320") in events


async def test_cost_without_municipality_answers_and_asks_for_it(engine):
    messages, events = await run(
        tracker("Paljonko turvapuhelin maksaa", "ask_cost", [entity("service", "turvapuhelin")])
    )
    assert messages[0]["text"].endswith(PHRASES("ask_municipality_for_contact"))
    assert SlotSet("service", "turvapuhelin") in events
    assert SlotSet("question", "cost") in events


async def test_municipality_reply_continues_the_earlier_question(engine):
    messages, events = await run(
        tracker("Sodankylässä", "inform_municipality", [entity("municipality", "758")],
                question="cost", service="turvapuhelin")
    )
    with session_scope(engine) as session:
        phone = guidance_contact(session, "758").phone_number
    assert phone in messages[0]["text"]
    assert SlotSet("question", "contact") in events


async def test_pending_find_question_is_answered_once_the_municipality_is_known(engine):
    messages, _ = await run(
        tracker("rovaniemi", "inform_municipality", [entity("municipality", "698")],
                question="find", need_text="tarvitsen apua kotiin")
    )
    assert "Rovaniemellä" in messages[0]["text"]


async def test_unknown_municipality_gets_a_polite_answer(engine):
    messages, _ = await run(
        tracker("asun Oulussa", "inform_municipality", [entity("place", "Oulu")])
    )
    assert PHRASES("unknown_municipality", place="Oulu") in messages[0]["text"]


async def test_closed_database_answers_without_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/dir/x.sqlite3")
    messages, _ = await run(tracker("mihin soitan", "ask_contact"))
    assert messages and messages[0]["text"]
    assert "Traceback" not in messages[0]["text"]


async def test_an_unsure_classifier_still_answers_a_named_service(engine):
    messages, events = await run(tracker("kotihoitoo", "nlu_fallback"))
    with session_scope(engine) as session:
        name = get_service(session, "kotihoito").name
    assert [m["text"].split("\n")[0] for m in messages] == [name]
    assert events == [
        SlotSet("misunderstood", 0.0),
        SlotSet("question", "info"),
        SlotSet("need_text", "kotihoitoo"),
        SlotSet("service", "kotihoito"),
    ]


async def test_nothing_understood_says_so_then_gives_the_contacts(engine):
    messages, events = await run(tracker("asdf qwerty", "nlu_fallback"))
    assert messages[0]["response"] == "utter_default"
    assert messages[1]["text"].startswith(PHRASES("all_contacts_intro"))
    assert events == [SlotSet("misunderstood", 1.0)]


async def test_the_second_misunderstanding_in_a_row_offers_a_call_back(engine):
    messages, events = await run(tracker("xyz", "out_of_scope", misunderstood=1.0))
    assert messages[0]["response"] == "utter_offer_contact_request"
    assert events == [SlotSet("misunderstood", 2.0)]


async def test_two_unclear_messages_in_a_row_offer_a_call_back(engine):
    first, first_events = await run(tracker("asdf qwerty", "nlu_fallback"))
    # The second message is asked with the slot the first answer set, as Rasa would.
    [counted] = [e["value"] for e in first_events if e["name"] == "misunderstood"]
    second, events = await run(tracker("xyz", "nlu_fallback", misunderstood=counted))
    assert [first[0]["response"], second[0]["response"]] == [
        "utter_default", "utter_offer_contact_request"
    ]
    assert second[1]["text"].startswith(PHRASES("all_contacts_intro"))
    assert events == [SlotSet("misunderstood", 2.0)]


async def test_an_understood_message_starts_the_count_of_misunderstandings_again(engine):
    messages, events = await run(tracker("kotihoitoo", "nlu_fallback", misunderstood=1.0))
    assert "utter_offer_contact_request" not in [m.get("response") for m in messages]
    assert events[0] == SlotSet("misunderstood", 0.0)


async def test_an_exhausted_carer_hears_of_burnout_first(engine):
    messages, _ = await run(
        tracker("olen omaishoitaja ja ihan väsynyt", "carer_support",
                [entity("municipality", "698")])
    )
    assert messages[0]["response"] == "utter_carer_burnout"
    assert "Rovaniemellä" in messages[1]["text"]


async def test_equal_matches_become_quick_replies_asking_the_same_question(fresh_engine,
                                                                            monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(fresh_engine.url))
    with session_scope(fresh_engine) as session:
        for service_id in ("ulkoilu-a", "ulkoilu-b"):
            session.add(Service(id=service_id, name_fi=f"Palvelu {service_id}",
                                keywords_fi="ulkoiluystävä", status=PublishingStatus.published))
    messages, events = await run(tracker("paljonko ulkoiluystävä maksaa", "ask_cost"))
    assert messages[0]["text"].startswith(PHRASES("did_you_mean"))
    assert messages[0]["buttons"] == [
        {"title": "Palvelu ulkoilu-a", "payload": '/ask_cost{"service": "ulkoilu-a"}'},
        {"title": "Palvelu ulkoilu-b", "payload": '/ask_cost{"service": "ulkoilu-b"}'},
    ]
    assert SlotSet("question", "cost") in events


async def test_after_112_a_named_service_is_answered_too(engine):
    messages, _ = await run(tracker("lääkäriaika", "urgent_health"))
    with session_scope(engine) as session:
        name = get_service(session, "terveysaseman-vastaanotto").name
    assert messages[0]["text"].startswith(name)
    silent, events = await run(tracker("kuumetta 39", "urgent_health"))
    assert silent == [] and events == [SlotSet("misunderstood", 0.0)]


async def test_the_answer_names_the_message_it_answers_and_whether_it_was_found(engine):
    message_id = "f" * 32
    t = tracker("Saako kampaajan kotiin?", "ask_eligibility")
    t.events = [{"event": "user", "text": "Saako kampaajan kotiin?", "message_id": message_id}]
    messages, _ = await run(t)
    assert messages[-1]["metadata"] == {"lang": "fi", "answer": message_id, "found": False}
    messages, _ = await run(tracker("Paljonko turvapuhelin maksaa", "ask_cost",
                                    [entity("service", "turvapuhelin")]))
    assert messages[-1]["metadata"]["found"] is True
    assert messages[-1]["metadata"]["answer"] is None  # no message id: no rating asked
