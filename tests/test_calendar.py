"""Weekdays, dates and times written in each answer language."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from bot.answers.compose import hours_text, opening_text
from bot.catalogue.phrases import seed_phrases
from bot.catalogue.queries import ChannelView
from bot.text import calendar


@pytest.mark.parametrize("language, expected", [
    ("fi", "maanantaista perjantaihin kello 9–15.30"),
    ("sv", "måndag–fredag klockan 9–15.30"),
    ("en", "Monday to Friday, 9:00–15:30"),
    ("se", "vuossárga–bearjadat dii. 9–15.30"),
])
def test_a_weekly_range(language, expected):
    days = calendar.weekdays_text(0, 4, language)
    assert calendar.hours_text(days, time(9), time(15, 30), language) == expected


@pytest.mark.parametrize("language, expected", [
    ("fi", "keskiviikkoisin"), ("sv", "på onsdagar"), ("en", "on Wednesdays"),
])
def test_one_weekday_every_week(language, expected):
    assert calendar.weekdays_text(2, 2, language) == expected
    assert calendar.weekdays_text(2, None, language) == expected


@pytest.mark.parametrize("language, expected", [
    ("fi", "maanantaina 4.1.2027 kello 9"),
    ("sv", "på måndag 4.1.2027 klockan 9"),
    ("en", "on Monday 4 January 2027 at 9:00"),
])
def test_when_a_line_opens_next(language, expected):
    assert calendar.moment_text(datetime(2027, 1, 4, 9, 0), language) == expected


def test_a_language_without_forms_is_written_in_finnish():
    assert calendar.day_text(date(2027, 1, 4), "de") == "4.1.2027"
    assert calendar.weekdays_text(0, 4, "de") == "maanantaista perjantaihin"


def _line(weekday_from: int, weekday_to: int) -> ChannelView:
    """A guidance line open on these weekdays, 9–15."""
    hours = [SimpleNamespace(weekday_from=weekday_from, weekday_to=weekday_to, opens=time(9),
                             closes=time(15), valid_from=None, valid_to=None)]
    return SimpleNamespace(name="Linja", weekly_hours=hours, exceptions=[], hours_info=None)


@pytest.mark.parametrize("language, expected", [
    ("fi", "maanantaista perjantaihin kello 9–15"),
    ("sv", "måndag–fredag klockan 9–15"),
    ("en", "Monday to Friday, 9:00–15:00"),
])
def test_answers_write_the_hours_in_the_phrases_language(language, expected):
    assert hours_text(_line(0, 4), seed_phrases(language)) == expected


def test_a_closed_line_says_when_it_opens_in_the_phrases_language():
    saturday = datetime(2027, 1, 2, 12, 0)
    text = opening_text(_line(0, 4), saturday, seed_phrases("en"))
    assert "on Monday 4 January 2027 at 9:00" in text
