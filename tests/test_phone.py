"""Callback phone numbers: Finnish formats accepted and normalised, others refused."""

import pytest

from bot.text.phone import display_phone, normalise_phone


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
