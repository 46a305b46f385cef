"""Turn catalogue views into answer text with the staff-editable phrases.

The actions and the staff preview both call these, so the preview shows exactly what the
assistant says.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.answers.kinds import QuestionKind
from bot.catalogue.opening_hours import is_open, next_opening
from bot.catalogue.phrases import Phrases
from bot.catalogue.queries import ChannelView, ServiceView
from bot.text import calendar
from bot.text.language import language_names


def hours_text(channel: ChannelView, phrases: Phrases) -> str | None:
    """Weekly hours in words: "maanantaista perjantaihin kello 9–15"."""
    language = phrases.language
    parts = []
    for h in channel.weekly_hours:
        if h.weekday_from == 0 and h.weekday_to == 6 and h.opens.hour == 0 and h.closes.hour == 23:
            return phrases("round_the_clock")
        if h.weekday_from == 0 and h.weekday_to == 6:
            days = phrases("weekdays_all")
        else:
            days = calendar.weekdays_text(h.weekday_from, h.weekday_to, language)
        parts.append(calendar.hours_text(days, h.opens, h.closes, language))
    if not parts:
        return channel.hours_info
    return ", ".join(parts)


def contact_block(channel: ChannelView, phrases: Phrases) -> str:
    lines = [phrases("contact_intro"), phrases("contact_line", name=channel.name,
                                                     phone=channel.phone_number)]
    hours = hours_text(channel, phrases)
    if hours:
        lines.append(phrases("contact_hours", hours=hours))
    if channel.languages:
        lines.append(phrases("contact_languages",
                             languages=language_names(channel.languages, phrases.language)))
    if channel.is_example:
        lines.append(phrases("contact_example"))
    return "\n".join(lines)


def all_contacts_block(channels: list[ChannelView], phrases: Phrases) -> str:
    lines = [phrases("all_contacts_intro")]
    lines += [phrases("contact_line", name=c.name, phone=c.phone_number) for c in channels]
    if any(c.is_example for c in channels):
        lines.append(phrases("contact_example"))
    return "\n".join(lines)


def fee_text(service: ServiceView, phrases: Phrases, today: date) -> str:
    """The fee, and the period it is for; a period that has ended is said to have ended, so
    that nobody takes last year's price for this year's (the answer ends with the contact)."""
    if service.fee:
        text = service.fee
    elif service.charge_type == "FreeOfCharge":
        text = phrases("free_of_charge")
    else:
        text = phrases("fee_unknown")
    if service.fee and service.fee_valid_to and service.fee_valid_to < today:
        text += "\n" + phrases(
            "fee_period_ended",
            valid_to=calendar.day_text(service.fee_valid_to, phrases.language),
        )
    elif service.fee_valid_from and service.fee_valid_to:
        text += "\n" + phrases(
            "fee_period",
            valid_from=calendar.day_text(service.fee_valid_from, phrases.language),
            valid_to=calendar.day_text(service.fee_valid_to, phrases.language),
        )
    return f"{phrases('cost_heading')}\n{text}"


def service_text(
    service: ServiceView, question: str, phrases: Phrases, today: date,
    whom_genitive: str | None = None,
) -> str:
    """The answer about one service for a question kind (info, cost, apply, eligibility) on
    ``today`` (the fee's validity is checked against it)."""
    parts = [phrases("service_heading", name=service.name)]
    kind = QuestionKind.parse(question, QuestionKind.INFO)
    sections = kind.sections or QuestionKind.INFO.sections
    if set(service.in_finnish).intersection(sections):
        # Said before the Finnish text, so that it is not taken for a mistake.
        parts.append(phrases("text_in_finnish"))
    for section in sections:
        if section == "fee":
            parts.append(fee_text(service, phrases, today))
        elif section == "how_to_apply" and service.how_to_apply:
            parts.append(f"{phrases('how_to_apply_heading')}\n{service.how_to_apply}")
        elif section == "target_group" and service.target_group:
            parts.append(f"{phrases('target_group_heading')}\n{service.target_group}")
        elif section in ("summary", "description") and getattr(service, section):
            parts.append(getattr(service, section))
    if whom_genitive:
        parts.append(phrases("relative_note", whom_genitive=whom_genitive))
    return "\n\n".join(p for p in parts if p)


def services_list_text(
    services: list[ServiceView],
    place_locative: str,
    phrases: Phrases,
    whom: str | None = None,
    whom_genitive: str | None = None,
) -> str:
    if not services:
        return phrases("no_services_found")
    if whom:
        intro = phrases("services_intro_relative", place_locative=place_locative, whom=whom)
    else:
        intro = phrases("services_intro_self", place_locative=place_locative)
    items = [phrases("services_item", name=s.name, summary=s.summary or "") for s in services]
    assessment = (
        phrases("assessment_relative", whom_genitive=whom_genitive)
        if whom_genitive
        else phrases("assessment_self")
    )
    return "\n\n".join([intro + "\n" + "\n".join(items), assessment])


def opening_text(channel: ChannelView, now: datetime, phrases: Phrases) -> str:
    """Whether the line is open now; when closed, when it opens next and whom to call meanwhile."""
    state = is_open(channel, now)
    if state:
        return phrases("open_now", name=channel.name)
    if state is None:
        return ""
    upcoming = next_opening(channel, now)
    when = calendar.moment_text(upcoming, phrases.language) if upcoming else ""
    return "\n".join(
        [phrases("closed_now", name=channel.name, next_opening=when), phrases("closed_urgent_hint")]
    )
