"""Short secrets kept in the database, sealed with a key kept outside it (the staff's
second-factor secrets): a copy of the database alone, a backup or a dump, does not give them.

Only the standard library: HMAC-SHA256 is the pseudorandom function of a counter-mode stream
(the key stream of block i is HMAC(encryption key, nonce ‖ i)) and of the tag over the version,
the nonce and the ciphertext (encrypt-then-MAC); the encryption and tag keys are derived from
the one key by HMAC with their own labels, and every seal has a random 16-byte nonce. The tag is
checked, in constant time, before anything is decrypted. The format is versioned ("v1.") so a
later change of cipher (for example Fernet, should ``cryptography`` become a direct dependency)
can read the old seals.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode

VERSION = "v1"
NONCE_BYTES = 16
TAG_BYTES = 32
_BLOCK = hashlib.sha256().digest_size


class SealBroken(ValueError):
    """The sealed value was not made with this key, or has been changed."""


def _subkey(key: str, label: bytes) -> bytes:
    return hmac.new(key.encode(), b"ikaneuvo secret box " + label, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, size: int) -> bytes:
    blocks = (size + _BLOCK - 1) // _BLOCK
    return b"".join(hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest()
                    for i in range(blocks))[:size]


def _tag(key: str, nonce: bytes, body: bytes) -> bytes:
    return hmac.new(_subkey(key, b"tag"), VERSION.encode() + nonce + body,
                    hashlib.sha256).digest()


def seal(key: str, plaintext: str) -> str:
    """``plaintext`` sealed with ``key``: text that only ``open_seal`` with the same key reads."""
    if not key:
        raise ValueError("no key to seal with")
    data = plaintext.encode()
    nonce = secrets.token_bytes(NONCE_BYTES)
    stream = _keystream(_subkey(key, b"encrypt"), nonce, len(data))
    body = bytes(a ^ b for a, b in zip(data, stream, strict=True))
    return f"{VERSION}." + urlsafe_b64encode(nonce + body + _tag(key, nonce, body)).decode()


def open_seal(key: str, sealed: str) -> str:
    """The text ``seal`` sealed; ``SealBroken`` if the key is another or the value changed."""
    version, _, encoded = (sealed or "").partition(".")
    try:
        raw = urlsafe_b64decode(encoded.encode())
    except ValueError as error:
        raise SealBroken("not a sealed value") from error
    if not key or version != VERSION or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealBroken("not a sealed value")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(key, nonce, body)):
        raise SealBroken("sealed with another key or changed")
    stream = _keystream(_subkey(key, b"encrypt"), nonce, len(body))
    return bytes(a ^ b for a, b in zip(body, stream, strict=True)).decode()
