"""The project's web application: the citizens' demo page with the chat widget, and the staff
application. ``python -m bot.cli run`` starts it with uvicorn."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from bot.staff.web import mount_staff
from bot.web import citizen, ratings


def create_app() -> FastAPI:
    app = FastAPI(title="Ikäneuvo", docs_url=None, redoc_url=None)

    @app.get("/", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/demo")

    app.include_router(citizen.router)  # /demo and /widget: the citizens' chat widget
    # Before the staff API's mount at /api, which would take the path otherwise.
    app.include_router(ratings.router)  # /api/public/ratings: the widget's answer ratings
    mount_staff(app)  # /admin and /api: the staff application

    return app


app = create_app()
