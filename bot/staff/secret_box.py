"""Short secrets kept in the database, sealed with a key kept outside it (the staff's
second-factor secrets): a copy of the database alone, a backup or a dump, does not give them.

Fernet (``cryptography``: AES-128-CBC with HMAC-SHA256, a random IV per seal, the tag checked
before anything is decrypted) under a Fernet key derived from the configured key, so any long
random text serves as the key. The "v2." prefix names the format.
"""

from __future__ import annotations

import hashlib
from base64 import urlsafe_b64encode

from cryptography.fernet import Fernet, InvalidToken

VERSION = "v2"


class SealBroken(ValueError):
    """The sealed value was not made with this key, or has been changed."""


def _fernet(key: str) -> Fernet:
    if not key:
        raise SealBroken("no key")
    digest = hashlib.sha256(b"ikaneuvo secret box\x00" + key.encode()).digest()
    return Fernet(urlsafe_b64encode(digest))


def seal(key: str, plaintext: str) -> str:
    """``plaintext`` sealed with ``key``: text that only ``open_seal`` with the same key reads."""
    if not key:
        raise ValueError("no key to seal with")
    return f"{VERSION}." + _fernet(key).encrypt(plaintext.encode()).decode()


def open_seal(key: str, sealed: str) -> str:
    """The text ``seal`` sealed; ``SealBroken`` if the key is another or the value changed."""
    version, _, token = (sealed or "").partition(".")
    if version != VERSION or not token:
        raise SealBroken("not a sealed value")
    try:
        return _fernet(key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as error:
        raise SealBroken("sealed with another key or changed") from error
