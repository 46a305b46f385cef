"""The contact form's draft: answers kept out of the conversation, stored once, then gone."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from bot.contact_requests.drafts import DRAFT_HOURS, purge_drafts
from bot.contact_requests.models import ContactRequest, ContactRequestDraft
from bot.contact_requests.submit import (
    discard_form,
    form_answers,
    keep_form_answer,
    start_form,
    submit_form,
)
from bot.db import session_scope, utcnow

ANSWERS = {
    "cr_topic": "Äidin muisti on huonontunut",
    "cr_name": "Testi Omainen",
    "cr_phone": "040 000 0099",
    "cr_time": "aamulla",
}


def filled(engine, conversation: str = "c-1") -> None:
    assert start_form(conversation, engine)
    for slot, value in ANSWERS.items():
        assert keep_form_answer(conversation, slot, value, engine)


def stored_requests(engine) -> list[ContactRequest]:
    with session_scope(engine) as session:
        return list(session.execute(select(ContactRequest)).scalars())


def drafts_left(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(ContactRequestDraft)).scalar()


def test_the_answers_are_read_back_from_the_draft(fresh_engine):
    filled(fresh_engine)
    answers = form_answers("c-1", fresh_engine)
    assert (answers.topic, answers.name, answers.phone, answers.preferred_time) == tuple(
        ANSWERS.values()
    )
    assert form_answers("someone-else", fresh_engine) is None


def test_a_retried_submit_stores_the_request_once_and_gives_the_same_reference(fresh_engine):
    filled(fresh_engine)
    first = submit_form("c-1", "732", "mother", True, fresh_engine)
    again = submit_form("c-1", "732", "mother", True, fresh_engine)
    assert first is not None and again == first
    [stored] = stored_requests(fresh_engine)
    assert (stored.reference, stored.name, stored.phone) == (first, "Testi Omainen",
                                                             "+358400000099")


def test_once_sent_the_draft_holds_nothing_personal(fresh_engine):
    filled(fresh_engine)
    reference = submit_form("c-1", "732", "mother", True, fresh_engine)
    with session_scope(fresh_engine) as session:
        draft = session.get(ContactRequestDraft, "c-1")
        assert (draft.topic, draft.name, draft.phone, draft.preferred_time) == (None,) * 4
        assert draft.reference == reference


def test_a_new_form_in_the_same_conversation_is_a_new_request(fresh_engine):
    filled(fresh_engine)
    first = submit_form("c-1", "732", "mother", True, fresh_engine)
    filled(fresh_engine)
    second = submit_form("c-1", "732", "mother", True, fresh_engine)
    assert second not in (None, first)
    assert len(stored_requests(fresh_engine)) == 2


def test_a_submit_the_caller_gave_up_on_is_not_committed(fresh_engine):
    """The citizen was told "not saved, please call": nothing may be stored after that."""
    filled(fresh_engine)
    given_up = threading.Event()
    given_up.set()
    assert submit_form("c-1", "732", "mother", True, fresh_engine, given_up=given_up) is None
    assert stored_requests(fresh_engine) == []
    # The answers are still there: a later submit stores them.
    assert submit_form("c-1", "732", "mother", True, fresh_engine) is not None


def test_an_incomplete_or_missing_draft_stores_nothing(fresh_engine):
    assert start_form("c-1", fresh_engine)
    keep_form_answer("c-1", "cr_name", "Testi Omainen", fresh_engine)
    assert submit_form("c-1", "732", "mother", True, fresh_engine) is None
    assert submit_form("never-started", "732", "mother", True, fresh_engine) is None
    assert stored_requests(fresh_engine) == []


def test_refused_requests_store_nothing(fresh_engine):
    filled(fresh_engine)
    assert submit_form("c-1", "732", "mother", False, fresh_engine) is None
    assert submit_form("c-1", "091", "mother", True, fresh_engine) is None
    assert stored_requests(fresh_engine) == []


def test_a_cancelled_form_leaves_no_draft(fresh_engine):
    filled(fresh_engine)
    discard_form("c-1", fresh_engine)
    assert drafts_left(fresh_engine) == 0


def test_abandoned_drafts_are_purged(fresh_engine):
    filled(fresh_engine, "old")
    filled(fresh_engine, "recent")
    with session_scope(fresh_engine) as session:
        session.get(ContactRequestDraft, "old").updated_at = utcnow() - timedelta(
            hours=DRAFT_HOURS + 1
        )
    with session_scope(fresh_engine) as session:
        assert purge_drafts(session) == 1
    assert form_answers("old", fresh_engine) is None
    assert form_answers("recent", fresh_engine) is not None


def test_a_closed_database_keeps_nothing_and_says_so(tmp_path, caplog):
    from sqlalchemy import create_engine

    closed = create_engine(f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3", future=True)
    assert start_form("c-1", closed) is False
    assert keep_form_answer("c-1", "cr_name", "Testi Omainen", closed) is False
    assert form_answers("c-1", closed) is None
    assert submit_form("c-1", "732", "mother", True, closed) is None
    assert "Testi Omainen" not in caplog.text
