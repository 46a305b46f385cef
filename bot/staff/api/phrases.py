"""/phrases: the answers' wording, which staff edit (the set of phrases is fixed)."""

from __future__ import annotations

from typing import Any, List

from fastapi import APIRouter

from bot.catalogue.models import AnswerPhrase
from bot.staff.api import deps, schemas
from bot.staff.translations import sami_review_pending

router = APIRouter(tags=["phrases"], responses=deps.ERRORS)


def phrase_out(phrase: AnswerPhrase) -> dict[str, Any]:
    return {**deps.row_values(phrase), "sami_review_pending": sami_review_pending(phrase)}


@router.get("/phrases", response_model=List[schemas.Phrase])
def list_phrases(user: deps.User, session: deps.DbSession) -> list[dict[str, Any]]:
    rows = deps.readable_rows(user, session, AnswerPhrase, AnswerPhrase.key)
    return [phrase_out(p) for p in rows]


@router.patch("/phrases/{key}", response_model=schemas.Phrase)
def update_phrase(key: str, body: schemas.PhraseUpdate, user: deps.User,
                  session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "answer_phrase")
    values = deps.patch_values(body, "text_fi")
    return phrase_out(deps.save(session, user, "answer_phrase", values, key=key))
