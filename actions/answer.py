"""The action that answers service-guidance questions from the catalogue.

Thin on purpose: it reads the intent, entities and slots, asks ``bot.guidance`` in a worker
thread (the catalogue query blocks), sends the text and remembers what the answer was about.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import SERVICE_QUESTIONS, Question, answer_question

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
}


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    return next(tracker.get_latest_entity_values(entity), None)


def question_from(tracker: Tracker) -> Question:
    """The question the latest message asks, with what the conversation already knows."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    text = tracker.latest_message.get("text") or ""
    kind = QUESTION_BY_INTENT.get(intent)
    service_id = latest_entity(tracker, "service")
    if intent == "inform_municipality":
        # A reply such as "Rovaniemellä" continues the question asked before it.
        previous = tracker.get_slot("question")
        kind = previous if previous in ("find", "carer", "hours") else "contact"
        service_id = service_id or tracker.get_slot("service")
        text = tracker.get_slot("need_text") or text
    elif kind is None:
        kind = "contact"
    named_municipality = latest_entity(tracker, "municipality")
    return Question(
        kind=kind,
        text=text,
        service_id=service_id,
        municipality_code=named_municipality or tracker.get_slot("municipality"),
        relative_key=latest_entity(tracker, "relative") or tracker.get_slot("relative"),
        previous_service_id=tracker.get_slot("service"),
        unknown_place=None if named_municipality else latest_entity(tracker, "place"),
    )


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
        answer = await asyncio.to_thread(answer_question, question)
        dispatcher.utter_message(text=answer.text)
        events = [SlotSet("question", question.kind)]
        if question.kind in SERVICE_QUESTIONS or question.kind in ("find", "carer"):
            events.append(SlotSet("need_text", question.text[:500]))
        if answer.service_id:
            events.append(SlotSet("service", answer.service_id))
        if answer.municipality_code:
            events.append(SlotSet("municipality", answer.municipality_code))
        return events
