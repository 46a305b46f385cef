"""Callback phone numbers: Finnish formats accepted and normalised, others refused."""

import pytest

from bot.catalogue.seed import read_seed
from bot.text.phone import display_phone, is_catalogue_phone, normalise_phone, phones_in_text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("040 123 4567", "+358401234567"),
        ("0401234567", "+358401234567"),
        ("050-123 4567", "+358501234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("00358401234567", "+358401234567"),
        ("(016) 322 111", "+35816322111"),
        ("016-322111", "+35816322111"),
        ("09 1234 5678", "+358912345678"),
        ("045.678.9012", "+358456789012"),
    ],
)
def test_valid_numbers_are_normalised(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "112", "116 117", "322 111", "12345", "0046 70 123 4567", "+46 70 123 4567",
     "040 123", "soita minulle", "040 123 4567 8910 11", "0800 12345", "1234567890"],
)
def test_invalid_numbers_are_refused(text):
    assert normalise_phone(text) is None


def test_display_form_reads_back_naturally():
    assert display_phone("+358401234567") == "040 1234567"
    assert display_phone("+35816322111") == "016 322111"


# One grammar: the catalogue's check, the call-back form and the widget's links.
@pytest.mark.parametrize("text", [
    "040 123 4567", "(016) 322 111", "+358 40 123 4567", "0800 12345", "0295 000 000",
    "112", "116 117",
])
def test_numbers_a_service_may_publish(text):
    assert is_catalogue_phone(text)
    assert phones_in_text(f"Soita numeroon {text}.") == [text]


def test_the_00358_form_is_accepted_though_answers_never_write_it():
    assert is_catalogue_phone("00358 16 322 111")


@pytest.mark.parametrize("text", ["12", "+46 8 123 456", "040 abc", "puhelin", "0"])
def test_numbers_a_service_may_not_publish(text):
    assert not is_catalogue_phone(text)


def test_every_call_back_number_is_a_catalogue_number():
    for text in ("040 123 4567", "050-1234567", "(016) 322 111", "09 1234 5678",
                 "+358 40 123 4567", "00358401234567"):
        assert normalise_phone(text) is not None and is_catalogue_phone(text)


def test_numbers_in_text_are_not_parts_of_longer_numbers_or_words():
    assert phones_in_text("asiakasnumero 1234567890123 ja koodi abc112") == []
    assert phones_in_text("Soita 112 tai 116 117, tai 040 000 0001.") == [
        "112", "116 117", "040 000 0001"]


def test_every_catalogue_phone_is_valid_and_found_in_an_answer():
    channels = read_seed()["channels"]
    numbers = [c["phone_number"] for c in channels if c.get("phone_number")]
    assert numbers
    for number in numbers:
        assert is_catalogue_phone(number), number
        assert phones_in_text(f"Puhelin {number}") == [number]
