"""Waiting for a condition, with a deadline, instead of sleeping for a fixed time."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float, message: str,
               interval: float = 0.05) -> T:
    """Call ``condition`` until it returns something true, and return that.

    Fails with ``message`` when it is still false after ``timeout`` seconds. It is called once
    more at the deadline, so a slow machine that was busy elsewhere does not fail a condition
    that has come true meanwhile.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message} (waited {timeout:g} s)")
        time.sleep(interval)
