"""The latest state of each recent conversation, beside the SQL store, for when it fails.

Every turn the tracker store writes the (redacted) events here as well as to the database.
When the database does not answer, the conversation goes on from this copy, and once the
database answers again the store appends what it missed (the copy always extends what the
database holds). With several Rasa replicas the copy is in Redis, so the next message may
land on either replica; keys expire after ``TTL_SECONDS``. Without Redis it is a bounded
dictionary of this process. Redis failing costs nothing but the copy.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

TTL_SECONDS = 3600
IN_PROCESS_LIMIT = 2000
KEY_PREFIX = "ikaneuvo:conversation:"
SOCKET_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class Recent:
    events: list[dict[str, Any]]
    # Begun while the database did not answer: not a continuation of what it holds, so never
    # appended to it.
    unanchored: bool = False


class RecentConversations:
    """Events by conversation id; in Redis when ``redis_url`` is given."""

    def __init__(self, redis_url: str | None = None) -> None:
        self._lock = threading.Lock()
        self._local: OrderedDict[str, str] = OrderedDict()
        self._redis = None
        self._redis_down = False
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(
                redis_url, socket_timeout=SOCKET_TIMEOUT_SECONDS,
                socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            )

    def get(self, conversation_id: str) -> Recent | None:
        if self._redis is None:
            with self._lock:
                data = self._local.get(conversation_id)
        else:
            data = self._redis_call(lambda r: r.get(KEY_PREFIX + conversation_id))
        if not data:
            return None
        kept = json.loads(data)
        return Recent(kept["events"], kept.get("unanchored", False))

    def put(self, conversation_id: str, events: list[dict[str, Any]],
            unanchored: bool = False) -> None:
        data = json.dumps({"events": events, "unanchored": unanchored})
        if self._redis is None:
            with self._lock:
                self._local[conversation_id] = data
                self._local.move_to_end(conversation_id)
                while len(self._local) > IN_PROCESS_LIMIT:
                    self._local.popitem(last=False)
            return
        self._redis_call(lambda r: r.set(KEY_PREFIX + conversation_id, data, ex=TTL_SECONDS))

    def _redis_call(self, call):
        from redis.exceptions import RedisError

        try:
            result = call(self._redis)
        except RedisError as error:
            if not self._redis_down:
                logger.warning("Recent conversations not in Redis: %s", type(error).__name__)
            self._redis_down = True
            return None
        self._redis_down = False
        return result
