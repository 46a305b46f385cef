"""Finnish phone numbers a person gives for a call back: validate and normalise.

Accepted: mobile (040 123 4567, 050-1234567), landline with area code ((016) 322 111,
09 1234 5678) and the same with +358 or 00358; spaces, dashes, dots and brackets are ignored.
Refused: numbers without an area code, foreign numbers, service and emergency numbers.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
# Mobile prefixes 040-046, 048-050; landline area codes 02, 03, 05, 06, 08, 09, 013-019.
_MOBILE = re.compile(r"0(4[0-9]|50)\d{5,8}")
_LANDLINE = re.compile(r"0(1[3-9]|[235689])[1-9]\d{4,7}")


def normalise_phone(text: str) -> str | None:
    """The number in international form (+358401234567), or None if it is not a valid one."""
    digits = _SEPARATORS.sub("", text or "")
    if digits.startswith("+358"):
        digits = "0" + digits[4:]
    elif digits.startswith("00358"):
        digits = "0" + digits[5:]
    if not digits.isdigit():
        return None
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return "+358" + digits[1:]
    return None


def display_phone(normalised: str) -> str:
    """+358401234567 → 040 1234567: how a Finn reads a number back."""
    national = "0" + normalised[4:]
    three_digit_prefix = national[:2] in ("04", "05") or national[:2] == "01"
    split = 3 if three_digit_prefix else 2
    return f"{national[:split]} {national[split:]}"
