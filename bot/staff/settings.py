"""Settings of the staff application: its policies, with what the environment sets
(``bot.config``) on top."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config import settings


@dataclass(frozen=True)
class StaffSettings:
    secret_key: str
    # Secure cookies are sent only over HTTPS (browsers also accept them on http://localhost).
    cookie_secure: bool = True
    session_idle: timedelta = timedelta(minutes=30)
    session_absolute: timedelta = timedelta(hours=8)
    # Sign-in throttling: this many failures within the window lock the account (and the
    # address, at the higher count) until the window has passed.
    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    failure_window: timedelta = timedelta(minutes=15)
    min_password_length: int = 12

    @classmethod
    def from_environment(cls) -> StaffSettings:
        config = settings()
        return cls(
            secret_key=config.staff_secret_key,
            cookie_secure=config.cookie_secure,
            session_idle=timedelta(minutes=config.session_idle_minutes),
            session_absolute=timedelta(hours=config.session_max_hours),
        )


SESSION_COOKIE = "ikaneuvo_staff"
CSRF_COOKIE = "ikaneuvo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
