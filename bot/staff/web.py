"""The staff application's entry point: the admin at /admin (and the REST API at /api)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.db import get_engine
from bot.staff.admin.app import mount_staff_admin
from bot.staff.api.app import create_api_app
from bot.staff.api.body_limit import BodyLimit
from bot.staff.retention import purge_every_hour
from bot.staff.security_headers import API_DOCS_POLICY, API_POLICY, SecurityHeaders
from bot.staff.settings import StaffSettings


def _purge_while_running(app: Starlette, engine: Engine) -> None:
    """Contact requests past their retention are purged while the application runs: the
    purge wraps whatever lifespan the application already has (Starlette 1 has no startup
    handlers to add)."""
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: Starlette) -> AsyncIterator[Any]:
        task = asyncio.create_task(purge_every_hour(engine))
        try:
            async with outer(running) as state:
                yield state
        finally:
            task.cancel()

    app.router.lifespan_context = lifespan


def mount_staff(
    app: Starlette, engine: Engine | None = None, settings: StaffSettings | None = None
) -> None:
    """Mount the staff application on ``app`` over ``engine`` (default: DATABASE_URL's)."""
    engine = engine or get_engine()
    settings = settings or StaffSettings.from_environment()
    mount_staff_admin(app, engine, settings)
    _purge_while_running(app, engine)
    app.mount("/api", SecurityHeaders(BodyLimit(create_api_app(engine)), API_POLICY,
                                      {"/docs": API_DOCS_POLICY}))
