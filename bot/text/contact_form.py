"""The words of the contact request form's answers: whom it is for, what is to be corrected.

Word lists in ``data/lexicon/contact_form.yml``. A Finnish word of an answer is compared by all
of its readings (as written and each base form), so "itselleni", "läheiseni" and
"puhelinnumeron" count as written. Swedish, English and Northern Sámi words are compared as
written, in lower case ("mina egna ärenden", "change phone number", "divo nama"), Sámi also
without its letters; a listed run of words ("mig själv") counts when the answer has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import base_forms, words

CONTACT_FORM_FILE = DATA_DIR / "lexicon" / "contact_form.yml"
# The request is about the user, not a relative: the value stored in ``for_whom``.
SELF = "self"
# A relative the answer does not name: the key of relatives.yml's generic relative.
RELATIVE = "relative"
# The languages whose words are matched as written.
WRITTEN_LANGUAGES = ("sv", "en", "se")
# Sámi typed without its letters: "ášši" is also found as "assi".
_SAMI_LETTERS = str.maketrans("áčđŋšŧž", "acdnstz")


@dataclass(frozen=True)
class _Words:
    # Finnish: compared with every reading of a word.
    finnish: frozenset[str]
    # Swedish, English, Sámi: single words as written, Sámi letters taken off (only Sámi
    # has them), so that "ášši" and "assi" both count.
    written: frozenset[str]
    # Runs of words, likewise.
    runs: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Lexicon:
    # Tried in order: relative before self.
    for_whom: tuple[tuple[str, _Words], ...]
    # Slot → its words, in the file's order: the first slot named wins.
    corrections: tuple[tuple[str, _Words], ...]


def _plain(word: str) -> str:
    return word.translate(_SAMI_LETTERS)


def _words(finnish: list[str], other: list[list[str]]) -> _Words:
    single: set[str] = set()
    runs: list[tuple[str, ...]] = []
    for entry in (word for listed in other for word in listed):
        parts = tuple(_plain(part) for part in words(entry))
        if len(parts) > 1:
            runs.append(parts)
        elif parts:
            single.add(parts[0])
    return _Words(frozenset(finnish), frozenset(single), tuple(runs))


def _group(data: dict[str, Any], part: str, keys: list[str]) -> tuple[tuple[str, _Words], ...]:
    return tuple(
        (key, _words(data[part][key],
                     [data[lang][part].get(key) or [] for lang in WRITTEN_LANGUAGES
                      if lang in data]))
        for key in keys
    )


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load(CONTACT_FORM_FILE.read_text(encoding="utf-8"))
    return _Lexicon(
        for_whom=_group(data, "for_whom", [RELATIVE, SELF]),
        corrections=_group(data, "corrections", list(data["corrections"])),
    )


def _names(names: _Words, readings: set[str], written: list[str]) -> bool:
    if readings & names.finnish or names.written.intersection(written):
        return True
    return any(
        tuple(written[start:start + len(run)]) == run
        for run in names.runs
        for start in range(len(written) - len(run) + 1)
    )


def _first_named(text: str, lists: tuple[tuple[str, _Words], ...]) -> str | None:
    found = words(text)
    readings = {reading for word in found for reading in (word, *base_forms(word))}
    written = [_plain(word) for word in found]
    return next((key for key, names in lists if _names(names, readings, written)), None)


def said_for_whom(text: str) -> str | None:
    """``RELATIVE`` or ``SELF`` as the words of ``text`` say, or None when they say neither."""
    return _first_named(text, _lexicon().for_whom)


def corrected_slot(text: str) -> str | None:
    """The form slot that "korjaa puhelinnumero" points at, or None when it names none."""
    return _first_named(text, _lexicon().corrections)


def correctable_slots() -> tuple[str, ...]:
    """The slots a correction can name, in the order they are tried."""
    return tuple(slot for slot, _ in _lexicon().corrections)

