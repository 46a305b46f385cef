"""The Rasa server: ``rasa run`` with its HTTP API's secret kept out of command lines and URLs.

``python -m bot.rasa_server [rasa run's options]`` runs Rasa's own command line with these
additions:

- **The API's secret** comes from the environment (``RASA_JWT_SECRET``, else one kept in
  var/: ``bot.config``), never from the command line, where every user of the machine reads it
  in the process list. It is a JWT secret: Rasa then accepts only ``Authorization: Bearer``
  tokens signed with it (``api_token``), and no ``?token=`` in a URL, which would end up in
  logs and browser histories (Rasa's plain ``--auth-token`` is read from the URL only).
- **Loopback** unless ``--interface`` says otherwise (Rasa's default is every interface).
- **Speed-ups** of Rasa's per-message work that does nothing for us (``bot.rasa_speedups``).

The launcher (``bot.launcher.quiet_env``) also turns Rasa's telemetry off and limits request
bodies to 2 MB (``SANIC_REQUEST_MAX_SIZE``, read by Sanic; its default is 100 MB): a message
longer than the channels accept (``bot.channels``) still gets its polite answer, and nothing
larger is read at all.

Python's ``sys.argv`` is rewritten in this process only; ``/proc/<pid>/cmdline`` keeps the
command as it was started, without the secret.
"""

from __future__ import annotations

import sys
import time

import jwt

JWT_METHOD = "HS256"


def api_token(secret: str, lifetime_seconds: int = 300) -> str:
    """A short-lived bearer token for Rasa's HTTP API (the admin role), signed with ``secret``."""
    now = int(time.time())
    payload = {"user": {"username": "ikaneuvo", "role": "admin"}, "iat": now,
               "exp": now + lifetime_seconds}
    return jwt.encode(payload, secret, algorithm=JWT_METHOD)


def rasa_arguments(argv: list[str], api_secret: str) -> list[str]:
    """``rasa run``'s arguments: the given ones, loopback unless an interface is given, and
    the JWT secret when the API is enabled."""
    arguments = ["run", *argv]
    if not any(a in ("-i", "--interface") or a.startswith("--interface=") for a in argv):
        arguments += ["--interface", "127.0.0.1"]
    if "--enable-api" in argv:
        arguments += ["--jwt-secret", api_secret, "--jwt-method", JWT_METHOD]
    return arguments


def main(argv: list[str] | None = None) -> None:
    from bot.config import settings

    forbidden = {"--auth-token", "-t", "--jwt-secret"}
    given = sys.argv[1:] if argv is None else argv
    if forbidden & {a.split("=")[0] for a in given}:
        sys.exit("bot.rasa_server: the API secret comes from RASA_JWT_SECRET, not the command")
    sys.argv = ["rasa", *rasa_arguments(given, settings().rasa_jwt_secret)]
    from rasa.__main__ import main as rasa_main

    from bot.rasa_speedups import install

    install()
    rasa_main()


if __name__ == "__main__":
    main()
