"""The language of a message as the pipeline sees it: place and service names left out.

"does my mum in Kemijärvi get kotihoito" is English: the gazetteers find the Finnish names,
and ``bot.text.language`` guesses from the rest.
"""

from __future__ import annotations

from bot.nlu.gazetteers import find_entities
from bot.text.gazetteer import Gazetteer
from bot.text.language import message_language

NAME_ENTITIES = ("municipality", "service", "place")


def language_of(text: str, gazetteers: dict[str, Gazetteer]) -> str | None:
    """fi, sv, en or se; None when the message is too short or ambiguous to tell."""
    names = [(m.start, m.end) for m in find_entities(text, gazetteers)
             if m.entity in NAME_ENTITIES]
    return message_language(text, names)
