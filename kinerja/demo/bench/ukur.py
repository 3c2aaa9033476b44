"""One way to measure a request in-process, shared by every bench module (`make bench`).

CPU time is `time.process_time()` of this process around the test client's request (Django's whole stack:
middleware, view, template, and the database driver's work in this process; on SQLite the engine itself runs
here too, so SQLite figures include the database's CPU). Wall time is `time.perf_counter()`. The queries are
counted once more on a separate request, after the timed runs, so the count never slows the timing.
The goals of a hot request (docs/benchmarks.md): ≤ 15 ms CPU and ≤ 12 queries.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import User

GOAL_CPU_MS = 15.0
GOAL_QUERIES = 12
SESI_DAN_PENGGUNA = 1  # the user row, read by the middleware (the session comes from the cache: cached_db)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _send(client: Client, method: str, url: str, data: Any) -> Any:
    if method == "GET":
        return client.get(url, data or {})
    return client.post(url, data or {})


def ukur(
    client: Client,
    url: str,
    *,
    method: str = "GET",
    data: Any = None,
    runs: int = 20,
    expect: tuple[int, ...] = (200,),
) -> dict[str, Any]:
    """Median CPU and wall time of `runs` requests after one warm-up, the queries of one more, the size.

    `data` may be a callable (run number → form data) for a POST that must change between runs (e.g. an
    optimistic-lock version)."""
    run_no = 0

    def payload() -> Any:
        nonlocal run_no
        run_no += 1
        return data(run_no) if callable(data) else data

    response = _send(client, method, url, payload())
    assert response.status_code in expect, f"{method} {url} → {response.status_code}"
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(runs):
        body = payload()
        c, w = time.process_time(), time.perf_counter()
        response = _send(client, method, url, body)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        assert response.status_code in expect, f"{method} {url} → {response.status_code}"
    median_cpu = statistics.median(cpu)
    body = payload()
    with CaptureQueriesContext(connection) as ctx:
        response = _send(client, method, url, body)
    return {
        "url": url,
        "method": method,
        "cpu_ms": _ms(median_cpu),
        "wall_ms": _ms(statistics.median(wall)),
        "max_ms": _ms(max(wall)),
        "queries": len(ctx.captured_queries),
        "bytes": len(response.content),
        "within_goal": median_cpu * 1000 <= GOAL_CPU_MS and len(ctx.captured_queries) <= GOAL_QUERIES,
    }


def kueri_tata_letak(user: User) -> int:
    """The layout's queries for ``user``, to tell them from a page's own: the user row (middleware; the
    session comes from the cache) plus an empty page extending base.html (the navigation and its context
    processors), with the user read afresh as a request would, counted on a second render as a page
    measured after a warm-up."""
    template = engines["django"].from_string('{% extends "base.html" %}')
    jumlah = 0
    for _ in range(2):
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as ctx:
            template.render({}, request)
        jumlah = len(ctx.captured_queries)
    return SESI_DAN_PENGGUNA + jumlah
