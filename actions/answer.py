"""The action that answers service-guidance questions from the catalogue.

Thin on purpose: it reads the intent, entities and slots, asks ``bot.guidance`` in a worker
thread (the catalogue query blocks), sends the text and remembers what the answer was about.
Every message that is not chit-chat, an emergency or an answer to the contact form comes here,
also when the classifier was unsure: the live catalogue decides whether it names a service.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import SERVICE_QUESTIONS, Answer, Question, answer_in_time

# What each intent asks, in the words of bot.guidance.
QUESTION_BY_INTENT = {
    "find_services": "find",
    "ask_service_info": "info",
    "ask_cost": "cost",
    "ask_how_to_apply": "apply",
    "ask_eligibility": "eligibility",
    "ask_opening_hours": "hours",
    "ask_contact": "contact",
    "report_worry": "worry",
    "carer_support": "carer",
    "nlu_fallback": "unclear",
    "out_of_scope": "out_of_scope",
    "urgent_health": "urgent",
    "greet": "greet",
    "emergency": "emergency",
}
INTENT_BY_QUESTION = {kind: intent for intent, kind in QUESTION_BY_INTENT.items()}
# Said before the catalogue's text when nothing in the message was understood.
NOT_UNDERSTOOD = {"unclear": "utter_default", "out_of_scope": "utter_out_of_scope"}
# After this many misunderstandings in a row, a call back is offered instead of guessing.
OFFER_CALL_BACK_AFTER = 2
# Slots that remember what the conversation is about.
REMEMBERED_KINDS = SERVICE_QUESTIONS + ("find", "carer")


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The first value of ``entity`` in the latest message, or None."""
    return next(tracker.get_latest_entity_values(entity), None)


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the latest message ("nlu_fallback" when the classifier was unsure)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def answered_message_id(tracker: Tracker) -> str | None:
    """The id of the user message being answered: the widget's rating of the answer names it,
    and the stored conversation finds the answer's service by it (``bot.conversations.turns``)."""
    message_id = tracker.latest_message.get("message_id")
    if not message_id:
        user_events = [e for e in tracker.events if e.get("event") == "user"]
        message_id = user_events[-1].get("message_id") if user_events else None
    return message_id if isinstance(message_id, str) else None


def conversation_language(tracker: Tracker) -> str:
    """The language slot's value: the language to answer in (Finnish until one is known)."""
    return tracker.get_slot("language") or "fi"


def question_from(tracker: Tracker) -> Question:
    """The question the latest message asks, with what the conversation already knows."""
    intent = latest_intent(tracker)
    text = tracker.latest_message.get("text") or ""
    kind = QUESTION_BY_INTENT.get(intent, "contact")
    previous_kind = tracker.get_slot("question")
    need_text = ""
    if intent == "inform_municipality":
        # A reply such as "Rovaniemellä" continues the question asked before it.
        kind = previous_kind if previous_kind in ("find", "carer", "hours") else "contact"
        need_text = tracker.get_slot("need_text") or ""
    named_municipality = latest_entity(tracker, "municipality")
    return Question(
        kind=kind,
        text=text,
        service_id=latest_entity(tracker, "service")
        or (tracker.get_slot("service") if intent == "inform_municipality" else None),
        municipality_code=named_municipality or tracker.get_slot("municipality"),
        relative_key=latest_entity(tracker, "relative") or tracker.get_slot("relative"),
        previous_service_id=tracker.get_slot("service"),
        previous_kind=previous_kind,
        need_text=need_text,
        unknown_place=None if named_municipality else latest_entity(tracker, "place"),
        language=conversation_language(tracker),
    )


def choice_buttons(answer: Answer) -> list[dict[str, str]]:
    """Quick replies for "Tarkoititko…?": each asks the same question about one service."""
    intent = INTENT_BY_QUESTION.get(answer.kind, "ask_service_info")
    return [
        {"title": choice.name,
         "payload": f"/{intent}{json.dumps({'service': choice.service_id})}"}
        for choice in answer.choices
    ]


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[Dict[str, Any]]:
        question = question_from(tracker)
        answer = await answer_in_time(question)
        misunderstood = 0 if answer.understood else (tracker.get_slot("misunderstood") or 0) + 1
        if not answer.understood:
            response = NOT_UNDERSTOOD.get(question.kind, "utter_default")
            if misunderstood >= OFFER_CALL_BACK_AFTER:
                response = "utter_offer_contact_request"
            dispatcher.utter_message(response=response)
        elif answer.kind == "carer":
            dispatcher.utter_message(response="utter_carer_burnout")
        # The widget marks each message with its language, for screen readers, and asks
        # "Oliko vastauksesta apua?" after the message that names the question answered; the
        # stored conversation keeps whether the catalogue had the answer (staff's insights).
        metadata = {"lang": question.language, "answer": answered_message_id(tracker),
                    "found": answer.found}
        if answer.choices:
            dispatcher.utter_message(text=answer.text, buttons=choice_buttons(answer),
                                     metadata=metadata)
        elif answer.text:
            dispatcher.utter_message(text=answer.text, metadata=metadata)
        events = [SlotSet("misunderstood", float(misunderstood))]
        if answer.understood and answer.text:
            events.append(SlotSet("question", answer.kind))
        if answer.understood and answer.kind in REMEMBERED_KINDS and question.text[:1] != "/":
            events.append(SlotSet("need_text", question.text[:500]))
        if answer.service_id:
            events.append(SlotSet("service", answer.service_id))
        if answer.municipality_code:
            events.append(SlotSet("municipality", answer.municipality_code))
        return events
