"""Database calls with a deadline, so that a hung database cannot stall the answers.

A stopped PostgreSQL refuses connections at once, but a frozen or overloaded one accepts them
and never answers: no driver timeout fires, and the server's own ``statement_timeout`` cannot
run. So the blocking call runs in a worker thread and the caller waits at most ``seconds``,
then answers from what it already knows (the fallback). After a timeout the database is
treated as down for ``BREAK_SECONDS``: the next calls take the fallback at once instead of
each waiting out its deadline, and the thread pool is not filled with stuck calls.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a citizen's answer may spend on the database: the answer as a whole is due in 3 s.
DATABASE_DEADLINE_SECONDS = 1.0
BREAK_SECONDS = 5.0
# A call still waiting for a worker thread after this long is given up too (a busy machine,
# not a hung database: the breaker stays closed).
QUEUE_SECONDS = 5.0
# The first call of a process also connects and warms caches: it may take this long.
FIRST_CALL_SECONDS = 3.0
# As many workers as connections in a PostgreSQL pool (bot.db.engine: 5 + 10 overflow).
_executor = ThreadPoolExecutor(max_workers=15, thread_name_prefix="database")


class Breaker:
    """Open for a while after a timeout; thread-safe, one per process and purpose."""

    def __init__(self, name: str, break_seconds: float = BREAK_SECONDS) -> None:
        self.name = name
        self.break_seconds = break_seconds
        self._open_until = 0.0
        self._lock = threading.Lock()
        # Set once a call has come back in time: the first one gets FIRST_CALL_SECONDS.
        self.warm = False

    def is_open(self) -> bool:
        with self._lock:
            return time.monotonic() < self._open_until

    def trip(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.break_seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


database = Breaker("database")


async def within(
    call: Callable[[], T],
    fallback: Callable[[], T],
    seconds: float = DATABASE_DEADLINE_SECONDS,
    breaker: Breaker = database,
    given_up: threading.Event | None = None,
) -> T:
    """``call()`` in a worker thread if it returns within ``seconds`` of starting there, else
    ``fallback()``.

    The deadline counts from the moment a worker starts the call, so that under load a queue
    of calls is not taken for a hung database. ``given_up`` is set when the caller stops
    waiting, so a call that writes can decline to commit what the user was told was not saved.
    """
    if breaker.is_open():
        return fallback()
    started: list[float] = []
    if not breaker.warm:
        seconds = max(seconds, FIRST_CALL_SECONDS)

    def timed_call() -> T:
        started.append(time.monotonic())
        return call()

    future = asyncio.get_running_loop().run_in_executor(_executor, timed_call)
    queued_at = time.monotonic()
    while True:
        now = time.monotonic()
        left = (started[0] + seconds - now) if started else (queued_at + QUEUE_SECONDS - now)
        if left <= 0:
            break
        try:
            result = await asyncio.wait_for(asyncio.shield(future), min(left, seconds))
        except asyncio.TimeoutError:
            continue
        breaker.warm = True
        return result
    if given_up is not None:
        given_up.set()
    if started:
        breaker.trip()
        logger.warning(
            "The %s did not answer within %.1f s: answering without it for %.0f s",
            breaker.name, seconds, breaker.break_seconds,
        )
    else:
        logger.warning("No worker free for the %s within %.0f s", breaker.name, QUEUE_SECONDS)
    return fallback()
