"""The wording of catalogue answers: ``answer_phrase`` rows that staff can edit.

Phrases are cached per catalogue revision. When the database cannot be read, the last phrases
read are used, and before any were read, the seed file's: wording never depends on the database
being up.
"""

from __future__ import annotations

import string
import threading
from functools import lru_cache

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.models import AnswerPhrase
from bot.catalogue.search import catalogue_revision
from bot.config import CATALOGUE_DATA_DIR


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


class Phrases:
    """Phrase texts by key, for one language, falling back to Finnish."""

    def __init__(self, texts: dict[str, str], language: str = "fi") -> None:
        self.texts = texts
        # The language the texts are for: dates and hours are written to match it.
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        """The phrase with its placeholders filled; unknown keys give the key itself."""
        template = self.texts.get(key, key)
        return template.format_map(_Blank({k: "" if v is None else v for k, v in values.items()}))


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a phrase uses, for validating staff edits."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=4)
def seed_phrases(language: str = "fi") -> Phrases:
    records = yaml.safe_load((CATALOGUE_DATA_DIR / "phrases.yml").read_text(encoding="utf-8"))
    return Phrases(
        {r["key"]: r.get(f"text_{language}") or r["text_fi"] for r in records["phrases"]},
        language,
    )


_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[int, Phrases]] = {}


def load_phrases(session: Session, language: str = "fi") -> Phrases:
    """The current phrases; the seed file's texts fill any key missing from the database."""
    revision = catalogue_revision(session)
    key = (str(session.get_bind().url), language)
    with _lock:
        cached = _cache.get(key)
    if cached and cached[0] == revision:
        return cached[1]
    texts = dict(seed_phrases(language).texts)
    for phrase in session.execute(select(AnswerPhrase)).scalars():
        texts[phrase.key] = getattr(phrase, f"text_{language}", None) or phrase.text_fi
    phrases = Phrases(texts, language)
    with _lock:
        _cache[key] = (revision, phrases)
    return phrases


def last_known_phrases(language: str = "fi") -> Phrases:
    """The newest phrases read from any database, else the seed file's."""
    with _lock:
        for (_, cached_language), (_, phrases) in _cache.items():
            if cached_language == language:
                return phrases
    return seed_phrases(language)
