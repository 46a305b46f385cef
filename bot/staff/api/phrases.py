"""/phrases: the answers' wording, which staff edit (the set of phrases is fixed)."""

from __future__ import annotations

from typing import Any, List

from fastapi import APIRouter

from bot.catalogue.models import AnswerPhrase
from bot.staff.api import deps, schemas

router = APIRouter(tags=["phrases"], responses=deps.ERRORS)


@router.get("/phrases", response_model=List[schemas.Phrase])
def list_phrases(user: deps.User, session: deps.DbSession) -> list[dict[str, Any]]:
    rows = deps.readable_rows(user, session, AnswerPhrase, AnswerPhrase.key)
    return [deps.row_values(p) for p in rows]


@router.patch("/phrases/{key}", response_model=schemas.Phrase)
def update_phrase(key: str, body: schemas.PhraseUpdate, user: deps.User,
                  session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "answer_phrase")
    values = deps.patch_values(body, "text_fi")
    return deps.row_values(deps.save(session, user, "answer_phrase", values, key=key))
