"""Each account limited to a service area, editor or viewer, sees only that area's contact
requests: in the list, its count, the area filter, a search and the details page, and another
area's request opened by its address is "not found" (the refusal audited, its data not);
county-wide staff and administrators see every area's. Accounts get their area in the admin's
form and from the command line, and an administrator never gets one."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.staff import permissions
from bot.staff.accounts import TEXTS as ACCOUNT_TEXTS
from bot.staff.admin.contact_request_views import TEXTS as VIEW_TEXTS
from bot.staff.models import AuditEvent, Role, StaffUser
from tests.staff.conftest import PASSWORD
from tests.staff.test_staff_admin import field_errors
from tests.staff.test_staff_contact_requests import INARI, LIST, ROVANIEMI, _request

DETAILS = "/admin/contact-request/details/{}"
OWN_NAME, OTHER_NAME = "Kaisa Kaakkoinen", "Pekka Pohjoinen"


@pytest.fixture
def two_areas(staff_engine) -> dict[str, tuple[int, str]]:
    """One request in Kaakkois-Lappi (the area accounts' own) and one in Pohjoinen."""
    return {
        "own": _request(staff_engine, ROVANIEMI, OWN_NAME, "040 111 2233"),
        "other": _request(staff_engine, INARI, OTHER_NAME, "050 444 5566"),
    }


def _trail(engine) -> list[AuditEvent]:
    with session_scope(engine) as session:
        return session.execute(select(AuditEvent).where(
            AuditEvent.entity_type == "contact_request").order_by(AuditEvent.id)
        ).scalars().all()


def _count(page: str) -> int:
    """The list page's "yhteensä N"."""
    return int(re.search(r"yhteensä <span>(\d+)</span>", page).group(1))


@pytest.mark.parametrize("role", ["area_viewer", "area_editor"])
def test_an_area_account_sees_and_opens_only_its_own_areas_requests(browser_for, staff_engine,
                                                                   accounts, two_areas, role):
    (own_id, own_ref), (other_id, other_ref) = two_areas["own"], two_areas["other"]
    browser = browser_for(role)

    page = browser.get(LIST).text
    assert own_ref in page and OWN_NAME in page
    assert other_ref not in page and OTHER_NAME not in page
    assert _count(page) == 1
    # The filter offers only the own area, and asking for the other one by hand finds nothing.
    assert "Pohjoisen Lapin palvelualue" not in page
    assert other_ref not in browser.get(f"{LIST}?palvelualue=pohjoinen").text
    assert OTHER_NAME not in browser.get(f"{LIST}?search={other_ref}").text

    own = browser.get(DETAILS.format(own_id))
    assert own.status_code == 200 and OWN_NAME in own.text
    other = browser.get(DETAILS.format(other_id))
    assert other.status_code == 404
    assert VIEW_TEXTS["not_in_area"].format(area="kaakkois") in other.text
    assert OTHER_NAME not in other.text and other_ref not in other.text

    trail = _trail(staff_engine)
    reads = [e for e in trail if e.action == "read"]
    # The filtered and searched pages showed nothing, so they are no read of anything.
    assert [json.loads(e.after)["view"] for e in reads] == ["list", "details"]
    details = reads[-1]
    assert (details.entity_id, details.actor_email) == (str(own_id), accounts[role].email)
    assert own_ref in details.summary
    # The other area's request is in no read row; the attempt is, without its data.
    [refused] = [e for e in trail if e.action == "read_refused"]
    assert (refused.entity_id, refused.actor_email) == (str(other_id), accounts[role].email)
    written = " ".join(f"{e.summary} {e.after} {e.before}" for e in trail)
    assert other_ref not in written and "Pekka" not in written and "050" not in written


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_county_wide_staff_and_admins_see_every_areas_requests(browser_for, staff_engine,
                                                              two_areas, role):
    browser = browser_for(role)
    page = browser.get(LIST).text
    assert _count(page) == 2
    for request_id, reference in two_areas.values():
        assert reference in page
        assert browser.get(DETAILS.format(request_id)).status_code == 200
    opened = [e.entity_id for e in _trail(staff_engine)
              if e.action == "read" and json.loads(e.after)["view"] == "details"]
    assert opened == [str(two_areas["own"][0]), str(two_areas["other"][0])]


def test_a_request_that_does_not_exist_is_not_found_in_finnish(browser_for, staff_engine,
                                                               two_areas):
    page = browser_for("admin").get(DETAILS.format(999999))
    assert page.status_code == 404 and VIEW_TEXTS["not_found"] in page.text
    assert [e for e in _trail(staff_engine) if e.action.startswith("read")] == []


def test_an_area_viewer_cannot_mark_anything_handled(browser_for, two_areas):
    browser = browser_for("area_viewer")
    assert "Merkitse hoidetuksi" not in browser.get(DETAILS.format(two_areas["own"][0])).text
    token = browser.token("/admin/")
    for request_id, _reference in two_areas.values():
        response = browser.client.post(f"/admin/contact-request/handle/{request_id}",
                                       data={"csrf_token": token})
        assert response.status_code == 403


def test_the_area_rule_by_role():
    def user(role: Role, area: str | None) -> StaffUser:
        return StaffUser(email="x@lapha.example", role=role, service_area_id=area,
                         is_active=True)

    assert permissions.own_area(user(Role.viewer, "kaakkois")) == "kaakkois"
    assert permissions.own_area(user(Role.editor, "kaakkois")) == "kaakkois"
    assert permissions.own_area(user(Role.viewer, None)) is None
    # An admin administers the whole county, even if an area was somehow stored.
    assert permissions.own_area(user(Role.admin, "kaakkois")) is None
    assert permissions.contact_request_area(None) is None


# --- giving an account its area ------------------------------------------------------------

def test_an_admin_gives_a_viewer_an_area_but_not_another_admin(browser_for, staff_engine):
    browser = browser_for("admin")
    form = browser.get("/admin/staff-user/create").text
    assert "Palvelualue" in form and "katselija" in form  # the field says who it is for
    created = browser.submit("/admin/staff-user/create", {
        "email": "katselija.pohjoinen@lapha.example", "role": "viewer",
        "service_area": "pohjoinen", "is_active": "y", "new_password": PASSWORD})
    assert created.status_code == 302, field_errors(created.text)
    refused = browser.submit("/admin/staff-user/create", {
        "email": "paa.pohjoinen@lapha.example", "role": "admin", "service_area": "pohjoinen",
        "is_active": "y", "new_password": PASSWORD})
    assert refused.status_code == 400
    assert field_errors(refused.text) == [ACCOUNT_TEXTS["area_not_for_admin"]]
    with session_scope(staff_engine) as session:
        viewer = session.execute(select(StaffUser).where(
            StaffUser.email == "katselija.pohjoinen@lapha.example")).scalar_one()
        assert (viewer.role, viewer.service_area_id) == (Role.viewer, "pohjoinen")
        assert session.execute(select(StaffUser).where(
            StaffUser.email == "paa.pohjoinen@lapha.example")).first() is None
        area_editor_id = session.execute(select(StaffUser.id).where(
            StaffUser.email == "area.editor@lapha.example")).scalar_one()
    # Making an area editor an admin without emptying the area is refused at the field too.
    promoted = browser.submit(f"/admin/staff-user/edit/{area_editor_id}", {"role": "admin"})
    assert promoted.status_code == 400
    assert ACCOUNT_TEXTS["area_not_for_admin"] in field_errors(promoted.text)


def test_the_command_line_gives_a_viewer_an_area(tmp_path, monkeypatch, capsys):
    from bot.catalogue.seed import load_seed
    from bot.cli import main
    from bot.db import get_engine
    from bot.db.migrate import migrate

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    migrate(url)
    with session_scope(get_engine(url)) as session:
        load_seed(session)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    main(["user", "create", "--role", "viewer", "--area", "kaakkois", "k@lapha.example"])
    assert "rooli viewer, palvelualue kaakkois" in capsys.readouterr().out
    with session_scope(get_engine(url)) as session:
        user = session.execute(select(StaffUser)).scalar_one()
        assert (user.role, user.service_area_id) == (Role.viewer, "kaakkois")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(SystemExit) as refused:
        main(["user", "create", "--role", "admin", "--area", "kaakkois", "p@lapha.example"])
    assert ACCOUNT_TEXTS["area_not_for_admin"] in str(refused.value)
