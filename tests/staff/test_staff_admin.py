"""The admin's forms and pages: Finnish field messages, drafts, the preview, publishing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.catalogue import validation
from bot.catalogue.models import AnswerPhrase, PublishingStatus, Service
from bot.catalogue.queries import get_service
from bot.db import session_scope
from bot.guidance import ABOUT_ONE_SERVICE, Question, answer_question, render_preview
from bot.staff.models import Role, StaffUser
from tests.staff.conftest import PASSWORD

LINE = "/admin/service-channel/edit/palveluohjaus-kaakkois-puhelin"


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="invalid-feedback">([^<]+)<', html)


@pytest.mark.parametrize("phone", ["040 123 4567", "+358 40 123 4567", "(016) 322 111",
                                   "0800 12345", "112", "116 117", "040-1234567"])
def test_finnish_phone_numbers_are_accepted(phone):
    assert validation.phone_error(phone) is None


@pytest.mark.parametrize("phone", ["12", "soita", "+46 70 123 4567", "+358 000", "0"])
def test_other_phone_numbers_are_refused(phone):
    assert validation.phone_error(phone) == validation.MESSAGES["phone"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"phone_number": "soita meille"}, "phone_number", validation.MESSAGES["phone"]),
    ({"url": "www.lapha.fi"}, "url", validation.MESSAGES["url"]),
    ({"name_fi": "   "}, "name_fi", validation.MESSAGES["finnish_name"]),
    ({"postal_code": "961"}, "postal_code", validation.MESSAGES["postal_code"]),
    ({"email": "ei-osoite"}, "email", validation.MESSAGES["email"]),
])
def test_channel_form_says_what_is_wrong_in_finnish(browser_for, changes, field, message):
    response = browser_for("editor").submit(LINE, changes)
    assert response.status_code == 400
    assert message in field_errors(response.text)


def test_hours_that_make_no_sense_are_refused(browser_for):
    browser = browser_for("editor")
    response = browser.submit("/admin/weekly-opening-hours/create", {
        "channel": "palveluohjaus-kaakkois-puhelin", "weekday_from": "4", "weekday_to": "0",
        "opens": "15:00", "closes": "09:00"})
    assert response.status_code == 400
    errors = field_errors(response.text)
    assert validation.MESSAGES["hours_order"] in errors
    assert validation.MESSAGES["weekday_order"] in errors
    ok = browser.submit("/admin/weekly-opening-hours/create", {
        "channel": "palveluohjaus-kaakkois-puhelin", "weekday_from": "5", "weekday_to": "",
        "opens": "10:00", "closes": "12:00"})
    assert ok.status_code == 302


def test_holiday_closure(browser_for):
    browser = browser_for("editor")
    bad = browser.submit("/admin/opening-exception/create", {
        "channel": "palveluohjaus-kaakkois-puhelin", "date_from": "2027-12-31",
        "date_to": "2027-12-24", "is_closed": "y", "reason_fi": "Joulu"})
    assert validation.MESSAGES["date_order"] in field_errors(bad.text)
    good = browser.submit("/admin/opening-exception/create", {
        "channel": "palveluohjaus-kaakkois-puhelin", "date_from": "2027-12-24",
        "date_to": "2027-12-26", "is_closed": "y", "reason_fi": "Joulu"})
    assert good.status_code == 302


def test_municipality_codes_must_exist(api_client):
    response = api_client("editor").patch("/api/services/kotihoito", json={
        "area_type": "Municipalities", "municipalities": ["698", "091"]})
    assert response.status_code == 422
    assert response.json()["errors"]["municipalities"] == validation.MESSAGES[
        "municipality_unknown"].format(code="091")
    assert validation.municipality_code_error("98", None) == validation.MESSAGES[
        "municipality_code_format"]


def test_phrase_placeholders_must_be_ones_the_assistant_fills_in(browser_for, staff_engine):
    browser = browser_for("editor")
    path = "/admin/answer-phrase/edit/contact_line"
    bad = browser.submit(path, {"text_fi": "{nimi}, puhelin {phone}"})
    assert bad.status_code == 400
    assert any("{nimi}" in e and "{name}" in e for e in field_errors(bad.text))
    broken = browser.submit(path, {"text_fi": "{name, puhelin {phone}"})
    assert validation.MESSAGES["phrase_braces"] in field_errors(broken.text)
    good = browser.submit(path, {"text_fi": "{name}: soita numeroon {phone}"})
    assert good.status_code == 302
    with session_scope(staff_engine) as session:
        assert session.get(AnswerPhrase, "contact_line").text_fi == (
            "{name}: soita numeroon {phone}")


def test_a_new_service_is_a_draft_with_an_id_made_from_its_name(browser_for, staff_engine):
    browser = browser_for("editor")
    response = browser.submit("/admin/service/create", {
        "name_fi": "Kylvetysapu Ranualla", "summary_fi": "Apua peseytymiseen kotona.",
        "keywords_fi": "kylvetys, peseytyminen", "status": "draft", "area_type": "WholeCounty"})
    assert response.status_code == 302, field_errors(response.text)
    with session_scope(staff_engine) as session:
        service = session.get(Service, "kylvetysapu-ranualla")
        assert service.status == PublishingStatus.draft
        assert service.keywords_fi == "kylvetys\npeseytyminen"
    assert "Finnish" not in response.text


def test_preview_uses_the_answer_path_of_the_actions(browser_for, staff_engine):
    browser = browser_for("viewer")
    page = browser.get("/admin/service/preview/kotihoito?kunta=698")
    assert page.status_code == 200
    expected = answer_question(Question(kind="cost", service_id="kotihoito",
                                        municipality_code="698"), staff_engine).text
    assert render_preview("kotihoito", "cost", staff_engine, "698") == expected
    shown = re.search(r'data-kind="cost">(.*?)</div>', page.text, re.S).group(1)
    assert shown.replace("&#39;", "'").replace("&quot;", '"') == expected
    assert "Julkaise" not in page.text  # a viewer cannot publish


def test_preview_shows_only_the_questions_asked_about_the_service(browser_for, staff_engine):
    page = browser_for("viewer").get("/admin/service/preview/kotihoito")
    assert re.findall(r'data-kind="(\w+)"', page.text) == ["info", "cost", "apply", "eligibility"]
    headings = re.findall(r'<h3 class="mt-3">(.*?)</h3>', page.text)
    assert headings == [kind.label for kind in ABOUT_ONE_SERVICE] and all(headings)
    with session_scope(staff_engine) as session:
        worry_name = get_service(session, "huoli-ilmoitus").name
    assert worry_name not in page.text


def test_drafts_can_be_previewed_and_published(browser_for, staff_engine):
    with session_scope(staff_engine) as session:
        session.get(Service, "kotihoito").status = PublishingStatus.draft
    # The assistant does not answer about a draft ...
    answer = answer_question(Question(kind="info", service_id="kotihoito"), staff_engine).text
    with session_scope(staff_engine) as session:
        summary = session.get(Service, "kotihoito").summary_fi
    assert summary not in answer
    # ... but the preview does, and publishing makes it the assistant's answer.
    assert summary in render_preview("kotihoito", "info", staff_engine)
    browser = browser_for("editor")
    page = browser.get("/admin/service/preview/kotihoito")
    assert "Luonnos" in page.text and "Julkaise" in page.text
    response = browser.client.post("/admin/service/status/kotihoito", data={
        "status": "published", "csrf_token": browser.token("/admin/service/preview/kotihoito")})
    assert response.status_code == 302
    assert summary in answer_question(Question(kind="info", service_id="kotihoito"),
                                      staff_engine).text


def test_an_admin_creates_an_area_editor(browser_for, staff_engine):
    browser = browser_for("admin")
    too_short = browser.submit("/admin/staff-user/create", {
        "email": "uusi@lapha.example", "role": "editor", "service_area": "pohjoinen",
        "is_active": "y", "new_password": "lyhyt"})
    assert too_short.status_code == 400 and "vähintään 12 merkkiä" in too_short.text
    response = browser.submit("/admin/staff-user/create", {
        "email": "Uusi@Lapha.example", "role": "editor", "service_area": "pohjoinen",
        "is_active": "y", "new_password": PASSWORD})
    assert response.status_code == 302
    with session_scope(staff_engine) as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.email == "uusi@lapha.example")).scalar_one()
        assert (user.role, user.service_area_id) == (Role.editor, "pohjoinen")
        assert user.password_hash.startswith("$argon2id$")


def test_import_and_export_page(browser_for, staff_engine):
    from tests.staff.test_staff_exchange import SHARED_SAMPLES, tables

    assert browser_for("editor").get("/admin/exchange").status_code == 403
    browser = browser_for("admin")
    download = browser.get("/admin/catalogue-download/json")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/json"
    token = browser.token("/admin/exchange")
    before = tables(staff_engine)
    files = [("files", (p.name, p.read_bytes(), "application/json"))
             for p in sorted(SHARED_SAMPLES.glob("*.json"))]
    tried = browser.client.post("/admin/exchange", files=files,
                                data={"format": "ptv", "dry_run": "1", "csrf_token": token})
    assert tried.status_code == 200 and "Kokeilu onnistui" in tried.text
    assert tables(staff_engine) == before
    wrong = browser.client.post("/admin/exchange", files=files,
                                data={"format": "json", "csrf_token": token})
    assert wrong.status_code == 400 and "mitään ei muutettu" in wrong.text
    done = browser.client.post("/admin/exchange", files=files,
                               data={"format": "ptv", "csrf_token": token})
    assert done.status_code == 200 and "Tuonti onnistui" in done.text
    assert len(tables(staff_engine)["service"]) == len(before["service"]) + 4
