"""Find published services by the words people use, in any inflected form or misspelt.

The query's words become base forms (Voikko); the question's own words name no need. A word
the catalogue's vocabulary does not have is tried as two words written apart, as the parts of a
compound, as a spoken form, and finally as the nearest vocabulary term within one or two edits
("kotihoitto" → kotihoito). A service scores, for each query word, the weight of its best
matching term (name over keyword over a part of a compound over a word of the description)
times how few services share that term.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from bot.catalogue.models import (
    AreaType,
    CatalogueRevision,
    PublishingStatus,
    SearchTerm,
    Service,
    service_municipality,
)
from bot.text.endings import stems
from bot.text.finnish import (
    base_forms,
    compound_parts,
    is_known_word,
    is_stop_word,
    service_numbers,
    words,
)
from bot.text.gazetteer import allowed_edits
from bot.text.question_words import is_not_need


@dataclass(frozen=True)
class ServiceHit:
    service_id: str
    score: float
    matched_terms: tuple[str, ...]
    # The weight of the best term matched: a whole name, a whole keyword, or a compound's part.
    best_weight: int = 0


# ``session.info`` key of a session that holds changes it will roll back (the staff's preview
# of a keyword before it is saved): nothing it reads may be cached for other sessions.
SEES_UNCOMMITTED = "sees_uncommitted"
_REVISION = select(CatalogueRevision.revision).where(CatalogueRevision.id == 1)


def catalogue_revision(session: Session) -> int:
    return _flushed_connection(session).execute(_REVISION).scalar_one_or_none() or 0


def _flushed_connection(session: Session):
    """The session's connection for Core statements (less overhead than ``session.execute``),
    after the autoflush ``session.execute`` would have done."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


@dataclass(frozen=True)
class _Terms:
    revision: int
    # term → how many services have it: a term that many services share tells little.
    services_with: dict[str, int]
    services: int
    by_length: dict[int, list[str]]

    def near_miss(self, word: str) -> str | None:
        """The term within the word's edit budget ("kotihoitto" → kotihoito), also when it
        was typed without ä and ö ("apuvalineet" → apuväline)."""
        budget = allowed_edits(word)
        if is_known_word(word) or budget == 0:
            return None
        candidates = [
            term
            for length in range(len(word) - budget, len(word) + budget + 1)
            for term in self.by_length.get(length, ())
        ]
        match = process.extractOne(
            _without_dots(word), candidates, scorer=Levenshtein.distance,
            processor=_without_dots, score_cutoff=budget,
        )
        return match[0] if match is not None else None

    def specificity(self, term: str) -> float:
        """Inverse document frequency: 1 for a term every service has, more for rarer ones."""
        return 1.0 + math.log(self.services / max(1, self.services_with.get(term, 1)))


_DOTS = str.maketrans("äöå", "aoa")


def _without_dots(word: str) -> str:
    return word.translate(_DOTS)


class _Vocabulary:
    """The search terms and how many services share each, reloaded only when the catalogue
    revision changes.

    Terms are also kept by length, so that a near miss is looked for only among terms that
    one or two edits can reach (a 100k-service catalogue has tens of thousands of terms).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, str], _Terms] = {}

    def terms(self, session: Session, language: str) -> _Terms:
        revision = catalogue_revision(session)
        key = (str(session.get_bind().url), language)
        # A preview of an edit not yet committed (``SEES_UNCOMMITTED``) reads its own terms:
        # its revision number may later be committed with other terms.
        uncommitted = bool(session.info.get(SEES_UNCOMMITTED))
        with self._lock:
            cached = self._by_key.get(key)
            if cached and cached.revision == revision and not uncommitted:
                return cached
        connection = session.connection()
        services_with = dict(
            connection.execute(
                select(SearchTerm.term, func.count(SearchTerm.service_id))
                .where(SearchTerm.language == language)
                .group_by(SearchTerm.term)
            ).all()
        )
        services = connection.execute(
            select(func.count(func.distinct(SearchTerm.service_id)))
            .where(SearchTerm.language == language)
        ).scalar_one()
        by_length: dict[int, list[str]] = {}
        for term in sorted(services_with):
            by_length.setdefault(len(term), []).append(term)
        loaded = _Terms(revision, services_with, max(1, services), by_length)
        if not uncommitted:
            with self._lock:
                self._by_key[key] = loaded
        return loaded


_vocabulary = _Vocabulary()


def query_terms(session: Session, text: str, language: str = "fi") -> list[str]:
    """The vocabulary terms a query names (every reading of every word)."""
    groups = _term_groups(_vocabulary.terms(session, language), text, language)
    return list(dict.fromkeys(t for group in groups for t in group))


def _term_groups(vocabulary: _Terms, text: str, language: str = "fi") -> list[tuple[str, ...]]:
    """The vocabulary terms each word of a query names, a group per word: its base forms, two
    words written apart that the vocabulary knows as one ("digi tuki"), the longest parts of
    a compound that it knows ("siivousapu" → siivous), or a near miss of an unknown word
    ("kotihoitto", "apuvalineet")."""
    known_terms = vocabulary.services_with
    written = [(word, _spoken_to_written(base_forms(word))) for word in words(text)]
    content = [(word, bases) for word, bases in written if not is_stop_word(word, bases)]
    groups: list[tuple[str, ...]] = []
    index = 0
    while index < len(content):
        word, bases = content[index]
        index += 1
        if is_not_need(bases):
            continue
        if index < len(content):
            joined = [b for b in base_forms(word + content[index][0]) if b in known_terms]
            if joined:
                groups.append(tuple(joined))
                index += 1
                continue
        # Swedish and English: also the word without its ending ("hemvården" → hemvård).
        readings = (*bases, *stems(word, language))
        known = tuple(dict.fromkeys(b for b in readings if b in known_terms))
        if known:
            groups.append(known)
            continue
        parts = [
            part for base in bases for part in compound_parts(base)
            if part in known_terms and not is_not_need((part,))
        ]
        if parts:
            groups += [(p,) for p in parts if not any(p != q and p in q for q in parts)]
            continue
        match = vocabulary.near_miss(bases[0])
        if match is not None:
            groups.append((match,))
    groups += [(n,) for n in service_numbers(text) if n in known_terms]
    return list(dict.fromkeys(groups))


def _spoken_to_written(bases: tuple[str, ...]) -> tuple[str, ...]:
    """A spoken partitive that Voikko does not know ("kotihoitoo", "siivousapuu") read as the
    written one (kotihoitoa → kotihoito)."""
    word = bases[0]
    if len(bases) > 1 or len(word) < 5 or word[-1] != word[-2] or word[-1] not in "aeiouyäö":
        return bases
    written = word[:-1] + ("ä" if set(word) & set("äöy") else "a")
    known = base_forms(written)
    return known if known != (written,) else bases


def offered_in(municipality_code: str):
    """SQL condition: the service is offered in the municipality."""
    return _offered_in_clause(municipality_code)


def _offered_in_clause(municipality_code):
    listed = (
        select(service_municipality.c.service_id)
        .where(
            and_(
                service_municipality.c.service_id == Service.id,
                service_municipality.c.municipality_code == municipality_code,
            )
        )
        .exists()
    )
    return or_(Service.area_type != AreaType.Municipalities, listed)


def _matches(in_municipality: bool):
    """The (service, term, weight) rows of published services for the query's terms: one
    statement, built once with bound parameters so that SQLAlchemy compiles it once."""
    statement = (
        select(SearchTerm.service_id, SearchTerm.term, SearchTerm.weight)
        .join(Service, Service.id == SearchTerm.service_id)
        .where(
            SearchTerm.language == bindparam("language"),
            SearchTerm.term.in_(bindparam("terms", expanding=True)),
            Service.status == PublishingStatus.published,
        )
    )
    if in_municipality:
        statement = statement.where(_offered_in_clause(bindparam("municipality_code")))
    return statement


_MATCHES = {False: _matches(False), True: _matches(True)}


def search_services(
    session: Session,
    text: str,
    municipality_code: str | None = None,
    language: str = "fi",
    limit: int = 5,
) -> list[ServiceHit]:
    """Published services matching ``text``, best first, offered in the municipality if given.

    Scored as the module says: "sauna" counts for more than "hoitaja", which many services
    share.
    """
    vocabulary = _vocabulary.terms(session, language)
    groups = _term_groups(vocabulary, text, language)
    if not groups:
        return []
    terms = list(dict.fromkeys(t for group in groups for t in group))
    parameters = {"language": language, "terms": terms}
    if municipality_code:
        parameters["municipality_code"] = municipality_code
    rows = _flushed_connection(session).execute(_MATCHES[bool(municipality_code)], parameters)
    matched: dict[str, dict[str, int]] = {}
    for service_id, term, weight in rows:
        matched.setdefault(service_id, {})[term] = weight

    def score(weights: dict[str, int]) -> float:
        # Each word of the query counts once, by its best reading.
        return round(sum(
            max((weights[t] * vocabulary.specificity(t) for t in group if t in weights),
                default=0.0)
            for group in groups
        ), 6)

    hits = [
        ServiceHit(service_id, score(weights), tuple(sorted(weights)), max(weights.values()))
        for service_id, weights in matched.items()
    ]
    hits.sort(key=lambda h: (-h.score, -len(h.matched_terms), h.service_id))
    return hits[:limit]
