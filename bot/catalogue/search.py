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
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.catalogue.models import (
    AreaType,
    CatalogueRevision,
    PublishingStatus,
    SearchTerm,
    Service,
    service_municipality,
)
from bot.text.finnish import content_words, is_known_word
from bot.text.gazetteer import allowed_edits


@dataclass(frozen=True)
class ServiceHit:
    service_id: str
    score: int
    matched_terms: tuple[str, ...]


def catalogue_revision(session: Session) -> int:
    return session.execute(
        select(CatalogueRevision.revision).where(CatalogueRevision.id == 1)
    ).scalar_one_or_none() or 0


class _Vocabulary:
    """The distinct search terms, reloaded only when the catalogue revision changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, str], tuple[int, frozenset[str]]] = {}

    def terms(self, session: Session, language: str) -> frozenset[str]:
        revision = catalogue_revision(session)
        key = (str(session.get_bind().url), language)
        with self._lock:
            cached = self._by_key.get(key)
            if cached and cached[0] == revision:
                return cached[1]
        terms = frozenset(
            session.execute(
                select(SearchTerm.term).where(SearchTerm.language == language).distinct()
            ).scalars()
        )
        with self._lock:
            self._by_key[key] = (revision, terms)
        return terms


_vocabulary = _Vocabulary()


def query_terms(session: Session, text: str, language: str = "fi") -> list[str]:
    """The vocabulary terms a query names: exact base forms, or near misses of unknown words."""
    vocabulary = _vocabulary.terms(session, language)
    found: list[str] = []
    for bases in content_words(text):
        known = [b for b in bases if b in vocabulary]
        if known:
            found.append(known[0])
            continue
        word = bases[0]
        if is_known_word(word) or allowed_edits(word) == 0:
            continue
        match = process.extractOne(
            word,
            vocabulary,
            scorer=Levenshtein.distance,
            score_cutoff=allowed_edits(word),
        )
        if match is not None:
            found.append(match[0])
    return list(dict.fromkeys(found))


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
    score = func.sum(SearchTerm.weight).label("score")
    matched = func.count(SearchTerm.term).label("matched")
    statement = (
        select(SearchTerm.service_id, score, matched)
        .join(Service, Service.id == SearchTerm.service_id)
        .where(
            SearchTerm.language == language,
            SearchTerm.term.in_(terms),
            Service.status == PublishingStatus.published,
        )
        .group_by(SearchTerm.service_id)
        .order_by(score.desc(), matched.desc(), SearchTerm.service_id)
        .limit(limit)
    )
    if municipality_code:
        statement = statement.where(offered_in(municipality_code))
    rows = session.execute(statement).all()
    hits = []
    for service_id, total, _count in rows:
        hit_terms = session.execute(
            select(SearchTerm.term).where(
                SearchTerm.service_id == service_id,
                SearchTerm.language == language,
                SearchTerm.term.in_(terms),
            )
        ).scalars()
        hits.append(ServiceHit(service_id, int(total), tuple(sorted(hit_terms))))
    return hits


def offered_in(municipality_code: str):
    """SQL condition: the service is offered in the municipality."""
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
