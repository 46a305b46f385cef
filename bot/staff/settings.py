"""Settings of the staff application, from the environment with safe defaults."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.config import VAR_DIR


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def secret_key() -> str:
    """``IKANEUVO_STAFF_SECRET_KEY``, else a random key made once and kept in var/."""
    key = os.environ.get("IKANEUVO_STAFF_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "staff-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


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
        return cls(
            secret_key=secret_key(),
            cookie_secure=_flag("IKANEUVO_COOKIE_SECURE", True),
            session_idle=timedelta(
                minutes=int(os.environ.get("IKANEUVO_SESSION_IDLE_MINUTES", 30))
            ),
            session_absolute=timedelta(
                hours=int(os.environ.get("IKANEUVO_SESSION_MAX_HOURS", 8))
            ),
        )


SESSION_COOKIE = "ikaneuvo_staff"
CSRF_COOKIE = "ikaneuvo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
