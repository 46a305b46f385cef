"""Swedish and English words without their common endings, for the catalogue search.

Finnish words get their base forms from Voikko; Swedish and English have no such library
here, and a few endings cover most of what people type ("hemvården" → hemvård, "meals" →
meal). The endings are in ``data/lexicon/word_endings.yml``.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.config import DATA_DIR

ENDINGS_FILE = DATA_DIR / "lexicon" / "word_endings.yml"
MIN_STEM = 4
# English "-ies" is "-y" in the base form ("allowances" needs only "-s").
_REPLACE = {("en", "ies"): "y"}


@lru_cache(maxsize=1)
def _endings() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(ENDINGS_FILE.read_text(encoding="utf-8"))
    return {lang: tuple(sorted(set(endings), key=len, reverse=True))
            for lang, endings in data.items()}


def stems(word: str, language: str) -> list[str]:
    """The word without each ending of ``language`` it has, longest ending first."""
    found = []
    for ending in _endings().get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            found.append(word[: -len(ending)] + _REPLACE.get((language, ending), ""))
    return found
