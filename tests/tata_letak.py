"""The queries of the layout alone, to pin a page's own query count while the layout changes on its own
(session and user lookups by the middleware, then what base.html and its context processors ask)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo.bench.ukur import SESI_DAN_PENGGUNA, kueri_tata_letak

__all__ = ["SESI_DAN_PENGGUNA", "kueri", "kueri_tata_letak"]


def kueri(client: Client, url: str, data: dict | None = None, **extra: str) -> int:
    """Queries of one request (GET, or POST when ``data`` is given); it must succeed."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, data, **extra) if data is not None else client.get(url, **extra)
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)
