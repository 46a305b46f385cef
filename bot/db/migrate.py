"""Bring a database to the newest schema with Alembic; the seed loader and the apps call this.

The migrations are plain ``op`` calls and need no models. Only ``alembic revision
--autogenerate`` compares with the models: its caller passes their metadata
(``alembic_config(target_metadata=...)``), so this layer never imports the layers above it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from bot.config import settings
from bot.db.engine import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None, target_metadata: MetaData | None = None) -> Config:
    """Alembic's configuration for ``url`` (default: ``DATABASE_URL``)."""
    config = Config()
    config.attributes["target_metadata"] = target_metadata
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or settings().database_url).replace("%", "%%"))
    return config


def migrate(url: str | None = None) -> None:
    """Apply every migration not yet applied."""
    command.upgrade(alembic_config(url), "head")


def schema_differences(metadata: MetaData, url: str | None = None) -> list:
    """What the database's schema lacks or has more than ``metadata``: empty when the
    migrations and the models agree."""
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def new_revision(message: str, metadata: MetaData, url: str | None = None) -> None:
    """Write a migration for what the models have that the (migrated) database has not."""
    command.revision(alembic_config(url, metadata), message=message, autogenerate=True)
