"""The staff application's entry point: the admin at /admin (and the REST API at /api)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.db import get_engine
from bot.staff.admin.app import mount_staff_admin
from bot.staff.api.app import create_api_app
from bot.staff.api.body_limit import BodyLimit
from bot.staff.security_headers import API_DOCS_POLICY, API_POLICY, SecurityHeaders
from bot.staff.settings import StaffSettings


def mount_staff(
    app: Starlette, engine: Engine | None = None, settings: StaffSettings | None = None
) -> None:
    """Mount the staff application on ``app`` over ``engine`` (default: DATABASE_URL's)."""
    engine = engine or get_engine()
    settings = settings or StaffSettings.from_environment()
    mount_staff_admin(app, engine, settings)
    app.mount("/api", SecurityHeaders(BodyLimit(create_api_app(engine)), API_POLICY,
                                      {"/docs": API_DOCS_POLICY}))
