"""How values read on the staff admin's pages: times in Finnish time, enumerations in Finnish."""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.config import TIMEZONE
from bot.staff.admin.forms import ENUM_LABELS

_LOCAL = ZoneInfo(TIMEZONE)


def local_time(value: datetime | None) -> str:
    """A stored UTC time as staff read it: 3.2.2025 klo 14.05 (Finnish time)."""
    if value is None:
        return ""
    local = value.replace(tzinfo=timezone.utc).astimezone(_LOCAL)
    return f"{local.day}.{local.month}.{local.year} klo {local.hour}.{local.minute:02d}"


def enum_label(value: enum.Enum | str | None, enum_class: type[enum.Enum] | None = None) -> str:
    """The Finnish word for an enumeration's value as lists and pages show it: the form's
    label without its explanation in brackets ("Luonnos", "Koko hyvinvointialue")."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        enum_class, value = type(value), value.value
    labels = ENUM_LABELS.get(enum_class, {}) if enum_class else {}
    return labels.get(str(value), str(value)).split(" (")[0]


def yes_no(value: bool) -> str:
    return "kyllä" if value else "ei"
