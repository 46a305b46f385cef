"""The one list of the catalogue's tables, read by search indexing, exchange, audit and permissions.

Parents come before children, so the order is also the order in which rows can be written.
A new catalogue table is added here and nowhere else.
"""

from __future__ import annotations

from sqlalchemy import Table

from bot.catalogue.models import (
    AnswerPhrase,
    Municipality,
    OpeningException,
    Organization,
    Service,
    ServiceArea,
    ServiceChannel,
    WeeklyOpeningHours,
    service_channel_link,
    service_municipality,
)

MODELS: dict[str, type] = {
    "service_area": ServiceArea,
    "municipality": Municipality,
    "organization": Organization,
    "service_channel": ServiceChannel,
    "weekly_opening_hours": WeeklyOpeningHours,
    "opening_exception": OpeningException,
    "service": Service,
    "answer_phrase": AnswerPhrase,
}
LINK_TABLES: dict[str, Table] = {
    "service_municipality": service_municipality,
    "service_channel_link": service_channel_link,
}
MODEL_TYPES: tuple[type, ...] = tuple(MODELS.values())
# Rows that belong to their channel: an export gives them no id of their own.
CHILD_TABLES = frozenset({"weekly_opening_hours", "opening_exception"})
# What every service area shares: only a county-wide editor may change these.
COUNTY_WIDE_TABLES = frozenset({"organization", "municipality", "service_area", "answer_phrase"})
