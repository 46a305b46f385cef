"""Personal data in a user's message, replaced with placeholders before the message is stored.

Stored conversations must hold no personal data (issue "Production on real engines":
conversations stored without personal data; the staff pages that show unanswered questions
show only redacted texts). People type their identity code, phone number, e-mail address or
bank account into the chat when they ask for a call back or about a bill, so every user
message passes through ``redact`` before a tracker store writes it.

What is replaced, each only where its own check passes, so that ordinary numbers stay:

- Finnish personal identity codes (henkilötunnus) → ``[HETU]``: a real calendar date and the
  right check character; every century sign, including those added in 2023.
- IBANs → ``[IBAN]``: compact or in groups of four, where the ISO 13616 mod-97 check passes.
- E-mail addresses → ``[EMAIL]``.
- Phone numbers → ``[PHONE]``: a Finnish number as ``bot.text.phone`` reads it, or a foreign
  number written with + or 00 and 7–15 digits. Short service numbers (112, 116 117) are public
  and stay, as do years, prices, dates, times, postcodes and municipality codes.

Everything else is kept exactly as written, and redacting a redacted text changes nothing.
"""

from __future__ import annotations

import re
from datetime import date

from bot.text.phone import is_catalogue_phone, normalise_phone

HETU = "[HETU]"
IBAN = "[IBAN]"
EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
PLACEHOLDERS: tuple[str, ...] = (HETU, IBAN, EMAIL, PHONE)

# --- Identity codes -------------------------------------------------------------------------

_HETU_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# The 2023 reform added Y X W V U beside - for the 1900s and B C D E F beside A for the 2000s.
_CENTURY_BY_SIGN = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_HETU_CANDIDATE = re.compile(
    r"(?<!\w)(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Z])(?!\w)", re.IGNORECASE
)


def _is_identity_code(match: re.Match[str]) -> bool:
    day, month, year, sign, individual, check = match.groups()
    try:
        date(_CENTURY_BY_SIGN[sign.upper()] + int(year), int(month), int(day))
    except ValueError:
        return False
    expected = _HETU_CHECK_CHARACTERS[int(day + month + year + individual) % 31]
    return check.upper() == expected


# --- IBANs ----------------------------------------------------------------------------------

# ISO 13616: the shortest IBAN in use (Norway) has 15 characters, the format allows 34.
_IBAN_LENGTHS = range(15, 35)
_IBAN_SPACE = "[ \u00a0]"
_IBAN_CANDIDATE = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}"
    rf"(?:[A-Z0-9]{{11,30}}|(?:{_IBAN_SPACE}[A-Z0-9]{{4}}){{2,7}}(?:{_IBAN_SPACE}[A-Z0-9]{{1,3}})?)"
    r"(?!\w)",
    re.IGNORECASE,
)
_GROUP = re.compile(r"\S+")


def _is_iban(text: str) -> bool:
    compact = re.sub(r"\s", "", text).upper()
    if len(compact) not in _IBAN_LENGTHS or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    # int(c, 36) reads A as 10 … Z as 35, exactly the letter values ISO 13616 prescribes.
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_end(candidate: str) -> int | None:
    """Where the IBAN at the start of ``candidate`` ends, or None if none passes the check."""
    # The grouped form can take a short word that follows as its last group ("… 7466 talo");
    # the longest run of groups that passes the check is the IBAN, the rest stays text.
    ends = [group.end() for group in _GROUP.finditer(candidate)]
    for end in reversed(ends):
        if _is_iban(candidate[:end]):
            return end
    return None


# --- E-mail addresses -----------------------------------------------------------------------

# Pragmatic, not RFC 5322: what people actually type, unicode letters included. The top-level
# domain is letters only, as every real one is, so a stray @ between numbers stays text.
_EMAIL_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
# Tried only where a run of local-part characters begins: an inner start would reach the same
# @, and trying each one makes a long word cost the square of its length.
_EMAIL = re.compile(rf"(?<!{_EMAIL_LOCAL}){_EMAIL_LOCAL}+@(?:[\w-]+\.)+[^\W\d_]{{2,}}(?![\w-])")

# --- Phone numbers --------------------------------------------------------------------------

# People separate digit groups with a space, a no-break space, a dash, an en dash or a dot,
# and put the area code or the (0) of +358 (0)40 in brackets.
_SEPARATORS = " \u00a0\u202f-\u2013."
_SEPARATOR = f"[{re.escape(_SEPARATORS)}]"
# A run of digit groups, read as a whole and then split into numbers. No lookarounds: a run
# always ends where its characters end, so a redaction never changes what the next run sees.
_DIGIT_RUN = re.compile(rf"[\d+(][\d+()]*(?:{_SEPARATOR}[\d+()]+)*")
_DIGIT_GROUP = re.compile(r"\(\+?\d{1,5}\)|\+?\d+")
_NOT_DIGIT = re.compile(r"\D")
# A dotted number is read as a phone only in the one way Finns write it (045.678.9012): a
# dotted date never has three digits before its first dot.
_DOTTED_PHONE = re.compile(r"0\d{2,3}(?:\.\d{2,4}){1,3}")
_DASHED_OR_DOTTED_DATE = re.compile(r"(\d{1,2})([-.\u2013])(\d{1,2})\2(\d{2}|\d{4})")
# The longest number tried: 00 + a country code and 15 digits in all (ITU-T E.164).
_MOST_DIGITS = 17
# A Finnish national number has at least 7 digits with its leading 0 (09 12345, 0100 100);
# six digits are more often a code or a part of one (011390-123A).
_FEWEST_NATIONAL_DIGITS = 7


def _international_digits(text: str) -> str:
    # "+358 (0)40" and "+44 (0)20": the bracketed 0 is not dialled from abroad.
    if text.startswith(("+", "(+", "00")):
        text = text.replace("(0)", "")
    digits = _NOT_DIGIT.sub("", text)
    return "+" + digits if "+" in text else digits


def _finnish_national(digits: str) -> str | None:
    if digits.startswith("+358"):
        return "0" + digits[4:]
    if digits.startswith("00358"):
        return "0" + digits[5:]
    if digits.startswith("0") and not digits.startswith("00"):
        return digits
    return None


def _is_finnish_subscriber_number(digits: str) -> bool:
    national = _finnish_national(digits)
    return national is not None and normalise_phone(national) is not None


def _is_finnish_national_number(digits: str) -> bool:
    # Service and business numbers (0800 12345, 0295 000, 010 …) that a call-back form refuses
    # but a person may still give as their own; the short numbers (112) never start with 0.
    national = _finnish_national(digits)
    return (
        national is not None
        and len(national) >= _FEWEST_NATIONAL_DIGITS
        and is_catalogue_phone(national)
    )


def _is_foreign_number(digits: str) -> bool:
    if digits.startswith("+"):
        subscriber = digits[1:]
    elif digits.startswith("00"):
        subscriber = digits[2:]
    else:
        return False
    return not subscriber.startswith(("358", "0")) and 7 <= len(subscriber) <= 15


# Tried in this order at each group, each from the longest run of groups down, so that
# "040 123 4567 15" is the mobile number and the 15 after it, not a 12-digit national number.
_PHONE_KINDS = (_is_finnish_subscriber_number, _is_finnish_national_number, _is_foreign_number)


def _is_date(day: str, month: str, year: str) -> bool:
    try:
        date(2000 + int(year) % 100, int(month), int(day))
    except ValueError:
        return False
    return True


def _may_be_phone(text: str) -> bool:
    # A + belongs only in front: "040 123 4567+46 …" is two numbers, not one.
    if "+" in text.lstrip("(+"):
        return False
    if "." in text and not _DOTTED_PHONE.fullmatch(text):
        return False
    date_parts = _DASHED_OR_DOTTED_DATE.fullmatch(text)
    return not (
        date_parts and _is_date(date_parts.group(1), date_parts.group(3), date_parts.group(4))
    )


def _longest_phone(run: str, groups: list[re.Match[str]], first: int) -> int | None:
    """The index after the last group of the phone number that starts at group ``first``."""
    candidates: list[tuple[str, int]] = []
    for last in range(first, len(groups)):
        if last > first:
            gap = run[groups[last - 1].end() : groups[last].start()]
            # Groups of one number touch ("(0)40") or stand one separator apart.
            if len(gap) > 1 or (gap and gap not in _SEPARATORS):
                break
        span = run[groups[first].start() : groups[last].end()]
        digits = _international_digits(span)
        if len(digits.lstrip("+")) > _MOST_DIGITS:
            break
        if _may_be_phone(span):
            candidates.append((digits, last + 1))
    for is_kind in _PHONE_KINDS:
        for digits, after in reversed(candidates):
            if is_kind(digits):
                return after
    return None


def _redact_phone_run(match: re.Match[str]) -> str:
    run = match.group(0)
    groups = list(_DIGIT_GROUP.finditer(run))
    # A group that touches a letter is part of a word or a code (ACD379, 12kpl), not a number.
    text = match.string
    if groups and groups[0].start() == 0 and match.start() > 0:
        if text[match.start() - 1].isalnum() or text[match.start() - 1] == "_":
            groups = groups[1:]
    if groups and groups[-1].end() == len(run) and match.end() < len(text):
        if text[match.end()].isalnum() or text[match.end()] == "_":
            groups = groups[:-1]
    pieces: list[str] = []
    written = 0
    index = 0
    while index < len(groups):
        after = _longest_phone(run, groups, index)
        if after is None:
            index += 1
            continue
        pieces.append(run[written : groups[index].start()])
        pieces.append(PHONE)
        written = groups[after - 1].end()
        index = after
    pieces.append(run[written:])
    return "".join(pieces)


def _redact_phones(text: str) -> str:
    return _DIGIT_RUN.sub(_redact_phone_run, text)


def _redact_ibans_and_phones(text: str) -> str:
    # An IBAN-shaped text whose check fails stays as it is: its digit groups are not read as a
    # phone number either ("DE89 3704 0044 0532 0130 01" holds "0044 0532 0130 01").
    pieces: list[str] = []
    written = 0
    while match := _IBAN_CANDIDATE.search(text, written):
        pieces.append(_redact_phones(text[written : match.start()]))
        iban_end = _iban_end(match.group(0))
        if iban_end is None:
            pieces.append(match.group(0))
            written = match.end()
        else:
            pieces.append(IBAN)
            # What the grouped form took beyond the IBAN may begin the next: "… 5685 FI21 1234 …"
            written = match.start() + iban_end
    pieces.append(_redact_phones(text[written:]))
    return "".join(pieces)


# --- The whole message ----------------------------------------------------------------------


def redact(text: str) -> str:
    """``text`` with identity codes, IBANs, e-mail addresses and phone numbers replaced."""
    # A replacement can change what its neighbour reads next to ("0@x.fi+@x.fi": the second
    # "address" starts only once the first is gone), so the passes repeat until nothing
    # changes. Each pass that changes anything removes at least one digit or @, and no
    # placeholder holds either, so this ends, in practice after the second pass.
    while True:
        redacted = _redact_once(text)
        if redacted == text:
            return text
        text = redacted


def _redact_once(text: str) -> str:
    # E-mail first: its local part may hold digits that would otherwise read as a phone number.
    # Identity codes and IBANs before phones: their digit groups would pass as phone numbers.
    if "@" in text:
        text = _EMAIL.sub(EMAIL, text)
    text = _HETU_CANDIDATE.sub(
        lambda match: HETU if _is_identity_code(match) else match.group(0), text
    )
    return _redact_ibans_and_phones(text)


def contains_personal_data(text: str) -> bool:
    """Whether ``redact`` would change ``text``: a stored text must make this False."""
    return redact(text) != text
