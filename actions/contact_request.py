"""The contact request (yhteydenottopyyntö): start, validate, confirm, correct, submit, cancel.

The form asks only what the hand-over needs; the stored request holds exactly these answers.
Thin on purpose, like ``actions.answer``: the actions read the slots and the message, call
``bot`` (the database work is ``bot.contact_requests.form``'s, in worker threads and within a
deadline) and send the answer. The words they recognise are in ``data/lexicon/contact_form.yml``.

The personal answers (topic, name, phone, time) are kept in the conversation's draft row, not
in the slots: a slot holds ``KEPT_IN_DRAFT``, so that the stored conversation has nothing
personal in it (``bot.conversations``).
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection
from rasa_sdk.types import DomainDict

from actions.answer import conversation_language, latest_entity, latest_intent
from bot.contact_requests import form
from bot.contact_requests.drafts import KEPT_IN_DRAFT
from bot.contact_requests.store import RESPONSE_WORKING_DAYS
from bot.guidance import Question, answer_in_time
from bot.text.contact_form import SELF, corrected_slot, said_for_whom
from bot.text.finnish import words
from bot.text.names import looks_like_a_name
from bot.text.phone import display_phone, normalise_phone
from bot.text.relatives import relatives

FORM_NAME = "contact_request_form"
INTERRUPTING_INTENTS = ("emergency", "cancel", "change_language")
FORM_SLOTS = ("cr_for_whom", "cr_topic", "cr_name", "cr_phone", "cr_time", "cr_consent")


async def contact_text(municipality_code: str | None, language: str = "fi") -> str:
    """The guidance contact for the municipality (or all lines), as the answers give it."""
    question = Question("contact", municipality_code=municipality_code, language=language)
    return (await answer_in_time(question)).text


def _cleared() -> List[Dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]


class ActionStartContactRequest(Action):
    """Clears an earlier request's answers; what the conversation knows is kept."""

    def name(self) -> str:
        return "action_start_contact_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        # "Voiko omainen soittaa palveluohjaukseen isän puolesta?" asks about a service too:
        # its answer first, then the form's questions.
        text = tracker.latest_message.get("text") or ""
        language = conversation_language(tracker)
        question = Question("call_back", text, language=language)
        answer, _ = await asyncio.gather(
            answer_in_time(question), form.start_form(tracker.sender_id)
        )
        if answer.text:
            dispatcher.utter_message(text=answer.text, metadata={"lang": language})
        known_relative = latest_entity(tracker, "relative") or tracker.get_slot("relative")
        events = _cleared()
        if known_relative:
            events.append(SlotSet("cr_for_whom", known_relative))
        return events


class ValidateContactRequestForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contact_request_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        # An emergency or a cancel is not an answer to the form's question: rejecting lets the
        # rules answer it first, even when the message also named a relative or a place.
        # ...unless the cancel action has just taken the message as the name ("Anna Virtanen").
        taken_as_name = _ran_since_the_message(tracker, ActionCancelContactRequest.NAME)
        if latest_intent(tracker) in INTERRUPTING_INTENTS and not taken_as_name:
            raise ActionExecutionRejection(self.name())
        return await super().run(dispatcher, tracker, domain)

    def validate_cr_for_whom(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if value == SELF or value in relatives():
            return {"cr_for_whom": value}
        relative = latest_entity(tracker, "relative")
        if relative:
            return {"cr_for_whom": relative}
        return {"cr_for_whom": said_for_whom(str(value or ""))}

    async def validate_cr_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        topic = str(value or "").strip()
        return await _kept(tracker, "cr_topic", topic[:500] if len(topic) >= 2 else None)

    async def validate_cr_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if value is None:
            # Emptied by the start or a correction, not answered: nothing to complain about.
            return {"cr_name": None}
        name = " ".join(str(value or "").split())
        # Markup is no one's name: staff would see "<br>" as a caller to phone.
        if not words(name) or len(name) > 100 or "<" in name or ">" in name:
            dispatcher.utter_message(response="utter_invalid_name")
            return {"cr_name": None}
        return await _kept(tracker, "cr_name", name)

    async def validate_cr_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if value is None:
            return {"cr_phone": None}
        normalised = normalise_phone(str(value or ""))
        if normalised is None:
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"cr_phone": None}
        return await _kept(tracker, "cr_phone", display_phone(normalised))

    async def validate_cr_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return await _kept(tracker, "cr_time", " ".join(str(value or "").split())[:200] or None)


def _ran_since_the_message(tracker: Tracker, action: str) -> bool:
    """Whether ``action`` ran after the latest user message. (Rasa hands the form's validation
    a tracker whose latest action is always the form itself.)"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == action:
            return True
    return False


def _asked_when_answered(tracker: Tracker) -> str | None:
    """The form's question the latest message answered: the rules end the form before this
    action runs, so it is read from the events before that message."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    for event in reversed(events[:max(last_user, 0)]):
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            return event.get("value")
        if event.get("event") == "active_loop" and event.get("name") is None:
            return None
    return None


async def _name_given(tracker: Tracker, text: str) -> List[Dict[str, Any]]:
    kept = await _kept(tracker, "cr_name", " ".join(text.split()))
    return [SlotSet(slot, value) for slot, value in kept.items()]


async def _kept(tracker: Tracker, slot: str, value: str | None) -> Dict[str, Any]:
    """The answer goes into the draft; the slot says only that it was given.

    When the draft cannot be written, the slot is still marked: the summary finds the draft
    incomplete and says that nothing was saved, with the phone number.
    """
    if value is None or value == KEPT_IN_DRAFT:
        return {slot: value}
    await form.keep_form_answer(tracker.sender_id, slot, value)
    return {slot: KEPT_IN_DRAFT}


class ActionConfirmContactRequest(Action):
    def name(self) -> str:
        return "action_confirm_contact_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        if latest_intent(tracker) == "correct":
            # Nothing was emptied: the user is choosing what to correct from the buttons.
            return [SlotSet("cr_confirming", True)]
        code = tracker.get_slot("municipality")
        language = conversation_language(tracker)
        if tracker.get_slot("cr_consent") is False:
            text, _ = await asyncio.gather(
                contact_text(code, language), form.discard_form(tracker.sender_id)
            )
            dispatcher.utter_message(response="utter_consent_refused")
            dispatcher.utter_message(text=text, metadata={"lang": language})
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        answers, municipality, whom = await asyncio.gather(
            form.form_answers(tracker.sender_id),
            form.municipality_name(code, language),
            form.whom_label(tracker.get_slot("cr_for_whom"), language),
        )
        if answers is None or not (answers.topic and answers.name and answers.phone):
            # The answers could not be kept (the database failed during the form).
            dispatcher.utter_message(response="utter_contact_request_not_saved")
            text = await contact_text(code, language)
            dispatcher.utter_message(text=text, metadata={"lang": language})
            return _cleared()
        # The summary repeats the answers: the tracker store stores it without its text.
        dispatcher.utter_message(
            response="utter_confirm_contact_request",
            whom=whom,
            place=municipality or code,
            topic=answers.topic,
            name=answers.name,
            phone=answers.phone,
            time=answers.preferred_time or "-",
        )
        return [SlotSet("cr_confirming", True)]


class ActionCorrectContactRequest(Action):
    """Empties the answer the user wants to correct, so the form asks it again."""

    def name(self) -> str:
        return "action_correct_contact_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        field = corrected_slot(tracker.latest_message.get("text") or "")
        if field is None:
            dispatcher.utter_message(response="utter_ask_which_correction")
            return [SlotSet("cr_confirming", False)]
        return [SlotSet(field, None), SlotSet("cr_confirming", False)]


class ActionSubmitContactRequest(Action):
    def name(self) -> str:
        return "action_submit_contact_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        code = tracker.get_slot("municipality")
        reference = await form.submit_form(
            tracker.sender_id,
            code or "",
            tracker.get_slot("cr_for_whom") or SELF,
            tracker.get_slot("cr_consent") is True,
        )
        language = conversation_language(tracker)
        contact = await contact_text(code, language)
        if reference is None:
            dispatcher.utter_message(response="utter_contact_request_not_saved")
        else:
            dispatcher.utter_message(
                response="utter_contact_request_saved",
                reference=reference,
                days=RESPONSE_WORKING_DAYS,
            )
        dispatcher.utter_message(text=contact, metadata={"lang": language})
        return _cleared()


class ActionCancelContactRequest(Action):
    NAME = "action_cancel_contact_request"

    def name(self) -> str:
        return self.NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if _asked_when_answered(tracker) == "cr_name" and looks_like_a_name(text):
            # "Anna Virtanen" reads to the classifier like "anna olla" (never mind): asked
            # for a name, a name is the answer, and the form goes on where it was.
            return [
                ActiveLoop(FORM_NAME), SlotSet("requested_slot", "cr_name"),
                *(await _name_given(tracker, text)), FollowupAction(FORM_NAME),
            ]
        await form.discard_form(tracker.sender_id)
        dispatcher.utter_message(response="utter_contact_request_cancelled")
        return (
            [ActiveLoop(None), SlotSet("requested_slot", None)]
            + [SlotSet(slot, None) for slot in FORM_SLOTS]
            + [SlotSet("cr_confirming", False)]
        )
