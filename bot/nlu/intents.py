"""Setting a message's intent over the classifier's, for the components that know better."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def promote(message: Message, intent: str) -> None:
    """``intent`` with full confidence, first in the ranking; the rest of it kept."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    top = {"name": intent, "confidence": 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)


def demote(message: Message, intent: str) -> None:
    """The ranking's next intent instead of ``intent`` (``nlu_fallback`` when there is none)."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    top = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking or [top], add_to_output=True)
