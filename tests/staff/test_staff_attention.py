"""The admin's front page says what waits for the signed-in person, in their area, each item a
link to the list filtered to it; and every list shows enumerations in Finnish."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from bot.catalogue.models import Service, ServiceArea, ServiceChannel, WeeklyOpeningHours
from bot.contact_requests.models import ContactRequest
from bot.db import session_scope, utcnow
from bot.staff import attention, permissions
from bot.staff.attention import Concern
from bot.staff.models import AuditEvent, Role, StaffUser
from tests.staff.test_staff_contact_requests import INARI, ROVANIEMI, _request

FRONT = "/admin/"


def _age(engine, request_id: int, days: float) -> None:
    with session_scope(engine) as session:
        session.execute(update(ContactRequest).where(ContactRequest.id == request_id)
                        .values(created_at=utcnow() - timedelta(days=days)))


def _links(page: str) -> dict[str, str]:
    """The front page's links: text → address."""
    return {re.sub(r"\s+", " ", text).strip(): href.replace("&amp;", "&")
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', page)}


def _list_names(page: str) -> list[str]:
    """The names of a list page's rows (each a link to its details)."""
    return re.findall(r'<a class="row-title" href="[^"]*/details/[^"]*">([^<]+)</a>', page)


def test_overdue_counts_working_days_in_finnish_time():
    # Monday 12:00 in Finland (10:00 UTC in winter): two working days back is Thursday.
    monday = datetime(2027, 1, 11, 10, 0)
    assert attention.overdue_before(monday) == datetime(2027, 1, 7, 10, 0)
    wednesday = datetime(2027, 1, 13, 10, 0)
    assert attention.overdue_before(wednesday) == datetime(2027, 1, 11, 10, 0)
    # Sunday counts from the weekend: Friday and Thursday.
    assert attention.overdue_before(datetime(2027, 1, 10, 10, 0)) == datetime(2027, 1, 7, 10, 0)


def test_how_long_a_request_has_waited_reads_as_staff_say_it():
    now = datetime(2027, 1, 11, 10, 0)
    assert attention.waited_text(now - timedelta(minutes=20), now) == "alle tunnin"
    assert attention.waited_text(now - timedelta(hours=1, minutes=5), now) == "1 tunti"
    assert attention.waited_text(now - timedelta(hours=5), now) == "5 tuntia"
    assert attention.waited_text(now - timedelta(days=1, hours=3), now) == "1 päivä"
    assert attention.waited_text(now - timedelta(days=4), now) == "4 päivää"


@pytest.mark.parametrize("model", [Service, ServiceChannel, WeeklyOpeningHours])
def test_the_area_in_sql_is_the_area_the_permissions_give(staff_engine, model):
    with session_scope(staff_engine) as session:
        areas = session.execute(select(ServiceArea.id)).scalars().all()
        rows = session.execute(select(model)).scalars().all()
        assert rows
        for area in areas:
            user = StaffUser(email="x@lapha.example", role=Role.viewer, is_active=True,
                             service_area_id=area)
            expected = {r.id for r in rows if permissions.in_own_area(user, r)}
            found = set(session.execute(select(model.id).where(
                attention.area_condition(model, area))).scalars())
            assert found == expected, area
        # Each area has some of the seed's channels, so the check above is not empty.
        if model is ServiceChannel:
            assert all(session.execute(select(func.count()).select_from(model).where(
                attention.area_condition(model, area))).scalar_one() for area in areas)


def test_the_front_page_lists_waiting_requests_oldest_first(browser_for, staff_engine):
    newest = _request(staff_engine, ROVANIEMI, "Kaisa Kaakkoinen", "040 111 2233")
    oldest = _request(staff_engine, INARI, "Pekka Pohjoinen", "050 444 5566")
    _age(staff_engine, oldest[0], 6)
    page = browser_for("editor").get(FRONT).text
    assert page.index(oldest[1]) < page.index(newest[1])
    row = page[page.index(oldest[1]):page.index(newest[1])]
    assert "6 päivää" in row and "myöhässä" in row
    assert "myöhässä" not in page[page.index(newest[1]):page.index("Kaikki uudet")]
    # No name or phone on the front page: the details page has them.
    assert "Pekka Pohjoinen" not in page and "050 444 5566" not in page
    links = _links(page)
    assert links["Myöhässä olevat soittopyynnöt: 1"].endswith(
        "huomio=myohassa&sortBy=created_at&sort=asc")
    listed = browser_for("editor").get(links["Myöhässä olevat soittopyynnöt: 1"]).text
    assert oldest[1] in listed and newest[1] not in listed


def test_a_handled_request_no_longer_waits(browser_for, staff_engine):
    request_id, reference = _request(staff_engine, ROVANIEMI, "Kaisa Kaakkoinen", "040 111 2233")
    browser = browser_for("editor")
    assert reference in browser.get(FRONT).text
    details = browser.get(f"/admin/contact-request/details/{request_id}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', details).group(1)
    handled = browser.client.post(f"/admin/contact-request/handle/{request_id}",
                                  data={"csrf_token": token})
    assert handled.status_code == 302
    page = browser.get(FRONT).text
    assert reference not in page and "Uusia soittopyyntöjä ei ole." in page


@pytest.mark.parametrize("role", ["area_viewer", "area_editor"])
def test_an_area_account_is_shown_its_own_areas_waiting_things(browser_for, staff_engine, role):
    own = _request(staff_engine, ROVANIEMI, "Kaisa Kaakkoinen", "040 111 2233")
    other = _request(staff_engine, INARI, "Pekka Pohjoinen", "050 444 5566")
    page = browser_for(role).get(FRONT).text
    assert own[1] in page and other[1] not in page
    assert "Uudet soittopyynnöt: 1" in page
    with session_scope(staff_engine) as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.email == f"{role.replace('_', '.')}@lapha.example")).scalar_one()
        channels = session.execute(select(ServiceChannel).options(
            selectinload(ServiceChannel.municipality))).scalars().all()
        examples = [c for c in channels if c.is_example and permissions.in_own_area(user, c)
                    and c.status.value != "retired"]
    label = attention.EXAMPLE_LABELS["service_channel"]
    if examples:
        assert f"{label}: {len(examples)}" in page
    else:
        assert f"{label}: ei yhtään" in page


def test_the_seeds_expired_fee_is_on_the_front_page_and_its_list(browser_for, staff_engine):
    with session_scope(staff_engine) as session:
        expired = session.execute(select(Service.name_fi).where(
            Service.fee_valid_to < utcnow().date())).scalars().all()
        examples = session.execute(select(func.count()).select_from(Service).where(
            Service.is_example.is_(True))).scalar_one()
    assert expired, "the seed has a fee valid to the end of 2023"
    browser = browser_for("editor")
    links = _links(browser.get(FRONT).text)
    fee_link = links[f"{attention.LABELS[Concern.fee_expired]}: {len(expired)}"]
    assert sorted(_list_names(browser.get(fee_link).text)) == sorted(expired)
    example_link = links[f"{attention.EXAMPLE_LABELS['service']}: {examples}"]
    assert len(_list_names(browser.get(example_link).text)) == examples


def test_the_front_page_counts_missing_translations(browser_for, staff_engine):
    with session_scope(staff_engine) as session:
        session.execute(update(Service).where(Service.id == session.execute(
            select(Service.id).order_by(Service.id).limit(1)).scalar_one())
            .values(summary_sv=None))
    page = browser_for("viewer").get(FRONT).text
    found = re.search(re.escape(attention.MISSING_TRANSLATIONS) + r": (\d+)", page)
    assert found and int(found.group(1)) >= 1
    assert "/admin/missing-translations" in _links(page)[found.group(0)]


def test_the_front_page_is_in_the_read_trail(browser_for, staff_engine):
    _, reference = _request(staff_engine, ROVANIEMI, "Kaisa Kaakkoinen", "040 111 2233")
    browser_for("viewer").get(FRONT)
    with session_scope(staff_engine) as session:
        reads = session.execute(select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.entity_type == "contact_request")
        ).scalars().all()
        assert any(e.summary == f"index: {reference}" for e in reads)
        assert all("Kaakkoinen" not in (e.summary or "") for e in reads)


@pytest.mark.parametrize(("path", "finnish", "code"), [
    ("/admin/service/list", "Koko hyvinvointialue", "WholeCounty"),
    ("/admin/organization/list", "Julkinen sote-toimija", "SotePublic"),
    ("/admin/service-channel/list", "Puhelin", "Phone"),
])
def test_lists_show_enumerations_in_finnish(browser_for, path, finnish, code):
    page = browser_for("viewer").get(path).text
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", page)
    assert finnish in cells
    assert code not in cells and f".{code}" not in page
