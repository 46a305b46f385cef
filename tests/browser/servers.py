"""Start-up of the servers the browser tests use, each on a port taken when it starts.

Every port is a ``ReservedPort`` (tests/support/ports.py): chosen and held by the fixture that
starts the server, so no other process can take it between the choice and the start. A server
that still finds its port taken says "address already in use" in its log; ``PortTaken`` is
raised then, and ``on_fresh_ports`` starts the servers again on new ports.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import Callable, Iterator, TypeVar

from bot.config import settings
from bot.launcher import Process, start, web_command

T = TypeVar("T")

ADDRESS_IN_USE = ("address already in use", "errno 98")


class PortTaken(RuntimeError):
    """A server did not start because another process had its port."""


@contextmanager
def port_taken_check(name: str) -> Iterator[None]:
    """Turn ``bot.launcher.start``'s failure for process ``name`` into ``PortTaken`` when the
    lines the process wrote to its log (var/NAME.log) say its address was in use."""
    log = settings().var_dir / f"{name}.log"
    offset = log.stat().st_size if log.exists() else 0
    try:
        yield
    except RuntimeError as error:
        with open(log, "rb") as file:
            file.seek(offset)
            written = file.read().decode("utf-8", "replace").lower()
        if any(sign in written for sign in ADDRESS_IN_USE):
            raise PortTaken(f"{name}: its port was taken; see {log}") from error
        raise


@contextmanager
def on_fresh_ports(start_servers: Callable[[ExitStack], T], attempts: int = 3) -> Iterator[T]:
    """``start_servers(stack)`` reserves the ports it needs and starts its servers on them,
    putting every clean-up on ``stack``; when it raises ``PortTaken``, what it started is
    stopped and it is called again, with new ports. Everything is stopped on leaving."""
    for attempt in range(1, attempts + 1):
        with ExitStack() as stack:
            try:
                servers = start_servers(stack)
            except PortTaken:
                if attempt == attempts:
                    raise
                continue
            yield servers
            return


def origins_with(origin: str) -> list[str]:
    """The allowed origins (``IKANEUVO_CORS_ORIGINS``) and ``origin``."""
    return list(dict.fromkeys([*settings().cors_origins, origin]))


def start_web_app(name: str, port: int, rasa_url: str,
                  env: dict[str, str] | None = None) -> Process:
    """The project's web application on ``port``, with the demo page's widget talking to
    ``rasa_url`` (and ``env``: e.g. the catalogue and the stored conversations of that Rasa
    server, where the widget's ratings go). Its log is var/web-NAME.log."""
    command = web_command(port)
    with port_taken_check(f"web-{name}"):
        return start(f"web-{name}", command, f"http://127.0.0.1:{port}/demo",
                     {**(env or {}), "IKANEUVO_RASA_URL": rasa_url}, timeout=60)
