"""Rasa NLU component: an emergency is an emergency, whatever the classifier thinks.

It runs after the intent classifier and the fallback classifier. When ``bot.text.emergency``
finds the signs of an emergency happening now, the intent becomes ``emergency`` with full
confidence, so the rules put 112 first: in any conversation, also in the middle of the
contact request form. The other way round, a message that reads as a person's name or is a
phone number and shows none of those signs is not an emergency, whatever the classifier
thought: the contact form would otherwise answer "Anna Virtanen" or "040 000 0098" with 112.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intents import demote, promote
from bot.text.emergency import is_emergency
from bot.text.names import looks_like_a_name
from bot.text.phone import normalise_phone

EMERGENCY_INTENT = "emergency"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class EmergencySafetyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> EmergencySafetyNet:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if is_emergency(text):
                promote(message, EMERGENCY_INTENT)
            elif (message.get(INTENT) or {}).get("name") == EMERGENCY_INTENT and (
                    looks_like_a_name(text) or normalise_phone(text)):
                # The classifier reads some names and numbers as emergencies ("Testi
                # Uaoihtdk", "040 000 0098"); a name or a phone number (112 is none) with none
                # of an emergency's signs answers the form's "Kenelle soitetaan?" or
                # "Mihin numeroon?".
                demote(message, EMERGENCY_INTENT)
        return messages

