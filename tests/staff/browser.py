"""A small form-filling client over HTTP, as a browser uses the admin: it reads the page's
forms (with their CSRF token), keeps cookies, and posts what a person would submit."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class _Forms(HTMLParser):
    """Every <form>: its action, method and the fields a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value") or "y"))
                return
            fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._buffer = a.get("name"), ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._buffer += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            text = self._buffer
            # Browsers drop the one newline right after <textarea>.
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith(
                "\n") else text
            self._form["fields"].append((self._textarea, text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def as_form_data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


class StaffBrowser:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def token(self, path: str = "/admin/login") -> str:
        match = TOKEN.search(self.client.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, email: str, password: str) -> httpx.Response:
        token = self.token("/admin/login")
        return self.client.post("/admin/login", data={
            "username": email, "password": password, "csrf_token": token,
        })

    def logout(self) -> httpx.Response:
        return self.client.post("/admin/logout", data={"csrf_token": self.token("/admin/")})

    def form_fields(self, path: str, index: int = -1) -> list[tuple[str, str]]:
        """The fields of the page's main form (the last one; the first is the sign-out)."""
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return list(forms(response.text)[index]["fields"])

    def submit(self, path: str, changes: dict[str, Any], button: str = "Save") -> httpx.Response:
        """Open the form at ``path``, change the given fields, and send it as a browser does."""
        fields = [(k, v) for k, v in self.form_fields(path) if k not in changes]
        for key, value in changes.items():
            values = value if isinstance(value, list) else [value]
            fields += [(key, str(v)) for v in values if v is not None]
        fields.append(("save", button))
        return self.client.post(path, data=as_form_data(fields))
