"""Questions the assistant could not answer, grouped by similar wording, and the staff's fix:
a keyword added to a service, previewed before it is saved, answered from the next message on.

The texts are the stored conversations' (``bot.conversations.turns``): identity codes, phone
numbers, e-mail addresses and IBANs are already replaced there, and are replaced again here in
case a store written before the redaction holds any. No sender id leaves this module.

A keyword goes through the one editing service (``bot.catalogue.editing.save_row``) with the
user's row guard, so the audit trail records it and the search index changes in the same
transaction: no retraining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bot.catalogue.editing import save_row
from bot.catalogue.models import Service
from bot.catalogue.search import SEES_UNCOMMITTED
from bot.catalogue.search_index import keyword_list
from bot.conversations.turns import QuestionTurn
from bot.guidance import Answer, Question, answer_in_session
from bot.staff import permissions
from bot.text.personal_data import redact

# Two wordings are one question when rapidfuzz's token_sort_ratio of their normalised texts
# is at least this (word order and small spelling differences ignored, extra words not).
SIMILAR = 80
EXAMPLES = 3
KEYWORD_CHARS = 100
_NOT_WORD = re.compile(r"[^\w\[\]]+")


@dataclass
class UnansweredGroup:
    """Similar unanswered questions: the commonest wording first."""

    text: str
    language: str
    count: int = 0
    last_asked: datetime | None = None
    wordings: list[str] = field(default_factory=list)
    municipality_code: str | None = None

    @property
    def other_wordings(self) -> list[str]:
        return [w for w in self.wordings if w != self.text][:EXAMPLES]


def normalised(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def group_unanswered(turns: list[QuestionTurn], limit: int = 50) -> list[UnansweredGroup]:
    """The unanswered questions of ``turns`` in groups, the most asked first."""
    groups: list[UnansweredGroup] = []
    keys: list[str] = []
    counts: list[dict[str, int]] = []
    for turn in turns:
        if turn.answered:
            continue
        text = redact(" ".join(turn.text.split()))
        key = normalised(text)
        if not key or text.startswith("/"):
            continue
        match = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
        if match is None:
            groups.append(UnansweredGroup(text=text, language=turn.language))
            keys.append(key)
            counts.append({})
            index = len(groups) - 1
        else:
            index = match[2]
        group = groups[index]
        group.count += 1
        counts[index][text] = counts[index].get(text, 0) + 1
        if group.last_asked is None or turn.asked_at >= group.last_asked:
            group.last_asked = turn.asked_at
            group.municipality_code = turn.municipality_code or group.municipality_code
    for group, wordings in zip(groups, counts, strict=True):
        ranked = sorted(wordings, key=lambda w: -wordings[w])
        group.text, group.wordings = ranked[0], ranked
    groups.sort(key=lambda g: (-g.count, -(g.last_asked.timestamp() if g.last_asked else 0)))
    return groups[:limit]


class KeywordRefused(ValueError):
    """A keyword that cannot be added; ``errors`` by field, in Finnish."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def with_keyword(session: Session, user, service_id: str, keyword: str,
                 language: str = "fi") -> Service:
    """Add ``keyword`` to the service's keywords in ``language`` in ``session`` (not committed).

    Raises ``KeywordRefused`` (an empty or over-long keyword, an unknown service, one the user
    may not edit) or the editing service's ``EditRefused``.
    """
    keyword = " ".join(keyword.split())
    if not keyword:
        raise KeywordRefused({"hakusana": "Kirjoita hakusana."})
    if len(keyword) > KEYWORD_CHARS:
        raise KeywordRefused({"hakusana": f"Hakusana on liian pitkä: enintään {KEYWORD_CHARS} "
                                          "merkkiä."})
    service = session.get(Service, service_id) if service_id else None
    if service is None:
        raise KeywordRefused({"palvelu": "Valitse palvelu."})
    column = f"keywords_{language}"
    if not hasattr(Service, column):
        column = "keywords_fi"
    keywords = keyword_list(getattr(service, column))
    if keyword.lower() not in {k.lower() for k in keywords}:
        keywords.append(keyword)
    try:
        save_row(session, "service", {column: "\n".join(keywords)}, key=service_id,
                 guard=permissions.row_guard(user))
    except permissions.Forbidden as refusal:
        raise KeywordRefused({"palvelu": str(refusal)}) from refusal
    return service


def preview_with_keyword(session: Session, user, service_id: str, keyword: str,
                         question: str, language: str = "fi",
                         municipality_code: str | None = None) -> Answer:
    """The assistant's answer to ``question`` once the keyword is added; nothing is saved."""
    session.info[SEES_UNCOMMITTED] = True
    try:
        with_keyword(session, user, service_id, keyword, language)
        session.flush()
        return answer_in_session(session, Question(
            kind="unclear", text=question, municipality_code=municipality_code,
            language=language,
        ))
    finally:
        session.rollback()
        session.info.pop(SEES_UNCOMMITTED, None)


def answer_now(session: Session, question: str, language: str = "fi",
               municipality_code: str | None = None) -> Answer:
    """The assistant's answer to ``question`` with the catalogue as it is."""
    return answer_in_session(session, Question(
        kind="unclear", text=question, municipality_code=municipality_code, language=language,
    ))
