"""The web application's ports and start-up for the browser tests.

The ports are chosen when this module is first imported (by conftest.py, at collection), so
that conftest.py can add their origins to ``IKANEUVO_CORS_ORIGINS`` before any Rasa server
starts.
"""

from __future__ import annotations

import socket
import sys

from bot.launcher import Process, start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One web application per Rasa server the tests use.
WEB_PORTS = {name: free_port() for name in ("rasa", "scripted", "outage")}


def web_origin(name: str) -> str:
    return f"http://127.0.0.1:{WEB_PORTS[name]}"


def start_web_app(name: str, rasa_url: str) -> Process:
    """The project's web application on its port, with the demo page's widget talking to
    ``rasa_url``."""
    command = [
        sys.executable, "-m", "uvicorn", "bot.web.app:app", "--host", "127.0.0.1",
        "--port", str(WEB_PORTS[name]), "--ws", "none",
    ]
    return start(f"web-{name}", command, f"{web_origin(name)}/demo",
                 {"IKANEUVO_RASA_URL": rasa_url}, timeout=60)
