"""A deterministic safety net: does a message describe an emergency happening now?

The intent classifier can miss "isä makaa lattialla eikä pääse ylös" when it is worded in a way
it has not seen; a missed emergency is the one mistake the assistant must not make. So the
signs of an emergency are written as patterns (``data/lexicon/emergency.yml``) and matched on
the message as written and, for Finnish, on its base forms. Past events, sayings and what-if
questions are told apart by patterns of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import fold, lemma

EMERGENCY_FILE = DATA_DIR / "lexicon" / "emergency.yml"
_NON_WORD = re.compile(r"[^\w\s']+", re.UNICODE)


@dataclass(frozen=True)
class _Patterns:
    signs: tuple[re.Pattern, ...]
    resolved: tuple[re.Pattern, ...]
    hypothetical: tuple[re.Pattern, ...]
    now: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _patterns() -> dict[str, _Patterns]:
    lexicon = yaml.safe_load(EMERGENCY_FILE.read_text(encoding="utf-8"))
    return {
        language: _Patterns(
            *(
                tuple(re.compile(p) for p in entry.get(part) or ())
                for part in ("signs", "resolved", "hypothetical", "now")
            )
        )
        for language, entry in lexicon.items()
    }


def _forms(text: str, language: str) -> list[str]:
    """The message folded, and for Finnish also with its words in base form."""
    plain = " ".join(_NON_WORD.sub(" ", fold(text)).split())
    if language != "fi":
        return [plain]
    return [plain, " ".join(lemma(word) for word in plain.split())]


def is_emergency(text: str) -> bool:
    """True when ``text`` describes an emergency now, in Finnish, Swedish, English or Sámi."""
    if not text or text.startswith("/"):
        return False
    forms = {language: _forms(text[:2000], language) for language in _patterns()}

    def found(part: str) -> bool:
        # Any language's patterns count: people mix them ("stroke", "ok").
        return any(
            pattern.search(form)
            for language, patterns in _patterns().items()
            for pattern in getattr(patterns, part)
            for form in forms[language]
        )

    if not found("signs") or found("resolved"):
        return False
    return not found("hypothetical") or found("now")
