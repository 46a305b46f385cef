"""Session ids of the web chat: issued and signed by the server, so that nobody joins another
person's conversation by guessing or copying an id (``bot.channels``), and so that the web
application can tell that a rating comes from the conversation it names (``bot.web.ratings``).

Both read the same secret (``Settings.session_secret``). Knows nothing of Rasa.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import Any

SIGNED_SESSION_ID = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{32})")


class SessionIds:
    """Session ids the server issues: ``<32 hex digits>.<their HMAC>``."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _signature(self, conversation: str) -> str:
        return hmac.new(self._key, conversation.encode(), hashlib.sha256).hexdigest()[:32]

    def sign(self, conversation: str) -> str:
        """The session id of ``conversation`` (32 hex digits)."""
        return f"{conversation}.{self._signature(conversation)}"

    def new(self) -> str:
        return self.sign(uuid.uuid4().hex)

    def conversation(self, session_id: Any) -> str | None:
        """The conversation (sender) id of a session id this server signed, else None."""
        match = SIGNED_SESSION_ID.fullmatch(session_id) if isinstance(session_id, str) else None
        if match is None:
            return None
        conversation, signature = match.groups()
        if not hmac.compare_digest(signature, self._signature(conversation)):
            return None
        return conversation

    def joined(self, requested: Any) -> str:
        """The requested session id if this server signed it, else a new one."""
        return requested if self.conversation(requested) else self.new()
