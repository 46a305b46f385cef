"""Keep ``search_term`` and ``catalogue_revision`` in step with every write.

The hook runs in the same flush as the change itself, whoever writes (seed loader, staff admin,
API, PTV import), so a search sees a change the moment it is committed: no rebuild step,
no retraining.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from bot.catalogue.models import (
    SEARCH_LANGUAGES,
    CatalogueRevision,
    SearchTerm,
    Service,
)
from bot.catalogue.tables import MODEL_TYPES
from bot.text.finnish import base_forms, compound_parts, is_stop_word, service_numbers, words
from bot.text.question_words import is_not_need

NAME_WEIGHT = 6
KEYWORD_WEIGHT = 4
# One word of several ("vie" of the keyword "vie rahat") names the service less surely.
OF_SEVERAL = {NAME_WEIGHT: 5, KEYWORD_WEIGHT: 2}
# A part of a compound name or keyword ("hammas" of hammaslääkäri): found, but after whole words.
PART_WEIGHT = 2
# A word of the summary or description ("pukeutumisessa"): enough to rank services for a story
# of a situation, never enough to name one.
DESCRIPTION_WEIGHT = 1


def keyword_list(text: str | list[str] | None) -> list[str]:
    """Keywords as staff type them: one per line or separated by commas (or a YAML list)."""
    if not text:
        return []
    if isinstance(text, list):
        text = "\n".join(text)
    return [k.strip() for k in text.replace(",", "\n").splitlines() if k.strip()]


def terms_for(service: Service) -> dict[tuple[str, str], int]:
    """(language, base form) → weight for a service's names, keywords and their compounds'
    parts: a one-word name 6, a word of a longer name 5, a one-word keyword 4, a word of a longer
    keyword or a part of a compound 2, a word of the summary or description 1."""
    terms: dict[tuple[str, str], int] = {}

    def add(language: str, term: str, weight: int) -> None:
        key = (language, term[:100])
        terms[key] = max(terms.get(key, 0), weight)

    for language in SEARCH_LANGUAGES:
        sources = [(getattr(service, f"name_{language}", None), NAME_WEIGHT)] + [
            (k, KEYWORD_WEIGHT) for k in keyword_list(getattr(service, f"keywords_{language}"))
        ]
        for column in ("summary", "description"):
            for word in words(getattr(service, f"{column}_{language}", None) or ""):
                bases = _index_forms(word, language)
                if not is_stop_word(word, bases) and not is_not_need(bases):
                    for base in bases:
                        add(language, base, DESCRIPTION_WEIGHT)
        for text, weight in sources:
            for number in service_numbers(text or ""):
                add(language, number, weight)
            text_words = words(text or "")
            word_weight = weight if len(text_words) == 1 else OF_SEVERAL[weight]
            for word in text_words:
                for base in _index_forms(word, language):
                    add(language, base, word_weight)
                    for part in _parts(base, language):
                        add(language, part, PART_WEIGHT)
    return terms


def _index_forms(word: str, language: str) -> tuple[str, ...]:
    if language != "fi":
        return (word,)
    return base_forms(word)


def _parts(base: str, language: str) -> list[str]:
    """The parts of a compound that can name a need on their own (not "palvelu" or "apu")."""
    if language != "fi":
        return []
    return [
        part for part in compound_parts(base)
        if len(part) >= 4 and not is_stop_word(part) and not is_not_need((part,))
    ]


def reindex_all(session: Session) -> int:
    """Recompute every service's search terms (after the way terms are made has changed)."""
    services = session.execute(select(Service)).scalars().all()
    for service in services:
        _refresh_terms(service)
    session.flush()
    return len(services)


def _refresh_terms(service: Service) -> None:
    wanted = terms_for(service)
    kept = []
    for term in service.terms:
        key = (term.language, term.term)
        if key in wanted:
            term.weight = wanted.pop(key)
            kept.append(term)
    service.terms = kept + [
        SearchTerm(language=language, term=term, weight=weight)
        for (language, term), weight in wanted.items()
    ]


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    changed = False
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Service) and (obj in session.new or session.is_modified(obj)):
            _refresh_terms(obj)
        if isinstance(obj, MODEL_TYPES):
            changed = True
    if any(isinstance(obj, MODEL_TYPES) for obj in session.deleted):
        changed = True
    if changed:
        session.info["catalogue_changed"] = True


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if session.info.pop("catalogue_changed", False):
        bumped = session.execute(
            update(CatalogueRevision)
            .where(CatalogueRevision.id == 1)
            .values(revision=CatalogueRevision.revision + 1)
        )
        if bumped.rowcount == 0:
            session.execute(CatalogueRevision.__table__.insert().values(id=1, revision=1))
