"""The action server: rasa-sdk's own, answering only the Rasa servers.

``python -m bot.action_server --port 5055`` is ``rasa run actions --actions actions`` with
three differences. rasa-sdk listens on every interface, with CORS for every origin, and runs
any action for whoever posts a tracker to ``/webhook``: a forged tracker could store a
call-back request with consent for any name and number, which staff would then phone. Here:

- it listens on 127.0.0.1 (``SANIC_HOST`` may name another local address);
- every request but ``/health`` must carry ``X-Ikaneuvo-Action-Secret`` with the secret the
  Rasa servers send (``endpoints.yml`` reads it from the environment: ``bot.launcher``), or it
  gets 403 before its body is read as JSON, so also before rasa-sdk inflates a compressed one;
- no CORS headers (no browser has business here), and bodies are limited to 8 MB (a tracker
  is some kilobytes; nginx in production allows the same).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

SECRET_HEADER = "X-Ikaneuvo-Action-Secret"
MAX_BODY_BYTES = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


def secret_matches(given: str | None, secret: str) -> bool:
    """Whether the request's header is the secret (compared in constant time)."""
    return bool(secret) and hmac.compare_digest((given or "").encode(), secret.encode())


def create_app(secret: str, actions_package: str = "actions") -> Sanic:
    """rasa-sdk's application for ``actions_package``, refusing callers without ``secret``."""
    from rasa_sdk.endpoint import create_app as rasa_sdk_app
    from rasa_sdk.executor import ActionExecutor

    if not secret:
        raise ValueError("the action server needs a secret")
    executor = ActionExecutor()
    executor.register_package(actions_package)
    app = rasa_sdk_app(executor, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.listener("before_server_start")
    async def know_the_contacts(_app: Sanic, *_: object) -> None:
        from bot.guidance import remember_contacts

        await asyncio.to_thread(remember_contacts)

    @app.middleware("request")
    async def only_the_rasa_servers(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            logger.warning("Refused a call to %s without the action secret", request.path)
            return response.json({"error": "forbidden"}, status=403)
        return None

    return app


def main(argv: list[str] | None = None) -> None:
    from bot.config import settings

    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__)
    parser.add_argument("--port", type=int, default=settings().action_port)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    host = settings().action_host
    app = create_app(settings().action_secret, args.actions)
    logger.info("Action server on http://%s:%s (only callers with the secret)", host, args.port)
    # One process, made here: Sanic 25's worker processes would have to rebuild the app
    # from a loader, and several action servers scale out instead (production).
    app.run(host=host, port=args.port, single_process=True, access_log=False)


if __name__ == "__main__":
    main()
