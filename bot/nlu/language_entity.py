"""Rasa NLU component: the language of each message, as a ``language`` entity.

It runs after the catalogue entity extractor, whose municipality, service and place spans it
leaves out of the guess ("does my mum in Kemijärvi get kotihoito" is English). A request for
a language ("på svenska", "in English") gives the entity without a role: the ``language`` slot
takes it anywhere, also in the contact form. A message's own language gives role ``detected``,
which the slot takes only outside the form. A message too short or ambiguous to tell ("ok",
"Kemi") gives the language the web widget says the conversation is in, and without one
nothing: the slot keeps the conversation's language.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.gazetteers import find_entities
from bot.text.gazetteer import Gazetteer
from bot.text.language import LANGUAGES, asked_language, message_language

LANGUAGE_ENTITY = "language"
DETECTED = "detected"
NAME_ENTITIES = ("municipality", "service", "place")
# The key of the web widget's message metadata that holds the conversation's language.
METADATA_KEY = "language"


def language_entity(text: str, entities: List[Dict[str, Any]],
                    metadata: Dict[str, Any] | None = None) -> Dict[str, Any] | None:
    """The ``language`` entity for a message, or None when it tells no language."""
    asked = asked_language(text)
    if asked:
        return {"entity": LANGUAGE_ENTITY, "value": asked}
    names = [(e["start"], e["end"]) for e in entities
             if e.get("entity") in NAME_ENTITIES and "start" in e and "end" in e]
    detected = message_language(text, names)
    if detected is None and isinstance(metadata, dict):
        hinted = metadata.get(METADATA_KEY)
        detected = hinted if hinted in LANGUAGES else None
    if detected is None:
        return None
    return {"entity": LANGUAGE_ENTITY, "value": detected, "role": DETECTED}


def language_of(text: str, gazetteers: dict[str, Gazetteer]) -> str | None:
    """The language the pipeline reads ``text`` in (fi, sv, en, se), None when it tells none:
    the entity above, with the names the gazetteers find."""
    names = [{"entity": m.entity, "start": m.start, "end": m.end}
             for m in find_entities(text, gazetteers)]
    found = language_entity(text, names)
    return found["value"] if found else None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LanguageEntityExtractor:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = message.get(ENTITIES, [])
            found = language_entity(text, entities, message.get("metadata"))
            if found is not None:
                found.update(start=0, end=len(text), confidence_entity=1.0)
                message.set(ENTITIES, entities + self.add_extractor_name([found]),
                            add_to_output=True)
        return messages
