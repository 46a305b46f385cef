"""A relative's conversation through the real servers ends in a stored contact request."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bot.contact_requests.models import ContactRequest
from bot.db import get_engine, session_scope
from tests.support.texts import first_sentence

pytestmark = pytest.mark.slow


def stored_requests(database_url: str) -> list[ContactRequest]:
    with session_scope(get_engine(database_url)) as session:
        return list(session.execute(select(ContactRequest)).scalars())


def test_relative_request_is_stored_with_exactly_the_given_fields(running_system):
    sender = f"journey-{uuid.uuid4()}"
    before = {r.reference for r in stored_requests(running_system.database_url)}
    say = running_system.say_text

    say(sender, "Isä on alkanut unohdella asioita, hän asuu Sallassa")
    assert first_sentence("utter_ask_cr_topic") in say(sender, "voiko joku soittaa minulle")
    assert first_sentence("utter_ask_cr_name") in say(sender, "isän muisti on huonontunut")
    assert first_sentence("utter_ask_cr_phone") in say(sender, "Testi Omainen")
    # An invalid number is refused with a clear message and asked again.
    assert first_sentence("utter_invalid_phone") in say(sender, "12345")
    assert first_sentence("utter_ask_cr_time") in say(sender, "040-000 0099")
    assert first_sentence("utter_ask_cr_consent") in say(sender, "aamupäivisin")
    summary = say(sender, "/affirm")
    assert "Testi Omainen" in summary and "040 0000099" in summary
    done = say(sender, "/affirm")
    assert first_sentence("utter_contact_request_saved") in done
    # The answer ends there: no "Anteeksi, en ymmärtänyt" after a request that was sent.
    assert first_sentence("utter_default") not in done

    [new] = [r for r in stored_requests(running_system.database_url) if r.reference not in before]
    assert new.reference in done
    assert (new.municipality_code, new.service_area_id) == ("732", "itainen")
    assert new.for_whom == "father"
    assert new.topic == "isän muisti on huonontunut"
    assert new.name == "Testi Omainen"
    assert new.phone == "+358400000099"
    assert new.preferred_time == "aamupäivisin"
    # Nothing else from the conversation: the first message is not stored anywhere.
    stored_text = " ".join(str(v) for v in vars(new).values())
    assert "unohdella" not in stored_text


def test_cancel_in_the_middle_stores_nothing(running_system):
    sender = f"journey-{uuid.uuid4()}"
    before = len(stored_requests(running_system.database_url))
    running_system.say_text(sender, "haluan että minulle soitetaan")
    reply = running_system.say_text(sender, "peru")
    assert first_sentence("utter_contact_request_cancelled") in reply
    assert len(stored_requests(running_system.database_url)) == before


def test_no_at_the_summary_cancels_and_nothing_more(running_system):
    sender = f"journey-{uuid.uuid4()}"
    before = len(stored_requests(running_system.database_url))
    for text in ("voiko palveluohjaaja soittaa minulle, asun Kemissä", "omista asioistani",
                 "tarvitsen apua kotiin", "Testi Asiakas", "040 000 0098", "ei väliä"):
        running_system.say_text(sender, text)
    assert "Testi Asiakas" in running_system.say_text(sender, "/affirm")
    reply = running_system.say_text(sender, "/deny")
    assert first_sentence("utter_contact_request_cancelled") in reply
    assert first_sentence("utter_default") not in reply
    assert len(stored_requests(running_system.database_url)) == before


def test_two_misunderstandings_in_a_row_offer_a_call_back(running_system):
    sender = f"journey-{uuid.uuid4()}"
    running_system.say_text(sender, "asdf qwerty")
    reply = running_system.say_text(sender, "xyz")
    assert first_sentence("utter_offer_contact_request") in reply
