"""The citizens' side of the web application: the chat widget's files and a demo page.

- ``/widget/widget.js``, ``/widget/widget.css``: the widget (bot/web/static/widget/), embedded on
  any page with one ``<script>`` tag.
- ``/widget/vendor/socket.io.min.js``: socket.io-client from node_modules (``npm ci``).
- ``/demo`` and ``/demo/yhteystiedot``: a county-style page in Finnish with the widget on it.
- ``/demo/sv``, ``/demo/en``, ``/demo/se``: a short page in Swedish, English and Northern Sámi,
  with the widget on it in the page's language (it reads ``<html lang>``).

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
    "widget-print.css": "text/css; charset=utf-8",
}
# The widget is meant for other sites' pages: anyone may load its files.
WIDGET_HEADERS = {
    "Cache-Control": "no-cache",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter()
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))

# The demo page's other languages. Each named in its own language, as the links to them say.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English", "se": "Sámegiella"}
DEMO_URLS = {"fi": "/demo", "sv": "/demo/sv", "en": "/demo/en", "se": "/demo/se"}
LANGUAGE_DEMOS = {
    "sv": {
        "title": "Tjänster för äldre",
        "site": "Lapplands välfärdsområde",
        "tag": "demosida",
        "skip": "Gå till innehållet",
        "languages": "Språk",
        "lead": "På den här sidan kan du pröva Ikäneuvo på svenska. Ikäneuvo berättar om "
                "tjänster för äldre i Lappland och vart du kan ringa.",
        "ask": "Fråga Ikäneuvo",
        "ask_text": "Skriv din fråga med egna ord, till exempel: ”Vad kostar hemvård i "
                    "Torneå?”",
        "open": "Öppna Ikäneuvo-chatten",
        "corner": "Du kan också öppna chatten i sidans nedre högra hörn.",
        "note": "Det här är en demosida för Ikäneuvo-chatten, inte en officiell sida av "
                "Lapplands välfärdsområde.",
        "example_phone": "Telefonnumret {phone} är ett exempel, inte ett riktigt nummer.",
        "real_contacts": "Riktiga kontaktuppgifter finns på",
        "emergency": "Nödnummer",
        "helpline": "Jourhjälpen",
    },
    "en": {
        "title": "Services for older people",
        "site": "Wellbeing services county of Lapland",
        "tag": "demo page",
        "skip": "Skip to content",
        "languages": "Languages",
        "lead": "On this page you can try Ikäneuvo in English. Ikäneuvo tells you about "
                "services for older people in Lapland and where to call.",
        "ask": "Ask Ikäneuvo",
        "ask_text": "Write your question in your own words, for example: “What does home "
                    "care cost in Tornio?”",
        "open": "Open the Ikäneuvo chat",
        "corner": "You can also open the chat in the bottom right corner of the page.",
        "note": "This is a demo page of the Ikäneuvo chat, not an official page of the "
                "Wellbeing services county of Lapland.",
        "example_phone": "The phone number {phone} is an example, not a real number.",
        "real_contacts": "You find the real contact details at",
        "emergency": "Emergency number",
        "helpline": "Medical Helpline",
    },
    # se: awaiting native speaker review. Northern Sámi written without a native speaker.
    # The county's and the helpline's names stay Finnish (``site_lang``, ``helpline_lang``).
    "se": {
        "title": "Boarrásiid bálvalusat",
        "site": "Lapin hyvinvointialue",
        "site_lang": "fi",
        "tag": "demosiidu",
        "skip": "Mana sisdollui",
        "languages": "Gielat",
        "lead": "Dán siiddus sáhtát geahččalit Ikäneuvo sámegillii. Ikäneuvo muitala "
                "boarrásiid bálvalusaid birra Lappis ja gosa sáhtát riŋget.",
        "ask": "Jeara Ikäneuvos",
        "ask_text": "Čále gažaldagat iežat sániiguin, ovdamearkka dihte: ”Makkár veahki "
                    "sáhtán oažžut ruktui?”",
        "open": "Raba Ikäneuvo-čátta",
        "corner": "Sáhtát rahpat čátta maiddái siiddu vuollegeahčen olgešbealde.",
        "note": "Dát lea Ikäneuvo-čátta demosiidu, ii Lapin hyvinvointialue virggálaš "
                "siidu.",
        "example_phone": "Telefonnummir {phone} lea ovdamearka, ii duohta nummir.",
        "real_contacts": "Duohta oktavuođadieđuid gávnnat čujuhusas",
        "emergency": "Heahtenummir",
        "helpline": "Päivystysapu",
        "helpline_lang": "fi",
    },
}


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


def demo_page(request: Request, template: str, current: str, lang: str = "fi",
              texts: dict | None = None) -> HTMLResponse:
    config = settings()
    server_url, phone = config.rasa_url, config.guidance_phone
    response = templates.TemplateResponse(request, f"citizen/{template}", {
        "rasa_url": server_url,
        "phone": phone,
        "phone_is_example": config.guidance_phone_is_example,
        "current": current,
        "lang": lang,
        "texts": texts or {},
        "language_names": LANGUAGE_NAMES,
        "demo_urls": DEMO_URLS,
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


@router.get("/demo/{lang}", response_class=HTMLResponse, include_in_schema=False)
def language_demo(request: Request, lang: str) -> HTMLResponse:
    """The demo page in Swedish, English or Northern Sámi (Finnish: ``/demo``). After the
    routes of /demo/yhteystiedot and /demo/demo.css, which it would otherwise take."""
    if lang not in LANGUAGE_DEMOS:
        raise HTTPException(404)
    return demo_page(request, "language_demo.html", lang, lang, LANGUAGE_DEMOS[lang])


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
