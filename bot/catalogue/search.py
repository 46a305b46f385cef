"""Find published services by the words people use, in any inflected form or misspelt.

The query's words become base forms (Voikko); a word that is not in the catalogue's vocabulary
and is not a Finnish word Voikko knows is matched to the nearest vocabulary term within one or
two edits ("kotihoitto" → kotihoito). Services are ranked by the weights of the terms they match
(name over keyword), then by how many different query words they match.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import Integer, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from bot.catalogue.models import (
    AreaType,
    CatalogueRevision,
    PublishingStatus,
    SearchTerm,
    Service,
    service_municipality,
)
from bot.text.finnish import base_forms, compound_parts, content_words, is_known_word
from bot.text.gazetteer import allowed_edits
from bot.text.question_words import is_not_need


@dataclass(frozen=True)
class ServiceHit:
    service_id: str
    score: int
    matched_terms: tuple[str, ...]
    # The weight of the best term matched: a whole name, a whole keyword, or a compound's part.
    best_weight: int = 0


_REVISION = select(CatalogueRevision.revision).where(CatalogueRevision.id == 1)


def catalogue_revision(session: Session) -> int:
    return _flushed_connection(session).execute(_REVISION).scalar_one_or_none() or 0


def _flushed_connection(session: Session):
    """The session's connection for Core statements (less overhead than ``session.execute``),
    after the autoflush ``session.execute`` would have done."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


class _Vocabulary:
    """The distinct search terms, reloaded only when the catalogue revision changes.

    Terms are also kept by length, so that a near miss is looked for only among terms that
    one or two edits can reach (a 100k-service catalogue has tens of thousands of terms).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, str], tuple[int, frozenset[str], dict[int, list[str]]]] = {}

    def _load(self, session: Session, language: str):
        revision = catalogue_revision(session)
        key = (str(session.get_bind().url), language)
        with self._lock:
            cached = self._by_key.get(key)
            if cached and cached[0] == revision:
                return cached
        terms = frozenset(
            session.connection().execute(
                select(SearchTerm.term).where(SearchTerm.language == language).distinct()
            ).scalars()
        )
        by_length: dict[int, list[str]] = {}
        for term in sorted(terms):
            by_length.setdefault(len(term), []).append(term)
        loaded = (revision, terms, by_length)
        with self._lock:
            self._by_key[key] = loaded
        return loaded

    def terms_and_lengths(
        self, session: Session, language: str
    ) -> tuple[frozenset[str], dict[int, list[str]]]:
        _revision, terms, by_length = self._load(session, language)
        return terms, by_length


_vocabulary = _Vocabulary()


def query_terms(session: Session, text: str, language: str = "fi") -> list[str]:
    """The vocabulary terms a query names: base forms, parts of compounds that the vocabulary
    knows ("siivousapu" → siivous), or near misses of unknown words ("kotihoitto")."""
    vocabulary, by_length = _vocabulary.terms_and_lengths(session, language)
    found: list[str] = []
    for bases in content_words(text):
        bases = _spoken_to_written(bases)
        if is_not_need(bases):
            continue
        known = [b for b in bases if b in vocabulary]
        if known:
            found.append(known[0])
            continue
        parts = [
            part for base in bases for part in compound_parts(base)
            if part in vocabulary and not is_not_need((part,))
        ]
        if parts:
            found += parts
            continue
        match = _near_miss(bases[0], by_length)
        if match is not None:
            found.append(match)
    return list(dict.fromkeys(found))


def _spoken_to_written(bases: tuple[str, ...]) -> tuple[str, ...]:
    """A spoken partitive that Voikko does not know ("kotihoitoo", "siivousapuu") read as the
    written one (kotihoitoa → kotihoito)."""
    word = bases[0]
    if len(bases) > 1 or len(word) < 5 or word[-1] != word[-2] or word[-1] not in "aeiouyäö":
        return bases
    written = word[:-1] + ("ä" if set(word) & set("äöy") else "a")
    known = base_forms(written)
    return known if known != (written,) else bases


def _near_miss(word: str, by_length: dict[int, list[str]]) -> str | None:
    budget = allowed_edits(word)
    if is_known_word(word) or budget == 0:
        return None
    candidates = [
        term
        for length in range(len(word) - budget, len(word) + budget + 1)
        for term in by_length.get(length, ())
    ]
    match = process.extractOne(word, candidates, scorer=Levenshtein.distance, score_cutoff=budget)
    return match[0] if match is not None else None


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


def _ranking(in_municipality: bool):
    """Services matching the query's terms, best first: one statement, built once.

    Built with bound parameters so that SQLAlchemy compiles it once per process and the
    statement need not be rebuilt for every query.
    """
    score = func.sum(SearchTerm.weight).label("score")
    matched = func.count(SearchTerm.term).label("matched")
    best = func.max(SearchTerm.weight).label("best")
    statement = (
        select(SearchTerm.service_id, score, matched, best)
        .join(Service, Service.id == SearchTerm.service_id)
        .where(
            SearchTerm.language == bindparam("language"),
            SearchTerm.term.in_(bindparam("terms", expanding=True)),
            Service.status == PublishingStatus.published,
        )
        .group_by(SearchTerm.service_id)
        .order_by(score.desc(), matched.desc(), SearchTerm.service_id)
        .limit(bindparam("limit", type_=Integer))
    )
    if in_municipality:
        statement = statement.where(_offered_in_clause(bindparam("municipality_code")))
    return statement


_RANKING = {False: _ranking(False), True: _ranking(True)}
# The matched terms of the ranked services, all in one query.
_HIT_TERMS = select(SearchTerm.service_id, SearchTerm.term).where(
    SearchTerm.service_id.in_(bindparam("service_ids", expanding=True)),
    SearchTerm.language == bindparam("language"),
    SearchTerm.term.in_(bindparam("terms", expanding=True)),
)


def search_services(
    session: Session,
    text: str,
    municipality_code: str | None = None,
    language: str = "fi",
    limit: int = 5,
) -> list[ServiceHit]:
    """Published services matching ``text``, best first, offered in the municipality if given."""
    terms = query_terms(session, text, language)
    if not terms:
        return []
    connection = _flushed_connection(session)
    parameters = {"language": language, "terms": terms, "limit": limit}
    if municipality_code:
        parameters["municipality_code"] = municipality_code
    rows = connection.execute(_RANKING[bool(municipality_code)], parameters).all()
    if not rows:
        return []
    hit_terms: dict[str, list[str]] = {}
    for service_id, term in connection.execute(
        _HIT_TERMS,
        {"service_ids": [row[0] for row in rows], "language": language, "terms": terms},
    ):
        hit_terms.setdefault(service_id, []).append(term)
    return [
        ServiceHit(
            service_id, int(total), tuple(sorted(hit_terms.get(service_id, ()))), int(best)
        )
        for service_id, total, _count, best in rows
    ]
