"""Background jobs on the bench instansi (docs/architecture.md "Background jobs", docs/benchmarks.md).

For each converted export: the page request that starts the job (`ukur`: the first press, which creates the
job, and the median of the presses after it, which get the same job back) and the job itself run in this
process as the worker would run it (`pekerjaan.services.jalankan`): wall and CPU time, queries, file size.
Nothing is enqueued (the start is measured inside a transaction rolled back by the caller, or the task
backend is the dummy one) and the job runs here, so the figures do not depend on a worker being up.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kinerja.demo.bench.ukur import ukur
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import jalankan

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def ukur_pekerjaan(client: Client, url: str, data: dict[str, Any], runs: int = 5) -> dict[str, Any]:
    """Start the job with a POST to ``url`` (``data``), then run it here; the job's figures and the
    request's. `median_ms`/`queries`/`bytes` are the job's (the keys the bench table prints)."""
    with override_settings(TASKS=DUMMY):
        sebelum = Pekerjaan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with CaptureQueriesContext(connection) as ctx:
            c, w = time.process_time(), time.perf_counter()
            r = client.post(url, data)
            pertama = {
                "cpu_ms": round((time.process_time() - c) * 1000, 2),
                "wall_ms": round((time.perf_counter() - w) * 1000, 2),
            }
        assert r.status_code == 302, f"POST {url} → {r.status_code}"
        pertama["queries"] = len(ctx.captured_queries)
        p = Pekerjaan.objects.filter(pk__gt=sebelum).get()
        lagi = ukur(client, url, method="POST", data=data, runs=runs, expect=(302,))
        assert Pekerjaan.objects.filter(pk__gt=sebelum).count() == 1, "a second press started a second job"
    with CaptureQueriesContext(connection) as ctx:
        c, w = time.process_time(), time.perf_counter()
        jalankan(p.pk)
        cpu, wall = time.process_time() - c, time.perf_counter() - w
    p.refresh_from_db()
    ukuran = p.berkas.size if p.berkas else 0
    if p.berkas:
        p.berkas.delete(save=False)
    return {
        "url": url,
        "status": p.status,
        "alasan": p.alasan,
        "median_ms": round(wall * 1000, 1),
        "cpu_ms": round(cpu * 1000, 1),
        "queries": len(ctx.captured_queries),
        "bytes": ukuran,
        "mulai_pertama": pertama,
        "mulai_lagi": lagi,
    }


def baris(label: str, hasil: dict[str, Any]) -> list[tuple[str, str]]:
    """Two rows for the bench table: the job and the request that starts it."""
    m, lagi = hasil["mulai_pertama"], hasil["mulai_lagi"]
    return [
        (
            f"{label}: the job ({hasil['status']})",
            f"{hasil['median_ms']} ms wall · {hasil['cpu_ms']} ms CPU · {hasil['queries']} queries · "
            f"{hasil['bytes']} bytes",
        ),
        (
            f"{label}: the POST that starts it (first · again)",
            f"{m['cpu_ms']} ms CPU, {m['queries']} queries · "
            f"{lagi['cpu_ms']} ms CPU, {lagi['queries']} queries",
        ),
    ]
