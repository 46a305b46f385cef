"""The staff's weekly figures: conversations, questions answered and unanswered, the most asked
services, contact requests and the citizens' ratings, per ISO week (Finnish time) and service
area.

Read from the stored conversations (``bot.conversations.turns``, no personal data), the contact
requests and the ratings; only counts, service names and redacted texts leave this module.
A question's area is its municipality's; questions whose municipality was never told belong
to no area, so only those who see the whole county see them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.catalogue.models import Municipality, Service, ServiceArea
from bot.config import TIMEZONE
from bot.contact_requests.models import ContactRequest
from bot.conversations.turns import QuestionTurn, question_turns
from bot.feedback.models import AnswerRating
from bot.staff.unanswered import UnansweredGroup, group_unanswered

_LOCAL = ZoneInfo(TIMEZONE)
TREND_WEEKS = 8
TOP_SERVICES = 10
COMMENTS = 20


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def parse(cls, text: str | None) -> IsoWeek | None:
        """``2026-W48`` (what ``<input type="week">`` sends), else None."""
        try:
            year, week = (text or "").upper().split("-W")
            parsed = cls(int(year), int(week))
            parsed.monday  # noqa: B018 - raises for a week the year does not have
            return parsed
        except ValueError:
            return None

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def bounds(self) -> tuple[datetime, datetime]:
        """The week from Monday 0.00 to the next Monday 0.00 in Finnish time, in UTC."""
        start = datetime.combine(self.monday, time(), _LOCAL)
        end = datetime.combine(self.monday + timedelta(weeks=1), time(), _LOCAL)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        sunday = self.monday + timedelta(days=6)
        return f"viikko {self.week}/{self.year} ({self.monday:%-d.%-m.}–{sunday:%-d.%-m.%Y})"


@dataclass
class WeekFigures:
    week: IsoWeek
    conversations: int = 0
    answered: int = 0
    unanswered: int = 0
    contact_requests: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def questions(self) -> int:
        return self.answered + self.unanswered

    @property
    def answered_share(self) -> int | None:
        """Answered questions in whole per cent; None without questions."""
        return round(100 * self.answered / self.questions) if self.questions else None


@dataclass(frozen=True)
class ServiceCount:
    service_id: str
    name: str
    count: int


@dataclass
class Insights:
    week: IsoWeek
    area_id: str | None
    area_name: str | None
    figures: WeekFigures
    trend: list[WeekFigures]
    top_services: list[ServiceCount]
    unanswered: list[UnansweredGroup]
    comments: list[str] = field(default_factory=list)


def last_week(today: date) -> IsoWeek:
    return IsoWeek.of(today).shifted(-1)


def area_names(session: Session) -> dict[str, str]:
    return dict(session.execute(
        select(ServiceArea.id, ServiceArea.name_fi).order_by(ServiceArea.name_fi)).all())


def insights(session: Session, conversations: Engine, week: IsoWeek,
             area_id: str | None) -> Insights:
    """The figures of ``week`` and the weeks before it, for one area (None: the county)."""
    first = week.shifted(-(TREND_WEEKS - 1))
    since, until = first.bounds()[0], week.bounds()[1]
    area_by_code = dict(session.execute(
        select(Municipality.code, Municipality.service_area_id)).all())
    turns = [t for t in question_turns(conversations, since, until)
             if area_id is None or area_by_code.get(t.municipality_code or "") == area_id]
    weeks = [first.shifted(n) for n in range(TREND_WEEKS)]
    trend = {w: WeekFigures(w) for w in weeks}
    by_week: dict[IsoWeek, list[QuestionTurn]] = {w: [] for w in weeks}
    for turn in turns:
        by_week.setdefault(_week_of(turn.asked_at), []).append(turn)
    for w, its_turns in by_week.items():
        if w not in trend:
            continue
        trend[w].conversations = len({t.conversation for t in its_turns})
        trend[w].answered = sum(t.answered for t in its_turns)
        trend[w].unanswered = sum(not t.answered for t in its_turns)
    _count_contact_requests(session, trend, area_id)
    _count_ratings(session, trend, area_id)
    chosen = by_week.get(week, [])
    names = area_names(session)
    return Insights(
        week=week,
        area_id=area_id,
        area_name=names.get(area_id) if area_id else None,
        figures=trend[week],
        trend=[trend[w] for w in weeks],
        top_services=_top_services(session, chosen),
        unanswered=group_unanswered(chosen),
        comments=_comments(session, week, area_id),
    )


def _week_of(moment: datetime) -> IsoWeek:
    return IsoWeek.of(moment.astimezone(_LOCAL).date())


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _counted(session: Session, column, when, trend: dict[IsoWeek, WeekFigures], where):
    weeks = sorted(trend)
    since, until = weeks[0].bounds()[0], weeks[-1].bounds()[1]
    rows = session.execute(
        select(when, column).where(when >= _naive_utc(since), when < _naive_utc(until),
                                   *where)
    ).all()
    for moment, value in rows:
        figures = trend.get(_week_of(moment.replace(tzinfo=timezone.utc)))
        if figures is not None:
            yield figures, value


def _count_contact_requests(session: Session, trend: dict[IsoWeek, WeekFigures],
                            area_id: str | None) -> None:
    where = [ContactRequest.service_area_id == area_id] if area_id else []
    for figures, _ in _counted(session, ContactRequest.id, ContactRequest.created_at, trend,
                               where):
        figures.contact_requests += 1


def _count_ratings(session: Session, trend: dict[IsoWeek, WeekFigures],
                   area_id: str | None) -> None:
    where = [AnswerRating.service_area_id == area_id] if area_id else []
    for figures, helpful in _counted(session, AnswerRating.helpful, AnswerRating.rated_at,
                                     trend, where):
        if helpful:
            figures.helpful += 1
        else:
            figures.not_helpful += 1


def _top_services(session: Session, turns: list[QuestionTurn]) -> list[ServiceCount]:
    counts = Counter(t.service_id for t in turns if t.answered and t.service_id)
    if not counts:
        return []
    names = dict(session.execute(
        select(Service.id, Service.name_fi).where(Service.id.in_(list(counts)))).all())
    return [ServiceCount(sid, names.get(sid, sid), n)
            for sid, n in counts.most_common(TOP_SERVICES)]


def _comments(session: Session, week: IsoWeek, area_id: str | None) -> list[str]:
    since, until = week.bounds()
    query = (
        select(AnswerRating.comment)
        .where(AnswerRating.comment.is_not(None),
               AnswerRating.rated_at >= _naive_utc(since),
               AnswerRating.rated_at < _naive_utc(until))
        .order_by(AnswerRating.rated_at.desc()).limit(COMMENTS)
    )
    if area_id:
        query = query.where(AnswerRating.service_area_id == area_id)
    return [c for c in session.scalars(query) if c]


CSV_HEADER = ["viikko", "alue", "keskustelut", "kysymykset", "vastatut", "vastaamatta",
              "yhteydenottopyynnöt", "apua: kyllä", "apua: ei"]


def insights_csv(data: Insights) -> str:
    """The trend weeks as CSV (semicolons and a BOM, as Finnish Excel opens it), then the
    most asked services and the unanswered questions of the chosen week."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    area = data.area_name or "koko hyvinvointialue"
    writer.writerow(CSV_HEADER)
    for f in data.trend:
        writer.writerow([str(f.week), area, f.conversations, f.questions, f.answered,
                         f.unanswered, f.contact_requests, f.helpful, f.not_helpful])
    writer.writerow([])
    writer.writerow(["viikko", "alue", "palvelu", "kysymyksiä"])
    for s in data.top_services:
        writer.writerow([str(data.week), area, s.name, s.count])
    writer.writerow([])
    writer.writerow(["viikko", "alue", "vastaamaton kysymys", "kertaa"])
    for g in data.unanswered:
        writer.writerow([str(data.week), area, _safe_cell(g.text), g.count])
    return out.getvalue()


def _safe_cell(text: str) -> str:
    # A cell starting with = + - @ would be a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
