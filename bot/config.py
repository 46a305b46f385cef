"""Settings from the environment, with local defaults that need nothing installed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_DATA_DIR = DATA_DIR / "catalogue"
VAR_DIR = Path(os.environ.get("IKANEUVO_VAR_DIR", PROJECT_ROOT / "var"))
TIMEZONE = "Europe/Helsinki"


def database_url() -> str:
    """``DATABASE_URL`` if set (PostgreSQL in production), else a SQLite file under var/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'catalogue.sqlite3'}"


# Web pages that may talk to the Rasa server from a browser (its HTTP CORS and the socket.io
# channel): the web application of `python -m bot.cli run` on this machine.
DEFAULT_CORS_ORIGINS = "http://localhost:8000 http://127.0.0.1:8000"


def cors_origins(environ: Mapping[str, str] | None = None) -> list[str]:
    """``IKANEUVO_CORS_ORIGINS``: origins separated by spaces, e.g. ``https://www.lapha.fi``."""
    environ = os.environ if environ is None else environ
    return environ.get("IKANEUVO_CORS_ORIGINS", DEFAULT_CORS_ORIGINS).split()
