"""The plumbing shared by the local fake servers of national services (SIASN, BSrE): a threaded HTTP server
on a free loopback port, started and stopped with ``with``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Protocol, TypeVar


class _BerUrl(Protocol):
    url: str


S = TypeVar("S", bound=_BerUrl)


class ServerPalsu(Generic[S]):
    """Start with ``with Server() as palsu:``; the state is ``palsu`` (its ``url`` set)."""

    def __init__(
        self,
        state: S,
        handler: Callable[[S], type[BaseHTTPRequestHandler]],
        kelas: type[ThreadingHTTPServer] = ThreadingHTTPServer,
    ) -> None:
        self.state = state
        self.httpd = kelas(("127.0.0.1", 0), handler(state))
        self.state.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> S:
        self.thread.start()
        return self.state

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
