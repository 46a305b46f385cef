"""The words of the contact request form's answers: whom it is for, what is to be corrected.

Word lists in ``data/lexicon/contact_form.yml``; every word of an answer is compared by all of
its readings (as written and each base form), so "itselleni", "läheiseni" and "puhelinnumeron"
count as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import base_forms, words

CONTACT_FORM_FILE = DATA_DIR / "lexicon" / "contact_form.yml"
# The request is about the user, not a relative: the value stored in ``for_whom``.
SELF = "self"
# A relative the answer does not name: the key of relatives.yml's generic relative.
RELATIVE = "relative"


@dataclass(frozen=True)
class _Lexicon:
    # Tried in order: relative before self.
    for_whom: tuple[tuple[str, frozenset[str]], ...]
    # Slot → its words, in the file's order: the first slot named wins.
    corrections: tuple[tuple[str, frozenset[str]], ...]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load(CONTACT_FORM_FILE.read_text(encoding="utf-8"))
    return _Lexicon(
        for_whom=tuple(
            (value, frozenset(data["for_whom"][value])) for value in (RELATIVE, SELF)
        ),
        corrections=tuple((slot, frozenset(names)) for slot, names in data["corrections"].items()),
    )


def _readings(text: str) -> set[str]:
    return {reading for word in words(text) for reading in (word, *base_forms(word))}


def _first_named(text: str, lists: tuple[tuple[str, frozenset[str]], ...]) -> str | None:
    readings = _readings(text)
    return next((key for key, names in lists if readings & names), None)


def said_for_whom(text: str) -> str | None:
    """``RELATIVE`` or ``SELF`` as the words of ``text`` say, or None when they say neither."""
    return _first_named(text, _lexicon().for_whom)


def corrected_slot(text: str) -> str | None:
    """The form slot that "korjaa puhelinnumero" points at, or None when it names none."""
    return _first_named(text, _lexicon().corrections)


def correctable_slots() -> tuple[str, ...]:
    """The slots a correction can name, in the order they are tried."""
    return tuple(slot for slot, _ in _lexicon().corrections)
