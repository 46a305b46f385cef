"""The catalogue editor (``bot.catalogue.editing``): every check names its field with its Finnish
message, ids come from names, keywords are stored one per line, and a refused write changes
nothing. Each test works in a session that is rolled back, never committed."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Iterator

import pytest
from sqlalchemy.orm import Session

from bot.catalogue import validation
from bot.catalogue.editing import (
    EditRefused,
    KeyTaken,
    RowMissing,
    check_row,
    save_row,
    slug,
)
from bot.catalogue.models import ServiceArea, ServiceChannel
from bot.catalogue.search_index import keyword_list
from bot.db import session_scope

M = validation.MESSAGES
LINE = "palveluohjaus-kaakkois-puhelin"


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session
        session.rollback()


def hours(**changes: Any) -> dict[str, Any]:
    return {"weekday_from": 0, "weekday_to": 4, "opens": time(9), "closes": time(15),
            **changes}


# (table, key of the row to update or None for a new one, values, the one error expected)
REFUSALS = [
    ("service", "kotihoito", {"name_fi": "   "}, ("name_fi", M["finnish_name"])),
    ("service", None, {"name_fi": "Uusi", "id": "Iso-Kirjain"}, ("id", M["id_format"])),
    ("service", "kotihoito", {"fee_valid_from": date(2027, 1, 1),
                              "fee_valid_to": date(2026, 1, 1)},
     ("fee_valid_to", M["date_order"])),
    ("service", "kotihoito", {"organization_id": "ei-ole"},
     ("organization_id", M["organization_unknown"])),
    ("service", "kotihoito", {"municipalities": ["698", "091"]},
     ("municipalities", M["municipality_unknown"].format(code="091"))),
    ("service", "kotihoito", {"channels": [LINE, "ei-ole"]},
     ("channels", M["channel_unknown"])),
    ("service_channel", LINE, {"phone_number": "soita meille"}, ("phone_number", M["phone"])),
    ("service_channel", LINE, {"url": "www.lapha.fi"}, ("url", M["url"])),
    ("service_channel", LINE, {"email": "ei-osoite"}, ("email", M["email"])),
    ("service_channel", LINE, {"postal_code": "961"}, ("postal_code", M["postal_code"])),
    ("service_channel", LINE, {"municipality_code": "98"},
     ("municipality_code", M["municipality_code_format"])),
    ("service_channel", LINE, {"municipality_code": "091"},
     ("municipality_code", M["municipality_unknown"].format(code="091"))),
    ("service_channel", LINE, {"service_area_id": "ei-ole"},
     ("service_area_id", M["service_area_unknown"])),
    ("service_channel", None, {"name_fi": "Uusi linja"}, ("channel_type", M["required"])),
    ("service_channel", LINE, {"weekly_hours": [hours(), hours(closes=time(8))]},
     ("weekly_hours[1].closes", M["hours_order"])),
    ("service_channel", LINE, {"exceptions": [{"date_from": date(2027, 12, 31),
                                               "date_to": date(2027, 12, 24)}]},
     ("exceptions[0].date_to", M["date_order"])),
    ("weekly_opening_hours", None, {"channel_id": "ei-ole", **hours()},
     ("channel_id", M["channel_unknown"])),
    ("organization", "lapha", {"web_page": "lapha.fi"}, ("web_page", M["url"])),
    ("municipality", "698", {"service_area_id": "ei-ole"},
     ("service_area_id", M["service_area_unknown"])),
    ("answer_phrase", "contact_line", {"text_fi": ""}, ("text_fi", M["required"])),
    ("answer_phrase", "contact_line", {"text_fi": "{name, puhelin"},
     ("text_fi", M["phrase_braces"])),
]


@pytest.mark.parametrize(("table", "key", "values", "error"), REFUSALS,
                         ids=[f"{r[0]}-{r[3][0]}" for r in REFUSALS])
def test_each_check_names_its_field_in_finnish(session, table, key, values, error):
    with pytest.raises(EditRefused) as refused:
        save_row(session, table, values, key=key)
    assert refused.value.errors == dict([error])
    assert check_row(session, table, values, key=key) == dict([error])
    assert not (session.new or session.dirty or session.deleted)


def test_a_refused_write_changes_nothing(session):
    channel = session.get(ServiceChannel, LINE)
    before = (channel.phone_number, [(h.weekday_from, h.opens) for h in channel.weekly_hours])
    with pytest.raises(EditRefused) as refused:
        save_row(session, "service_channel", {
            "phone_number": "040 765 4321", "url": "ei osoite",
            "weekly_hours": [hours(opens=None)]}, key=LINE)
    assert set(refused.value.errors) == {"url", "weekly_hours[0].opens"}
    assert not (session.new or session.dirty or session.deleted)
    assert (channel.phone_number,
            [(h.weekday_from, h.opens) for h in channel.weekly_hours]) == before


def test_the_guard_sees_the_row_before_and_after_and_may_refuse(session):
    seen = []

    def guard(row: Any) -> None:
        seen.append(row.service_area_id)
        if row.service_area_id != "kaakkois":
            raise PermissionError("vain oma alue")

    with pytest.raises(PermissionError):
        save_row(session, "service_channel", {"service_area_id": "pohjoinen"}, key=LINE,
                 guard=guard)
    assert seen == ["kaakkois", "pohjoinen"]
    session.rollback()  # a refusal after the change: the caller's transaction is rolled back
    assert session.get(ServiceChannel, LINE).service_area_id == "kaakkois"
    # The guard of a channel sees its municipality as the row object, not only the code.
    areas = []
    save_row(session, "service_channel", {"municipality_code": "683"}, key=LINE,
             guard=lambda row: areas.append(row.municipality and row.municipality.code))
    assert areas[-1] == "683"


def test_a_new_row_gets_an_id_from_its_finnish_name_unique(session):
    first = save_row(session, "service", {"name_fi": "Kylvetysapu Ränualla"})
    second = save_row(session, "service", {"name_fi": "Kylvetysapu Ränualla"})
    taken = save_row(session, "service", {"name_fi": "Kotihoito"})
    assert (first.row.id, second.row.id, taken.row.id) == (
        "kylvetysapu-ranualla", "kylvetysapu-ranualla-2", "kotihoito-2")
    area = save_row(session, "service_area", {"name_fi": "Pitkän nimen palvelualue " * 4})
    assert len(area.row.id) <= ServiceArea.__table__.c.id.type.length
    assert slug("") == slug("!!!") == "uusi"


def test_a_given_key_must_be_free(session):
    with pytest.raises(KeyTaken) as taken:
        save_row(session, "service", {"id": "kotihoito", "name_fi": "Toinen kotihoito"})
    assert taken.value.errors == {"id": M["key_taken"]}
    with pytest.raises(RowMissing):
        save_row(session, "service", {"name_fi": "Ei ole"}, key="ei-ole")
    with pytest.raises(RowMissing):
        save_row(session, "weekly_opening_hours", {"closes": time(16)}, key="ei-numero")


@pytest.mark.parametrize("typed", ["kylvetys, peseytyminen\n  sauna ",
                                   "kylvetys\npeseytyminen,sauna",
                                   ["kylvetys", " peseytyminen", "sauna"]])
def test_keywords_are_stored_one_per_line(session, typed):
    saved = save_row(session, "service", {"keywords_fi": typed, "keywords_sv": "bad, bastu"},
                     key="kotihoito")
    assert saved.row.keywords_fi == "kylvetys\npeseytyminen\nsauna"
    assert saved.row.keywords_fi == "\n".join(keyword_list(typed))
    assert saved.row.keywords_sv == "bad\nbastu"


def test_relations_are_set_from_keys_and_rows_and_only_changes_count(session):
    saved = save_row(session, "service", {"area_type": "Municipalities",
                                          "municipalities": ["698", "683", "698"],
                                          "channels": [LINE]}, key="kotihoito")
    assert sorted(m.code for m in saved.row.municipalities) == ["683", "698"]
    assert [c.id for c in saved.row.channels] == [LINE]
    assert {"municipalities", "channels", "area_type"} <= saved.changed
    again = save_row(session, "service", {"municipalities": ["683", "698"]}, key="kotihoito")
    assert again.changed == frozenset()
    # None leaves a relation as it is; hours equal to the current ones are not replaced.
    channel = session.get(ServiceChannel, LINE)
    current = [{"weekday_from": h.weekday_from, "weekday_to": h.weekday_to, "opens": h.opens,
                "closes": h.closes} for h in channel.weekly_hours]
    same = save_row(session, "service_channel", {"weekly_hours": current, "exceptions": None},
                    key=LINE)
    assert same.changed == frozenset()
    new = save_row(session, "service_channel", {"weekly_hours": [hours(weekday_to=None)]},
                   key=LINE)
    assert new.changed == {"weekly_hours"}
    assert [(h.weekday_from, h.weekday_to) for h in channel.weekly_hours] == [(0, None)]


def test_an_empty_reference_means_none(session):
    saved = save_row(session, "service_channel", {"organization_id": "", "service_area_id": " "},
                     key=LINE)
    assert (saved.row.organization_id, saved.row.service_area_id) == (None, None)


def test_rows_still_to_be_written_count_as_there_when_checking(session):
    values = {"name_fi": "Uusi linja", "channel_type": "Phone", "organization_id": "uusi-org"}
    assert check_row(session, "service_channel", values) == {
        "organization_id": M["organization_unknown"]}
    assert check_row(session, "service_channel", values,
                     pending={"organization": {"uusi-org"}}) == {}


def test_an_unknown_column_is_a_programming_error(session):
    with pytest.raises(TypeError):
        save_row(session, "service", {"nimi": "Kotihoito"}, key="kotihoito")
