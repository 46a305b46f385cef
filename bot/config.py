"""Settings from the environment, with local defaults that need nothing installed."""

from __future__ import annotations

import os
from pathlib import Path

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
