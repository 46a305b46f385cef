"""Staff change the catalogue through the admin over HTTP (sign-in and form tokens, as a
browser does) and the running assistant's very next answer shows it: no retraining, no restart.

The admin runs in-process over the same database as the real action server and Rasa server of
the ``running_system`` fixture. Each test puts the catalogue back as it was.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.catalogue.models import PublishingStatus, Service, ServiceChannel
from bot.db import get_engine, session_scope
from bot.staff.accounts import create_api_token, create_user
from bot.staff.models import Role, StaffUser
from tests.staff.browser import StaffBrowser
from tests.staff.conftest import PASSWORD, SETTINGS, make_app

pytestmark = pytest.mark.slow
EMAIL = "e2e.admin@lapha.example"
GUIDANCE_LINE = "palveluohjaus-kaakkois-puhelin"  # Rovaniemi's service area


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.fixture(scope="module")
def staff(running_system):
    """A signed-in administrator's browser on the running system's catalogue."""
    engine = get_engine(running_system.database_url)
    with session_scope(engine) as session:
        exists = session.execute(select(StaffUser).where(StaffUser.email == EMAIL)).first()
        if not exists:
            create_user(session, EMAIL, PASSWORD, Role.admin, SETTINGS)
    client = TestClient(make_app(engine, SETTINGS), follow_redirects=False)
    browser = StaffBrowser(client)
    response = browser.login(EMAIL, PASSWORD)
    assert response.status_code == 302, response.text
    yield browser, engine
    client.close()


def ask(running_system, text: str) -> str:
    return running_system.say_text(f"staff-e2e-{uuid.uuid4()}", text)


def test_a_new_phone_number_is_in_the_next_answer(running_system, staff):
    browser, engine = staff
    question = "mikä on palveluohjauksen puhelinnumero rovaniemellä"
    with session_scope(engine) as session:
        old = session.get(ServiceChannel, GUIDANCE_LINE).phone_number
    assert digits(old) in digits(ask(running_system, question))
    path = f"/admin/service-channel/edit/{GUIDANCE_LINE}"
    try:
        assert browser.submit(path, {"phone_number": "040 765 4321"}).status_code == 302
        answer = ask(running_system, question)
        assert "0407654321" in digits(answer)
        assert digits(old) not in digits(answer)
    finally:
        assert browser.submit(path, {"phone_number": old}).status_code == 302


def test_a_new_service_is_found_once_published(running_system, staff):
    browser, engine = staff
    summary = "Avantouintikerho uittaa senioreita turvallisesti talvella."
    response = browser.submit("/admin/service/create", {
        "name_fi": "Avantouintikerho",
        "keywords_fi": "avanto\ntalviuinti\navantouinti",
        "summary_fi": summary,
        "description_fi": "Kerhon vapaaehtoiset ovat mukana, kun uit avannossa.",
        "status": "draft",
        "area_type": "WholeCounty",
    })
    assert response.status_code == 302, response.text
    try:
        # A draft: staff can preview the answer, the assistant does not offer it yet.
        preview = browser.get("/admin/service/preview/avantouintikerho")
        assert preview.status_code == 200 and summary in preview.text
        assert summary not in ask(running_system, "kerro avantouintikerhosta")

        token = browser.token("/admin/service/preview/avantouintikerho")
        publish = browser.client.post("/admin/service/status/avantouintikerho",
                                      data={"status": "published", "csrf_token": token})
        assert publish.status_code == 302
        # Asked in inflected Finnish: the name and a keyword in the elative case.
        for question in ("kerro avantouintikerhosta", "kerro talviuinnista"):
            answer = ask(running_system, question)
            assert "Avantouintikerho" in answer and summary in answer, (question, answer)
    finally:
        with session_scope(engine) as session:
            session.delete(session.get(Service, "avantouintikerho"))


def test_a_retired_service_is_no_longer_offered(running_system, staff):
    browser, engine = staff
    with session_scope(engine) as session:
        service = session.get(Service, "ateriapalvelu")
        summary, status = service.summary_fi, service.status
    assert status == PublishingStatus.published
    question = "kerro ateriapalvelusta"
    assert summary in ask(running_system, question)
    token = browser.token("/admin/service/preview/ateriapalvelu")
    try:
        response = browser.client.post("/admin/service/status/ateriapalvelu",
                                       data={"status": "retired", "csrf_token": token})
        assert response.status_code == 302
        answer = ask(running_system, question)
        assert summary not in answer
        assert "Ateriapalvelu" not in answer
    finally:
        browser.client.post("/admin/service/status/ateriapalvelu",
                            data={"status": "published", "csrf_token": token})
    with session_scope(engine) as session:
        assert session.get(Service, "ateriapalvelu").status == PublishingStatus.published


def test_a_service_added_through_the_api_answers_the_next_message_in_any_form(
    running_system, staff
):
    """No retraining: the trained model has never seen the name, the live catalogue has."""
    browser, engine = staff
    with session_scope(engine) as session:
        user = session.execute(select(StaffUser).where(StaffUser.email == EMAIL)).scalar_one()
        _token, secret = create_api_token(session, user, "e2e")
    api = TestClient(make_app(engine, SETTINGS), headers={"Authorization": f"Bearer {secret}"})
    summary = "Kalastuskerho vie senioreita pilkille ja onkimaan."
    created = api.post("/api/services", json={
        "name_fi": "Kalastuskerho", "keywords_fi": "pilkkiminen\nonkiminen",
        "summary_fi": summary, "fee_fi": "Kerho on maksuton.", "status": "published",
        "area_type": "WholeCounty",
    })
    assert created.status_code == 201, created.text
    service_id = created.json()["id"]
    try:
        for question in ("kalastuskerho", "KALASTUSKERHOON", "kalastukerho",
                         "mummo haluais pilkkimään", "paljonko kalastuskerho maksaa"):
            answer = ask(running_system, question)
            assert "Kalastuskerho" in answer and summary in answer, (question, answer)
        assert "Kerho on maksuton." in ask(running_system, "paljonko kalastuskerho maksaa")
    finally:
        api.close()
        with session_scope(engine) as session:
            session.delete(session.get(Service, service_id))
