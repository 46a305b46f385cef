"""Who the user asks for: "äiti", "mieheni", "naapurini" → a relative key and its answer forms.

Finnish words are compared by their base forms (Voikko). Swedish, English and Northern Sámi
words are compared as written, in lower case ("min mamma", "my mum", "mu eadni"); Sámi words
also without their diacritics. Where a word has a Finnish reading and another language's
("pappa": Finnish grandfather, Swedish father), the other language's counts after its own
"my" ("min pappa"), the Finnish one otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.config import DATA_DIR
from bot.text.finnish import base_forms, fold, has_first_person_possessive, word_spans

RELATIVES_FILE = DATA_DIR / "lexicon" / "relatives.yml"
_MY = frozenset({"minun", "mun", "meidän", "meiän"})
# The languages whose words are matched as written, in the order they are tried.
WORD_LANGUAGES = ("sv", "en", "se")
# Sámi typed without its letters: "áhčči" is also found as "ahcci".
_SAMI_LETTERS = str.maketrans("áčđŋšŧž", "acdnstz")

# How a word of another language counts: alone, only after "my", or as "my X" by itself.
_ALONE, _AFTER_MY, _WITH_MY = "alone", "after_my", "with_my"


@dataclass(frozen=True)
class Relative:
    key: str
    lemmas: tuple[str, ...]
    whom: str
    whom_genitive: str
    needs_possessive: bool
    # (language, form) pairs for sv, en, se; Finnish is whom and whom_genitive.
    whom_in: tuple[tuple[str, str], ...] = ()
    whom_genitive_in: tuple[tuple[str, str], ...] = ()

    def whom_for(self, language: str) -> str:
        """"your X" in ``language`` ("din mamma"); the Finnish form for fi and any other."""
        return dict(self.whom_in).get(language, self.whom)

    def whom_genitive_for(self, language: str) -> str:
        """The "X's" / "with X" form in ``language``; the Finnish form for fi and any other."""
        return dict(self.whom_genitive_in).get(language, self.whom_genitive)


@dataclass(frozen=True)
class _Lexicon:
    relatives: dict[str, Relative]
    # language → word as written → (relative, how it counts)
    words: dict[str, dict[str, tuple[Relative, str]]]
    # language → runs of words ("mother in law"), longest first, and what they name
    phrases: dict[str, tuple[tuple[tuple[str, ...], Relative], ...]]
    my: dict[str, frozenset[str]]
    own: dict[str, frozenset[str]]


def _plain(word: str, language: str) -> str:
    word = fold(word)
    return word.translate(_SAMI_LETTERS) if language == "se" else word


def _pairs(forms: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((language, forms[language]) for language in WORD_LANGUAGES
                 if forms and forms.get(language))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = yaml.safe_load(RELATIVES_FILE.read_text(encoding="utf-8"))
    found: dict[str, Relative] = {}
    words: dict[str, dict[str, tuple[Relative, str]]] = {lang: {} for lang in WORD_LANGUAGES}
    phrases: dict[str, list[tuple[tuple[str, ...], Relative]]] = {
        lang: [] for lang in WORD_LANGUAGES
    }
    for r in data["relatives"]:
        relative = Relative(
            r["key"], tuple(r["lemmas"]), r["whom"], r["whom_genitive"], r["needs_possessive"],
            _pairs(r.get("whom_in")), _pairs(r.get("whom_genitive_in")),
        )
        found[relative.key] = relative
        for part, how in (("words", _ALONE), ("words_after_my", _AFTER_MY),
                          ("words_with_my", _WITH_MY)):
            for language, listed in (r.get(part) or {}).items():
                for word in listed:
                    if " " in word.strip():
                        # A run of words counts alone: "mother in law" is not the mother.
                        phrases[language].append((tuple(fold(word).split()), relative))
                        continue
                    words[language][fold(word)] = (relative, how)
                    words[language].setdefault(_plain(word, language), (relative, how))
    return _Lexicon(
        relatives=found,
        words=words,
        phrases={lang: tuple(sorted(runs, key=lambda run: -len(run[0])))
                 for lang, runs in phrases.items()},
        my={lang: frozenset(fold(w) for w in data["my"].get(lang, ())) for lang in WORD_LANGUAGES},
        own={lang: frozenset(fold(w) for w in data["own"].get(lang, ()))
             for lang in WORD_LANGUAGES},
    )


def relatives() -> dict[str, Relative]:
    return _lexicon().relatives


@lru_cache(maxsize=1)
def _by_lemma() -> dict[str, Relative]:
    return {lemma: relative for relative in relatives().values() for lemma in relative.lemmas}


def _after_my(folded: list[str], index: int, language: str) -> bool:
    """True when the word at ``index`` follows the language's "my", maybe with "own" between."""
    lexicon = _lexicon()
    before = index - 1
    if before > 0 and folded[before] in lexicon.own[language]:
        before -= 1
    return before >= 0 and folded[before] in lexicon.my[language]


def _other_language_reading(
    folded: list[str], index: int
) -> tuple[Relative | None, bool, int]:
    """The relative the word at ``index`` names in Swedish, English or Sámi, whether the
    language's "my" says so ("min pappa") and how many words name it: (None, False, 1) when
    it names none. A run of words starting there ("mother in law") is read before the word
    alone."""
    for language in WORD_LANGUAGES:
        for run, relative in _lexicon().phrases[language]:
            if tuple(folded[index:index + len(run)]) == run:
                return relative, _after_my(folded, index, language), len(run)
    for language in WORD_LANGUAGES:
        entry = _lexicon().words[language].get(folded[index])
        if entry is None and language == "se":
            entry = _lexicon().words[language].get(_plain(folded[index], language))
        if entry is None:
            continue
        relative, how = entry
        if how == _WITH_MY:
            return relative, True, 1
        after_my = _after_my(folded, index, language)
        if (how == _AFTER_MY or relative.needs_possessive) and not after_my:
            continue
        return relative, after_my, 1
    return None, False, 1


def _finnish_reading(spans: list[tuple[str, int, int]], index: int) -> Relative | None:
    word = spans[index][0]
    for base in base_forms(word):
        relative = _by_lemma().get(base)
        if relative is None:
            continue
        previous = fold(spans[index - 1][0]) if index else ""
        if relative.needs_possessive and not (
            has_first_person_possessive(word) or previous in _MY
        ):
            continue
        return relative
    return None


def find_relative(text: str) -> tuple[Relative, int, int] | None:
    """The first person other than the user that ``text`` speaks of, with its offsets."""
    spans = word_spans(text)
    folded = [fold(word) for word, _, _ in spans]
    for index, (_, start, end) in enumerate(spans):
        other, said_mine, length = _other_language_reading(folded, index)
        if other is not None and said_mine:
            return other, start, spans[index + length - 1][2]
        finnish = _finnish_reading(spans, index)
        if finnish is not None:
            return finnish, start, end
        if other is not None:
            return other, start, spans[index + length - 1][2]
    return None
