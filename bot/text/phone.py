"""Finnish phone numbers: the one grammar for the call-back form, the catalogue's checks and
the links the widget makes of numbers in answers.

- A number a person gives for a call back: mobile (040 123 4567, 050-1234567) or landline
  with area code ((016) 322 111, 09 1234 5678), also with +358 or 00358; spaces, dashes, dots
  and brackets are ignored. Refused: no area code, foreign, service and emergency numbers.
- A number the catalogue may publish: any Finnish national number (0800 12345, 0295 000),
  +358 forms, and short service numbers (112, 116 117, 1xxx).
- ``PHONE_IN_TEXT``: where such numbers stand in an answer. The same pattern source runs in
  Python and in the widget's JavaScript (``bot.web.citizen`` writes it into widget.js).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
_CATALOGUE_SEPARATORS = re.compile(r"[\s\-()/]")
# Mobile prefixes 040-046, 048-050; landline area codes 02, 03, 05, 06, 08, 09, 013-019.
_MOBILE = re.compile(r"0(4[0-9]|50)\d{5,8}")
_LANDLINE = re.compile(r"0(1[3-9]|[235689])[1-9]\d{4,7}")
# Any national number, with the leading 0 of the area or service code.
_NATIONAL = re.compile(r"0[1-9]\d{4,10}")
_SHORT = re.compile(r"112|116\d{3}|1\d{2,3}")

# In running text: +358 with an optional (0), a national number with its code in optional
# brackets, in groups of 2-4 digits; 116 xxx; 112. Not part of a longer number or a word.
PHONE_IN_TEXT_SOURCE = (
    r"(^|[^0-9A-Za-z+])"
    r"(\+358[ -]?(?:\(0\)[ -]?)?[1-9]\d{0,2}(?:[ -]?\d{2,4}){1,3}"
    r"|\(?0[1-9]\d{0,3}\)?(?:[ -]?\d{2,4}){1,3}"
    r"|116[ -]?\d{3}"
    r"|112)"
    r"(?![0-9])"
)
PHONE_IN_TEXT = re.compile(PHONE_IN_TEXT_SOURCE)


def _national_digits(text: str, separators: re.Pattern[str]) -> str:
    digits = separators.sub("", text or "")
    if digits.startswith("+358"):
        return "0" + digits[4:]
    if digits.startswith("00358"):
        return "0" + digits[5:]
    return digits


def normalise_phone(text: str) -> str | None:
    """A call-back number in international form (+358401234567), or None if it is not one."""
    digits = _national_digits(text, _SEPARATORS)
    if not digits.isdigit():
        return None
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return "+358" + digits[1:]
    return None


def is_catalogue_phone(text: str) -> bool:
    """A number a service channel may publish: national, +358, or a short service number."""
    digits = _national_digits(text, _CATALOGUE_SEPARATORS)
    if not digits.isdigit():
        return False
    return bool(_NATIONAL.fullmatch(digits) or _SHORT.fullmatch(digits))


def phones_in_text(text: str) -> list[str]:
    """The phone numbers in ``text`` as written, in order: what the widget makes links of."""
    return [match.group(2) for match in PHONE_IN_TEXT.finditer(text)]


def display_phone(normalised: str) -> str:
    """+358401234567 → 040 1234567: how a Finn reads a number back."""
    national = "0" + normalised[4:]
    three_digit_prefix = national[:2] in ("04", "05") or national[:2] == "01"
    split = 3 if three_digit_prefix else 2
    return f"{national[:split]} {national[split:]}"
