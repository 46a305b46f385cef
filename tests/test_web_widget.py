"""The citizens' web pages and the socket.io channel's checks, without servers or a browser.
(The widget itself is tested in a browser: tests/browser/.)"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from bot.channels import SessionIds, origin_allowed
from bot.config import EXAMPLE_GUIDANCE_PHONE, PROJECT_ROOT, settings
from bot.text.language import LANGUAGES
from bot.text.phone import PHONE_IN_TEXT_SOURCE
from bot.web import citizen
from bot.web.app import create_app


@pytest.fixture
def client(monkeypatch) -> TestClient:
    monkeypatch.setenv("IKANEUVO_RASA_URL", "https://rasa.example.fi/")
    return TestClient(create_app())


def test_demo_page_embeds_the_widget_with_one_script_tag(client):
    response = client.get("/demo")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fi">' in html
    tags = re.findall(r"<script[^>]*>", html)
    assert len(tags) == 1
    assert 'src="/widget/widget.js"' in tags[0]
    assert 'data-server-url="https://rasa.example.fi"' in tags[0]
    assert f'data-phone="{EXAMPLE_GUIDANCE_PHONE}"' in tags[0]
    # The example number is said to be one.
    assert "on esimerkki, ei oikea numero" in html


@pytest.mark.parametrize("lang", ["sv", "en", "se"])
def test_the_demo_page_in_the_other_languages(client, lang):
    response = client.get(f"/demo/{lang}")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    # The widget's one script tag leaves the language to the page.
    tags = re.findall(r"<script[^>]*>", html)
    assert len(tags) == 1 and "data-lang" not in tags[0]
    assert 'data-server-url="https://rasa.example.fi"' in tags[0]
    assert response.headers["content-security-policy"] == citizen.content_security_policy(
        "https://rasa.example.fi")
    # Links to every language, each named and marked in its own language.
    for code, name in citizen.LANGUAGE_NAMES.items():
        assert (f'<a href="{citizen.DEMO_URLS[code]}" lang="{code}" hreflang="{code}"'
                in html), code
        assert f">{name}</a>" in html
    assert "data-ikaneuvo-open" in html
    assert EXAMPLE_GUIDANCE_PHONE in html  # said to be an example, in the page's language


def test_the_finnish_demo_page_links_to_the_other_languages(client):
    html = client.get("/demo").text
    for code in ("sv", "en", "se"):
        assert f'<a href="/demo/{code}" lang="{code}" hreflang="{code}">' in html
    assert 'data-lang' not in re.findall(r"<script[^>]*>", html)[0]


def test_only_the_widgets_languages_have_a_demo_page(client):
    assert set(citizen.LANGUAGE_NAMES) == set(LANGUAGES) == set(citizen.DEMO_URLS)
    assert set(citizen.LANGUAGE_DEMOS) == set(LANGUAGES) - {"fi"}
    keys = set(citizen.LANGUAGE_DEMOS["sv"])
    assert all(set(texts) - {"site_lang", "helpline_lang"} == keys
               for texts in citizen.LANGUAGE_DEMOS.values())
    for other in ("fi", "de", "sme", "SV", "demo.js"):
        assert client.get(f"/demo/{other}").status_code == 404
    assert client.get("/demo/demo.css").headers["content-type"].startswith("text/css")


def test_the_widget_speaks_the_languages_of_the_assistant():
    script = (citizen.WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    languages = re.search(r"var LANGUAGES = \[([^\]]*)\];", script).group(1)
    assert tuple(json.loads(f"[{languages}]")) == LANGUAGES
    # The Northern Sámi texts were written without a native speaker, and say so.
    for path in (citizen.WIDGET_DIR / "widget.js", PROJECT_ROOT / "bot" / "web" / "citizen.py"):
        assert "se: awaiting native speaker review" in path.read_text(encoding="utf-8")


def test_demo_page_may_connect_only_to_itself_and_the_rasa_server(client):
    policy = client.get("/demo/yhteystiedot").headers["content-security-policy"]
    assert "connect-src 'self' https://rasa.example.fi wss://rasa.example.fi" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy


def test_widget_files_are_served_and_nothing_else(client):
    script = client.get("/widget/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    # The phone pattern is bot.text.phone's, written in as a JavaScript string.
    assert "__PHONE_IN_TEXT__" not in script.text
    assert f'new RegExp({json.dumps(PHONE_IN_TEXT_SOURCE)}, "g")' in script.text
    assert client.get("/widget/widget.css").headers["content-type"].startswith("text/css")
    for name in ("app.py", "..%2Fapp.py", "widget.py", "vendor"):
        assert client.get(f"/widget/{name}").status_code == 404


def test_socket_io_client_comes_from_node_modules(client, monkeypatch, tmp_path):
    monkeypatch.setattr(citizen, "SOCKET_IO_CLIENT", tmp_path / "missing.js")
    response = client.get("/widget/vendor/socket.io.min.js")
    assert response.status_code == 503
    assert "npm ci" in response.text


def test_socket_io_client_speaks_the_protocol_of_python_socketio_5():
    """python-socketio 5 speaks Socket.IO protocol 5 (Engine.IO 4): socket.io-client 3 or 4."""
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/socket.io-client"]["version"]
    assert version.split(".")[0] == "4"
    package = json.loads((PROJECT_ROOT / "package.json").read_text())
    assert package["dependencies"]["socket.io-client"] == version  # pinned exactly


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
