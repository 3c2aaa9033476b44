"""The queries of the layout alone, to pin a page's own query count while the layout changes on its own
(session and user lookups by the middleware, then what base.html and its context processors ask)."""

from __future__ import annotations

from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import User

SESI_DAN_PENGGUNA = 1  # the user row, read by the middleware (the session comes from the cache: cached_db)


def kueri_tata_letak(user: User) -> int:
    """Queries of an empty page extending base.html for ``user`` (read afresh, as a request would)."""
    template = engines["django"].from_string('{% extends "base.html" %}')
    jumlah = 0
    for _ in range(2):  # the second time, as a page measured after a warm-up
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as ctx:
            template.render({}, request)
        jumlah = len(ctx.captured_queries)
    return SESI_DAN_PENGGUNA + jumlah


def kueri(client: Client, url: str, data: dict | None = None, **extra: str) -> int:
    """Queries of one request (GET, or POST when ``data`` is given); it must succeed."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, data, **extra) if data is not None else client.get(url, **extra)
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)
