"""Stored conversations: nothing personal written, a deadline on the database, a purge."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PROJECT_ROOT
from bot.contact_requests.drafts import KEPT_IN_DRAFT
from bot.conversations.purge import purge_conversations
from bot.conversations.redaction import FORM_ANSWER, FORM_SUMMARY, redact_events
from bot.conversations.tracker_store import PrivateTrackerStore
from bot.db.deadline import Breaker, within

NAME = "Testi Omainen"
PHONE = "040 000 0099"
HETU = "131052-308T"
EMAIL = "testi.omainen@example.invalid"
TOPIC = "Äidin muisti on huonontunut"


def user(text: str, intent: str = "inform", entities: list[dict] | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, entities or [])


def form_journey() -> list:
    """A contact form as Rasa's events record it: each answer extracted, then kept."""
    events: list = [
        user("voiko joku soittaa minulle", "request_contact"),
        ActionExecuted("action_start_contact_request"),
        ActionExecuted("contact_request_form"),
        ActiveLoop("contact_request_form"),
    ]
    for slot, answer in (("cr_topic", TOPIC), ("cr_name", NAME), ("cr_phone", PHONE)):
        events += [
            SlotSet("requested_slot", slot),
            BotUttered("Kysymys?"),
            ActionExecuted("action_listen"),
            user(answer, entities=[{"entity": "municipality", "value": "Inari", "start": 0,
                                    "end": 5}]),
            SlotSet(slot, answer),  # action_extract_slots: the answer as typed
            ActionExecuted("contact_request_form"),
            SlotSet(slot, KEPT_IN_DRAFT),  # the validation: kept in the draft
        ]
    events += [
        ActiveLoop(None), SlotSet("requested_slot", None),
        ActionExecuted("action_confirm_contact_request"),
        BotUttered(f"Soitamme: {NAME}, {PHONE}. Onko oikein?", {"buttons": [{"title": NAME}]},
                   {"utter_action": "utter_confirm_contact_request", "name": NAME,
                    "phone": PHONE, "topic": TOPIC, "metadata": {"lang": "fi"}}),
        ActionExecuted("action_listen"),
        user(f"kyllä, ja sähköpostini on {EMAIL}, hetu {HETU}", "affirm"),
    ]
    return events


def as_dicts(events: list) -> list[dict]:
    return [event.as_dict() for event in events]


def test_the_form_answers_and_the_summary_are_not_stored():
    redacted = redact_events(as_dicts(form_journey()))
    stored = json.dumps(redacted, ensure_ascii=False)
    for personal in (NAME, PHONE, TOPIC, EMAIL, HETU, "0400000099"):
        assert personal not in stored
    answers = [e for e in redacted if e["event"] == "user" and e["parse_data"]["intent"]["name"]
               == "inform"]
    assert [a["text"] for a in answers] == [FORM_ANSWER] * 3
    [summary] = [e for e in redacted if e.get("text") == FORM_SUMMARY]
    assert summary["metadata"] == {"utter_action": "utter_confirm_contact_request",
                                   "metadata": {"lang": "fi"}}


def test_what_the_policies_read_is_kept():
    original = as_dicts(form_journey())
    redacted = redact_events(original)
    assert len(redacted) == len(original)
    for before, after in zip(original, redacted, strict=True):
        assert before["event"] == after["event"]
        if before["event"] == "user":
            assert after["parse_data"]["intent"] == before["parse_data"]["intent"]
            assert [e["entity"] for e in after["parse_data"]["entities"]] == [
                e["entity"] for e in before["parse_data"]["entities"]]
        if before["event"] == "slot":
            assert (after["value"] is None) == (before["value"] is None)


def test_outside_the_form_only_the_personal_data_goes():
    [event] = redact_events(as_dicts([user(f"soita minulle {PHONE}, hinta 35 € vuonna 2026")]))
    assert event["text"] == "soita minulle [PHONE], hinta 35 € vuonna 2026"
    assert event["parse_data"]["text"] == event["text"]


def test_a_slot_that_keeps_the_users_words_keeps_them_without_personal_data():
    [event] = redact_events(as_dicts([SlotSet("need_text", f"soita {PHONE} kotihoidosta")]))
    assert event["value"] == "soita [PHONE] kotihoidosta"


def test_the_events_given_are_not_changed():
    original = as_dicts(form_journey())
    snapshot = json.dumps(original)
    redact_events(original)
    assert json.dumps(original) == snapshot


# ---------------------------------------------------------------- the tracker store


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def store(domain: Domain, path) -> PrivateTrackerStore:
    return PrivateTrackerStore(domain=domain, dialect="sqlite", db=str(path))


def stored_rows(path) -> str:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events")).scalars().all()
    engine.dispose()
    return "\n".join(rows)


async def test_a_conversation_survives_a_restart_without_its_personal_data(domain, tmp_path):
    path = tmp_path / "conversations.sqlite3"
    tracker = DialogueStateTracker.from_events("c-1", form_journey(), domain.slots)
    await store(domain, path).save(tracker)
    # The live tracker still has what the user typed: only the stored copy is redacted.
    assert tracker.get_slot("cr_phone") == KEPT_IN_DRAFT
    assert any(getattr(e, "text", None) == NAME for e in tracker.events)

    restarted = store(domain, path)
    again = await restarted.retrieve("c-1")
    assert again is not None and len(again.events) == len(tracker.events)
    assert again.get_slot("cr_name") == KEPT_IN_DRAFT
    assert again.latest_message.intent["name"] == "affirm"
    raw = stored_rows(path)
    for personal in (NAME, PHONE, TOPIC, EMAIL, HETU):
        assert personal not in raw


async def test_only_new_events_are_appended(domain, tmp_path):
    path = tmp_path / "conversations.sqlite3"
    tracker_store = store(domain, path)
    tracker = DialogueStateTracker.from_events("c-1", form_journey(), domain.slots)
    await tracker_store.save(tracker)
    tracker.update(user("kiitos", "thanks"))
    await tracker_store.save(tracker)
    again = await tracker_store.retrieve("c-1")
    assert [e.as_dict()["event"] for e in again.events] == [
        e.as_dict()["event"] for e in tracker.events]


def hang(monkeypatch, tracker_store: PrivateTrackerStore) -> threading.Event:
    """Reads and writes of ``tracker_store`` wait until the event is set, as on a frozen
    database."""
    release = threading.Event()
    read, write = tracker_store._stored_events, tracker_store._append
    monkeypatch.setattr(tracker_store, "_stored_events",
                        lambda sender: release.wait(10) and read(sender))
    monkeypatch.setattr(tracker_store, "_append",
                        lambda sender, events: release.wait(10) and write(sender, events))
    return release


async def test_a_hung_database_costs_the_deadline_and_the_conversation_goes_on(
    domain, tmp_path, monkeypatch
):
    path = tmp_path / "conversations.sqlite3"
    tracker_store = store(domain, path)
    tracker = DialogueStateTracker.from_events("c-1", form_journey(), domain.slots)
    await tracker_store.save(tracker)
    release = hang(monkeypatch, tracker_store)

    started = time.monotonic()
    going_on = await tracker_store.retrieve("c-1")
    assert time.monotonic() - started < 1.5
    assert len(going_on.events) == len(tracker.events)  # from the recent copy
    going_on.update(user("kiitos", "thanks"))
    await tracker_store.save(going_on)  # the breaker is open: at once, to the copy only
    assert time.monotonic() - started < 1.6

    # Back again: the first write gives the database the turns it missed.
    release.set()
    monkeypatch.undo()
    tracker_store.breaker.reset()
    await tracker_store.save(going_on)
    again = await store(domain, path).retrieve("c-1")
    assert len(again.events) == len(going_on.events)
    assert again.latest_message.intent["name"] == "thanks"


async def test_with_neither_the_database_nor_a_copy_a_new_conversation_overwrites_nothing(
    domain, tmp_path, monkeypatch
):
    path = tmp_path / "conversations.sqlite3"
    tracker = DialogueStateTracker.from_events("c-1", form_journey(), domain.slots)
    await store(domain, path).save(tracker)
    stored_before = stored_rows(path)
    restarted = store(domain, path)  # a new process: no recent copy
    release = hang(monkeypatch, restarted)
    assert await restarted.retrieve("c-1") is None  # answered as a new conversation
    fresh = DialogueStateTracker.from_events("c-1", [user("hei", "greet")], domain.slots)
    await restarted.save(fresh)
    release.set()
    assert stored_rows(path) == stored_before


# ---------------------------------------------------------------- deadline and purge


async def test_the_first_call_of_a_process_may_take_longer():
    breaker = Breaker("test")
    assert await within(lambda: time.sleep(0.3) or "answer", lambda: "fallback", 0.1,
                        breaker) == "answer"
    assert breaker.warm
    assert await within(lambda: time.sleep(0.3) or "answer", lambda: "fallback", 0.1,
                        breaker) == "fallback"


async def test_within_gives_the_fallback_when_the_call_hangs_and_then_skips_the_wait():
    breaker = Breaker("test", break_seconds=30)
    breaker.warm = True
    release = threading.Event()
    started = time.monotonic()
    assert await within(lambda: release.wait(10), lambda: "fallback", 0.2, breaker) == "fallback"
    assert 0.15 < time.monotonic() - started < 1.0
    assert breaker.is_open()
    quick = time.monotonic()
    assert await within(lambda: "answer", lambda: "fallback", 0.2, breaker) == "fallback"
    assert time.monotonic() - quick < 0.05
    release.set()
    breaker.reset()
    assert await within(lambda: "answer", lambda: "fallback", 0.2, breaker) == "answer"


async def test_within_tells_a_writing_call_that_it_was_given_up():
    given_up = threading.Event()
    seen = []

    def slow_write():
        time.sleep(0.4)
        seen.append(given_up.is_set())

    breaker = Breaker("test")
    breaker.warm = True
    await within(slow_write, lambda: None, 0.1, breaker, given_up=given_up)
    await asyncio.sleep(0.5)
    assert seen == [True]


def test_conversations_idle_past_the_retention_are_purged(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp FLOAT, intent_name TEXT, action_name TEXT, data TEXT)"))
        now = time.time()
        for sender, age_days in (("old", 40), ("old", 35), ("going-on", 40), ("going-on", 1),
                                 ("new", 0)):
            connection.execute(sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, data)"
                " VALUES (:s, 'user', :t, '{}')"), {"s": sender, "t": now - age_days * 86400})
    assert purge_conversations(engine, days=30) == 1
    with engine.connect() as connection:
        left = connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars()
        assert sorted(left) == ["going-on", "new"]
    assert purge_conversations(sa.create_engine(f"sqlite:///{tmp_path / 'none.sqlite3'}"), 30) == 0


async def test_with_redis_down_the_lock_store_locks_in_process_and_says_so(caplog):
    from rasa.utils.endpoints import EndpointConfig

    from bot.conversations.lock_store import ExpiringRedisLockStore
    from tests.support.ports import ReservedPort

    with ReservedPort() as nobody:  # nothing listens there
        store = ExpiringRedisLockStore(EndpointConfig(url="127.0.0.1", port=nobody.port, db=1))
        started = time.monotonic()
        async with store.lock("c-1"):
            async with store.lock("c-2"):
                pass
    assert time.monotonic() - started < 3
    assert caplog.text.count("Redis lock store unavailable") == 1
