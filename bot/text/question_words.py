"""The words of a question: what it asks about a service, and what is not a need at all.

Word lists in ``data/lexicon/question_words.yml``; every word of a message is compared by all
of its base forms, so "maksaako", "hakemaan" and "kenelle" count as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import base_forms, words

QUESTION_WORDS_FILE = DATA_DIR / "lexicon" / "question_words.yml"
# The order in which kinds win when a message has words of several: "miten haen ja mitä se
# maksaa" is first of all about the cost.
KIND_ORDER = ("cost", "apply", "eligibility")


@dataclass(frozen=True)
class _Lexicon:
    kinds: dict[str, frozenset[str]]
    not_need: frozenset[str]
    refer_back: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load(QUESTION_WORDS_FILE.read_text(encoding="utf-8"))
    return _Lexicon(
        kinds={kind: frozenset(data["kinds"][kind]) for kind in KIND_ORDER},
        # What a question asks is never what it is about: "hinta" is not a service's name.
        not_need=frozenset(data["not_need"]).union(*(data["kinds"][k] for k in KIND_ORDER)),
        refer_back=frozenset(data["refer_back"]),
    )


def _readings(text: str) -> list[set[str]]:
    return [{word, *base_forms(word)} for word in words(text)]


def asked_kind(text: str) -> str | None:
    """What the words of ``text`` ask about a service: cost, apply, eligibility, or None."""
    readings = _readings(text)
    for kind in KIND_ORDER:
        if any(forms & _lexicon().kinds[kind] for forms in readings):
            return kind
    return None


def is_not_need(bases: tuple[str, ...]) -> bool:
    """True when a word (by its base forms) belongs to the question, not to the need."""
    return any(base in _lexicon().not_need for base in bases)


def refers_back(text: str) -> bool:
    """True when ``text`` points at what the conversation is about ("entä sen hinta")."""
    return any(forms & _lexicon().refer_back for forms in _readings(text))
