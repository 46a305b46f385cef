"""Find names in running Finnish text: municipalities, services, relatives.

A name is found by base form (Voikko: "Rovaniemellä" → rovaniemi); for words Voikko does not
know, by stem plus a case ending ("Pelkosenniemeltä" → pelkosennieme + ltä) and by an edit
distance that grows with the word's length ("rovanimi", "kotihoitto"). A word Voikko knows is
never fuzzy-matched, so "kello" does not become Pello. Multi-word names ("omaishoidon tuki")
are matched on the base forms of all their words. The gazetteer is plain data: the NLU component
and the catalogue both use it without knowing of each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz.distance import Levenshtein

from bot.text.finnish import base_forms, fold, is_known_word, word_spans, words

# Finnish case endings; longest first so that "-ssa" is tried before "-a".
CASE_ENDINGS = tuple(
    sorted(
        """
        n a ä ta tä na nä ksi ssa ssä sta stä lla llä lta ltä lle ine
        an en in on un yn än ön han hen hin hon hun hyn hän hön seen siin
        """.split(),
        key=len,
        reverse=True,
    )
)


def allowed_edits(word: str) -> int:
    """Typos tolerated in a word: none in short words, where one edit makes another word."""
    if len(word) < 5:
        return 0
    if len(word) < 9:
        return 1
    return 2


@dataclass(frozen=True)
class Mention:
    """A name found in text: what it resolves to and where it stands."""

    entity: str
    value: str
    start: int
    end: int
    text: str


@dataclass
class Gazetteer:
    """Names of one entity type; each name maps to a canonical value (a catalogue id)."""

    entity: str
    # base forms of a name's words joined by spaces → value ("omaishoito tuki" → "omaishoidon-tuki")
    phrases: dict[str, str] = field(default_factory=dict)
    # stems of one-word names, for words Voikko does not know ("rovanieme" → "698")
    stems: dict[str, str] = field(default_factory=dict)

    def add(self, value: str, names: Iterable[str], stems: Iterable[str] = ()) -> None:
        for name in names:
            name_words = words(name or "")
            if not name_words:
                continue
            self.phrases.setdefault(" ".join(base_forms(w)[0] for w in name_words), value)
            if len(name_words) == 1:
                self.stems.setdefault(name_words[0], value)
        for stem in stems:
            if stem:
                self.stems.setdefault(fold(stem), value)

    def to_dict(self) -> dict:
        return {"entity": self.entity, "phrases": self.phrases, "stems": self.stems}

    @classmethod
    def from_dict(cls, data: dict) -> Gazetteer:
        return cls(data["entity"], dict(data["phrases"]), dict(data["stems"]))

    def find(self, text: str) -> list[Mention]:
        """All mentions in ``text``, longest match first, without overlaps."""
        tokens = word_spans(text)
        longest = max((p.count(" ") + 1 for p in self.phrases), default=1)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            match = self._match_at(tokens, i, longest)
            if match is None:
                i += 1
                continue
            value, length = match
            start, end = tokens[i][1], tokens[i + length - 1][2]
            mentions.append(Mention(self.entity, value, start, end, text[start:end]))
            i += length
        return mentions

    def resolve_word(self, word: str) -> str | None:
        """The value one word names, or None."""
        word = fold(word)
        for base in base_forms(word):
            if base in self.phrases:
                return self.phrases[base]
        if word in self.stems:
            return self.stems[word]
        if is_known_word(word):
            return None
        for ending in CASE_ENDINGS:
            if word.endswith(ending) and word[: -len(ending)] in self.stems:
                return self.stems[word[: -len(ending)]]
        return self._near_miss(word)

    def _match_at(
        self, tokens: list[tuple[str, int, int]], i: int, longest: int
    ) -> tuple[str, int] | None:
        for length in range(min(longest, len(tokens) - i), 1, -1):
            key = " ".join(base_forms(t[0])[0] for t in tokens[i : i + length])
            if key in self.phrases:
                return self.phrases[key], length
        value = self.resolve_word(tokens[i][0])
        return (value, 1) if value is not None else None

    def _near_miss(self, word: str) -> str | None:
        best: tuple[int, str] | None = None
        candidates = [word] + [word[: -len(e)] for e in CASE_ENDINGS if word.endswith(e)]
        for candidate in candidates:
            budget = allowed_edits(candidate)
            if budget == 0:
                continue
            for stem, value in self.stems.items():
                if abs(len(stem) - len(candidate)) > budget:
                    continue
                distance = Levenshtein.distance(candidate, stem, score_cutoff=budget)
                if distance <= budget and (best is None or distance < best[0]):
                    best = (distance, value)
        return best[1] if best else None
