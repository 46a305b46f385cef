"""Contact requests: stored with exactly the given fields, validated, handled and purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.contact_requests.models import ContactRequest, RequestStatus
from bot.contact_requests.store import (
    NewContactRequest,
    mark_handled,
    open_requests,
    purge_handled,
    save_request,
)
from bot.db import session_scope, utcnow

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


def test_handled_requests_are_deleted_after_the_retention_period(fresh_engine, monkeypatch):
    monkeypatch.setenv("CONTACT_REQUEST_RETENTION_DAYS", "30")
    with session_scope(fresh_engine) as session:
        old, recent, waiting = (save_request(session, REQUEST) for _ in range(3))
        mark_handled(session, old.id, "staff@example.invalid")
        mark_handled(session, recent.id, "staff@example.invalid")
        old.handled_at = utcnow() - timedelta(days=31)
        waiting_id = waiting.id
    with session_scope(fresh_engine) as session:
        assert purge_handled(session) == 1
    with session_scope(fresh_engine) as session:
        statuses = session.execute(select(ContactRequest.id, ContactRequest.status)).all()
        assert sorted(s for _, s in statuses) == [RequestStatus.handled, RequestStatus.new]
        assert waiting_id in [i for i, _ in statuses]
