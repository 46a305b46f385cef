"""Seeded noise for robustness sets: typos, lower case, no punctuation.

Typos are the slips older users make on a Finnish keyboard: a letter left out or doubled, a
neighbouring key, two letters swapped, and ä/ö typed without dots.
"""

from __future__ import annotations

import random
import re

from rapidfuzz.distance import Levenshtein

# Neighbouring keys on the Finnish keyboard (QWERTY with å, ö, ä on the right).
_ROWS = ["qwertyuiopå", "asdfghjklöä", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _key in enumerate(_row):
        near = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_ROWS):
                near += _ROWS[_other][max(0, _i - 1) : _i + 1]
        NEIGHBOURS[_key] = near
DOTLESS = {"ä": "a", "ö": "o", "å": "a"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def _match_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter


def _inserted_case(letter: str, word: str) -> str:
    return letter.upper() if word.isupper() else letter


def one_edit_typo(word: str, rng: random.Random) -> str:
    """``word`` with exactly one Levenshtein edit: delete, insert or substitute one letter.

    Substitutions prefer dotless vowels (ä → a) and neighbouring keys.
    """
    for _attempt in range(20):
        i = rng.randrange(len(word))
        letter = word[i].lower()
        kind = rng.choice(["delete", "insert", "substitute", "substitute"])
        if kind == "delete" and len(word) > 2:
            typo = word[:i] + word[i + 1 :]
        elif kind == "insert":
            extra = rng.choice([letter, *NEIGHBOURS.get(letter, letter)])
            typo = word[: i + 1] + _inserted_case(extra, word) + word[i + 1 :]
        else:
            if letter in DOTLESS and rng.random() < 0.7:
                new = DOTLESS[letter]
            else:
                new = rng.choice(NEIGHBOURS.get(letter) or "aeiou")
            typo = word[:i] + _match_case(new, word[i]) + word[i + 1 :]
        if typo != word and Levenshtein.distance(typo.lower(), word.lower()) == 1:
            return typo
    raise ValueError(f"no one-edit typo found for {word!r}")


def sloppy_typing(text: str, rng: random.Random, rate: float = 0.3) -> str:
    """Each word of four or more letters gets, with probability ``rate``, one slip: one of the
    one-edit typos above or two neighbouring letters swapped."""

    def slip(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 4 or rng.random() >= rate:
            return word
        if rng.random() < 0.2:
            i = rng.randrange(len(word) - 1)
            if word[i] != word[i + 1]:
                return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return one_edit_typo(word, rng)

    return _WORD.sub(slip, text)


def lower_no_punctuation(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", text).lower().split())
