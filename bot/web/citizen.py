"""The citizens' side of the web application: the chat widget's files and a demo page.

- ``/widget/widget.js``, ``/widget/widget.css``: the widget (bot/web/static/widget/), embedded on
  any page with one ``<script>`` tag.
- ``/widget/vendor/socket.io.min.js``: socket.io-client from node_modules (``npm ci``).
- ``/demo`` and ``/demo/yhteystiedot``: a county-style page in Finnish with the widget on it.

Settings (``bot.config``): ``IKANEUVO_RASA_URL``, the Rasa server the demo page's widget talks
to; ``IKANEUVO_GUIDANCE_PHONE``, the service guidance number that the widget shows when the
assistant does not answer (the default is example data, and the demo page says so).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from bot.config import PROJECT_ROOT, settings
from bot.text.phone import PHONE_IN_TEXT_SOURCE

WEB_DIR = Path(__file__).resolve().parent
WIDGET_DIR = WEB_DIR / "static" / "widget"
DEMO_STATIC_DIR = WEB_DIR / "static" / "demo"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

WIDGET_FILES = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}
# The widget is meant for other sites' pages: anyone may load its files.
WIDGET_HEADERS = {
    "Cache-Control": "no-cache",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter()
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))


def content_security_policy(server_url: str) -> str:
    """What the demo page may load: its own files, and a connection to the Rasa server."""
    parts = urlsplit(server_url)
    websocket = ("wss" if parts.scheme == "https" else "ws") + "://" + parts.netloc
    origin = f"{parts.scheme}://{parts.netloc}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src 'self' {origin} {websocket}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def demo_page(request: Request, template: str, current: str) -> HTMLResponse:
    config = settings()
    server_url, phone = config.rasa_url, config.guidance_phone
    response = templates.TemplateResponse(request, f"citizen/{template}", {
        "rasa_url": server_url,
        "phone": phone,
        "phone_is_example": config.guidance_phone_is_example,
        "current": current,
    })
    response.headers["Content-Security-Policy"] = content_security_policy(server_url)
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/demo", response_class=HTMLResponse, include_in_schema=False)
def demo(request: Request) -> HTMLResponse:
    return demo_page(request, "demo.html", "services")


@router.get("/demo/yhteystiedot", response_class=HTMLResponse, include_in_schema=False)
def demo_contacts(request: Request) -> HTMLResponse:
    return demo_page(request, "contacts.html", "contacts")


@router.get("/demo/demo.css", include_in_schema=False)
def demo_stylesheet() -> FileResponse:
    return FileResponse(DEMO_STATIC_DIR / "demo.css", media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


@router.api_route("/widget/vendor/socket.io.min.js", methods=["GET", "HEAD"],
                  include_in_schema=False)
def socket_io_client() -> FileResponse:
    if not SOCKET_IO_CLIENT.is_file():
        raise HTTPException(503, "socket.io-client is not installed: run `npm ci` (make setup).")
    return FileResponse(SOCKET_IO_CLIENT, media_type="text/javascript; charset=utf-8",
                        headers=WIDGET_HEADERS)


@router.api_route("/widget/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def widget_file(name: str) -> Response:
    if name not in WIDGET_FILES:
        raise HTTPException(404)
    if name == "widget.js":
        return Response(widget_script(), media_type=WIDGET_FILES[name], headers=WIDGET_HEADERS)
    return FileResponse(WIDGET_DIR / name, media_type=WIDGET_FILES[name], headers=WIDGET_HEADERS)


def widget_script() -> str:
    """widget.js with the phone-number pattern of bot.text.phone: one grammar for both."""
    script = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    return script.replace('"__PHONE_IN_TEXT__"', json.dumps(PHONE_IN_TEXT_SOURCE))
