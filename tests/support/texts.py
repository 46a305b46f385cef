"""The assistant's fixed wording, read from domain.yml, so tests refer to texts, not copy them."""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.config import PROJECT_ROOT


@lru_cache(maxsize=1)
def _responses() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def variation_language(variation: dict) -> str:
    """The language slot value a response variation is for; the one without a condition is
    the Finnish default."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return condition.get("value")
    return "fi"


def response(name: str, language: str = "fi") -> str:
    """The text of a domain.yml response in ``language`` (Finnish when it has none)."""
    variations = _responses()[name]
    for variation in variations:
        if variation_language(variation) == language:
            return variation["text"]
    return next(v["text"] for v in variations if not v.get("condition"))


def first_sentence(name: str, language: str = "fi") -> str:
    return response(name, language).split(".")[0].split("\n")[0]
