"""Rasa NLU component: a message that names a service is a question about that service.

One model reads four languages, and the small intents (yes, no, thanks, goodbye, cancel,
change of language) are taught with short phrases whose character n-grams a short Finnish
question shares: "annosjakelu" looks like "anna olla" (cancel), "kotitalousvähennys paljonko
saa" like a request for Finnish. Their rules answer at once, so such a question would never
reach the catalogue. When the catalogue extractor found a service in the message, those
intents become ``find_services``; the action's question words then decide what to tell. A
request to change the language (a ``language`` entity without a role) is left alone, and so
are an emergency, a correction in the contact form and every other intent.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intents import promote

SHORT_INTENTS = frozenset(
    {"affirm", "deny", "thank", "goodbye", "greet", "cancel", "bot_challenge",
     "change_language"}
)
SERVICE_INTENT = "find_services"


def names_a_service(entities: List[Dict[str, Any]]) -> bool:
    return any(e.get("entity") == "service" for e in entities)


def asks_for_a_language(entities: List[Dict[str, Any]]) -> bool:
    return any(e.get("entity") == "language" and not e.get("role") for e in entities)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ServiceQuestionGuard(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ServiceQuestionGuard:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            entities = message.get(ENTITIES) or []
            if (intent in SHORT_INTENTS and names_a_service(entities)
                    and not asks_for_a_language(entities)):
                promote(message, SERVICE_INTENT)
        return messages

