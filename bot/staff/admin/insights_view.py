"""Kysymykset ja palaute: the staff insights page (``bot.staff.insights``), its charts and CSV,
and the fix of an unanswered question: "Lisää hakusanaksi palveluun…" (``bot.staff.unanswered``).

Every signed-in role reads it; an area editor or viewer sees their own area only. Adding a
keyword needs the right to edit the service (an area editor: their area's services).
"""

from __future__ import annotations

from typing import Any

import anyio
from sqladmin import BaseView, expose
from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.catalogue.editing import EditRefused
from bot.catalogue.models import Municipality, PublishingStatus, Service
from bot.catalogue.opening_hours import local_now
from bot.config import settings as project_settings
from bot.db import get_engine, session_scope
from bot.staff import permissions
from bot.staff.charts import CHARTS
from bot.staff.insights import (
    Insights,
    IsoWeek,
    area_names,
    insights,
    insights_csv,
    last_week,
)
from bot.staff.unanswered import (
    KEYWORD_CHARS,
    KeywordRefused,
    answer_now,
    preview_with_keyword,
    with_keyword,
)
from bot.staff.web_security import request_user
from bot.text.language import LANGUAGES

LANGUAGE_LABELS = {"fi": "suomi", "sv": "ruotsi", "en": "englanti", "se": "saame"}
QUESTION_CHARS = 500


class InsightsView(BaseView):
    """SQLAdmin names a page's menu link after the identity of the view's last exposed method
    in alphabetical order: ``page`` must stay last (chart, csv, keyword, page)."""

    name = "Kysymykset ja palaute"
    icon = "fa-solid fa-chart-column"

    def is_accessible(self, request: Request) -> bool:
        return permissions.can_read(request_user(request), "service")

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    @property
    def engine(self) -> Engine:
        return self._admin_ref.engine

    def conversations(self) -> Engine:
        url = getattr(self._admin_ref, "settings", None)
        url = url.conversations_database_url if url else ""
        return get_engine(url or project_settings().conversations_database_url)

    def _chosen(self, request: Request) -> tuple[IsoWeek, str | None]:
        """The week asked for (default: last week) and the area the user may see."""
        week = IsoWeek.parse(request.query_params.get("viikko")) or last_week(local_now().date())
        own = permissions.own_area(request_user(request))
        area = own or request.query_params.get("alue") or None
        return week, area

    async def _insights(self, request: Request) -> Insights:
        if not self.is_accessible(request):
            raise HTTPException(status_code=403)
        week, area = self._chosen(request)

        def read() -> Insights:
            with session_scope(self.engine) as session:
                if area and area not in area_names(session):
                    raise HTTPException(status_code=404)
                return insights(session, self.conversations(), week, area)

        return await anyio.to_thread.run_sync(read)

    @expose("/insights", methods=["GET"], identity="insights")
    async def page(self, request: Request) -> Response:
        data = await self._insights(request)
        user = request_user(request)

        def areas() -> dict[str, str]:
            with session_scope(self.engine) as session:
                return area_names(session)

        query = {"viikko": str(data.week), **({"alue": data.area_id} if data.area_id else {})}
        return await self.templates.TemplateResponse(request, "staff/insights.html", {
            "data": data,
            "areas": await anyio.to_thread.run_sync(areas),
            "own_area": permissions.own_area(user),
            "previous": data.week.shifted(-1),
            "next": data.week.shifted(1) if data.week < last_week(local_now().date()).shifted(1)
            else None,
            "query": query,
            "can_add_keywords": permissions.can_write(user, "service"),
            "added": request.query_params.get("lisatty"),
            "retention_days": project_settings().conversation_retention_days,
        })

    @expose("/insights/kysymykset.csv", methods=["GET"], identity="insights-csv")
    async def csv(self, request: Request) -> Response:
        data = await self._insights(request)
        area = f"-{data.area_id}" if data.area_id else ""
        return Response(insights_csv(data), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="ikaneuvo-{data.week}{area}.csv"',
            "Cache-Control": "no-store",
        })

    @expose("/insights/kaavio/{name}.svg", methods=["GET"], identity="insights-chart")
    async def chart(self, request: Request) -> Response:
        draw = CHARTS.get(request.path_params["name"])
        if draw is None:
            raise HTTPException(status_code=404)
        data = await self._insights(request)
        return Response(draw(data), media_type="image/svg+xml", headers={
            "Cache-Control": "no-store",
        })

    @expose("/insights/hakusana", methods=["GET", "POST"], identity="insights-keyword")
    async def keyword(self, request: Request) -> Response:
        """Pick a service, write a keyword, see the answer the question would get, save."""
        user = request_user(request)
        if not self.is_accessible(request) or not permissions.can_write(user, "service"):
            raise HTTPException(status_code=403)
        values: dict[str, Any] = dict(request.query_params)
        if request.method == "POST":
            values.update({k: v for k, v in (await request.form()).items()
                           if isinstance(v, str)})
        question = " ".join(str(values.get("kysymys") or "").split())[:QUESTION_CHARS]
        language = values.get("kieli") if values.get("kieli") in LANGUAGES else "fi"
        municipality = values.get("kunta") or None
        service_id = values.get("palvelu") or ""
        keyword = str(values.get("hakusana") or "")
        action = values.get("toiminto")
        if not question:
            raise HTTPException(status_code=400)

        def work() -> dict[str, Any]:
            with session_scope(self.engine) as session:
                # Plain pairs: the preview's rollback expires every row read before it.
                services = [(s.id, s.name_fi) for s in session.scalars(
                    select(Service).where(Service.status != PublishingStatus.retired)
                    .order_by(Service.name_fi))
                    if permissions.row_error(user, s) is None]
                municipalities = session.execute(
                    select(Municipality.code, Municipality.name_fi)
                    .order_by(Municipality.name_fi)).all()
                result: dict[str, Any] = {"services": services, "errors": {},
                                          "municipalities": municipalities}
                result["current"] = answer_now(session, question, language, municipality)
                if action in ("esikatsele", "tallenna"):
                    try:
                        if action == "tallenna":
                            service = with_keyword(session, user, service_id, keyword, language)
                            session.commit()
                            result["saved"] = service.name_fi
                        else:
                            result["preview"] = preview_with_keyword(
                                session, user, service_id, keyword, question, language,
                                municipality)
                    except KeywordRefused as refusal:
                        session.rollback()
                        result["errors"] = refusal.errors
                    except EditRefused as refusal:
                        session.rollback()
                        result["errors"] = {"hakusana": "; ".join(refusal.errors.values())}
                return result

        result = await anyio.to_thread.run_sync(work)
        if "saved" in result:
            back = request.url_for("admin:view-insights")
            query = {"lisatty": f"{keyword.strip()} → {result['saved']}"}
            for name in ("viikko", "alue"):
                if values.get(name):
                    query[name] = values[name]
            return RedirectResponse(str(back.include_query_params(**query)), status_code=303)
        return await self.templates.TemplateResponse(request, "staff/insights_keyword.html", {
            **result,
            "question": question, "language": language, "language_label":
                LANGUAGE_LABELS[language], "municipality": municipality,
            "service_id": service_id, "keyword": keyword, "keyword_chars": KEYWORD_CHARS,
            "week": values.get("viikko") or "", "area": values.get("alue") or "",
        }, status_code=422 if result["errors"] else 200)
