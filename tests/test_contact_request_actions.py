"""The contact request's actions with real trackers, dispatchers and the domain of domain.yml.

Each test runs one action as the action server would and asserts the whole list of events
and what was said: a new side effect fails here first.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, FollowupAction, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from actions.contact_request import (
    FORM_SLOTS,
    ActionCancelContactRequest,
    ActionConfirmContactRequest,
    ActionCorrectContactRequest,
    ActionStartContactRequest,
    ActionSubmitContactRequest,
    ValidateContactRequestForm,
    contact_text,
)
from bot.catalogue.phrases import last_known_phrases, seed_phrases
from bot.catalogue.queries import get_municipality
from bot.config import PROJECT_ROOT
from bot.contact_requests import submit
from bot.contact_requests.drafts import KEPT_IN_DRAFT, PERSONAL_SLOTS
from bot.contact_requests.models import ContactRequest
from bot.contact_requests.store import RESPONSE_WORKING_DAYS
from bot.db import session_scope
from bot.text.contact_form import RELATIVE, SELF, correctable_slots
from bot.text.phone import display_phone, normalise_phone
from bot.text.relatives import relatives

PHRASES = seed_phrases()
CLOSED_DATABASE = "sqlite:///{tmp_path}/no/such/dir/catalogue.sqlite3"
# A complete form, as it is when the user has answered every question.
FILLED = {
    "municipality": "732",
    "cr_for_whom": "father",
    "cr_topic": "Isän muisti on huonontunut",
    "cr_name": "Testi Omainen",
    "cr_phone": "040 0000099",
    "cr_time": "aamupäivisin",
    "cr_consent": True,
    "cr_confirming": True,
}


@lru_cache(maxsize=1)
def domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def finnish(response: str) -> dict:
    """The Finnish variation of a response: the one without a condition."""
    return next(v for v in domain()["responses"][response] if not v.get("condition"))


def tracker(
    text: str = "",
    intent: str = "affirm",
    entities: list[dict] | None = None,
    slot_candidates: dict | None = None,
    active_loop: str | None = None,
    **slots,
) -> Tracker:
    """A tracker whose latest message is ``text``; ``slot_candidates`` are the SlotSet events
    the form has just extracted from it, as Rasa sends them to the validation action.

    Personal answers given in ``slots`` are put where the form keeps them, in the
    conversation's draft (a conversation of its own per tracker), and the slots hold
    ``KEPT_IN_DRAFT``, as in a real conversation.
    """
    sender = f"test-{uuid.uuid4().hex[:12]}"
    personal = {
        slot: slots[slot] for slot in PERSONAL_SLOTS
        if slots.get(slot) not in (None, KEPT_IN_DRAFT)
    }
    if personal:
        submit.start_form(sender)
        for slot, value in personal.items():
            submit.keep_form_answer(sender, slot, value)
            slots[slot] = KEPT_IN_DRAFT
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [],
    }
    all_slots = {name: None for name in domain()["slots"]}
    all_slots.update(requested_slot=None, misunderstood=0.0)
    all_slots.update(slots)
    events = [UserUttered(text, parse_data)]
    events += [SlotSet(name, value) for name, value in (slot_candidates or {}).items()]
    return Tracker(
        sender_id=sender,
        slots=all_slots,
        latest_message=parse_data,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def relative_entity(key: str) -> dict:
    return {"entity": "relative", "value": key, "start": 0, "end": 5}


async def run(action, t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, domain())
    return dispatcher.messages, events


async def validate(slot: str, value, text: str | None = None, **kwargs):
    """Run the form's validation on ``value`` just extracted for ``slot``.

    A personal answer's slot event says ``KEPT_IN_DRAFT``; the events returned here carry the
    answer the draft kept instead, so that the tests read what was kept.
    """
    t = tracker(
        text if text is not None else str(value or ""),
        intent=kwargs.pop("intent", "inform"),
        slot_candidates={slot: value},
        active_loop="contact_request_form",
        requested_slot=slot,
        **kwargs,
    )
    messages, events = await run(ValidateContactRequestForm(), t)
    return messages, [_as_kept(event, t.sender_id) for event in events]


def _as_kept(event: dict, sender: str) -> dict:
    if event.get("value") != KEPT_IN_DRAFT:
        return event
    answers = submit.form_answers(sender)
    return SlotSet(event["name"], getattr(answers, PERSONAL_SLOTS[event["name"]]))


def responses(messages: list[dict]) -> list[str | None]:
    return [m.get("response") for m in messages]


@pytest.fixture(autouse=True)
def catalogue_from_env(monkeypatch, catalogue_url):
    monkeypatch.setenv("DATABASE_URL", catalogue_url)


@pytest.fixture
def own_catalogue(monkeypatch, fresh_engine):
    """A catalogue of the test's own, for tests that store requests."""
    monkeypatch.setenv("DATABASE_URL", str(fresh_engine.url))
    return fresh_engine


def stored_requests(engine) -> list[ContactRequest]:
    with session_scope(engine) as session:
        return list(session.execute(select(ContactRequest)).scalars())


# ---------------------------------------------------------------- validate_cr_for_whom


@pytest.mark.parametrize(
    "answer, expected",
    [
        # The buttons of utter_ask_cr_for_whom: "omista asioistani", "läheiseni asioista".
        *zip((button["payload"] for button in finnish("utter_ask_cr_for_whom")["buttons"]),
             (SELF, RELATIVE), strict=True),
        # Every word that counted before the lists moved to data/lexicon/contact_form.yml.
        *[(word, SELF) for word in ("oma", "omista", "omat", "itse", "itselleni", "itseäni",
                                    "minä", "minua", "minulle", "minusta", "mulle", "mä")],
        *[(word, RELATIVE) for word in ("läheiseni", "läheisen", "läheinen", "omaiseni",
                                        "omainen", "omaisen")],
        # Other inflections count by their base form.
        ("itsestäni", SELF),
        ("OMASTA PUOLESTANI", SELF),
        ("mun asioista", SELF),
        ("läheiselleni", RELATIVE),
        # A relative's words win: the request is not about the user.
        ("oman läheiseni asioista", RELATIVE),
    ],
)
async def test_whom_the_request_is_for_is_read_from_the_answer(answer, expected):
    messages, events = await validate("cr_for_whom", answer)
    assert events == [SlotSet("cr_for_whom", expected)]
    assert messages == []


@pytest.mark.parametrize("value", [SELF, "mother", "neighbour"])
async def test_a_whom_already_known_is_kept(value):
    # Set by action_start_contact_request from what the conversation knew.
    _, events = await validate("cr_for_whom", value, text="voiko joku soittaa")
    assert events == [SlotSet("cr_for_whom", value)]


async def test_a_relative_the_message_names_is_taken_from_its_entity():
    _, events = await validate(
        "cr_for_whom", "äitini asioista", entities=[relative_entity("mother")]
    )
    assert events == [SlotSet("cr_for_whom", "mother")]


@pytest.mark.parametrize("value", [None, "", "en tiedä", "😀👍", "<b>hei</b>", "x" * 5000])
async def test_an_answer_naming_nobody_asks_again(value):
    messages, events = await validate("cr_for_whom", value)
    assert events == [SlotSet("cr_for_whom", None)]
    assert messages == []


# ---------------------------------------------------------------- validate_cr_topic


@pytest.mark.parametrize(
    "value, expected",
    [
        ("  isän muisti on huonontunut \n", "isän muisti on huonontunut"),
        # Shown to staff and in the chat only as text, never as markup: kept as written.
        ("<script>alert(1)</script> apua kotiin", "<script>alert(1)</script> apua kotiin"),
        ("apua 🙏", "apua 🙏"),
        ("ä" * 600, "ä" * 500),
        ("a", None),
        ("  ", None),
        (None, None),
    ],
)
async def test_the_topic_is_kept_trimmed_and_at_most_500_characters(value, expected):
    messages, events = await validate("cr_topic", value)
    assert events == [SlotSet("cr_topic", expected)]
    assert messages == []


async def test_a_health_worry_is_an_answer_to_the_topic_not_an_interruption():
    _, events = await validate("cr_topic", "isä on sekava tänään", intent="urgent_health")
    assert events == [SlotSet("cr_topic", "isä on sekava tänään")]


# ---------------------------------------------------------------- validate_cr_name


@pytest.mark.parametrize(
    "value, expected",
    [
        ("  Testi    Omainen ", "Testi Omainen"),
        ("Maija 🙂", "Maija 🙂"),
        ("Anna-Liisa O'Neill", "Anna-Liisa O'Neill"),
        ("Ä" * 100, "Ä" * 100),
    ],
)
async def test_a_name_is_kept_with_its_spaces_folded(value, expected):
    messages, events = await validate("cr_name", value)
    assert events == [SlotSet("cr_name", expected)]
    assert messages == []


@pytest.mark.parametrize("value", ["12345", "😀😀", "", "  ", "<>", "Ä" * 101, "<br>",
                                   "<b>Maija</b>"])
async def test_a_name_without_letters_or_too_long_is_refused_with_a_message(value):
    messages, events = await validate("cr_name", value)
    assert events == [SlotSet("cr_name", None)]
    assert responses(messages) == ["utter_invalid_name"]


async def test_an_emptied_name_is_asked_again_without_a_complaint():
    messages, events = await validate("cr_name", None, text="korjaa nimi")
    assert events == [SlotSet("cr_name", None)]
    assert messages == []


# ---------------------------------------------------------------- validate_cr_phone


@pytest.mark.parametrize("value", ["040-000 0099", "+358 40 000 0099", "0400000099"])
async def test_a_phone_number_is_kept_in_its_display_form(value):
    messages, events = await validate("cr_phone", value)
    assert events == [SlotSet("cr_phone", display_phone(normalise_phone(value)))]
    assert events[0]["value"]  # a number, not None
    assert messages == []


@pytest.mark.parametrize(
    "value",
    ["12345", "112", "😀", "<b>040 000 0099</b>", "040 000 0099 " * 20, ""],
)
async def test_a_phone_number_that_is_not_one_is_refused_with_a_message(value):
    messages, events = await validate("cr_phone", value)
    assert events == [SlotSet("cr_phone", None)]
    assert responses(messages) == ["utter_invalid_phone"]


async def test_an_emptied_phone_number_is_asked_again_without_a_complaint():
    messages, events = await validate("cr_phone", None, text="korjaa numero")
    assert events == [SlotSet("cr_phone", None)]
    assert messages == []


# ---------------------------------------------------------------- validate_cr_time


@pytest.mark.parametrize(
    "value, expected",
    [
        ("  aamu\npäivisin ", "aamu päivisin"),
        ("ei väliä 🙂", "ei väliä 🙂"),
        ("<i>illalla</i>", "<i>illalla</i>"),
        ("klo 9 " * 100, ("klo 9 " * 100)[:200]),
        ("   ", None),
        (None, None),
    ],
)
async def test_the_time_is_kept_folded_and_at_most_200_characters(value, expected):
    messages, events = await validate("cr_time", value)
    assert events == [SlotSet("cr_time", expected)]
    assert messages == []


# ---------------------------------------------------------------- interruptions


@pytest.mark.parametrize("intent", ["emergency", "cancel"])
@pytest.mark.parametrize("slot", ["cr_for_whom", "cr_topic", "cr_name"])
async def test_an_emergency_or_a_cancel_is_not_an_answer(intent, slot):
    # Even when the message also names a relative: the rules answer it first.
    with pytest.raises(ActionExecutionRejection):
        await validate(slot, "mieheni kaatui", intent=intent,
                       entities=[relative_entity("husband")])


# ---------------------------------------------------------------- start


async def test_start_empties_an_earlier_request_and_keeps_the_relative_known():
    messages, events = await run(
        ActionStartContactRequest(),
        tracker("voiko joku soittaa minulle", "request_contact", relative="father",
                **{slot: FILLED[slot] for slot in FORM_SLOTS}),
    )
    assert events == (
        [SlotSet(slot, None) for slot in FORM_SLOTS]
        + [SlotSet("cr_confirming", False), SlotSet("cr_for_whom", "father")]
    )
    assert all(m["text"] for m in messages)


# ---------------------------------------------------------------- confirm


async def test_the_summary_shows_every_answer(engine):
    messages, events = await run(
        ActionConfirmContactRequest(), tracker("/affirm", "affirm", **FILLED)
    )
    with session_scope(engine) as session:
        place = get_municipality(session, "732").name
    [summary] = messages
    assert summary["response"] == "utter_confirm_contact_request"
    assert {k: summary[k] for k in ("whom", "place", "topic", "name", "phone", "time")} == {
        "whom": relatives()["father"].whom,
        "place": place,
        "topic": FILLED["cr_topic"],
        "name": FILLED["cr_name"],
        "phone": FILLED["cr_phone"],
        "time": FILLED["cr_time"],
    }
    assert events == [SlotSet("cr_confirming", True)]


@pytest.mark.parametrize(
    "for_whom, phrase",
    [(SELF, "contact_request_whom_self"), (None, "contact_request_whom_self"),
     ("someone-unknown", "contact_request_whom_relative")],
)
async def test_the_summary_names_the_user_or_an_unnamed_relative_by_a_phrase(for_whom, phrase):
    messages, _ = await run(
        ActionConfirmContactRequest(),
        tracker("/affirm", "affirm", **{**FILLED, "cr_for_whom": for_whom, "cr_time": None}),
    )
    assert messages[0]["whom"] == PHRASES(phrase)
    assert messages[0]["whom"]
    # No time given: the summary says so with a dash, not "None".
    assert messages[0]["time"] == "-"


async def test_answers_that_could_not_be_kept_are_not_summed_up_but_the_phone_is_given(
    monkeypatch, tmp_path
):
    """The database closed during the form: the draft is missing, so nothing can be sent."""
    filled = tracker("/affirm", "affirm", **{**FILLED, "cr_for_whom": SELF})
    monkeypatch.setenv("DATABASE_URL", CLOSED_DATABASE.format(tmp_path=tmp_path))
    messages, events = await run(ActionConfirmContactRequest(), filled)
    assert responses(messages) == ["utter_contact_request_not_saved", None]
    assert messages[1]["text"] == last_known_contact_text()
    assert events == _cleared()


def last_known_contact_text() -> str:
    from bot.guidance import Question, catalogue_unavailable_answer

    return catalogue_unavailable_answer(Question("contact", municipality_code="732")).text


async def test_the_summary_names_the_code_and_the_last_known_phrase_when_reads_fail(
    monkeypatch,
):
    """The draft is read, the municipality and the phrase are not: the summary still goes."""
    async def no_name(code, language="fi"):
        return None

    monkeypatch.setattr("bot.contact_requests.form.municipality_name", no_name)
    messages, _ = await run(
        ActionConfirmContactRequest(),
        tracker("/affirm", "affirm", **{**FILLED, "cr_for_whom": SELF}),
    )
    [summary] = messages
    assert summary["place"] == "732"  # the code, since the name cannot be read
    assert summary["whom"] == last_known_phrases()("contact_request_whom_self")


async def test_correct_at_the_summary_waits_for_the_choice():
    messages, events = await run(
        ActionConfirmContactRequest(), tracker("/correct", "correct", **FILLED)
    )
    assert messages == []
    assert events == [SlotSet("cr_confirming", True)]


async def test_refused_consent_stores_nothing_and_gives_the_phone_number(engine):
    before = len(stored_requests(engine))
    messages, events = await run(
        ActionConfirmContactRequest(),
        tracker("/deny", "deny", **{**FILLED, "cr_consent": False}),
    )
    assert responses(messages) == ["utter_consent_refused", None]
    assert messages[1]["text"] == (await contact_text("732"))
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]
    assert len(stored_requests(engine)) == before


# ---------------------------------------------------------------- correct


def _correction_buttons() -> list[str]:
    return [b["payload"] for b in finnish("utter_ask_which_correction")["buttons"]]


def test_every_correction_button_names_one_answer_of_the_form():
    form_slots = domain()["forms"]["contact_request_form"]["required_slots"]
    assert set(correctable_slots()) <= set(form_slots)
    assert len(_correction_buttons()) == len(correctable_slots())


@pytest.mark.parametrize("index", range(len(_correction_buttons())))
async def test_each_correction_button_empties_its_answer_only(index):
    payload = _correction_buttons()[index]
    messages, events = await run(
        ActionCorrectContactRequest(), tracker(payload, "correct", **FILLED)
    )
    assert events == [SlotSet(correctable_slots()[index], None), SlotSet("cr_confirming", False)]
    assert messages == []


@pytest.mark.parametrize(
    "text, slot",
    [
        ("kotikunta on väärin", "municipality"),
        ("paikkakunnan nimi", "municipality"),  # the first answer named wins
        ("aihe meni väärin", "cr_topic"),
        ("nimessä on virhe", "cr_name"),
        ("korjaan nimeä", "cr_name"),
        ("puhelinnumerossa on virhe", "cr_phone"),
        ("PUHELIN väärin", "cr_phone"),
        ("numeroa pitää korjata", "cr_phone"),
        ("soittoaikaa", "cr_time"),
        ("ajan", "cr_time"),
    ],
)
async def test_a_correction_in_own_words_empties_the_answer_it_names(text, slot):
    _, events = await run(ActionCorrectContactRequest(), tracker(text, "correct", **FILLED))
    assert events == [SlotSet(slot, None), SlotSet("cr_confirming", False)]


@pytest.mark.parametrize("text", ["/correct", "haluan korjata", "😀", "<b></b>", ""])
async def test_a_correction_naming_nothing_asks_what_to_correct(text):
    messages, events = await run(ActionCorrectContactRequest(), tracker(text, "correct", **FILLED))
    assert responses(messages) == ["utter_ask_which_correction"]
    assert events == [SlotSet("cr_confirming", False)]


# ---------------------------------------------------------------- submit


def _cleared() -> list[dict]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]


async def test_a_confirmed_request_is_stored_and_its_reference_told(own_catalogue):
    messages, events = await run(ActionSubmitContactRequest(), tracker("/affirm", **FILLED))
    [stored] = stored_requests(own_catalogue)
    assert responses(messages) == ["utter_contact_request_saved", None]
    assert messages[0]["reference"] == stored.reference
    assert messages[0]["days"] == RESPONSE_WORKING_DAYS
    assert messages[1]["text"] == (await contact_text("732"))
    assert events == _cleared()
    assert (stored.municipality_code, stored.for_whom, stored.topic, stored.name,
            stored.preferred_time) == ("732", "father", FILLED["cr_topic"], FILLED["cr_name"],
                                       FILLED["cr_time"])
    assert stored.phone == normalise_phone(FILLED["cr_phone"])


async def test_a_request_for_the_user_is_stored_as_self(own_catalogue):
    await run(ActionSubmitContactRequest(),
              tracker("/affirm", **{**FILLED, "cr_for_whom": None, "cr_time": None}))
    [stored] = stored_requests(own_catalogue)
    assert (stored.for_whom, stored.preferred_time) == (SELF, None)


async def test_a_closed_database_stores_nothing_but_gives_the_phone_number(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", CLOSED_DATABASE.format(tmp_path=tmp_path))
    messages, events = await run(ActionSubmitContactRequest(), tracker("/affirm", **FILLED))
    assert responses(messages) == ["utter_contact_request_not_saved", None]
    assert messages[1]["text"] and messages[1]["text"] == (await contact_text("732"))
    assert events == _cleared()


async def test_a_database_failing_mid_way_stores_nothing_and_logs_no_personal_data(
    own_catalogue, monkeypatch, caplog
):
    def failing_purge(session, now=None):
        raise OperationalError("DELETE FROM contact_request_draft", {},
                               Exception("disk I/O error"))

    monkeypatch.setattr("bot.contact_requests.submit.drafts.purge_drafts", failing_purge)
    messages, events = await run(ActionSubmitContactRequest(), tracker("/affirm", **FILLED))
    assert responses(messages) == ["utter_contact_request_not_saved", None]
    assert messages[1]["text"] == (await contact_text("732"))
    assert events == _cleared()
    # The request saved before the failure was rolled back with it: nothing half stored.
    assert stored_requests(own_catalogue) == []
    assert "OperationalError" in caplog.text
    for personal in (FILLED["cr_name"], FILLED["cr_phone"], FILLED["cr_topic"], "0400000099"):
        assert personal not in caplog.text


@pytest.mark.parametrize(
    "change", [{"cr_consent": None}, {"cr_phone": "12345"}, {"municipality": None}]
)
async def test_a_request_the_store_refuses_is_not_saved(engine, change):
    before = len(stored_requests(engine))
    messages, _ = await run(
        ActionSubmitContactRequest(), tracker("/affirm", **{**FILLED, **change})
    )
    assert responses(messages) == ["utter_contact_request_not_saved", None]
    assert messages[1]["text"]
    assert len(stored_requests(engine)) == before


# ---------------------------------------------------------------- cancel


async def test_cancel_ends_the_form_and_forgets_every_answer(engine):
    before = len(stored_requests(engine))
    messages, events = await run(
        ActionCancelContactRequest(),
        tracker("peru", "cancel", active_loop="contact_request_form", requested_slot="cr_time",
                **FILLED),
    )
    assert responses(messages) == ["utter_contact_request_cancelled"]
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)] + _cleared()
    assert len(stored_requests(engine)) == before


# ---------------------------------------------------------------- personal data


@pytest.mark.parametrize("slot, value", [("cr_topic", "Isän muisti"), ("cr_name", "Testi Omainen"),
                                         ("cr_phone", "040 000 0099"), ("cr_time", "aamulla")])
async def test_a_personal_answer_goes_to_the_draft_and_the_slot_only_says_so(slot, value):
    t = tracker(value, "inform", slot_candidates={slot: value},
                active_loop="contact_request_form", requested_slot=slot)
    _, events = await run(ValidateContactRequestForm(), t)
    assert events == [SlotSet(slot, KEPT_IN_DRAFT)]
    kept = getattr(submit.form_answers(t.sender_id), PERSONAL_SLOTS[slot])
    assert kept == (display_phone(normalise_phone(value)) if slot == "cr_phone" else value)


async def test_a_submit_after_a_lost_reply_stores_nothing_twice(own_catalogue):
    filled = tracker("/affirm", **FILLED)
    first, _ = await run(ActionSubmitContactRequest(), filled)
    again, _ = await run(ActionSubmitContactRequest(), filled)
    assert first[0]["reference"] == again[0]["reference"]
    assert len(stored_requests(own_catalogue)) == 1


async def test_a_cancelled_form_leaves_no_answers_behind(own_catalogue):
    filled = tracker("peru", "cancel", active_loop="contact_request_form",
                     requested_slot="cr_time", **FILLED)
    assert submit.form_answers(filled.sender_id) is not None
    await run(ActionCancelContactRequest(), filled)
    assert submit.form_answers(filled.sender_id) is None


def cancelled_at(question: str, text: str) -> Tracker:
    """The tracker as the cancel rule leaves it: the form ended (action_deactivate_loop) after
    the user answered ``question`` with ``text``."""
    t = tracker(text, "cancel")
    t.events[:0] = [ActiveLoop("contact_request_form"), SlotSet("requested_slot", question)]
    t.events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return t


@pytest.mark.parametrize("name", ["Anna Virtanen", "Anna-Liisa Korhonen", "Annikki O'Neill"])
async def test_a_name_read_as_a_cancel_is_the_answer_to_the_name_question(name):
    t = cancelled_at("cr_name", name)
    messages, events = await run(ActionCancelContactRequest(), t)
    assert messages == []
    assert events == [ActiveLoop("contact_request_form"), SlotSet("requested_slot", "cr_name"),
                      SlotSet("cr_name", KEPT_IN_DRAFT), FollowupAction("contact_request_form")]
    assert submit.form_answers(t.sender_id).name == name


async def test_the_form_takes_the_name_the_cancel_action_took_instead_of_refusing_it():
    # As Rasa hands it to the validation: the cancel action's events after the message, then
    # the form's own action (so the latest action is the form, not the cancel).
    t = tracker("Anna Virtanen", "cancel", active_loop="contact_request_form",
                requested_slot="cr_name")
    t.events += [ActionExecuted("action_cancel_contact_request"),
                 ActiveLoop("contact_request_form"), SlotSet("requested_slot", "cr_name"),
                 SlotSet("cr_name", KEPT_IN_DRAFT), ActionExecuted("contact_request_form")]
    t.latest_action_name = "contact_request_form"
    # Not refused, and nothing to validate: the name is already kept, the form asks the phone.
    _, events = await run(ValidateContactRequestForm(), t)
    assert events == []


async def test_the_form_still_refuses_a_cancel_after_an_earlier_name_was_taken():
    t = tracker("peru", "cancel", active_loop="contact_request_form", requested_slot="cr_phone")
    t.events[:0] = [ActionExecuted("action_cancel_contact_request")]
    with pytest.raises(ActionExecutionRejection):
        await run(ValidateContactRequestForm(), t)


async def test_a_name_cancels_at_another_question():
    messages, _ = await run(ActionCancelContactRequest(), cancelled_at("cr_time", "Anna Virtanen"))
    assert responses(messages) == ["utter_contact_request_cancelled"]


@pytest.mark.parametrize("text", ["anna olla", "PERU KAIKKI", "peru", "Anna olla koko juttu"])
async def test_a_cancel_at_the_name_question_still_cancels(text):
    t = cancelled_at("cr_name", text)
    messages, events = await run(ActionCancelContactRequest(), t)
    assert responses(messages) == ["utter_contact_request_cancelled"]
    assert events[0] == ActiveLoop(None)
