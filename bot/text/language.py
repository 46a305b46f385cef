"""The language a message is written in: Finnish, Swedish, English or Northern Sámi.

Finnish, Swedish and English come from lingua (its models ship in the wheel: nothing is
downloaded at run time); Northern Sámi, which lingua has no model for, from its letters and
common words (``data/lexicon/languages.yml``). A message too short or too ambiguous to tell
("ok", "Kemi", "112", "Inari 🙂") gives None: the conversation keeps the language it had. A
short request for a language ("på svenska", "in English", "sámegillii") gives that language.

Names of places and services are Finnish whatever the message's language ("does my mum in
Kemijärvi get kotihoito"): the caller passes their spans, and they are left out of the guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import yaml
from lingua import Language, LanguageDetectorBuilder

from bot.config import DATA_DIR

LANGUAGES_FILE = DATA_DIR / "lexicon" / "languages.yml"
LANGUAGES = ("fi", "sv", "en", "se")
DEFAULT_LANGUAGE = "fi"
_LINGUA = {Language.FINNISH: "fi", Language.SWEDISH: "sv", Language.ENGLISH: "en"}
# The detector's confidence needed to change the conversation's language (of three).
# Below it the message keeps the conversation's language.
MIN_CONFIDENCE = 0.5
# A message this short that names a language asks for it ("ruotsiksi kiitos"); a longer one
# only with a request word, and never a long story.
SHORT_SWITCH_WORDS = 3
MAX_SWITCH_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Web and e-mail addresses tell no language ("lapha.fi").
_ADDRESS = re.compile(r"\S+[.@]\S+")
_FOLD = str.maketrans("áčđŋšŧž", "acdnstz")


@dataclass(frozen=True)
class _Lexicon:
    switch: dict[str, tuple[tuple[str, ...], ...]]
    request: frozenset[str]
    words: dict[str, frozenset[str]]
    sami_letters: frozenset[str]
    sami_greetings: frozenset[str]
    sami_words: frozenset[str]
    names: dict[str, dict[str, str]]
    place: dict[str, str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    sami = data["sami"]
    return _Lexicon(
        switch={lang: tuple(tuple(str(p).lower().split()) for p in phrases)
                for lang, phrases in data["switch"].items()},
        request=frozenset(str(w).lower() for ws in data["request"].values() for w in ws),
        words={lang: frozenset(str(w).lower() for w in ws) for lang, ws in data["words"].items()},
        sami_letters=frozenset(sami["letters"]),
        sami_greetings=_with_folded(sami["greetings"]),
        sami_words=_with_folded(sami["words"]),
        names=data["names"],
        place=data["place"],
    )


def _with_folded(words: list) -> frozenset[str]:
    """The words as written and without their Sámi letters, as many type them."""
    lowered = {str(w).lower() for w in words}
    return frozenset(lowered | {w.translate(_FOLD) for w in lowered})


@lru_cache(maxsize=1)
def _detector():
    # Loaded once per process and kept: a few MB for three languages.
    return (LanguageDetectorBuilder.from_languages(*_LINGUA)
            .with_preloaded_language_models().build())


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(_ADDRESS.sub(" ", text))]


def asked_language(text: str) -> str | None:
    """The language a short message asks for ("ruotsiksi kiitos" → sv), else None."""
    said = _words(text)
    lexicon = _lexicon()
    if not said or len(said) > MAX_SWITCH_WORDS:
        return None
    if len(said) > SHORT_SWITCH_WORDS and not lexicon.request.intersection(said):
        return None
    for language, phrases in lexicon.switch.items():
        for phrase in phrases:
            n = len(phrase)
            if any(tuple(said[i:i + n]) == phrase for i in range(len(said) - n + 1)):
                return language
    return None


def _is_sami(said: list[str]) -> bool:
    lexicon = _lexicon()
    if any(letter in word for word in said for letter in lexicon.sami_letters):
        return True
    hits = sum(1 for w in said if w in lexicon.sami_words)
    return hits >= 2 or any(w in lexicon.sami_greetings for w in said)


def _without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def message_language(text: str, names: Iterable[tuple[int, int]] = ()) -> str | None:
    """fi, sv, en or se for the message; None when it cannot tell (keep the conversation's).

    ``names``: (start, end) spans of place and service names, which tell no language.
    """
    asked = asked_language(text)
    if asked:
        return asked
    said = _words(text)
    if not said:
        return None
    if len(said) == 1:
        return next((lang for lang, ws in _lexicon().words.items() if said[0] in ws), None)
    if _is_sami(said):
        return "se"
    # Without the names, unless little is left: "onko kemissä muistihoitajaa" is Finnish.
    rest = _words(_without(text, names))
    best = _detector().compute_language_confidence_values(
        " ".join(rest if len(rest) >= 2 else said))[0]
    return _LINGUA[best.language] if best.value >= MIN_CONFIDENCE else None


def conversation_language(text: str, previous: str | None) -> str:
    """The language to answer this message in: its own, else the conversation's."""
    return message_language(text) or (previous if previous in LANGUAGES else DEFAULT_LANGUAGE)


def language_names(codes: Iterable[str], language: str) -> str:
    """The languages' names in ``language``: ("fi", "se") in Swedish → "finska, nordsamiska"."""
    names = _lexicon().names.get(language) or _lexicon().names[DEFAULT_LANGUAGE]
    return ", ".join(names.get(code, code) for code in codes)


def place_phrase(name: str, language: str) -> str | None:
    """"i Torneå", "in Tornio"; None for languages whose answers use the Finnish locative."""
    template = _lexicon().place.get(language)
    return template.format(name=name) if template else None
