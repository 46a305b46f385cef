"""Who the user asks for: "äiti", "mieheni", "naapurini" → a relative key and its answer forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import base_forms, fold, has_first_person_possessive, word_spans

RELATIVES_FILE = DATA_DIR / "lexicon" / "relatives.yml"
_MY = frozenset({"minun", "mun", "meidän", "meiän"})


@dataclass(frozen=True)
class Relative:
    key: str
    lemmas: tuple[str, ...]
    whom: str
    whom_genitive: str
    needs_possessive: bool


@lru_cache(maxsize=1)
def relatives() -> dict[str, Relative]:
    records = yaml.safe_load(RELATIVES_FILE.read_text(encoding="utf-8"))["relatives"]
    return {
        r["key"]: Relative(
            r["key"], tuple(r["lemmas"]), r["whom"], r["whom_genitive"], r["needs_possessive"]
        )
        for r in records
    }


@lru_cache(maxsize=1)
def _by_lemma() -> dict[str, Relative]:
    return {lemma: relative for relative in relatives().values() for lemma in relative.lemmas}


def find_relative(text: str) -> tuple[Relative, int, int] | None:
    """The first person other than the user that ``text`` speaks of, with its offsets."""
    spans = word_spans(text)
    for index, (word, start, end) in enumerate(spans):
        for base in base_forms(word):
            relative = _by_lemma().get(base)
            if relative is None:
                continue
            previous = fold(spans[index - 1][0]) if index else ""
            if relative.needs_possessive and not (
                has_first_person_possessive(word) or previous in _MY
            ):
                continue
            return relative, start, end
    return None
