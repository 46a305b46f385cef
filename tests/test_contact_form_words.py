"""The contact form's buttons in every language are understood by bot.text.contact_form."""

from __future__ import annotations

from functools import lru_cache

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.text.contact_form import (
    RELATIVE,
    SELF,
    correctable_slots,
    corrected_slot,
    said_for_whom,
)

LANGUAGES = ("fi", "sv", "en", "se")


@lru_cache(maxsize=1)
def _responses() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def _payloads(name: str, language: str) -> list[str]:
    """The button payloads of a response's variation for ``language`` (fi: no condition)."""
    for variation in _responses()[name]:
        values = [c.get("value") for c in variation.get("condition") or []
                  if c.get("name") == "language"]
        if (values[0] if values else "fi") == language:
            return [button["payload"] for button in variation.get("buttons", [])]
    raise AssertionError(f"{name} has no {language} variation")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_for_whom_buttons_say_self_then_relative(language):
    payloads = _payloads("utter_ask_cr_for_whom", language)
    assert [said_for_whom(p) for p in payloads] == [SELF, RELATIVE]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_correction_button_names_its_slot_in_order(language):
    payloads = _payloads("utter_ask_which_correction", language)
    assert [corrected_slot(p) for p in payloads] == list(correctable_slots())


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("mig själv", SELF),
        ("det gäller mig", SELF),
        ("min mamma", RELATIVE),
        ("min man", RELATIVE),
        ("anhörig", RELATIVE),
        ("myself", SELF),
        ("it's for me", SELF),
        ("my mother", RELATIVE),
        ("my own mother", RELATIVE),  # a relative's words win
        ("a family member", RELATIVE),
        ("mu iežan", SELF),
        ("munnje", SELF),
        ("mu eadni", RELATIVE),
        ("mu iezan assit", SELF),  # Sámi typed without its letters
        ("MU OAPMAHAČČA", RELATIVE),
    ],
)
def test_for_whom_in_own_words(answer, expected):
    assert said_for_whom(answer) == expected


@pytest.mark.parametrize(
    "text, slot",
    [
        ("rätta kommunen", "municipality"),
        ("numret är fel", "cr_phone"),
        ("ändra tiden", "cr_time"),
        ("namnet blev fel", "cr_name"),
        ("the phone number is wrong", "cr_phone"),
        ("wrong municipality", "municipality"),
        ("change the name and the number", "cr_name"),  # the first slot named wins
        ("telefonnummar lea boastut", "cr_phone"),
        ("divo aiggi", "cr_time"),
    ],
)
def test_corrections_in_own_words(text, slot):
    assert corrected_slot(text) == slot


@pytest.mark.parametrize("text", ["ja", "yes", "juo", "hej", "hello", "bures", ""])
def test_words_that_name_nothing(text):
    assert said_for_whom(text) is None
    assert corrected_slot(text) is None
