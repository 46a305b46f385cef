"""Every setting from the environment, in one object, with local defaults that need nothing
installed. Nothing else in the project reads ``os.environ`` for a setting.

``settings()`` reads the environment each time it is called (it is cheap), so a test or a
process that changes a variable sees it at once.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_DATA_DIR = DATA_DIR / "catalogue"
TIMEZONE = "Europe/Helsinki"

# Web pages that may talk to the Rasa server from a browser (its HTTP CORS and the socket.io
# channel): the web application of `python -m bot.cli run` on this machine.
DEFAULT_CORS_ORIGINS = "http://localhost:8000 http://127.0.0.1:8000"
DEFAULT_RASA_URL = "http://localhost:5005"
# Example data: the real guidance numbers are not known yet (see shared/domain.md).
EXAMPLE_GUIDANCE_PHONE = "040 000 0001"
DEFAULT_RETENTION_DAYS = 30
# The production run's loopback ports; rasa and action are the first of two.
PRODUCTION_PORTS = {"rasa": 5006, "action": 5056, "actions_entry": 5055, "web": 8001,
                    "postgres": 5433, "redis": 6380}


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Settings:
    # Where the SQLite file, logs, generated keys and per-run files go (IKANEUVO_VAR_DIR).
    var_dir: Path
    # DATABASE_URL: PostgreSQL in production; empty means the SQLite file under var/.
    database_url_setting: str | None
    # IKANEUVO_CORS_ORIGINS: origins separated by spaces, e.g. https://www.lapha.fi.
    cors_origins: tuple[str, ...]
    # IKANEUVO_RASA_URL: the Rasa server the demo page's widget talks to.
    rasa_url_setting: str | None
    # IKANEUVO_GUIDANCE_PHONE: the number the widget shows when the assistant does not answer.
    guidance_phone: str
    # DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL's limit for one statement; the servers that
    # answer citizens run with 2000, the staff tools with the default.
    database_statement_timeout_ms: int
    # RASA_JWT_SECRET: signs the bearer tokens of Rasa's HTTP API (bot/rasa_server.py).
    rasa_jwt_secret_setting: str | None
    # IKANEUVO_ACTION_SECRET: the header the Rasa servers send the action server, which answers
    # nothing else (bot/action_server.py); empty: one made once and kept in var/.
    action_secret_setting: str | None
    # IKANEUVO_SESSION_SECRET: signs the web chat's session ids (bot/channels.py); the same on
    # every Rasa replica. IKANEUVO_REST_TOKEN: the REST channel's bearer token; empty: open.
    session_secret_setting: str | None
    rest_token: str | None
    # REDIS_URL: Rasa's lock store in Redis when set (several Rasa replicas take turns).
    redis_url: str | None
    # CONTACT_REQUEST_RETENTION_DAYS: handled requests are deleted after this many days.
    contact_request_retention_days: int
    # CONVERSATIONS_DATABASE_URL: Rasa's stored conversations; empty: a SQLite file under var/.
    conversations_database_url_setting: str | None
    # CONVERSATION_RETENTION_DAYS: conversations idle this long are deleted (purge command).
    conversation_retention_days: int
    staff_secret_key_setting: str | None
    # IKANEUVO_TOTP_KEY: seals the staff's second-factor secrets in the database
    # (bot/staff/secret_box.py); empty: one made once and kept in var/. Losing it turns every
    # second factor off in effect: they are reset (`user second-factor-off`) and set up again.
    totp_key_setting: str | None
    # IKANEUVO_ADMIN_SECOND_FACTOR: "required" sends an administrator without a second factor
    # to set one up before anything else; default "optional".
    admin_second_factor_required: bool
    # IKANEUVO_COOKIE_SECURE: staff cookies only over HTTPS (browsers also allow localhost).
    cookie_secure: bool
    session_idle_minutes: int
    session_max_hours: int
    rasa_port: int
    action_port: int
    # SANIC_HOST: the address the action server listens on (loopback; rasa-sdk's variable).
    action_host: str
    web_port: int
    # The production run (bot/production/layout.py): IKANEUVO_PUBLIC_HOST, IKANEUVO_PUBLIC_PORT,
    # IKANEUVO_PUBLIC_URL, IKANEUVO_PRODUCTION_DIR and IKANEUVO_PRODUCTION_*_PORT.
    public_host: str
    public_port: int
    public_url_setting: str | None
    production_dir_setting: str | None
    production_ports: dict[str, int]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            var_dir=Path(env.get("IKANEUVO_VAR_DIR") or PROJECT_ROOT / "var"),
            database_url_setting=env.get("DATABASE_URL") or None,
            cors_origins=tuple(env.get("IKANEUVO_CORS_ORIGINS", DEFAULT_CORS_ORIGINS).split()),
            rasa_url_setting=(env.get("IKANEUVO_RASA_URL") or "").rstrip("/") or None,
            guidance_phone=env.get("IKANEUVO_GUIDANCE_PHONE", EXAMPLE_GUIDANCE_PHONE),
            database_statement_timeout_ms=int(env.get("DATABASE_STATEMENT_TIMEOUT_MS", 30000)),
            rasa_jwt_secret_setting=env.get("RASA_JWT_SECRET") or None,
            action_secret_setting=env.get("IKANEUVO_ACTION_SECRET") or None,
            session_secret_setting=env.get("IKANEUVO_SESSION_SECRET") or None,
            rest_token=env.get("IKANEUVO_REST_TOKEN") or None,
            redis_url=env.get("REDIS_URL") or None,
            contact_request_retention_days=int(
                env.get("CONTACT_REQUEST_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
            conversations_database_url_setting=env.get("CONVERSATIONS_DATABASE_URL") or None,
            conversation_retention_days=int(
                env.get("CONVERSATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
            staff_secret_key_setting=env.get("IKANEUVO_STAFF_SECRET_KEY") or None,
            totp_key_setting=env.get("IKANEUVO_TOTP_KEY") or None,
            admin_second_factor_required=(
                env.get("IKANEUVO_ADMIN_SECOND_FACTOR", "optional").strip().lower()
                == "required"),
            cookie_secure=_flag(env.get("IKANEUVO_COOKIE_SECURE"), True),
            session_idle_minutes=int(env.get("IKANEUVO_SESSION_IDLE_MINUTES", 30)),
            session_max_hours=int(env.get("IKANEUVO_SESSION_MAX_HOURS", 8)),
            rasa_port=int(env.get("RASA_PORT", 5005)),
            action_port=int(env.get("ACTION_PORT", 5055)),
            action_host=env.get("SANIC_HOST") or "127.0.0.1",
            web_port=int(env.get("WEB_PORT", 8000)),
            public_host=env.get("IKANEUVO_PUBLIC_HOST", "0.0.0.0"),
            public_port=int(env.get("IKANEUVO_PUBLIC_PORT", 8080)),
            public_url_setting=(env.get("IKANEUVO_PUBLIC_URL") or "").rstrip("/") or None,
            production_dir_setting=env.get("IKANEUVO_PRODUCTION_DIR") or None,
            production_ports={
                name: int(env.get(f"IKANEUVO_PRODUCTION_{name.upper()}_PORT", default))
                for name, default in PRODUCTION_PORTS.items()
            },
        )

    @property
    def database_url(self) -> str:
        """``DATABASE_URL`` if set, else a SQLite file under var/."""
        if self.database_url_setting:
            return self.database_url_setting
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / 'catalogue.sqlite3'}"

    @property
    def conversations_database_url(self) -> str:
        """``CONVERSATIONS_DATABASE_URL`` if set, else a SQLite file under var/."""
        if self.conversations_database_url_setting:
            return self.conversations_database_url_setting
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / 'conversations.sqlite3'}"

    @property
    def rasa_url(self) -> str:
        return self.rasa_url_setting or DEFAULT_RASA_URL

    @property
    def guidance_phone_is_example(self) -> bool:
        return self.guidance_phone == EXAMPLE_GUIDANCE_PHONE

    @property
    def rasa_jwt_secret(self) -> str:
        """``RASA_JWT_SECRET``, else one made once and kept in var/."""
        return self.rasa_jwt_secret_setting or self.kept_secret("rasa-jwt-secret", 32)

    @property
    def action_secret(self) -> str:
        """``IKANEUVO_ACTION_SECRET``, else one made once and kept in var/."""
        return self.action_secret_setting or self.kept_secret("action-secret", 32)

    @property
    def session_secret(self) -> str:
        """``IKANEUVO_SESSION_SECRET``, else one made once and kept in var/."""
        return self.session_secret_setting or self.kept_secret("session-secret", 32)

    @property
    def staff_secret_key(self) -> str:
        """``IKANEUVO_STAFF_SECRET_KEY``, else one made once and kept in var/."""
        return self.staff_secret_key_setting or self.kept_secret("staff-secret-key", 48)

    @property
    def totp_key(self) -> str:
        """``IKANEUVO_TOTP_KEY``, else one made once and kept in var/ (its own key: rotating
        the CSRF key must not make the stored second factors unreadable)."""
        return self.totp_key_setting or self.kept_secret("staff-totp-key", 32)

    def kept_secret(self, name: str, size: int = 32) -> str:
        """A secret made once and kept readable by its owner only in var/``name``."""
        path = self.var_dir / name
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            # Created readable by its owner only, never for a moment by anyone else; a second
            # process that races here keeps the first one's.
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "w") as file:
                    file.write(secrets.token_urlsafe(size))
        return path.read_text().strip()


def settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of this process's environment (or of ``environ``)."""
    return Settings.from_environment(environ)
