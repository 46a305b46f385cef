"""How many messages a conversation, or one address, may send in a minute.

nginx limits HTTP requests per address, but a WebSocket is one request: the messages sent over
it pass nginx uncounted. So the channels count messages themselves (``bot.channels``). With
several Rasa replicas the counts are in Redis (a counter per key and minute, ``INCR`` and
``EXPIRE``: Redis's own rate-limiting pattern), so that a conversation's messages count the
same whichever replica gets them; without Redis, or while Redis does not answer within
``SOCKET_TIMEOUT_SECONDS``, in this process (a sliding window per key, bounded in size).

The caller learns where a message falls: within the limit, the first one past it (which gets
a polite answer) or beyond (silence: a flood gets one answer, not one per message).
"""

from __future__ import annotations

import enum
import logging
import time
from collections import OrderedDict, deque
from typing import Callable

from bot.db.deadline import Breaker

logger = logging.getLogger(__name__)

KEY_PREFIX = "ikaneuvo:rate:"
SOCKET_TIMEOUT_SECONDS = 0.3
IN_PROCESS_KEYS = 20_000


class Verdict(enum.Enum):
    ALLOWED = "allowed"
    FIRST_REFUSED = "first refused"
    REFUSED = "refused"


def verdict(count: int, limit: int) -> Verdict:
    if count <= limit:
        return Verdict.ALLOWED
    return Verdict.FIRST_REFUSED if count == limit + 1 else Verdict.REFUSED


class MessageRateLimit:
    """At most ``limit`` messages per ``window_seconds`` for each key."""

    def __init__(self, limit: int, window_seconds: float = 60.0,
                 redis_url: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._local: OrderedDict[str, deque[float]] = OrderedDict()
        self._redis = None
        # Redis not answering costs one timeout, not one per message: counted here meanwhile.
        self._breaker = Breaker("rate limit redis")
        if redis_url:
            import redis.asyncio as redis

            self._redis = redis.from_url(redis_url, socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                         socket_connect_timeout=SOCKET_TIMEOUT_SECONDS)

    async def check(self, key: str) -> Verdict:
        """Count one message for ``key`` and say where it falls."""
        if self._redis is not None and not self._breaker.is_open():
            try:
                return verdict(await self._count_in_redis(key), self.limit)
            except Exception as error:  # any Redis failure: count here instead
                self._breaker.trip()
                logger.warning("Rate limit counted in process: Redis %s", type(error).__name__)
        return verdict(self._count_here(key), self.limit)

    async def _count_in_redis(self, key: str) -> int:
        # Wall-clock minutes, the same on every replica.
        bucket = int(time.time() // self.window)
        name = f"{KEY_PREFIX}{key}:{bucket}"
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.incr(name)
            pipe.expire(name, int(self.window) + 1)
            count, _ = await pipe.execute()
        return int(count)

    def _count_here(self, key: str) -> int:
        now = self._clock()
        times = self._local.pop(key, None)
        if times is None:
            # One past the limit is enough to know a message is beyond it.
            times = deque(maxlen=self.limit + 2)
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        self._local[key] = times
        while len(self._local) > IN_PROCESS_KEYS:
            self._local.popitem(last=False)  # the key least recently heard from
        return len(times)
