"""Personal data in user messages is replaced with placeholders; ordinary numbers stay."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.personal_data import (
    EMAIL,
    HETU,
    IBAN,
    PHONE,
    PLACEHOLDERS,
    contains_personal_data,
    redact,
)

# Written from the rule (the check alphabet is 0-9 and A-Y without G, I, O, Q and Z), not
# copied from the module, so a slip in either one shows.
_CHECK_ALPHABET = string.digits + "".join(c for c in string.ascii_uppercase if c not in "GIOQZ")


def hetu(birth_date: str, sign: str, individual: str) -> str:
    """An identity code with its right check character: hetu("131052", "-", "308")."""
    return f"{birth_date}{sign}{individual}{_CHECK_ALPHABET[int(birth_date + individual) % 31]}"


def wrong_check(code: str) -> str:
    right = code[-1]
    return code[:-1] + ("A" if right != "A" else "B")


def iban_is_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    moved = compact[4:] + compact[:4]
    number = "".join(str(ord(c) - ord("A") + 10) if c.isalpha() else c for c in moved)
    return int(number) % 97 == 1


# --- identity codes -------------------------------------------------------------------------

VALID_HETUS = [
    "131052-308T",  # the Digital and Population Data Services Agency's own example
    hetu("010594", "Y", "903"),
    hetu("010594", "X", "903"),
    hetu("150350", "W", "123"),
    hetu("311299", "V", "456"),
    hetu("280276", "U", "789"),
    hetu("010101", "B", "234"),
    hetu("010101", "C", "235"),
    hetu("151015", "D", "002"),
    hetu("290220", "E", "899"),
    hetu("010123", "F", "900"),
    hetu("290204", "A", "345"),  # 2004 is a leap year
    hetu("290200", "A", "111"),  # so is 2000
    hetu("050575", "-", "567"),
    hetu("240885", "-", "118"),
    hetu("121289", "+", "124"),  # born in 1889
]


def test_the_helper_agrees_with_the_published_example():
    assert hetu("131052", "-", "308") == "131052-308T"
    assert hetu("010594", "Y", "903") == "010594Y9032"


@pytest.mark.parametrize("code", VALID_HETUS)
def test_a_valid_identity_code_is_redacted(code):
    assert redact(code) == HETU
    assert redact(f"Henkilötunnukseni on {code}.") == f"Henkilötunnukseni on {HETU}."


@pytest.mark.parametrize("code", VALID_HETUS)
def test_an_identity_code_in_lower_case_is_redacted(code):
    assert redact(f"hetu:{code.lower()}") == f"hetu:{HETU}"


@pytest.mark.parametrize(
    "code",
    [
        wrong_check("131052-308T"),
        wrong_check(hetu("010594", "Y", "903")),
        wrong_check(hetu("010101", "B", "234")),
        "131052-308Z",  # Z is no check character at all
        hetu("310299", "-", "123"),  # 31 February, although the check character is right
        hetu("290201", "A", "123"),  # 2001 is no leap year
        hetu("290200", "-", "123"),  # nor is 1900
        hetu("311190", "-", "123"),  # 31 November
        hetu("011390", "-", "123"),  # month 13
        hetu("000190", "-", "123"),  # day 0
        hetu("131052", "G", "308"),  # G is no century sign
        "123456-7890",
    ],
)
def test_something_that_only_looks_like_an_identity_code_stays(code):
    assert redact(code) == code
    assert not contains_personal_data(f"Koodi {code} ei ole henkilötunnus.")


def test_an_identity_code_inside_a_longer_code_stays():
    code = "131052-308T"
    assert redact(f"X{code}") == f"X{code}"
    assert redact(f"{code}9") == f"{code}9"


# --- IBANs ----------------------------------------------------------------------------------

VALID_IBANS = [
    "FI21 1234 5600 0007 85",
    "FI2112345600000785",
    "fi2112345600000785",
    "fi21 1234 5600 0007 85",
    "DE89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32",
    "NO93 8601 1117 947",
    "SE45 5000 0000 0583 9825 7466",
    "BE68 5390 0754 7034",
    "NL91ABNA0417164300",
    "FR14 2004 1010 0505 0001 3M02 606",
    "EE38 2200 2210 2014 5685",
]


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_the_test_ibans_are_valid(iban):
    assert iban_is_valid(iban)


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_a_valid_iban_is_redacted(iban):
    assert redact(iban) == IBAN
    assert redact(f"Tilinumeroni on {iban}, kiitos.") == f"Tilinumeroni on {IBAN}, kiitos."


@pytest.mark.parametrize(
    "iban",
    [
        "FI21 1234 5600 0007 86",
        "FI2212345600000785",
        "DE89 3704 0044 0532 0130 01",
        "GB82 WEST 1234 5698 7654 33",
        "AB12CDEFGHIJKLMNOP",
    ],
)
def test_an_iban_with_a_wrong_check_stays(iban):
    assert not iban_is_valid(iban)
    assert redact(iban) == iban


def test_a_word_after_a_grouped_iban_stays():
    assert redact("SE45 5000 0000 0583 9825 7466 talo") == f"{IBAN} talo"
    assert redact("FI21 1234 5600 0007 85 euroa") == f"{IBAN} euroa"


def test_ibans_one_after_another():
    text = "EE38 2200 2210 2014 5685 FI21 1234 5600 0007 85"
    assert redact(text) == f"{IBAN} {IBAN}"
    assert redact("FI2112345600000785, NL91ABNA0417164300") == f"{IBAN}, {IBAN}"


# --- e-mail addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("maija@esimerkki.fi", EMAIL),
        ("matti.meikäläinen@esimerkki.fi", EMAIL),
        ("Matti.Virtanen+lapha@posti.example.com", EMAIL),
        ("ääkkönen_92@sähköposti.fi", EMAIL),
        ("Laita viesti osoitteeseen info@lapha.fi.", f"Laita viesti osoitteeseen {EMAIL}."),
        ("<maija@esimerkki.fi>", f"<{EMAIL}>"),
        ("mailto:maija@esimerkki.fi", f"mailto:{EMAIL}"),
        ("Sähköposti: liisa-kaarina.o'brien@kunta.rovaniemi.fi!", f"Sähköposti: {EMAIL}!"),
    ],
)
def test_an_email_address_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", ["@lapha", "maija@", "maija@esimerkki", "tapaaminen @ kirjasto"])
def test_what_is_no_email_address_stays(text):
    assert redact(text) == text


# --- phone numbers --------------------------------------------------------------------------

PHONES = [
    "040 123 4567",
    "0401234567",
    "040-123 4567",
    "050-1234567",
    "0400 123 456",
    "045.678.9012",
    "+358 40 123 4567",
    "+358401234567",
    "+358 (0)40 123 4567",
    "00358 40 1234567",
    "00358401234567",
    "(016) 123 456",
    "016 322 1234",
    "016-322111",
    "09 1234 5678",
    "(09) 1234 5678",
    "+358 9 1234 5678",
    "0800 12345",
    "0295 000",
    "+46 70 123 45 67",
    "+44 20 7946 0958",
    "+1 555 123 4567",
    "0046 70 123 4567",
]


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_is_redacted(phone):
    assert redact(phone) == PHONE
    assert redact(f"Soita minulle numeroon {phone}, kiitos!") == (
        f"Soita minulle numeroon {PHONE}, kiitos!"
    )
    assert redact(f"puh.{phone}") == f"puh.{PHONE}"
    assert redact(f"({phone})") == f"({PHONE})"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("040 123 4567 tai 050 765 4321", f"{PHONE} tai {PHONE}"),
        ("040 123 4567 050 765 4321", f"{PHONE} {PHONE}"),
        ("040 1234567,050 7654321", f"{PHONE},{PHONE}"),
        ("Numeroni on +358401234567.", f"Numeroni on {PHONE}."),
        ("040 123 4567 15 kertaa", f"{PHONE} 15 kertaa"),
        ("Hätätilanteessa 112, muuten 040 123 4567", f"Hätätilanteessa 112, muuten {PHONE}"),
        ("1.12.2026 klo 9-15 numeroon 016 322 1234", f"1.12.2026 klo 9-15 numeroon {PHONE}"),
    ],
)
def test_phone_numbers_in_running_text(text, expected):
    assert redact(text) == expected


NOT_PHONES = [
    "112",
    "Soita hätänumeroon 112!",
    "116 117",
    "vuonna 2023",
    "vuosina 2020-2023",
    "35,50 €",
    "1 200 euroa",
    "Asiakasmaksu on 1 355,30 €/kk",
    "Maksu on 12 000 €.",
    "1.12.2026",
    "01.12.2026",
    "05.12.2026",
    "05-12-2026",
    "12.3.",
    "1.-3.12.",
    "klo 9-15",
    "ma–pe klo 8–16",
    "klo 08.00-16.00",
    "96100 Rovaniemi",
    "Postiosoite Hallituskatu 20 B, 96100 Rovaniemi",
    "00100 Helsinki",
    "698",
    "Rovaniemen kuntakoodi on 698.",
    "ACD379",
    "Tilausnumero ACD379",
    "tuotekoodi ACD0401234567",
    "12kpl",
    "25 %",
    "0,5 %",
    "100%",
    "viitenumero 12345 67890",
    "040 123",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_a_number_that_is_no_phone_number_stays(text):
    assert redact(text) == text
    assert not contains_personal_data(text)


# --- the whole message ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Soita minulle 040 123 4567 tai laita sähköpostia maija@esimerkki.fi, hetu 131052-308T",
            f"Soita minulle {PHONE} tai laita sähköpostia {EMAIL}, hetu {HETU}",
        ),
        (
            f"Äitini hetu on {hetu('010101', 'B', '234')} ja tili FI21 1234 5600 0007 85.",
            f"Äitini hetu on {HETU} ja tili {IBAN}.",
        ),
        (
            "Isäni (s. 13.10.1952, hetu 131052-308T) asuu osoitteessa 96100 Rovaniemi, "
            "puh. (016) 123 456.",
            f"Isäni (s. 13.10.1952, hetu {HETU}) asuu osoitteessa 96100 Rovaniemi, puh. {PHONE}.",
        ),
        (
            "Lasku 35,50 € maksettu tililtä fi2112345600000785 1.12.2026, kysyttävää: 0800 12345",
            f"Lasku 35,50 € maksettu tililtä {IBAN} 1.12.2026, kysyttävää: {PHONE}",
        ),
        (
            "Kiitos 😊\n\tSoita +46 70 123 45 67  (ruotsalainen liittymä)  ",
            f"Kiitos 😊\n\tSoita {PHONE}  (ruotsalainen liittymä)  ",
        ),
        (
            "Ring mig på 040-123 4567 eller mejla anna.lindqvist@exempel.se",
            f"Ring mig på {PHONE} eller mejla {EMAIL}",
        ),
    ],
)
def test_a_message_with_several_kinds(text, expected):
    assert redact(text) == expected
    assert contains_personal_data(text)
    assert not contains_personal_data(expected)


def test_a_message_without_personal_data_is_kept_exactly():
    text = "Mitä kotihoito maksaa Rovaniemellä vuonna 2026?  Entä omaishoito… 🙏\r\n"
    assert redact(text) == text
    assert redact("") == ""


def test_the_placeholders():
    assert PLACEHOLDERS == ("[HETU]", "[IBAN]", "[EMAIL]", "[PHONE]")
    for placeholder in PLACEHOLDERS:
        assert redact(placeholder) == placeholder
        assert not contains_personal_data(f"Numero: {placeholder}")


def test_a_long_message_is_quick():
    # Chat messages are short; a pasted wall of digits or letters must still not hang a store.
    for text in ["0 " * 5000, "a" * 20000 + "@", "a@" + "b." * 5000 + "1", "FI21 " * 5000]:
        assert redact(text) == text


FRAGMENTS = (
    VALID_HETUS
    + VALID_IBANS
    + PHONES
    + NOT_PHONES
    + ["maija@esimerkki.fi", "131052-308X", "FI21 1234 5600 0007 86", "@", "+", "-", ".", "(", ")"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=8),
    st.sampled_from(["", " ", "-", ".", ", ", "\n"]),
)
def test_redacting_twice_changes_nothing(parts, joiner):
    text = joiner.join(parts)
    once = redact(text)
    assert redact(once) == once
    assert not contains_personal_data(once)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="@")))
def test_a_text_without_digits_or_at_signs_is_kept(text):
    # Every kind of personal data here has a digit or an @; anything else must pass untouched.
    assert redact(text) == text
