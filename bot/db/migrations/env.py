"""Alembic environment: the URL from the caller or the environment.

Upgrades need no models. Autogenerate compares against the metadata its caller puts in
``config.attributes["target_metadata"]`` (see ``bot.db.migrate.alembic_config``).
"""

from alembic import context

from bot.db.engine import get_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or None
target_metadata = config.attributes.get("target_metadata")


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with get_engine(url).connect() as connection:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
