"""The catalogue layer on SQLite and PostgreSQL: schema, seed, search, queries, opening hours."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.catalogue.models import Municipality, PublishingStatus, Service, ServiceChannel
from bot.catalogue.opening_hours import is_open, next_opening
from bot.catalogue.queries import (
    find_services,
    get_service,
    guidance_contact,
    guidance_contacts,
)
from bot.catalogue.search import search_services
from bot.catalogue.seed import load_seed, read_seed
from bot.db import session_scope

SEED = read_seed()


def test_seed_has_all_municipalities_four_areas_and_twenty_services(any_engine):
    with session_scope(any_engine) as session:
        assert session.execute(select(func.count(Municipality.code))).scalar() == 21
        areas = session.execute(select(Municipality.service_area_id).distinct()).scalars()
        assert set(areas) == {"pohjoinen", "itainen", "kaakkois", "lounais"}
        published = session.execute(
            select(func.count(Service.id)).where(Service.status == PublishingStatus.published)
        ).scalar()
        assert published >= 20


def test_seed_loading_again_duplicates_nothing(fresh_engine):
    with session_scope(fresh_engine) as session:
        before = session.execute(select(func.count(Service.id))).scalar()
        assert load_seed(session) == {}
        assert session.execute(select(func.count(Service.id))).scalar() == before


@pytest.mark.parametrize(
    "query,expected",
    [
        ("kotihoito", "kotihoito"),
        ("tarvitsen kotihoitoa", "kotihoito"),
        ("paljonko turvapuhelin maksaa", "turvapuhelin"),
        ("turvapuhelimen hinta", "turvapuhelin"),
        ("miten haen omaishoidon tukea", "omaishoidon-tuki"),
        ("kotihoitto", "kotihoito"),
        ("turvapuhelinn", "turvapuhelin"),
        ("ateriapalvelusta", "ateriapalvelu"),
        ("intervallijaksolle", "lyhytaikaishoito"),
        ("edunvalvontavaltuutuksen tekeminen", "edunvalvontavaltuutus"),
        # Compounds Voikko reads as one word the catalogue does not have: by their parts.
        ("siivousapu", "siivouspalvelu"),
        ("tarviis siivousapuu", "siivouspalvelu"),
        ("taksikortti", "kuljetuspalvelu"),
        ("KOTIHOITOO", "kotihoito"),
        ("muistisairaus epäily", "muistihoitaja"),
        ("hammaslääkäriaika", "suun-terveydenhuolto"),
        ("rollaattori", "apuvalineet"),
        ("apuvalineet", "apuvalineet"),  # typed without ä
        ("digi tuki", "digituki"),  # a compound written apart
        ("116117 mikä numero se on", "paivystysapu"),
    ],
)
def test_search_finds_services_by_inflected_and_misspelt_words(any_engine, query, expected):
    with session_scope(any_engine) as session:
        hits = search_services(session, query)
    assert hits, query
    assert hits[0].service_id == expected


@pytest.mark.parametrize(
    "query",
    ["mikä on huomisen sää", "paljonko se maksaa", "mistä saa apua", "kuka voi hakea",
     "miten haen", "tarvii tietoa"],
)
def test_search_ignores_words_that_name_no_need(any_engine, query):
    with session_scope(any_engine) as session:
        assert search_services(session, query) == []


def test_a_compound_part_ranks_after_a_whole_word(fresh_engine):
    with session_scope(fresh_engine) as session:
        session.add(Service(id="pilkkikerho", name_fi="Pilkki ja onki", keywords_fi="kalastus",
                            status=PublishingStatus.published))
        session.add(Service(id="pilkkiretket", name_fi="Retket",
                            keywords_fi="pilkkiretki", status=PublishingStatus.published))
    with session_scope(fresh_engine) as session:
        hits = search_services(session, "pilkki")
    assert [h.service_id for h in hits] == ["pilkkikerho", "pilkkiretket"]
    assert hits[0].best_weight > hits[1].best_weight


def test_search_and_queries_see_only_published_services(fresh_engine):
    with session_scope(fresh_engine) as session:
        session.get(Service, "turvapuhelin").status = PublishingStatus.retired
    with session_scope(fresh_engine) as session:
        assert get_service(session, "turvapuhelin") is None
        hits = search_services(session, "turvapuhelin")
        assert "turvapuhelin" not in [h.service_id for h in hits]


def test_a_new_service_is_found_as_soon_as_it_is_committed(fresh_engine):
    with session_scope(fresh_engine) as session:
        session.add(
            Service(
                id="lumilapio",
                name_fi="Lumilapiotalkoot",
                keywords_fi="lumenluonti\nlumikinos",
                summary_fi="Vapaaehtoiset auttavat lumitöissä.",
                status=PublishingStatus.published,
            )
        )
    with session_scope(fresh_engine) as session:
        found = find_services(session, "kuka auttaa lumikinosten kanssa")
    assert [s.id for s in found][:1] == ["lumilapio"]


def test_every_municipality_has_a_guidance_contact_with_a_phone(any_engine):
    with session_scope(any_engine) as session:
        codes = session.execute(select(Municipality.code)).scalars().all()
        assert len(guidance_contacts(session)) == 4
        for code in codes:
            contact = guidance_contact(session, code)
            assert contact is not None and contact.phone_number, code


def test_guidance_contact_follows_the_service_area(any_engine):
    with session_scope(any_engine) as session:
        kemijarvi = session.get(Municipality, "320")
        contact = guidance_contact(session, "320")
        channel = session.get(ServiceChannel, contact.id)
        assert channel.service_area_id == kemijarvi.service_area_id == "itainen"


def test_opening_hours_open_closed_and_holiday(engine):
    with session_scope(engine) as session:
        contact = guidance_contact(session, "698")
    # Seed hours are Monday to Friday; 24.12.2026 is a Thursday but a holiday closure.
    weekday_noon = datetime(2026, 11, 24, 12, 0)
    sunday = datetime(2026, 11, 29, 12, 0)
    christmas_eve = datetime(2026, 12, 24, 12, 0)
    assert is_open(contact, weekday_noon) is True
    assert is_open(contact, sunday) is False
    assert is_open(contact, christmas_eve) is False
    assert next_opening(contact, sunday).weekday() == 0
    assert next_opening(contact, christmas_eve).date() > christmas_eve.date()


def test_round_the_clock_line_is_open_at_night(engine):
    with session_scope(engine) as session:
        service = get_service(session, "paivystysapu")
    assert service is not None
    line = service.channels[0]
    assert is_open(line, datetime(2026, 11, 29, 3, 30)) is True
