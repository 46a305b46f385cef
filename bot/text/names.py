"""Whether a message reads as a person's name: the contact form asks for one, and a name must
not be taken for something else the classifier thinks it looks like."""

from __future__ import annotations

import re

# Two to four words, each beginning with a letter (Anna-Liisa, O'Neill, Ähtäri).
_NAME = re.compile(r"^\s*(?:[^\W\d_][\w'’-]*\s+){1,3}[^\W\d_][\w'’-]*\s*$")


def looks_like_a_name(text: str) -> bool:
    """Whether ``text`` reads as a first name and a surname ("Anna Virtanen"), not a phrase
    ("anna olla", "peru koko juttu"): every word capitalised, no digits. Shouting ("PERU
    KAIKKI") is not a name: a cancel typed with caps lock on must still cancel."""
    if not _NAME.match(text) or text.isupper():
        return False
    return all(word[0].isupper() for word in text.split())
