"""A socket guard: every outbound connection attempt and name lookup is recorded, and any that leaves
the machine (not loopback, not a Unix socket) is refused before it is made.

Used in-process by tests/integration/test_security.py, and as a wrapper around the CLI so a whole
`autoimmune-qa chat` run (ingest, model load, server, answers) happens under it:

    python -m tests.integration.socket_guard EVENTS.jsonl chat --index DIR ...

Each event is appended to EVENTS.jsonl at once (the server may end by a signal): {"allowed": bool,
"call": ..., "address": ...}. The first event is a loopback connection the guard makes itself, so a
file without it means the guard was not in place.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class OutboundBlocked(ConnectionRefusedError):
    """Raised instead of a connection or lookup that would leave the machine."""


def is_local(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]").split("%", 1)[0]
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost: a lookup that would leave the machine


class SocketGuard:
    """Patches socket.socket.connect / connect_ex, socket.create_connection and socket.getaddrinfo."""

    def __init__(self, sink: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.sink = sink
        self.lock = threading.Lock()
        self.originals: dict[str, Any] = {}  # what the guard passes allowed calls to
        self.saved: dict[str, Any] = {}  # what uninstall puts back

    @property
    def outbound(self) -> list[dict[str, Any]]:
        return [e for e in self.events if not e["allowed"]]

    def record(self, call: str, address: Any, allowed: bool) -> None:
        event = {"call": call, "address": repr(address), "allowed": allowed}
        with self.lock:
            self.events.append(event)
            if self.sink:
                self.sink(event)

    def check(self, call: str, address: Any, family: int | None = None) -> None:
        if family == getattr(socket, "AF_UNIX", None) or isinstance(address, str | bytes):
            allowed = family == getattr(socket, "AF_UNIX", None) or is_local(address)
        else:
            allowed = is_local(address[0]) if isinstance(address, tuple) and address else False
        self.record(call, address, allowed)
        if not allowed:
            raise OutboundBlocked(f"socket guard: outbound {call} to {address!r} refused")

    def install(self) -> SocketGuard:
        guard = self
        self.saved = {
            "connect": socket.socket.connect,
            "connect_ex": socket.socket.connect_ex,
            "create_connection": socket.create_connection,
            "getaddrinfo": socket.getaddrinfo,
        }
        self.originals = dict(self.saved)

        def connect(sock: socket.socket, address: Any) -> Any:
            guard.check("connect", address, sock.family)
            return guard.originals["connect"](sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> Any:
            guard.check("connect_ex", address, sock.family)
            return guard.originals["connect_ex"](sock, address)

        def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
            guard.check("create_connection", address)
            return guard.originals["create_connection"](address, *args, **kwargs)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            guard.check("getaddrinfo", (host,))
            return guard.originals["getaddrinfo"](host, *args, **kwargs)

        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.create_connection = create_connection  # type: ignore[assignment]
        socket.getaddrinfo = getaddrinfo
        return self

    def uninstall(self) -> None:
        if not self.saved:
            return
        socket.socket.connect = self.saved["connect"]  # type: ignore[method-assign]
        socket.socket.connect_ex = self.saved["connect_ex"]  # type: ignore[method-assign]
        socket.create_connection = self.saved["create_connection"]  # type: ignore[assignment]
        socket.getaddrinfo = self.saved["getaddrinfo"]
        self.saved = {}


def self_check() -> None:
    """One loopback connection through the guard, so its event file shows the guard was in place."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        socket.create_connection(server.getsockname(), timeout=5).close()


def main(argv: list[str]) -> int:
    events = Path(argv[0])

    def append(event: dict[str, Any]) -> None:
        with events.open("a") as f:
            f.write(json.dumps(event) + "\n")

    # uvloop opens its sockets in C, past the guard: uvicorn then takes asyncio's own loop, whose
    # connections and lookups go through the patched socket module.
    sys.modules["uvloop"] = None  # type: ignore[assignment]
    SocketGuard(append).install()
    self_check()
    from app.cli import main as cli

    return cli(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
