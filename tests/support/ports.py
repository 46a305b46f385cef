"""Loopback ports held for servers that the tests are about to start."""

from __future__ import annotations

import socket


class ReservedPort:
    """A free loopback port, kept from other processes until ``close()``.

    The port is bound by a socket of this process (with ``SO_REUSEADDR``, never listening), so
    the kernel gives it to no other ``bind(("", 0))`` or outgoing connection, while a server that
    binds it with ``SO_REUSEADDR`` too (uvicorn, Sanic and so Rasa do) can listen on it. Close
    it when the server that uses the port has stopped for good; a server stopped to be started
    again on the same port finds it still free.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.host = host
        self.port: int = self._socket.getsockname()[1]

    @property
    def url(self) -> str:
        """``http://host:port``: also the origin of pages served from this port."""
        return f"http://{self.host}:{self.port}"

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> ReservedPort:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
