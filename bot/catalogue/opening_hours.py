"""Is a channel open at a given moment, and when does it open next."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue.queries import ChannelView, ExceptionalHours
from bot.config import TIMEZONE


def local_now() -> datetime:
    return datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)


def exception_on(channel: ChannelView, day: date) -> ExceptionalHours | None:
    for exception in channel.exceptions:
        if exception.date_from <= day <= exception.date_to:
            return exception
    return None


def is_open(channel: ChannelView, at: datetime) -> bool | None:
    """True/False, or None when the channel has no opening hours in the catalogue."""
    if not channel.weekly_hours and not channel.exceptions:
        return None
    exception = exception_on(channel, at.date())
    if exception is not None:
        if exception.is_closed or not exception.opens or not exception.closes:
            return False
        return exception.opens <= at.time() < exception.closes
    weekday, moment = at.weekday(), at.time()
    return any(
        h.weekday_from <= weekday <= h.weekday_to and h.opens <= moment < _closing(h.closes)
        for h in channel.weekly_hours
    )


def next_opening(channel: ChannelView, at: datetime, days: int = 14) -> datetime | None:
    """The next moment after ``at`` when the channel opens, within ``days``."""
    for offset in range(days + 1):
        day = at.date() + timedelta(days=offset)
        exception = exception_on(channel, day)
        if exception is not None:
            starts = [] if exception.is_closed or not exception.opens else [exception.opens]
        else:
            starts = sorted(
                h.opens
                for h in channel.weekly_hours
                if h.weekday_from <= day.weekday() <= h.weekday_to
            )
        for start in starts:
            moment = datetime.combine(day, start)
            if moment > at:
                return moment
    return None


def _closing(closes):
    # 23:59 in the catalogue means "until midnight": round-the-clock lines are open at 23:59:30.
    return closes.replace(second=59, microsecond=999999) if closes.minute == 59 else closes
