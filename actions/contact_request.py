"""The contact request (yhteydenottopyyntö): start, validate, confirm, correct, submit, cancel.

The form asks only what the hand-over needs; the stored request holds exactly these answers.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.interfaces import ActionExecutionRejection
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.answer import latest_entity
from bot.catalogue.queries import get_municipality
from bot.contact_requests.store import (
    RESPONSE_WORKING_DAYS,
    NewContactRequest,
    purge_handled,
    save_request,
)
from bot.db import session_scope
from bot.guidance import Question, answer_question
from bot.text.finnish import words
from bot.text.phone import display_phone, normalise_phone
from bot.text.relatives import relatives

logger = logging.getLogger(__name__)

INTERRUPTING_INTENTS = ("emergency", "cancel")
FORM_SLOTS = ("cr_for_whom", "cr_topic", "cr_name", "cr_phone", "cr_time", "cr_consent")
SELF = "self"
# Words that say whom the request is for, and which answer a correction points at.
SELF_WORDS = {"oma", "omista", "omat", "itse", "itselleni", "itseäni", "minä", "minua",
              "minulle", "minusta", "mulle", "mä"}
RELATIVE_WORDS = {"läheiseni", "läheisen", "läheinen", "omaiseni", "omainen", "omaisen"}
CORRECTION_WORDS = {
    "municipality": ("kunta", "kunnan", "kotikunta", "paikkakunta"),
    "cr_topic": ("asia", "asian", "aihe"),
    "cr_name": ("nimi", "nimen", "nimeä", "nimessä"),
    "cr_phone": ("numero", "numeron", "numeroa", "puhelin", "puhelinnumero", "puhelinnumeron",
                 "puhelinnumeroa", "puhelinnumerossa"),
    "cr_time": ("aika", "ajan", "aikaa", "soittoaika", "soittoaikaa"),
}


def contact_text(municipality_code: str | None) -> str:
    """The guidance contact for the municipality (or all lines), as the answers give it."""
    return answer_question(Question("contact", municipality_code=municipality_code)).text


def whom_label(for_whom: str | None) -> str:
    if not for_whom or for_whom == SELF:
        return "minua"
    relative = relatives().get(for_whom)
    return relative.whom if relative else "läheistäni"


class ActionStartContactRequest(Action):
    """Clears an earlier request's answers; what the conversation knows is kept."""

    def name(self) -> str:
        return "action_start_contact_request"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        # "Voiko omainen soittaa palveluohjaukseen isän puolesta?" asks about a service too:
        # its answer first, then the form's questions.
        text = tracker.latest_message.get("text") or ""
        answer = await asyncio.to_thread(answer_question, Question("call_back", text))
        if answer.text:
            dispatcher.utter_message(text=answer.text)
        known_relative = latest_entity(tracker, "relative") or tracker.get_slot("relative")
        events = [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]
        if known_relative:
            events.append(SlotSet("cr_for_whom", known_relative))
        return events


class ValidateContactRequestForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contact_request_form"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        # An emergency or a cancel is not an answer to the form's question: rejecting lets the
        # rules answer it first, even when the message also named a relative or a place.
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in INTERRUPTING_INTENTS:
            raise ActionExecutionRejection(self.name())
        return await super().run(dispatcher, tracker, domain)

    def validate_cr_for_whom(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict:
        if value == SELF or value in relatives():
            return {"cr_for_whom": value}
        relative = latest_entity(tracker, "relative")
        if relative:
            return {"cr_for_whom": relative}
        said = set(words(str(value or "")))
        if said & RELATIVE_WORDS:
            return {"cr_for_whom": "relative"}
        if said & SELF_WORDS:
            return {"cr_for_whom": SELF}
        return {"cr_for_whom": None}

    def validate_cr_topic(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict:
        topic = str(value or "").strip()
        return {"cr_topic": topic[:500] if len(topic) >= 2 else None}

    def validate_cr_name(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict:
        if value is None:
            # Emptied by the start or a correction, not answered: nothing to complain about.
            return {"cr_name": None}
        name = " ".join(str(value or "").split())
        if not words(name) or len(name) > 100:
            dispatcher.utter_message(response="utter_invalid_name")
            return {"cr_name": None}
        return {"cr_name": name}

    def validate_cr_phone(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict:
        if value is None:
            return {"cr_phone": None}
        normalised = normalise_phone(str(value or ""))
        if normalised is None:
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"cr_phone": None}
        return {"cr_phone": display_phone(normalised)}

    def validate_cr_time(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict:
        return {"cr_time": " ".join(str(value or "").split())[:200] or None}


class ActionConfirmContactRequest(Action):
    def name(self) -> str:
        return "action_confirm_contact_request"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "correct":
            # Nothing was emptied: the user is choosing what to correct from the buttons.
            return [SlotSet("cr_confirming", True)]
        code = tracker.get_slot("municipality")
        if tracker.get_slot("cr_consent") is False:
            text = await asyncio.to_thread(contact_text, code)
            dispatcher.utter_message(response="utter_consent_refused")
            dispatcher.utter_message(text=text)
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        municipality = await asyncio.to_thread(_municipality_name, code)
        dispatcher.utter_message(
            response="utter_confirm_contact_request",
            whom=whom_label(tracker.get_slot("cr_for_whom")),
            place=municipality or code,
            topic=tracker.get_slot("cr_topic"),
            name=tracker.get_slot("cr_name"),
            phone=tracker.get_slot("cr_phone"),
            time=tracker.get_slot("cr_time") or "-",
        )
        return [SlotSet("cr_confirming", True)]


def _municipality_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        with session_scope() as session:
            municipality = get_municipality(session, code)
            return municipality.name if municipality else None
    except SQLAlchemyError:
        return None


class ActionCorrectContactRequest(Action):
    """Empties the answer the user wants to correct, so the form asks it again."""

    def name(self) -> str:
        return "action_correct_contact_request"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        said = set(words(tracker.latest_message.get("text") or ""))
        field = next((f for f, names in CORRECTION_WORDS.items() if said & set(names)), None)
        if field is None:
            dispatcher.utter_message(response="utter_ask_which_correction")
            return [SlotSet("cr_confirming", False)]
        return [SlotSet(field, None), SlotSet("cr_confirming", False)]


class ActionSubmitContactRequest(Action):
    def name(self) -> str:
        return "action_submit_contact_request"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
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
        reference = await asyncio.to_thread(_store, request)
        contact = await asyncio.to_thread(contact_text, code)
        if reference is None:
            dispatcher.utter_message(response="utter_contact_request_not_saved")
        else:
            dispatcher.utter_message(
                response="utter_contact_request_saved",
                reference=reference,
                days=RESPONSE_WORKING_DAYS,
            )
        dispatcher.utter_message(text=contact)
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("cr_confirming", False)]


def _store(request: NewContactRequest) -> str | None:
    try:
        with session_scope() as session:
            reference = save_request(session, request).reference
            purge_handled(session)
            return reference
    except (SQLAlchemyError, ValueError) as error:
        logger.warning("Contact request not stored: %s", type(error).__name__)
        return None


class ActionCancelContactRequest(Action):
    def name(self) -> str:
        return "action_cancel_contact_request"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        dispatcher.utter_message(response="utter_contact_request_cancelled")
        return (
            [ActiveLoop(None), SlotSet("requested_slot", None)]
            + [SlotSet(slot, None) for slot in FORM_SLOTS]
            + [SlotSet("cr_confirming", False)]
        )
