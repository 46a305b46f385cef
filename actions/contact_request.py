"""The contact request (yhteydenottopyyntö): start, validate, confirm, correct, submit, cancel.

The form asks only what the hand-over needs; the stored request holds exactly these answers.
Thin on purpose, like ``actions.answer``: the actions read the slots and the message, call
``bot`` (the database work is ``bot.contact_requests.submit``'s, run in worker threads: it
blocks) and send the answer. The words they recognise are in ``data/lexicon/contact_form.yml``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection
from rasa_sdk.types import DomainDict

from actions.answer import conversation_language, latest_entity, latest_intent
from bot.contact_requests.store import RESPONSE_WORKING_DAYS, NewContactRequest
from bot.contact_requests.submit import municipality_name, submit_request, whom_label
from bot.guidance import Question, answer_question
from bot.text.contact_form import SELF, corrected_slot, said_for_whom
from bot.text.finnish import words
from bot.text.phone import display_phone, normalise_phone
from bot.text.relatives import relatives

INTERRUPTING_INTENTS = ("emergency", "cancel", "change_language")
FORM_SLOTS = ("cr_for_whom", "cr_topic", "cr_name", "cr_phone", "cr_time", "cr_consent")


def contact_text(municipality_code: str | None, language: str = "fi") -> str:
    """The guidance contact for the municipality (or all lines), as the answers give it."""
    question = Question("contact", municipality_code=municipality_code, language=language)
    return answer_question(question).text


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
        answer = await asyncio.to_thread(answer_question, question)
        if answer.text:
            dispatcher.utter_message(text=answer.text, metadata={"lang": language})
        known_relative = latest_entity(tracker, "relative") or tracker.get_slot("relative")
        events = [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]
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
        if latest_intent(tracker) in INTERRUPTING_INTENTS:
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

    def validate_cr_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        topic = str(value or "").strip()
        return {"cr_topic": topic[:500] if len(topic) >= 2 else None}

    def validate_cr_name(
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
        return {"cr_name": name}

    def validate_cr_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if value is None:
            return {"cr_phone": None}
        normalised = normalise_phone(str(value or ""))
        if normalised is None:
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"cr_phone": None}
        return {"cr_phone": display_phone(normalised)}

    def validate_cr_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return {"cr_time": " ".join(str(value or "").split())[:200] or None}


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
            text = await asyncio.to_thread(contact_text, code, language)
            dispatcher.utter_message(response="utter_consent_refused")
            dispatcher.utter_message(text=text, metadata={"lang": language})
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        municipality, whom = await asyncio.gather(
            asyncio.to_thread(municipality_name, code, None, language),
            asyncio.to_thread(whom_label, tracker.get_slot("cr_for_whom"), None, language),
        )
        dispatcher.utter_message(
            response="utter_confirm_contact_request",
            whom=whom,
            place=municipality or code,
            topic=tracker.get_slot("cr_topic"),
            name=tracker.get_slot("cr_name"),
            phone=tracker.get_slot("cr_phone"),
            time=tracker.get_slot("cr_time") or "-",
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
        request = NewContactRequest(
            municipality_code=code or "",
            for_whom=tracker.get_slot("cr_for_whom") or SELF,
            topic=tracker.get_slot("cr_topic") or "",
            name=tracker.get_slot("cr_name") or "",
            phone=tracker.get_slot("cr_phone") or "",
            preferred_time=tracker.get_slot("cr_time"),
            consent_given=tracker.get_slot("cr_consent") is True,
        )
        reference = await asyncio.to_thread(submit_request, request)
        language = conversation_language(tracker)
        contact = await asyncio.to_thread(contact_text, code, language)
        if reference is None:
            dispatcher.utter_message(response="utter_contact_request_not_saved")
        else:
            dispatcher.utter_message(
                response="utter_contact_request_saved",
                reference=reference,
                days=RESPONSE_WORKING_DAYS,
            )
        dispatcher.utter_message(text=contact, metadata={"lang": language})
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]


class ActionCancelContactRequest(Action):
    def name(self) -> str:
        return "action_cancel_contact_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_contact_request_cancelled")
        return (
            [ActiveLoop(None), SlotSet("requested_slot", None)]
            + [SlotSet(slot, None) for slot in FORM_SLOTS]
            + [SlotSet("cr_confirming", False)]
        )
