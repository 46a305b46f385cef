"""A stand-in for the Rasa server: Rasa's real socket.io channel and CORS set-up, scripted answers.

The widget's tests that need answers Rasa's model does not give (buttons, HTML in a bot message,
a slow answer) run against this. It uses the project's own channel class
(bot/channels.py), Rasa's output channel (which splits texts on blank lines and sends buttons
as ``quick_replies``) and ``rasa.server.configure_cors``, so the widget sees exactly what a Rasa
server sends. Start: ``python -m tests.browser.scripted_rasa PORT``.
"""

from __future__ import annotations

import asyncio
import sys

from rasa.core.channels.channel import UserMessage
from rasa.server import configure_cors
from sanic import Sanic, response

from bot.channels import AllowedOriginsSocketIOInput
from bot.config import settings

GREETING = "Hei! Tämä on testipalvelin."
QUESTION = "Missä kunnassa asut?"
CHOICES = [("Rovaniemi", "Asun Rovaniemellä"), ("Sodankylä", "Asun Sodankylässä")]
ANSWER_FOR = {
    "Asun Rovaniemellä": "Rovaniemellä soita asiakas- ja palveluohjaukseen: 040 000 0001.",
    "Asun Sodankylässä": "Sodankylässä soita asiakas- ja palveluohjaukseen: 040 000 0002.",
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


async def answer(message: UserMessage) -> None:
    out, sender, text = message.output_channel, message.sender_id, message.text or ""
    if text == "/greet":
        await out.send_text_message(sender, GREETING)
    elif text == "napit":
        await out.send_text_with_buttons(
            sender, QUESTION, [{"title": t, "payload": p} for t, p in CHOICES]
        )
    elif text in ANSWER_FOR:
        await out.send_text_message(sender, ANSWER_FOR[text])
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
        await out.send_text_message(sender, f"Kirjoitit: {text}")


def create_app() -> Sanic:
    app = Sanic("scripted_rasa")
    configure_cors(app, list(settings().cors_origins))
    channel = AllowedOriginsSocketIOInput(session_persistence=True)
    app.blueprint(channel.blueprint(answer), url_prefix="/webhooks/socketio")

    @app.get("/")
    async def hello(_request):
        return response.text("Scripted Rasa stand-in")

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
