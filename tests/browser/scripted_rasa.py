"""A stand-in for the Rasa server: Rasa's real socket.io channel and CORS set-up, scripted answers.

The widget's tests that need answers Rasa's model does not give (buttons, HTML in a bot message,
a slow answer) run against this. It uses the project's own channel class
(bot/channels.py), with its output channel (Rasa's, which splits texts on blank lines and sends
buttons as ``quick_replies``, plus each message's ``lang``) and ``rasa.server.configure_cors``,
so the widget sees exactly what a Rasa server sends. Start:
``python -m tests.browser.scripted_rasa PORT``.

Languages: the greeting, the question with buttons ("napit") and the echo ("Kirjoitit: …") are
in the language the widget's metadata says (the greeting's ``{"language": …}`` entity first);
``/change_language{"language": "sv"}`` is answered in that language and "suomeksi" in Finnish;
the other answers are Finnish without a language of their own (the channel says "fi"). Every
message received is recorded, its metadata too: ``GET /received/<session id>`` returns them as
JSON.

Catalogue answers: the answers to the quick replies (``ANSWER_FOR``) and to "palvelu" carry an
answer id, as action_answer's do (``metadata={"answer": id}``); the channel puts it on the
last part only, and the widget asks for a rating there.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections import defaultdict

from rasa.core.channels.channel import UserMessage
from rasa.server import configure_cors
from sanic import Sanic, response

from bot.channels import AllowedOriginsSocketIOInput
from bot.config import settings

GREETING = "Hei! Tämä on testipalvelin."
GREETINGS = {
    "fi": GREETING,
    "sv": "Hej! Det här är en testserver.",
    "en": "Hello! This is a test server.",
    "se": "Bures! Dát lea geahččalanbálvá.",
}
ECHO = {"fi": "Kirjoitit: ", "sv": "Du skrev: ", "en": "You wrote: ", "se": "Don čállet: "}
LANGUAGE_CHANGED = {
    "fi": "Selvä, puhutaan suomea.",
    "sv": "Gärna, vi talar svenska.",
    "en": "Fine, we speak English.",
    "se": "Buorre, mii hállat sámegiela.",
}
FINNISH_AGAIN = "suomeksi"
QUESTION = "Missä kunnassa asut?"
QUESTIONS = {"fi": QUESTION, "sv": "I vilken kommun bor du?", "en": "Where do you live?",
             "se": "Man suohkanis don orut?"}
CHOICES = [("Rovaniemi", "Asun Rovaniemellä"), ("Sodankylä", "Asun Sodankylässä")]
ANSWER_FOR = {
    "Asun Rovaniemellä": "Rovaniemellä soita asiakas- ja palveluohjaukseen: 040 000 0001.",
    "Asun Sodankylässä": "Sodankylässä soita asiakas- ja palveluohjaukseen: 040 000 0002.",
}
# A catalogue answer in two parts, with a named link: its id comes with the second part.
SERVICE = "palvelu"
SERVICE_ANSWER = (
    "Kotihoito auttaa kotona. Lue lisää [Lapin hyvinvointialue](https://lapha.fi/ikaihmiset)."
    "\n\nSoita asiakas- ja palveluohjaukseen: 040 000 0001."
)
# The answers' ids, as action_answer gives them (32 hex digits: the user message's id).
ANSWER_IDS = {
    "Asun Rovaniemellä": "0123456789abcdef0123456789abcdef",
    "Asun Sodankylässä": "fedcba9876543210fedcba9876543210",
    SERVICE: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
}
HOSTILE = (
    'Katso <img src=x onerror="window.__xss=1"> ja <script>window.__xss=2</script>\n'
    "[klikkaa](javascript:window.__xss=3) javascript:window.__xss=4 "
    "http://example.com/vanha https://lapha.fi/ikaihmiset ja posti@example.fi"
)
SLOW_SECONDS = 12
TWO_PARTS = "Ensimmäinen kappale.\n\nToinen kappale."
LONG_ANSWER = "\n\n".join(
    f"Kappale {n}: " + "Tämä on pitkä vastaus, jossa on monta riviä tekstiä. " * 4
    for n in range(1, 5)
)


# What each conversation sent: {"text", "metadata"} per message, by session id.
RECEIVED: dict[str, list[dict]] = defaultdict(list)
PAYLOAD = re.compile(r"/(\w+)(\{.*\})?$")


def payload(text: str) -> tuple[str | None, dict]:
    """The intent and entities of a payload such as ``/greet{"language": "sv"}``."""
    match = PAYLOAD.match(text)
    if not match:
        return None, {}
    try:
        entities = json.loads(match.group(2) or "{}")
    except ValueError:
        entities = {}
    return match.group(1), entities if isinstance(entities, dict) else {}


def language_of(value: object) -> str:
    return value if isinstance(value, str) and value in GREETINGS else "fi"


async def answer(message: UserMessage) -> None:
    out, sender, text = message.output_channel, message.sender_id, message.text or ""
    RECEIVED[sender].append({"text": text, "metadata": message.metadata})
    widget_language = language_of((message.metadata or {}).get("language"))
    intent, entities = payload(text)
    if intent == "greet":
        lang = language_of(entities.get("language", widget_language))
        await out.send_text_message(sender, GREETINGS[lang], metadata={"lang": lang})
    elif intent == "change_language":
        lang = language_of(entities.get("language"))
        await out.send_text_message(sender, LANGUAGE_CHANGED[lang], metadata={"lang": lang})
    elif text == FINNISH_AGAIN:
        await out.send_text_message(sender, LANGUAGE_CHANGED["fi"], metadata={"lang": "fi"})
    elif text == "napit":
        await out.send_text_with_buttons(
            sender, QUESTIONS[widget_language], [{"title": t, "payload": p} for t, p in CHOICES],
            metadata={"lang": widget_language},
        )
    elif text in ANSWER_FOR:
        await out.send_text_message(sender, ANSWER_FOR[text],
                                    metadata={"answer": ANSWER_IDS[text]})
    elif text == SERVICE:
        await out.send_text_message(sender, SERVICE_ANSWER,
                                    metadata={"answer": ANSWER_IDS[SERVICE]})
    elif text == "html":
        await out.send_text_message(sender, HOSTILE)
    elif text == "hidas":
        await asyncio.sleep(SLOW_SECONDS)
        await out.send_text_message(sender, "Vastaus tuli hitaasti.")
    elif text == "kaksi":
        await out.send_text_message(sender, TWO_PARTS)
    elif text == "pitkä":
        await out.send_text_message(sender, LONG_ANSWER)
    else:
        await out.send_text_message(sender, ECHO[widget_language] + text,
                                    metadata={"lang": widget_language})


def create_app() -> Sanic:
    app = Sanic("scripted_rasa")
    configure_cors(app, list(settings().cors_origins))
    channel = AllowedOriginsSocketIOInput(session_persistence=True)
    app.blueprint(channel.blueprint(answer), url_prefix="/webhooks/socketio")

    @app.get("/")
    async def hello(_request):
        return response.text("Scripted Rasa stand-in")

    @app.get("/received/<session_id>")
    async def received(_request, session_id: str):
        return response.json(RECEIVED.get(session_id, []))

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
