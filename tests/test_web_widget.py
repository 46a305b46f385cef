"""The citizens' web pages, without servers or a browser (the widget itself is tested in a
browser: tests/browser/; the socket.io channel's checks: tests/test_channel_checks.py)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from bot.config import EXAMPLE_GUIDANCE_PHONE, PROJECT_ROOT
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
