"""Rasa NLU component: an emergency is an emergency, whatever the classifier thinks.

It runs after the intent classifier and the fallback classifier. When ``bot.text.emergency``
finds the signs of an emergency happening now, the intent becomes ``emergency`` with full
confidence, so the rules put 112 first: in any conversation, also in the middle of the
contact request form.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intents import promote
from bot.text.emergency import is_emergency

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
            if is_emergency(message.get(TEXT) or ""):
                promote(message, EMERGENCY_INTENT)
        return messages

