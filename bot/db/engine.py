"""Engines and sessions: one session per unit of work, never one shared across requests."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import settings


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: ``DATABASE_URL``), created once per process and URL."""
    return _engine_for(url or settings().database_url)


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, future=True, connect_args={"check_same_thread": False, "timeout": 15}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    statement_ms = settings().database_statement_timeout_ms
    return create_engine(
        url, future=True, pool_pre_ping=True, pool_size=5, max_overflow=10,
        # Waiting for a free connection, connecting and every statement have their limits, so
        # a hung database is an error within seconds, not a stalled process (libpq counts
        # connect_timeout in whole seconds, at least 2).
        pool_timeout=2,
        connect_args={
            "connect_timeout": 2,
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}"
                       f" -c idle_in_transaction_session_timeout={max(statement_ms, 10000)}",
        },
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@lru_cache(maxsize=8)
def _factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session: Session = _factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
