"""The development loop's server side: question turns from stored conversations, the weekly
figures per area, unanswered questions grouped, a keyword added from the insights page (with
its preview), and no personal data or sender id on any of these pages."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.catalogue.models import Service
from bot.conversations.turns import question_turns, turns_of
from bot.db import session_scope
from bot.feedback.models import AnswerRating
from bot.staff.insights import IsoWeek, insights, insights_csv
from bot.staff.models import AuditEvent
from bot.staff.unanswered import answer_now, group_unanswered
from tests.staff.conftest import SETTINGS, make_app
from tests.staff.stored_conversations import Conversation, conversations_engine

WEEK = IsoWeek(2026, 48)  # Monday 23.11.2026 – Sunday 29.11.2026
TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
UNANSWERABLE = "saako kampaajan kotiin"
ROVANIEMI, KEMI = "698", "240"  # Kaakkois-Lapin and Lounais-Lapin palvelualue


@pytest.fixture
def conversations(tmp_path):
    return conversations_engine(tmp_path / "conversations.sqlite3")


@pytest.fixture
def week_of_questions(conversations):
    """Week 48: three conversations in Rovaniemi, Kemi and one that never named a place."""
    rovaniemi = Conversation(conversations)
    rovaniemi.ask("paljonko kotihoito maksaa", TUESDAY, intent="ask_cost", kind="cost",
                  service="kotihoito", municipality=ROVANIEMI)
    rovaniemi.ask(UNANSWERABLE, TUESDAY + timedelta(minutes=1), understood=False)
    rovaniemi.ask("hei", TUESDAY + timedelta(minutes=2), intent="greet", kind=None)
    kemi = Conversation(conversations)
    kemi.ask("Saako kampaajan kotiin?", TUESDAY + timedelta(hours=1), intent="ask_eligibility",
             kind="eligibility", service="palvelutarpeen-arviointi", found=False,
             municipality=KEMI)
    kemi.ask("turvapuhelin", TUESDAY + timedelta(hours=1, minutes=1), kind="info",
             service="turvapuhelin")
    nowhere = Conversation(conversations)
    nowhere.ask("kampaaja kotiin saako", TUESDAY + timedelta(days=1), understood=False)
    nowhere.ask("soita minulle 040 123 4567", TUESDAY + timedelta(days=1, minutes=1),
                understood=False)
    # The week before and the form's answers (not questions: no action_answer).
    Conversation(conversations).ask("kotihoito", TUESDAY - timedelta(weeks=1), kind="info",
                                    service="kotihoito", municipality=ROVANIEMI)
    nowhere.ask("[lomakkeen vastaus]", TUESDAY + timedelta(days=1, minutes=2),
                action="contact_request_form")
    return conversations


def test_a_turn_is_a_question_action_answer_answered_and_what_it_set():
    turns = list(turns_of("s", [
        {"event": "session_started"},
        {"event": "user", "text": "hei", "timestamp": 1.0, "message_id": "a" * 32},
        {"event": "action", "name": "action_answer"},
        {"event": "slot", "name": "misunderstood", "value": 0.0},
        {"event": "user", "text": "asun kemissä", "timestamp": 2.0, "message_id": "b" * 32},
        {"event": "slot", "name": "municipality", "value": KEMI},  # from the entity
        {"event": "action", "name": "action_answer"},
        {"event": "slot", "name": "misunderstood", "value": 0.0},
        {"event": "slot", "name": "question", "value": "contact"},
        {"event": "user", "text": "mitä?", "timestamp": 3.0, "message_id": "c" * 32},
        {"event": "action", "name": "action_answer"},
        {"event": "slot", "name": "misunderstood", "value": 1.0},
        {"event": "session_started"},
        {"event": "user", "text": "kotihoito", "timestamp": 4.0, "message_id": "d" * 32},
        {"event": "action", "name": "action_answer"},
        {"event": "bot", "text": "Kotihoito…", "metadata": {"metadata": {"found": True}}},
        {"event": "slot", "name": "misunderstood", "value": 0.0},
        {"event": "slot", "name": "question", "value": "info"},
        {"event": "slot", "name": "service", "value": "kotihoito"},
        # Understood, answered only in general: the catalogue did not have it.
        {"event": "user", "text": "saako kampaajan", "timestamp": 5.0, "message_id": "e" * 32},
        {"event": "action", "name": "action_answer"},
        {"event": "bot", "text": "Palvelutarpeen…", "metadata": {"metadata": {"found": False}}},
        {"event": "slot", "name": "misunderstood", "value": 0.0},
        {"event": "slot", "name": "question", "value": "eligibility"},
        {"event": "slot", "name": "service", "value": "palvelutarpeen-arviointi"},
    ]))
    # "hei" set no question: a greeting, not counted.
    assert [(t.text, t.answered, t.kind, t.service_id, t.municipality_code) for t in turns] == [
        ("asun kemissä", True, "contact", None, KEMI),
        ("mitä?", False, None, None, KEMI),
        # A new session forgets the municipality.
        ("kotihoito", True, "info", "kotihoito", None),
        ("saako kampaajan", False, "eligibility", None, None),
    ]
    assert turns[0].message_id == "b" * 32


def test_question_turns_reads_the_week_only(week_of_questions):
    since, until = WEEK.bounds()
    turns = question_turns(week_of_questions, since, until)
    assert len(turns) == 6
    assert sum(t.answered for t in turns) == 2
    assert len({t.conversation for t in turns}) == 3


def test_the_week_is_monday_to_sunday_in_finnish_time():
    since, until = IsoWeek(2026, 13).bounds()  # summer time starts on Sunday 29.3.2026
    assert since == datetime(2026, 3, 22, 22, 0, tzinfo=timezone.utc)
    assert until == datetime(2026, 3, 29, 21, 0, tzinfo=timezone.utc)
    assert IsoWeek.parse("2026-W48") == WEEK
    assert IsoWeek.parse("2026-W54") is None
    assert IsoWeek.parse("<script>") is None


def test_unanswered_questions_are_grouped_by_similar_wording_and_redacted(week_of_questions):
    turns = question_turns(week_of_questions, *WEEK.bounds())
    groups = group_unanswered(turns)
    assert [(g.count, g.text) for g in groups] == [
        (3, UNANSWERABLE), (1, "soita minulle [PHONE]"),
    ]
    assert set(groups[0].wordings) == {UNANSWERABLE, "Saako kampaajan kotiin?",
                                       "kampaaja kotiin saako"}
    # Told apart: similar words, another question.
    other = replace(turns[1], text="saako siivoojan kotiin")
    assert len(group_unanswered([turns[1], other])) == 2


def test_figures_per_week_and_area(staff_engine, week_of_questions):
    with session_scope(staff_engine) as session:
        session.add(AnswerRating(answer_key="k1", helpful=True, language="fi",
                                 rated_at=datetime(2026, 11, 25, 9), service_area_id="kaakkois"))
        session.add(AnswerRating(answer_key="k2", helpful=False, language="fi",
                                 comment="en saanut numeroa", rated_at=datetime(2026, 11, 25, 9),
                                 service_area_id="lounais"))
    with session_scope(staff_engine) as session:
        county = insights(session, week_of_questions, WEEK, None)
        kaakkois = insights(session, week_of_questions, WEEK, "kaakkois")
        lounais = insights(session, week_of_questions, WEEK, "lounais")
    f = county.figures
    assert (f.conversations, f.questions, f.answered, f.unanswered) == (3, 6, 2, 4)
    assert (f.helpful, f.not_helpful) == (1, 1)
    assert [w.questions for w in county.trend][-2:] == [1, 6]
    assert county.trend[-1].week == WEEK and len(county.trend) == 8
    assert {s.name: s.count for s in county.top_services} == {
        "Kotihoito": 1, "Turvapuhelin ja turva-auttaminen": 1}
    assert county.comments == ["en saanut numeroa"]
    k = kaakkois.figures
    assert (k.conversations, k.answered, k.unanswered, k.helpful, k.not_helpful) == (
        1, 1, 1, 1, 0)
    assert [g.text for g in kaakkois.unanswered] == [UNANSWERABLE]
    assert lounais.figures.unanswered == 1 and lounais.comments == ["en saanut numeroa"]


def test_csv_export(staff_engine, week_of_questions):
    with session_scope(staff_engine) as session:
        data = insights(session, week_of_questions, WEEK, None)
    text = insights_csv(data)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["viikko", "alue", "keskustelut", "kysymykset", "vastatut"]
    assert rows[8] == ["2026-W48", "koko hyvinvointialue", "3", "6", "2", "4", "0", "0", "0"]
    assert ["2026-W48", "koko hyvinvointialue", UNANSWERABLE, "3"] in rows


@pytest.fixture
def insights_app(staff_engine, week_of_questions, tmp_path):
    settings = replace(SETTINGS, conversations_database_url=str(week_of_questions.url))
    return make_app(staff_engine, settings)


@pytest.fixture
def signed_in(insights_app, accounts):
    from starlette.testclient import TestClient

    from tests.staff.browser import StaffBrowser

    clients = []

    def make(name: str) -> StaffBrowser:
        client = TestClient(insights_app, follow_redirects=False)
        clients.append(client)
        browser = StaffBrowser(client)
        assert browser.login(accounts[name].email, accounts[name].password).status_code == 302
        return browser

    yield make
    for client in clients:
        client.close()


def test_the_page_shows_the_week_without_personal_data_or_sender_ids(signed_in,
                                                                      week_of_questions):
    browser = signed_in("viewer")
    page = browser.get("/admin/insights?viikko=2026-W48")
    assert page.status_code == 200
    html = page.text
    assert 'data-figure="questions">6<' in html
    assert 'data-figure="unanswered">4<' in html
    assert UNANSWERABLE in html and "soita minulle [PHONE]" in html
    assert "040 123 4567" not in html
    senders = {row[0] for row in week_of_questions.connect().exec_driver_sql(
        "select sender_id from events")}
    assert not any(sender in html for sender in senders)
    # A viewer reads, but adds no keyword.
    assert "Lisää hakusanaksi palveluun" not in html
    assert browser.get("/admin/insights/hakusana?kysymys=x").status_code == 403
    # The menu leads here; the charts are SVG drawn on the server; the CSV downloads.
    assert 'href="http://testserver/admin/insights"' in browser.get("/admin/").text
    chart = browser.get("/admin/insights/kaavio/viikot.svg?viikko=2026-W48")
    assert chart.headers["content-type"] == "image/svg+xml"
    assert b"Vastaamatta" in chart.content
    services = browser.get("/admin/insights/kaavio/palvelut.svg?viikko=2026-W48")
    assert b"Kotihoito" in services.content and b"Turvapuhelin" in services.content
    assert browser.get("/admin/insights/kaavio/muu.svg").status_code == 404
    download = browser.get("/admin/insights/kysymykset.csv?viikko=2026-W48&alue=lounais")
    assert download.headers["content-type"].startswith("text/csv")
    assert 'filename="ikaneuvo-2026-W48-lounais.csv"' in download.headers["content-disposition"]


def test_an_area_viewer_sees_their_own_area_whatever_they_ask(signed_in):
    browser = signed_in("area_viewer")  # kaakkois
    html = browser.get("/admin/insights?viikko=2026-W48&alue=lounais").text
    assert 'data-figure="questions">2<' in html
    assert "Kaakkois-Lapin palvelualue" in html
    assert "soita minulle" not in html  # no municipality: the county's figures only
    assert 'name="alue"' not in html


def test_an_unknown_week_or_area(signed_in):
    browser = signed_in("admin")
    assert browser.get("/admin/insights?alue=atlantis").status_code == 404
    page = browser.get("/admin/insights?viikko=huono")
    assert page.status_code == 200  # last week instead


def _keyword_form(browser, **changes):
    path = ("/admin/insights/hakusana?kysymys=saako+kampaajan+kotiin&kieli=fi&kunta=698"
            "&viikko=2026-W48")
    return browser.submit(path, changes, button="")


def test_add_a_keyword_preview_then_save_audited_and_answered(signed_in, staff_engine):
    browser = signed_in("editor")
    html = browser.get("/admin/insights?viikko=2026-W48").text
    assert "Lisää hakusanaksi palveluun" in html
    with session_scope(staff_engine) as session:
        assert not answer_now(session, UNANSWERABLE).understood
    preview = browser.client.post(
        "/admin/insights/hakusana",
        data={"csrf_token": browser.token("/admin/insights/hakusana?kysymys=x"),
              "kysymys": UNANSWERABLE, "kieli": "fi", "kunta": ROVANIEMI,
              "palvelu": "kauppapalvelu", "hakusana": "kampaaja", "toiminto": "esikatsele"})
    assert preview.status_code == 200
    assert 'id="keyword-preview"' in preview.text
    assert "Kauppa- ja asiointipalvelu" in preview.text.split('id="keyword-preview"')[1]
    with session_scope(staff_engine) as session:  # the preview saved nothing
        assert "kampaaja" not in (session.get(Service, "kauppapalvelu").keywords_fi or "")
        assert not answer_now(session, UNANSWERABLE).understood
    saved = browser.client.post(
        "/admin/insights/hakusana",
        data={"csrf_token": browser.token("/admin/insights/hakusana?kysymys=x"),
              "kysymys": UNANSWERABLE, "kieli": "fi", "palvelu": "kauppapalvelu",
              "hakusana": " kampaaja ", "toiminto": "tallenna", "viikko": "2026-W48"})
    assert saved.status_code == 303
    assert "viikko=2026-W48" in saved.headers["location"]
    assert "Hakusana lisätty: kampaaja" in browser.get(saved.headers["location"]).text
    with session_scope(staff_engine) as session:
        assert "kampaaja" in session.get(Service, "kauppapalvelu").keywords_fi.splitlines()
        answer = answer_now(session, UNANSWERABLE)
        assert answer.understood and answer.service_id == "kauppapalvelu"
        audit = session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "service", AuditEvent.entity_id == "kauppapalvelu")
        ).all()
        assert audit and "kampaaja" in audit[-1].after
        assert audit[-1].actor_email == "editor@lapha.example"


def test_keyword_field_errors_and_the_area_rule(signed_in, staff_engine):
    browser = signed_in("area_editor")  # kaakkois: county-wide services are not theirs
    token = browser.token("/admin/insights/hakusana?kysymys=x")
    base = {"csrf_token": token, "kysymys": UNANSWERABLE, "kieli": "fi",
            "toiminto": "tallenna"}
    empty = browser.client.post("/admin/insights/hakusana",
                                data={**base, "palvelu": "", "hakusana": ""})
    assert empty.status_code == 422
    assert "Kirjoita hakusana." in empty.text
    assert 'aria-invalid="true"' in empty.text
    long = browser.client.post("/admin/insights/hakusana",
                               data={**base, "palvelu": "kotihoito", "hakusana": "x" * 101})
    assert "liian pitkä" in long.text
    # The form offers only the services the user may edit, and refuses another.
    form = browser.get("/admin/insights/hakusana?kysymys=x").text
    assert 'value="kauppapalvelu"' not in form
    other = browser.client.post("/admin/insights/hakusana",
                                data={**base, "palvelu": "kauppapalvelu", "hakusana": "kampaaja"})
    assert other.status_code == 422
    assert "koko hyvinvointialueen muokkaajat" in other.text
    with session_scope(staff_engine) as session:
        assert "kampaaja" not in (session.get(Service, "kauppapalvelu").keywords_fi or "")
