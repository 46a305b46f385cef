"""The assistant's fixed wording, read from domain.yml, so tests refer to texts, not copy them."""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.config import PROJECT_ROOT


@lru_cache(maxsize=1)
def _responses() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response(name: str) -> str:
    """The first text variant of a domain.yml response."""
    return _responses()[name][0]["text"]


def first_sentence(name: str) -> str:
    return response(name).split(".")[0].split("\n")[0]
