"""The socket.io channel carries languages both ways (bot/channels.py): every ``bot_uttered``
payload has the message's ``lang``, and the widget's ``metadata`` reaches the NLU as sent.

A fake socket.io server collects what the channel emits. The bot messages are made the way
Rasa makes them (the templated NLG for domain responses, ``RemoteAction._utter_responses`` for a
custom action's ``dispatcher.utter_message``) and handed to the channel with Rasa's own
``OutputChannel.send_response``, so the keyword arguments are exactly Rasa's.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction, create_bot_utterance
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import CollectingDispatcher

from bot.channels import (
    AllowedOriginsSocketIOInput,
    LanguageSocketIOOutput,
    language_code,
    message_metadata,
    response_language,
)
from bot.message_guard import Screened

SESSION = "0123456789abcdef0123456789abcdef"


class FakeSio:
    """Collects what is emitted: (event, data, room, namespace)."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, Any, Any]] = []

    async def emit(self, event: str, data: Any = None, room: Any = None,
                   namespace: Any = None, **_: Any) -> None:
        self.emitted.append((event, data, room, namespace))

    def payloads(self) -> list[Any]:
        return [data for event, data, _, _ in self.emitted if event == "bot_uttered"]


DOMAIN = Domain.from_dict({
    "entities": ["language"],
    "slots": {"language": {"type": "categorical", "values": ["fi", "sv", "en", "se"],
                           "influence_conversation": False,
                           "mappings": [{"type": "from_entity", "entity": "language"}]}},
    "responses": {
        "utter_fee": [
            {"text": "Avgiften beror på inkomsten.\n\nRing servicehandledningen.",
             "metadata": {"lang": "sv"},
             "condition": [{"type": "slot", "name": "language", "value": "sv"}]},
            {"text": "Maksu riippuu tuloista.", "metadata": {"lang": "fi"}},
        ],
        "utter_choose": [
            {"text": "Vilken kommun?", "metadata": {"lang": "sv"},
             "buttons": [{"title": "Torneå", "payload": "/inform_municipality"},
                         {"title": "Kemi", "payload": "/inform_municipality"}]},
        ],
        "utter_plain": [{"text": "Ei kieltä merkitty.\n\nToinen kappale."}],
    },
})


def tracker(language: str | None = None) -> DialogueStateTracker:
    state = DialogueStateTracker.from_events(SESSION, [], DOMAIN.slots)
    state.slots["language"].value = language
    return state


async def send_domain_response(name: str, language: str | None = None) -> list[Any]:
    """The response as Rasa utters it: NLG → BotUttered → send_response → the channel."""
    sio = FakeSio()
    output = LanguageSocketIOOutput(sio, "bot_uttered")
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    draft = await nlg.generate(name, tracker(language), output.name())
    draft["utter_action"] = name
    await output.send_response(SESSION, create_bot_utterance(draft).message())
    assert all(room == SESSION for _, _, room, _ in sio.emitted)
    return sio.payloads()


async def test_every_part_of_a_domain_response_carries_its_language():
    assert await send_domain_response("utter_fee", "sv") == [
        {"text": "Avgiften beror på inkomsten.", "lang": "sv"},
        {"text": "Ring servicehandledningen.", "lang": "sv"},
    ]
    assert await send_domain_response("utter_fee", "fi") == [
        {"text": "Maksu riippuu tuloista.", "lang": "fi"},
    ]


async def test_quick_replies_go_with_the_last_part_which_carries_the_language():
    assert await send_domain_response("utter_choose") == [
        {"text": "Vilken kommun?", "lang": "sv", "quick_replies": [
            {"content_type": "text", "title": "Torneå", "payload": "/inform_municipality"},
            {"content_type": "text", "title": "Kemi", "payload": "/inform_municipality"},
        ]},
    ]


async def test_a_response_without_a_language_is_finnish():
    assert await send_domain_response("utter_plain") == [
        {"text": "Ei kieltä merkitty.", "lang": "fi"},
        {"text": "Toinen kappale.", "lang": "fi"},
    ]


async def test_a_custom_actions_messages_carry_their_language():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Home care is arranged by the county.\n\nCall 040 000 0001.",
                             metadata={"lang": "en"})
    dispatcher.utter_message(text="Mii suohkanis orut?", metadata={"lang": "se"},
                             buttons=[{"title": "Anár", "payload": "/inform_municipality"}])
    dispatcher.utter_message(text="Ilman kieltä.")
    sio = FakeSio()
    output = LanguageSocketIOOutput(sio, "bot_uttered")
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    uttered = await RemoteAction._utter_responses(dispatcher.messages, output, nlg, tracker())
    for bot_uttered in uttered:
        await output.send_response(SESSION, bot_uttered.message())
    assert sio.payloads() == [
        {"text": "Home care is arranged by the county.", "lang": "en"},
        {"text": "Call 040 000 0001.", "lang": "en"},
        {"text": "Mii suohkanis orut?", "lang": "se", "quick_replies": [
            {"content_type": "text", "title": "Anár", "payload": "/inform_municipality"},
        ]},
        {"text": "Ilman kieltä.", "lang": "fi"},
    ]


async def test_the_last_part_of_a_catalogue_answer_names_the_message_it_answers():
    """What the widget's "Oliko vastauksesta apua?" rates (actions/answer.py sets it)."""
    answer = "ab" * 16
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Kotihoito\n\nSoita 040 000 0001.",
                             metadata={"lang": "fi", "answer": answer, "found": True})
    dispatcher.utter_message(text="Tarkoititko?", metadata={"lang": "fi", "answer": answer},
                             buttons=[{"title": "Ystäväpalvelu", "payload": "/x"}])
    dispatcher.utter_message(text="Ei arvioitava.", metadata={"lang": "fi", "answer": "<b>"})
    sio = FakeSio()
    output = LanguageSocketIOOutput(sio, "bot_uttered")
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    uttered = await RemoteAction._utter_responses(dispatcher.messages, output, nlg, tracker())
    for bot_uttered in uttered:
        await output.send_response(SESSION, bot_uttered.message())
    assert [p.get("answer") for p in sio.payloads()] == [None, answer, answer, None]
    # Whether the catalogue had it is for the stored conversation, not for the browser.
    assert not any("found" in p for p in sio.payloads())


async def test_images_and_attachments_carry_the_language_too():
    sio = FakeSio()
    output = LanguageSocketIOOutput(sio, "bot_uttered", namespace="/chat")
    await output.send_image_url(SESSION, "https://lapha.fi/kuva.png", metadata={"lang": "sv"})
    await output.send_attachment(SESSION, {"type": "file"}, metadata={"lang": "en"})
    await output.send_elements(SESSION, [{"title": "x"}])
    assert [data["lang"] for data in sio.payloads()] == ["sv", "en", "fi"]
    assert {namespace for _, _, _, namespace in sio.emitted} == {"/chat"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"metadata": {"lang": "sv"}}, "sv"),
        ({"metadata": {"lang": "sv-FI"}}, "sv"),
        ({"metadata": {"lang": "SE"}}, "se"),
        ({"metadata": {"lang": "sme"}}, "se"),
        ({"metadata": {"lang": "se_FI"}}, "se"),
        ({"metadata": {"lang": "en"}, "lang": "sv"}, "en"),
        ({"lang": "en"}, "en"),
        ({"metadata": {"lang": "de"}}, "fi"),
        ({"metadata": {"lang": 3}}, "fi"),
        ({"metadata": "sv"}, "fi"),
        ({"metadata": None}, "fi"),
        ({}, "fi"),
    ],
)
def test_response_language(kwargs, expected):
    assert response_language(kwargs) == expected


def test_language_codes():
    assert [language_code(tag) for tag in ("fi", "fi-FI", "sv", "en-GB", "se", "sme")] == [
        "fi", "fi", "sv", "en", "se", "se"]
    assert [language_code(tag) for tag in ("", "de", "smn", None, 7)] == [None] * 5


def test_message_metadata():
    assert message_metadata({"language": "sv"}) == {"language": "sv"}
    assert message_metadata('{"language": "en"}') == {"language": "en"}
    for value in (None, "", "not json", "[1, 2]", 42, ["sv"]):
        assert message_metadata(value) == {}


# ---------------------------------------------------------------- the input channel's handler


class Channel:
    """The channel's blueprint with its socket.io server's emit and rooms replaced by fakes,
    and the messages it hands to Rasa collected."""

    def __init__(self, session_persistence: bool = True,
                 rooms: tuple[str, ...] = ("sid-1", SESSION)) -> None:
        self.input = AllowedOriginsSocketIOInput(
            session_persistence=session_persistence, allowed_origins=["http://localhost:8000"]
        )
        self.received: list[UserMessage] = []
        self.fake = FakeSio()

        async def on_new_message(message: UserMessage) -> None:
            self.received.append(message)

        self.input.blueprint(on_new_message)
        sio = self.input.sio
        sio.emit = self.fake.emit
        sio.rooms = lambda sid, namespace=None: list(rooms)
        self.handle_message = sio.handlers["/"]["user_uttered"]
        # The session id the server signed for the conversation SESSION.
        self.session = self.input.sessions.sign(SESSION)


async def test_a_user_message_reaches_rasa_with_its_metadata_and_our_output_channel():
    channel = Channel()
    await channel.handle_message("sid-1", {
        "message": "Kemi", "session_id": channel.session, "metadata": {"language": "sv"},
    })
    [message] = channel.received
    assert (message.text, message.sender_id, message.input_channel) == ("Kemi", SESSION,
                                                                       "socketio")
    assert message.metadata == {"language": "sv"}
    assert isinstance(message.output_channel, LanguageSocketIOOutput)

    # The answer goes to the session's room, with its language.
    await message.output_channel.send_text_message(SESSION, "Kemi ligger i Lappland.",
                                                   metadata={"lang": "sv"})
    assert channel.fake.emitted == [
        ("bot_uttered", {"text": "Kemi ligger i Lappland.", "lang": "sv"}, SESSION, None),
    ]


async def test_metadata_as_json_text_or_none_at_all():
    channel = Channel()
    await channel.handle_message("sid-1", {
        "message": "hei", "session_id": channel.session, "metadata": '{"language": "en"}',
    })
    await channel.handle_message("sid-1", {"message": "hei", "session_id": channel.session})
    await channel.handle_message("sid-1", {"message": 5, "session_id": channel.session,
                                           "metadata": "{broken"})
    assert [(m.text, m.metadata) for m in channel.received] == [
        ("hei", {"language": "en"}), ("hei", {}), ("", {}),
    ]


async def test_messages_for_a_session_the_socket_did_not_request_are_still_ignored():
    channel = Channel(rooms=("sid-1",))
    await channel.handle_message("sid-1", {"message": "vieras", "session_id": channel.session,
                                           "metadata": {"language": "sv"}})
    await channel.handle_message("sid-1", {"message": "ei istuntoa"})
    await channel.handle_message("sid-1", "ei sanakirja")
    assert channel.received == []


async def test_without_session_persistence_the_socket_is_the_sender():
    channel = Channel(session_persistence=False, rooms=())
    await channel.handle_message("sid-9", {"message": "hej", "metadata": {"language": "sv"}})
    [message] = channel.received
    assert message.sender_id == "sid-9" and message.metadata == {"language": "sv"}


def test_messages_rasa_sends_by_itself_get_our_output_channel_too():
    channel = Channel()
    assert isinstance(channel.input.get_output_channel(), LanguageSocketIOOutput)


async def test_an_unsigned_or_forged_session_id_reaches_nothing():
    # The 32 digits alone (the conversation's sender id), or with a made-up signature, are not
    # a session: even a socket that is in the room gets nothing through.
    channel = Channel()
    for forged in (SESSION, f"{SESSION}.{'0' * 32}", channel.session + "0",
                   channel.session.upper()):
        await channel.handle_message("sid-1", {"message": "vieras", "session_id": forged})
    assert channel.received == []


async def test_an_over_long_message_gets_the_polite_answer_instead_of_rasa():
    channel = Channel()
    await channel.handle_message("sid-1", {"message": "kotihoito " * 300,
                                           "session_id": channel.session,
                                           "metadata": {"language": "sv"}})
    assert channel.received == []
    [answer] = channel.fake.payloads()
    assert answer["lang"] == "sv" and "för långt" in answer["text"]
    assert "112" in answer["text"]


async def test_control_and_direction_characters_do_not_reach_rasa():
    channel = Channel()
    await channel.handle_message("sid-1", {"message": "Matti\u202e \x00Virtanen\u200b",
                                           "session_id": channel.session})
    [message] = channel.received
    assert message.text == "Matti Virtanen"


async def test_a_flood_in_one_conversation_gets_one_answer_and_then_silence():
    channel = Channel()
    for n in range(25):
        await channel.handle_message("sid-1", {"message": f"viesti {n}",
                                               "session_id": channel.session})
    assert len(channel.received) == 20
    [answer] = channel.fake.payloads()
    assert answer["lang"] == "fi" and "nopeasti" in answer["text"]


async def test_messages_are_counted_by_the_callers_real_address():
    # A caller straight at the server cannot pick its address with X-Real-IP; through nginx
    # (a loopback peer) the header is nginx's and names the caller.
    class SanicRequest:
        def __init__(self, ip: str) -> None:
            self.ip = ip

    channel = Channel()
    seen = []

    async def screen(text, conversation, address, language_hint=None):
        seen.append(address)
        return Screened(text)

    channel.input.guard.screen = screen
    for peer in ("203.0.113.5", "127.0.0.1"):
        environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "198.51.100.1",
                   "sanic.request": SanicRequest(peer)}
        channel.input.sio.get_environ = lambda sid, namespace=None, environ=environ: environ
        await channel.handle_message("sid-1", {"message": "hei", "session_id": channel.session})
    assert seen == ["203.0.113.5", "198.51.100.1"]


async def test_the_polite_answer_follows_the_widgets_language_tag():
    channel = Channel()
    await channel.handle_message("sid-1", {"message": "x" * 3000, "session_id": channel.session,
                                           "metadata": {"language": "sv-FI"}})
    [answer] = channel.fake.payloads()
    assert answer["lang"] == "sv"
