"""Rasa NLU component: municipalities, services and relatives in Finnish text → catalogue ids.

It resolves inflected and misspelt names ("Rovaniemellä", "Sodankylästä", "rovanimi",
"kotihoitto", Swedish and Sámi names) with ``bot.text.gazetteer``. The names come from the seed
catalogue files at training time and are stored in the model, so the trained model answers
without a database. Services that staff add later are found by the catalogue search in the
actions; this component only gives a hint.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.gazetteers import build_gazetteers, find_entities
from bot.text.gazetteer import Gazetteer

GAZETTEERS_FILE = "gazetteers.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class CatalogueEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        gazetteers: Dict[str, Gazetteer] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._gazetteers = gazetteers or {}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CatalogueEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._gazetteers = build_gazetteers()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / GAZETTEERS_FILE).write_text(
                json.dumps({k: g.to_dict() for k, g in self._gazetteers.items()}),
                encoding="utf-8",
            )
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CatalogueEntityExtractor:
        """The gazetteers saved at training; rebuilt from the seed if the model has none."""
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / GAZETTEERS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource, build_gazetteers())
        gazetteers = {k: Gazetteer.from_dict(v) for k, v in data.items()}
        return cls(config, model_storage, resource, gazetteers)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {
                    "entity": m.entity,
                    "value": m.value,
                    "start": m.start,
                    "end": m.end,
                    "confidence_entity": 1.0,
                }
                for m in find_entities(text, self._gazetteers)
            ]
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
            self._reject_place_answer_without_a_place(message, found)
        return messages

    @staticmethod
    def _reject_place_answer_without_a_place(message: Message, found: List[Dict]) -> None:
        """A short unknown word ("banaani", "xyz") looks like a place name to DIET; without
        a municipality or a place in it, it is not an answer to "where do you live"."""
        intent = message.get(INTENT) or {}
        if intent.get("name") != "inform_municipality":
            return
        if any(e["entity"] in ("municipality", "place") for e in found):
            return
        message.set(
            INTENT,
            {"name": "nlu_fallback", "confidence": intent.get("confidence", 0.0)},
            add_to_output=True,
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
