"""POST /api/public/ratings: the widget's "Oliko vastauksesta apua?" stored with what the answer
was about, counted on the insights page, and refused politely when it should be."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.catalogue.opening_hours import local_now
from bot.config import settings
from bot.conversations.session_ids import SessionIds
from bot.db import session_scope
from bot.feedback.models import AnswerRating
from bot.staff.insights import IsoWeek, insights
from bot.web import ratings
from bot.web.app import create_app
from tests.staff.stored_conversations import Conversation, conversations_engine

ORIGIN = "https://www.lapha.example"
URL = "/api/public/ratings"


@pytest.fixture
def web(staff_engine, tmp_path, monkeypatch):
    conversations = conversations_engine(tmp_path / "conversations.sqlite3")
    monkeypatch.setenv("DATABASE_URL", str(staff_engine.url))
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", str(conversations.url))
    monkeypatch.setenv("IKANEUVO_CORS_ORIGINS", ORIGIN)
    # Each test counts from zero.
    monkeypatch.setattr(ratings, "_per_address", ratings.MessageRateLimit(ratings.PER_ADDRESS))
    monkeypatch.setattr(ratings, "_per_conversation",
                        ratings.MessageRateLimit(ratings.PER_CONVERSATION))
    with TestClient(create_app(), headers={"Origin": ORIGIN}) as client:
        yield client, conversations, staff_engine


def signed(conversation: Conversation) -> str:
    return SessionIds(settings().session_secret).sign(conversation.sender)


def stored(engine) -> list[AnswerRating]:
    with session_scope(engine) as session:
        return list(session.scalars(select(AnswerRating).order_by(AnswerRating.id)))


def test_a_rating_is_stored_with_its_service_and_area_and_can_be_changed(web):
    client, conversations, engine = web
    chat = Conversation(conversations)
    answer = chat.ask("paljonko kotihoito maksaa", datetime.now(timezone.utc), kind="cost",
                      service="kotihoito", municipality="698")
    response = client.post(URL, json={"session": signed(chat), "answer": answer,
                                      "helpful": True, "lang": "fi"})
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == ORIGIN
    [row] = stored(engine)
    assert (row.helpful, row.kind, row.service_id, row.municipality_code,
            row.service_area_id, row.comment) == (True, "cost", "kotihoito", "698",
                                                  "kaakkois", None)
    assert chat.sender not in row.answer_key and answer not in row.answer_key
    # The same answer again: its row changes, with the comment redacted.
    response = client.post(URL, json={
        "session": signed(chat), "answer": answer, "helpful": False,
        "comment": "Soittakaa 040 123 4567 tai maija@example.fi", "lang": "fi"})
    assert response.status_code == 204
    [row] = stored(engine)
    assert row.helpful is False
    assert row.comment == "Soittakaa [PHONE] tai [EMAIL]"
    # Counted on the insights page: this week, the answer's area and the county.
    week = IsoWeek.of(local_now().date())
    with session_scope(engine) as session:
        for area in (None, "kaakkois"):
            data = insights(session, conversations, week, area)
            assert (data.figures.helpful, data.figures.not_helpful) == (0, 1)
            assert data.comments == ["Soittakaa [PHONE] tai [EMAIL]"]
        assert insights(session, conversations, week, "lounais").figures.not_helpful == 0


def test_a_rating_whose_conversation_is_not_found_is_kept_without_a_service(web):
    client, _conversations, engine = web
    session = SessionIds(settings().session_secret).new()
    response = client.post(URL, json={"session": session, "answer": "a" * 32,
                                      "helpful": False, "comment": "x" * 800})
    assert response.status_code == 204
    [row] = stored(engine)
    assert row.service_id is None and len(row.comment) == 300


@pytest.mark.parametrize("body, field", [
    ({"answer": "a" * 32, "helpful": True}, "session"),
    ({"session": "s", "answer": "not-hex", "helpful": True}, "answer"),
    ({"session": "s", "answer": "a" * 32, "helpful": "yes"}, "helpful"),
    ({"session": "s", "answer": "a" * 32, "helpful": True, "extra": 1}, "extra"),
    ({"session": "s", "answer": "a" * 32, "helpful": True, "comment": "x" * 901}, "comment"),
])
def test_field_errors(web, body, field):
    client, _, engine = web
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert stored(engine) == []


def test_refused_politely(web):
    client, _, engine = web
    unsigned = {"session": "0" * 32 + "." + "0" * 32, "answer": "a" * 32, "helpful": True}
    assert client.post(URL, json=unsigned).status_code == 403
    other = client.post(URL, json=unsigned, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403
    assert "access-control-allow-origin" not in other.headers
    assert client.post(URL, content=b"{not json").status_code == 422
    big = client.post(URL, content=b"{" + b" " * 5000 + b"}",
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    assert big.json()["detail"] == "Palaute on liian pitkä."
    preflight = client.options(URL, headers={"Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert client.options(URL, headers={"Origin": "https://evil.example"}).status_code == 403
    assert stored(engine) == []


def test_too_many_from_one_conversation(web):
    client, conversations, engine = web
    chat = Conversation(conversations)
    session = signed(chat)
    answers = [chat.ask(f"kysymys {n}", datetime.now(timezone.utc) + timedelta(seconds=n))
               for n in range(ratings.PER_CONVERSATION + 1)]
    codes = [client.post(URL, json={"session": session, "answer": a, "helpful": True}
                         ).status_code for a in answers]
    assert codes[:-1] == [204] * ratings.PER_CONVERSATION
    assert codes[-1] == 429
    assert len(stored(engine)) == ratings.PER_CONVERSATION


def test_a_closed_database_loses_no_conversation_and_says_so(web, monkeypatch):
    client, conversations, engine = web
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/dir/catalogue.sqlite3")
    chat = Conversation(conversations)
    answer = chat.ask("kotihoito", datetime.now(timezone.utc))
    response = client.post(URL, json={"session": signed(chat), "answer": answer,
                                      "helpful": True})
    assert response.status_code == 503
    assert "yritä hetken kuluttua" in response.json()["detail"].lower()


def test_comments_are_emptied_after_the_conversations_retention(staff_engine, monkeypatch):
    from bot.staff.models import AuditEvent
    from bot.staff.retention import purge_and_record

    monkeypatch.setenv("CONVERSATION_RETENTION_DAYS", "30")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with session_scope(staff_engine) as session:
        for key, age in (("old", 31), ("new", 29)):
            session.add(AnswerRating(answer_key=key, helpful=False, comment=f"{key} comment",
                                     language="fi", rated_at=now - timedelta(days=age)))
    purge_and_record(staff_engine, "test")
    rows = {r.answer_key: r for r in stored(staff_engine)}
    assert rows["old"].comment is None and rows["old"].helpful is False
    assert rows["new"].comment == "new comment"
    with session_scope(staff_engine) as session:
        audit = session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "answer_rating")).one()
        assert audit.summary == "1 comments older than 30 days emptied"
