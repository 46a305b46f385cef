"""The socket.io channel's checks (origins, server-signed session ids) and the settings they
read, without servers."""

from __future__ import annotations

import re

import pytest

from bot.channels import origin_allowed
from bot.config import PROJECT_ROOT, settings
from bot.conversations.session_ids import SessionIds


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:8000", True),
        ("http://localhost:8000/", True),
        (None, True),  # not from a web page
        ("", True),
        ("http://localhost:8001", False),
        ("https://evil.example", False),
        ("http://localhost:8000.evil.example", False),
    ],
)
def test_origins(origin, allowed):
    assert origin_allowed(origin, ["http://localhost:8000", "http://127.0.0.1:8000"]) is allowed


def test_any_origin_only_when_configured_so():
    assert origin_allowed("https://evil.example", ["*"])


def test_cors_origins_from_the_environment():
    assert settings({}).cors_origins == ("http://localhost:8000", "http://127.0.0.1:8000")
    assert settings({"IKANEUVO_CORS_ORIGINS": " https://a.fi  https://b.fi "}).cors_origins == (
        "https://a.fi", "https://b.fi"
    )


def test_every_setting_has_a_local_default_and_is_read_from_the_environment(tmp_path):
    defaults = settings({"IKANEUVO_VAR_DIR": str(tmp_path)})
    assert defaults.database_url == f"sqlite:///{tmp_path / 'catalogue.sqlite3'}"
    assert defaults.rasa_url == "http://localhost:5005" and defaults.guidance_phone_is_example
    assert defaults.redis_url is None and defaults.contact_request_retention_days == 30
    # Generated once and kept: a restart keeps staff signed in and the API token valid.
    again = settings({"IKANEUVO_VAR_DIR": str(tmp_path)})
    assert defaults.staff_secret_key == again.staff_secret_key
    assert len(defaults.rasa_jwt_secret) >= 32
    configured = settings({
        "DATABASE_URL": "postgresql://u@db/ikaneuvo", "IKANEUVO_RASA_URL": "https://chat.fi/",
        "IKANEUVO_GUIDANCE_PHONE": "016 000 0000", "CONTACT_REQUEST_RETENTION_DAYS": "10",
        "IKANEUVO_COOKIE_SECURE": "no", "RASA_JWT_SECRET": "t" * 30, "WEB_PORT": "8080",
    })
    assert configured.database_url == "postgresql://u@db/ikaneuvo"
    assert configured.rasa_url == "https://chat.fi" and not configured.guidance_phone_is_example
    assert configured.contact_request_retention_days == 10 and not configured.cookie_secure
    assert configured.rasa_jwt_secret == "t" * 30 and configured.web_port == 8080


def test_nothing_but_the_settings_reads_the_environment():
    readers = sorted(
        str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "bot").rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv" in path.read_text(encoding="utf-8")
    )
    # The launcher hands the environment on to the processes it starts.
    assert readers == ["bot/config.py", "bot/launcher.py"]


def test_session_ids_are_issued_and_signed_by_the_server():
    sessions = SessionIds("k" * 32)
    issued = sessions.new()
    conversation = sessions.conversation(issued)
    assert re.fullmatch(r"[0-9a-f]{32}", conversation) and issued.startswith(conversation + ".")
    assert sessions.joined(issued) == issued  # the same browser, after a reload
    for requested in (None, "", conversation, f"{conversation}.{'0' * 32}", issued.upper(),
                      issued + "0", "../../etc", 42):
        assert sessions.conversation(requested) is None
        new = sessions.joined(requested)
        assert new != requested and sessions.conversation(new)
    # Another server's (another secret's) session is not this one's.
    assert SessionIds("x" * 32).conversation(issued) is None
