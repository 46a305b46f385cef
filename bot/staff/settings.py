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
    # Sign-in throttling (bot.staff.accounts.sign_in_wait): past these free failures within
    # the window, each next attempt waits twice as long as the one before (1 s, 2 s, 4 s …) up
    # to the cap. Counted per account and address (the person mistyping), per address (one
    # guessing many accounts) and per account from addresses it has never signed in from (many
    # addresses guessing one account: at most a minute, so nobody can lock a colleague out).
    free_failures_per_account_and_address: int = 3
    free_failures_per_address: int = 10
    free_failures_per_account: int = 20
    max_wait: timedelta = timedelta(minutes=15)
    max_account_wait: timedelta = timedelta(minutes=1)
    known_address_days: int = 90
    failure_window: timedelta = timedelta(minutes=15)
    min_password_length: int = 12
    # The second factor (bot.staff.second_factor): the key that seals its secrets in the
    # database (empty: no one can turn one on), whether administrators must have one, and how
    # long a password accepted waits for its code.
    totp_key: str = ""
    admin_second_factor_required: bool = False
    code_wait: timedelta = timedelta(minutes=5)
    # The stored conversations the insights page reads (CONVERSATIONS_DATABASE_URL).
    conversations_database_url: str = ""

    @classmethod
    def from_environment(cls) -> StaffSettings:
        config = settings()
        return cls(
            secret_key=config.staff_secret_key,
            cookie_secure=config.cookie_secure,
            session_idle=timedelta(minutes=config.session_idle_minutes),
            session_absolute=timedelta(hours=config.session_max_hours),
            totp_key=config.totp_key,
            admin_second_factor_required=config.admin_second_factor_required,
            conversations_database_url=config.conversations_database_url,
        )


SESSION_COOKIE = "ikaneuvo_staff"
CSRF_COOKIE = "ikaneuvo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
