"""Weekdays, dates and times as the answers write them in each language.

The forms are in ``data/lexicon/calendar.yml``: "maanantaista perjantaihin kello 9–15",
"måndag–fredag klockan 9–15", "Monday to Friday, 9:00–15:00". A language without forms is
written in Finnish.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

import yaml

from bot.config import DATA_DIR

CALENDAR_FILE = DATA_DIR / "lexicon" / "calendar.yml"
FALLBACK_LANGUAGE = "fi"


@lru_cache(maxsize=1)
def _forms_by_language() -> dict[str, dict]:
    return yaml.safe_load(CALENDAR_FILE.read_text(encoding="utf-8"))


def _forms(language: str) -> dict:
    forms = _forms_by_language()
    return forms.get(language) or forms[FALLBACK_LANGUAGE]


def clock(moment: time | datetime, language: str = "fi") -> str:
    """9.00 → "9" (fi, sv) or "9:00" (en); 9.30 → "9.30" or "9:30"."""
    forms = _forms(language)
    if moment.minute == 0:
        return forms["whole_hour"].format(hour=moment.hour)
    return forms["time"].format(hour=moment.hour, minute=f"{moment.minute:02d}")


def day_text(day: date, language: str = "fi") -> str:
    """5.1.2027 (fi, sv) or 5 January 2027 (en)."""
    forms = _forms(language)
    month_names = forms.get("month_names") or []
    month_name = month_names[day.month - 1] if month_names else ""
    return forms["date"].format(day=day.day, month=day.month, year=day.year,
                                month_name=month_name)


def weekdays_text(first: int, last: int | None, language: str = "fi") -> str:
    """One weekday every week ("maanantaisin"), or a range ("maanantaista perjantaihin")."""
    forms = _forms(language)
    weekdays = forms["weekdays"]
    if last is None or first == last:
        return weekdays["on"][first]
    return forms["range"].format(first=weekdays["from"][first], last=weekdays["to"][last])


def hours_text(days: str, opens: time, closes: time, language: str = "fi") -> str:
    """"maanantaista perjantaihin kello 9–15"."""
    return _forms(language)["hours"].format(days=days, opens=clock(opens, language),
                                             closes=clock(closes, language))


def moment_text(moment: datetime, language: str = "fi") -> str:
    """"maanantaina 5.1.2027 kello 9": when a line opens next."""
    return _forms(language)["moment"].format(
        weekday=_forms(language)["weekdays"]["next"][moment.weekday()],
        date=day_text(moment.date(), language), time=clock(moment.time(), language),
    )
