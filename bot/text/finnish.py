"""Finnish words to base forms, for search and entity resolution.

Voikko (Debian's ``libvoikko1`` + ``voikko-fi``) knows Finnish inflection: "omaishoidon" →
omaishoito, "Utsjoelle" → Utsjoki. Where it does not know a word (a typo, a new compound) the
word is kept as written and fuzzy matching takes over downstream.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache

import yaml

from bot.config import DATA_DIR

logger = logging.getLogger(__name__)

STOP_WORDS_FILE = DATA_DIR / "lexicon" / "stop_words.yml"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_local = threading.local()

# Words that carry no need or place: question words, auxiliaries, pronouns, fillers.
STOP_LEMMAS = frozenset(
    """
    ja tai sekä mutta kun jos että kuin niin myös vain vielä enää jo nyt sitten siis
    olla ei voida pitää saada tulla mennä tehdä haluta tarvita kysyä kertoa tietää
    minä sinä hän me te he se ne tämä tuo mikä mitä kuka joka mikään jokin mitään
    mä mun sä sun meidän teidän heidän minun sinun hänen oma itse
    miten kuinka missä mistä mihin milloin paljonko paljon paljo onko voiko saako
    kertoa kerro tieto lisää hyvä päivä
    apu hei moi kiitos joo juu kyllä no noh vaan ihan aika hyvin yksin kanssa
    asua
    """.split()
)


def _voikko():
    """One Voikko handle per thread: libvoikko handles are not thread-safe."""
    handle = getattr(_local, "voikko", None)
    if handle is None:
        try:
            from voikko import libvoikko

            handle = libvoikko.Voikko("fi")
        except (ImportError, OSError) as error:
            logger.warning("Voikko is not available (%s): words are kept as written", error)
            handle = False
        _local.voikko = handle
    return handle or None


def fold(text: str) -> str:
    """Lower-case, NFC and folded white space: the form every comparison uses."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def words(text: str) -> list[str]:
    """Words of a text, lower-cased, without punctuation, numbers or emoji."""
    return _WORD.findall(fold(text))


# 112, 116 117, 116 006: a three-digit service number, alone or in two groups, not part of a
# longer phone number.
_NUMBER = re.compile(r"(?<![\d+])(?<!\d )1\d{2}(?: ?\d{3})?(?! ?\d)")


def service_numbers(text: str) -> list[str]:
    """Short service numbers in a text, spaces removed: "112", "116 117" → 116117."""
    return [m.group(0).replace(" ", "") for m in _NUMBER.finditer(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` as written, with their start and end offsets."""
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=50_000)
def is_known_word(word: str) -> bool:
    """True when Voikko knows ``word`` as a Finnish word that is not a compound.

    Compounds do not count: Voikko reads almost any typo as some compound ("kolarisa" =
    kola + risa), while a simple word it knows ("kello") is never a misspelt name.
    """
    handle = _voikko()
    if not handle:
        return False
    return any(
        a.get("WORDBASES", "+").count("+") <= 1 for a in handle.analyze(fold(word))
    )


@lru_cache(maxsize=50_000)
def base_forms(word: str) -> tuple[str, ...]:
    """All base forms Voikko gives for ``word``, lower-cased; ``(word,)`` when it knows none."""
    word = fold(word)
    handle = _voikko()
    forms: list[str] = []
    if handle is not None:
        for analysis in handle.analyze(word):
            base = analysis.get("BASEFORM")
            if base and fold(base) not in forms:
                forms.append(fold(base))
    return tuple(forms) or (word,)


_WORDBASE_PART = re.compile(r"\+([^+(]*)\(([^)]*)\)")


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The base forms of the parts of a compound and of its runs of parts, shortest first
    ("terveyskeskuskäynti" → terveys, keskus, käynti, terveyskeskus, keskuskäynti); ``()`` for
    a word that is not a compound or that Voikko does not know."""
    handle = _voikko()
    if handle is None:
        return ()
    parts: list[str] = []
    for analysis in handle.analyze(fold(word)):
        pieces: list[str] = []
        surfaces: list[str] = []
        for surface, base in _WORDBASE_PART.findall(analysis.get("WORDBASES", "")):
            if base.startswith("+") and pieces:
                # A derivational ending ("siivo" + "us"): the piece before it is a new word.
                surfaces[-1] += surface
                pieces[-1] = fold(surfaces[-1])
            else:
                surfaces.append(surface)
                pieces.append(fold(base or surface))
        if len(pieces) < 2:
            continue
        runs = [
            fold("".join(surfaces[start:end - 1])) + pieces[end - 1]
            for length in range(1, len(pieces))
            for start in range(len(pieces) - length + 1)
            for end in [start + length]
        ]
        parts += [run for run in runs if run not in parts]
    return tuple(parts)


def lemma(word: str) -> str:
    """The most likely base form of ``word``."""
    return base_forms(word)[0]


def content_words(text: str) -> list[tuple[str, ...]]:
    """The base forms of each word of ``text`` that can name a need, in order.

    A word with several readings keeps them all ("maksaa": maksa, maksaa), so that the search
    can take the one its vocabulary knows.
    """
    found: list[tuple[str, ...]] = []
    for word in words(text):
        bases = base_forms(word)
        if is_stop_word(word, bases):
            continue
        if bases not in found:
            found.append(bases)
    return found


# "-minen" nouns ("asuminen", "asumisesta") share their base form with the verb ("asua"): the
# verb may be a filler ("asun Rovaniemellä"), the noun is a need.
_VERBAL_NOUN = re.compile(r"mi(nen|s)")


@lru_cache(maxsize=1)
def other_languages_stop_words() -> frozenset[str]:
    """Swedish, English and Sámi function words (data/lexicon/stop_words.yml): people write
    every language, and the search reads every language's words with these rules."""
    lexicon = yaml.safe_load(STOP_WORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(str(w).lower() for ws in lexicon.values() for w in ws)


def is_stop_word(word: str, bases: tuple[str, ...] | None = None) -> bool:
    """True for a word that carries no need or place: a question word, a filler, a pronoun."""
    if word.lower() in other_languages_stop_words():
        return True
    bases = base_forms(word) if bases is None else bases
    if len(word) < 3 or word in STOP_LEMMAS:
        return True
    if _VERBAL_NOUN.search(word[len(bases[0]) - 2:]):
        return False
    return any(b in STOP_LEMMAS for b in bases)


def has_first_person_possessive(word: str) -> bool:
    """True for "mieheni", "äidilleni": the word carries the suffix "my"."""
    handle = _voikko()
    if handle is None:
        return fold(word).endswith(("ni", "mme"))
    return any(a.get("POSSESSIVE") in ("1s", "1p") for a in handle.analyze(fold(word)))


@lru_cache(maxsize=50_000)
def is_place_name(word: str) -> bool:
    """True when Voikko knows ``word`` only as a place name ("Oulussa", "Helsinkiin")."""
    handle = _voikko()
    if handle is None or not word[:1].isupper():
        return False
    analyses = handle.analyze(word)
    return bool(analyses) and all(a.get("CLASS") == "paikannimi" for a in analyses)
