"""Rasa's Redis lock store, with keys that expire and a way through while Redis is down.

Several Rasa replicas take turns on a conversation through these locks. Rasa's own
``RedisLockStore`` writes keys without an expiry, so a replica killed while it held a lock
leaves the key behind for good; and while Redis is down every message fails. Here each key
expires shortly after the longest a lock may be held, and when Redis does not answer, the
replica falls back to a lock of its own process for the time being (nginx keeps a
conversation's messages apart in time anyway) and says so in its log.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncGenerator

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT_SECONDS = 1.0


class ExpiringRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa hands a custom lock store its endpoint configuration as a whole.
        options = dict(endpoint_config.kwargs)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        options.pop("type", None)
        super().__init__(host=endpoint_config.url or "localhost", **options)
        socket_timeout = float(options["socket_timeout"])
        # Rasa sets no connect timeout: a Redis that accepts nothing would hold every message.
        self.red.connection_pool.connection_kwargs["socket_connect_timeout"] = socket_timeout
        self.expire_seconds = int(LOCK_LIFETIME) + 10
        self._local = InMemoryLockStore()
        self._redis_down = False

    def save_lock(self, lock: TicketLock) -> None:
        self.red.set(self.key_prefix + lock.conversation_id, lock.dumps(), ex=self.expire_seconds)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
            acquired = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        except (LockError, RedisError) as error:
            if isinstance(error, LockError) and not self._caused_by_redis(error):
                raise
            self._note_down(error)
            async with self._local.lock(
                conversation_id, lock_lifetime, wait_time_in_seconds
            ) as local:
                yield local
            return
        self._note_up()
        try:
            yield acquired
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except RedisError as error:
                # The key expires by itself.
                self._note_down(error)

    @staticmethod
    def _caused_by_redis(error: LockError) -> bool:
        return "Error while acquiring lock" in str(error) or isinstance(
            error.__cause__ or error.__context__, RedisError
        )

    def _note_down(self, error: Exception) -> None:
        if not self._redis_down:
            logger.error(
                "Redis lock store unavailable (%s): conversation locks are local to this "
                "replica until it answers again", type(error).__name__,
            )
        self._redis_down = True

    def _note_up(self) -> None:
        if self._redis_down:
            logger.warning("Redis lock store answers again")
        self._redis_down = False
