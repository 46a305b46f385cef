"""What a user's message may contain before anything reads it: no control characters, no
direction overrides, and a length a person types.

Control characters (NUL, escape sequences) break logs and terminals staff read, and the
invisible bidirectional controls (U+202E and friends, "Trojan Source") make a stored text show
something else than it says: a name or a phone number in a call-back request could read
differently to the staff member than it does to the database. Zero-width spaces and the BOM
hide inside words and defeat matching ("koti\u200bhoito"). The joiner U+200D stays: emoji
sequences (a family, a flag) are made with it.
"""

from __future__ import annotations

import unicodedata

# The widget lets a person type 1000 characters; a little more is accepted from elsewhere.
MAX_MESSAGE_CHARS = 2000

_BIDI_CONTROLS = {
    *map(chr, range(0x202A, 0x202F)),  # embeddings and overrides
    *map(chr, range(0x2066, 0x206A)),  # isolates
    "\u200e", "\u200f", "\u061c",  # marks
}
_INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e"}
_LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x85"}


def _kept(character: str) -> str:
    if character in _BIDI_CONTROLS or character in _INVISIBLE:
        return ""
    if character in _LINE_BREAKS:
        return "\n"
    if character == "\t":
        return " "
    category = unicodedata.category(character)
    if category == "Cc" or category == "Cs" or category == "Co":
        return ""
    if category == "Cf" and character != "\u200d":
        return ""
    return character


def clean_message(text: str) -> str:
    """``text`` in NFC without control, direction or invisible characters, line breaks as
    ``\\n`` and tabs as spaces; otherwise as typed (case, emoji and punctuation kept)."""
    if not isinstance(text, str):
        return ""
    cleaned = "".join(_kept(c) for c in unicodedata.normalize("NFC", text))
    return cleaned.strip()


def too_long(text: str) -> bool:
    """Whether the message is longer than a person's message is."""
    return len(text) > MAX_MESSAGE_CHARS
