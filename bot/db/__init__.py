"""The data core: the shared declarative base, engines and sessions, and the migrations.

It imports nothing else of the project but ``bot.config``: the catalogue, the contact requests
and the staff accounts build their tables on it, never the other way round.
"""

from bot.db.base import Base, utcnow
from bot.db.engine import get_engine, session_scope

__all__ = ["Base", "get_engine", "session_scope", "utcnow"]
