"""The staff REST API at /api: the catalogue as JSON for integrations, with OpenAPI.

Every request carries an API token (``Authorization: Bearer ikn_…``, made with
``python -m bot.cli user token``) and acts with its owner's role, under the same rules as the
admin (``bot.staff.permissions``); every change is in the audit trail. One session per request
(``deps``); one router per resource; every write goes through ``bot.catalogue.editing``.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from bot.staff.api import channels, exchange, me, phrases, reference, services, translations
from bot.staff.api.deps import add_problem_responses

ROUTERS = (me, services, channels, reference, phrases, translations, exchange)


def create_api_app(engine: Engine) -> FastAPI:
    api = FastAPI(
        title="Ikäneuvo – palveluluettelon API",
        version="1",
        description="The service catalogue of the older people's service guidance. Token auth: "
                    "`Authorization: Bearer <token>` (python -m bot.cli user token EMAIL).",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.engine = engine
    add_problem_responses(api)
    for module in ROUTERS:
        api.include_router(module.router)
    return api
