"""Contact requests: stored with exactly the given fields, validated, handled and purged."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select

from bot.catalogue.models import AnswerPhrase
from bot.catalogue.phrases import last_known_phrases, seed_phrases
from bot.catalogue.queries import get_municipality
from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.contact_requests.store import (
    NewContactRequest,
    Purged,
    mark_handled,
    open_requests,
    save_request,
)
from bot.contact_requests.submit import (
    keep_form_answer,
    municipality_name,
    start_form,
    submit_form,
    whom_label,
)
from bot.db import session_scope, utcnow
from bot.staff.retention import purge_and_record
from bot.text.contact_form import SELF
from bot.text.relatives import relatives

REQUEST = NewContactRequest(
    municipality_code="732",
    for_whom="father",
    topic="Isä on alkanut unohdella asioita",
    name="Testi Henkilö",
    phone="040 000 0099",
    preferred_time="arkisin aamupäivällä",
    consent_given=True,
)


def test_a_request_is_stored_for_its_service_area(fresh_engine):
    with session_scope(fresh_engine) as session:
        stored = save_request(session, REQUEST)
        reference = stored.reference
    with session_scope(fresh_engine) as session:
        [row] = open_requests(session, "itainen")
        assert row.reference == reference
        assert row.phone == "+358400000099"
        assert (row.name, row.topic, row.for_whom) == (REQUEST.name, REQUEST.topic, "father")
        assert open_requests(session, "pohjoinen") == []


@pytest.mark.parametrize(
    "change",
    [{"consent_given": False}, {"phone": "112"}, {"municipality_code": "091"}],
)
def test_invalid_requests_store_nothing(fresh_engine, change):
    with session_scope(fresh_engine) as session:
        with pytest.raises(ValueError):
            save_request(session, NewContactRequest(**{**REQUEST.__dict__, **change}))
    with session_scope(fresh_engine) as session:
        assert session.execute(select(func.count(ContactRequest.id))).scalar() == 0


def test_requests_are_deleted_after_the_retention_period_and_the_trail_says_so(
        fresh_engine, monkeypatch):
    from bot.staff.models import AuditEvent

    monkeypatch.setenv("CONTACT_REQUEST_RETENTION_DAYS", "30")
    with session_scope(fresh_engine) as session:
        old, recent, waiting, expired = (save_request(session, REQUEST) for _ in range(4))
        mark_handled(session, old.id, "staff@example.invalid")
        mark_handled(session, recent.id, "staff@example.invalid")
        old.handled_at = utcnow() - timedelta(days=31)
        expired.created_at = utcnow() - timedelta(days=31)
        waiting_id = waiting.id
    assert purge_and_record(fresh_engine, "assistant") == Purged(handled=1, unhandled=1)
    with session_scope(fresh_engine) as session:
        statuses = session.execute(select(ContactRequest.id, ContactRequest.status)).all()
        assert sorted(s for _, s in statuses) == [RequestStatus.handled, RequestStatus.new]
        assert waiting_id in [i for i, _ in statuses]
    # Nothing more to purge: no more rows in the trail either.
    assert purge_and_record(fresh_engine, "assistant") == Purged(0, 0)
    with session_scope(fresh_engine) as session:
        [event] = session.execute(select(AuditEvent).where(AuditEvent.action == "purge")).all()
        assert event[0].source == "assistant"


def test_the_running_staff_application_purges_by_itself(fresh_engine, monkeypatch):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from bot.staff.models import AuditEvent
    from bot.staff.settings import StaffSettings
    from bot.staff.web import mount_staff

    monkeypatch.setenv("CONTACT_REQUEST_RETENTION_DAYS", "30")
    with session_scope(fresh_engine) as session:
        save_request(session, REQUEST).created_at = utcnow() - timedelta(days=31)
    app = FastAPI()
    mount_staff(app, fresh_engine, StaffSettings(secret_key="k" * 40, cookie_secure=False))
    with TestClient(app):  # started: its purge runs at once, then every hour
        for _ in range(100):
            with session_scope(fresh_engine) as session:
                if session.execute(select(func.count(ContactRequest.id))).scalar() == 0:
                    break
            time.sleep(0.05)
    with session_scope(fresh_engine) as session:
        assert session.execute(select(func.count(ContactRequest.id))).scalar() == 0
        assert session.execute(select(AuditEvent.source).where(
            AuditEvent.action == "purge")).scalars().all() == ["assistant"]


def closed_engine(tmp_path):
    """An engine whose database cannot be opened: every session fails."""
    return create_engine(f"sqlite:///{tmp_path}/no/such/dir/catalogue.sqlite3", future=True)


def submit_request(request: NewContactRequest, engine, conversation: str = "c-1") -> str | None:
    """Fill the conversation's draft with ``request``'s answers as the form does, then submit."""
    start_form(conversation, engine)
    for slot, value in (("cr_topic", request.topic), ("cr_name", request.name),
                        ("cr_phone", request.phone), ("cr_time", request.preferred_time)):
        keep_form_answer(conversation, slot, value, engine)
    return submit_form(
        conversation, request.municipality_code, request.for_whom, request.consent_given, engine
    )


def count_requests(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count(ContactRequest.id))).scalar()


def test_submitting_stores_the_request_and_returns_its_reference(fresh_engine):
    reference = submit_request(REQUEST, fresh_engine)
    with session_scope(fresh_engine) as session:
        [row] = open_requests(session)
    assert reference is not None and row.reference == reference


def test_a_refused_request_is_not_submitted_and_only_the_error_type_is_logged(
    fresh_engine, caplog
):
    refused = NewContactRequest(**{**REQUEST.__dict__, "municipality_code": "091"})
    assert submit_request(refused, fresh_engine) is None
    assert count_requests(fresh_engine) == 0
    assert "ValueError" in caplog.text
    for personal in (REQUEST.name, REQUEST.phone, REQUEST.topic, "unknown municipality"):
        assert personal not in caplog.text


def test_submitting_to_a_closed_database_returns_none(tmp_path, caplog):
    assert submit_request(REQUEST, closed_engine(tmp_path)) is None
    assert "OperationalError" in caplog.text
    assert REQUEST.name not in caplog.text and REQUEST.phone not in caplog.text


def test_the_municipality_is_named_by_its_code(engine):
    with session_scope(engine) as session:
        expected = get_municipality(session, "698").name
    assert municipality_name("698", engine) == expected


@pytest.mark.parametrize("code", [None, "", "091"])
def test_no_name_for_no_code_or_an_unknown_one(engine, code):
    assert municipality_name(code, engine) is None


def test_no_municipality_name_when_the_database_is_closed(tmp_path):
    assert municipality_name("698", closed_engine(tmp_path)) is None


@pytest.mark.parametrize("key", ["mother", "husband", "relative"])
def test_a_known_relative_is_named_as_the_answers_name_them(engine, key):
    assert whom_label(key, engine) == relatives()[key].whom


@pytest.mark.parametrize(
    "for_whom, phrase",
    [(SELF, "contact_request_whom_self"), (None, "contact_request_whom_self"),
     ("", "contact_request_whom_self"), ("cousin", "contact_request_whom_relative")],
)
def test_the_user_or_an_unknown_relative_is_named_by_a_phrase(engine, for_whom, phrase):
    assert whom_label(for_whom, engine) == seed_phrases()(phrase)
    assert whom_label(for_whom, engine) != phrase  # the phrase exists in phrases.yml


def test_the_whom_phrase_is_the_one_staff_edited(fresh_engine):
    with session_scope(fresh_engine) as session:
        session.get(AnswerPhrase, "contact_request_whom_self").text_fi = "minua itseäni"
    assert whom_label(SELF, fresh_engine) == "minua itseäni"


def test_the_whom_phrase_is_given_when_the_database_is_closed(tmp_path):
    label = whom_label(SELF, closed_engine(tmp_path))
    assert label and label == last_known_phrases()("contact_request_whom_self")
