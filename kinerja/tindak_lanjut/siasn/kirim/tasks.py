"""SIASN sends in the background (docs/rules.md §21.9; docs/architecture.md "Background tasks").

`send_evaluasi_siasn` sends one queued record (`services.run_send`) and, after a passing SIASN trouble,
enqueues itself again for the record's next attempt (``run_after``). The state lives on the record
(`KirimSiasn`: status, attempts, next attempt, SIASN's text), not in the task table. A backend that cannot
defer a task (the tests' ImmediateBackend) is not asked to: the record then stays ``antri`` with its next
attempt's time, and the admin's "kirim ulang" (or ``siasn_kirim --antre``) queues it again.
"""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from kinerja.tindak_lanjut.siasn.kirim import services

log = logging.getLogger(__name__)


@task()
def send_evaluasi_siasn(kirim_id: int, tiket: int) -> str:
    """Send the record ``kirim_id`` for request ``tiket``; returns its status (or "lewat" when the request
    was already done or superseded)."""
    langkah = services.run_send(kirim_id, tiket)
    if langkah.ulang_pada is not None:
        schedule(kirim_id, tiket, langkah.ulang_pada)
    return langkah.kirim.status if langkah.kirim is not None else "lewat"


def schedule(kirim_id: int, tiket: int, run_after: datetime.datetime) -> bool:
    """Enqueue the send again to run after ``run_after``; False when the backend cannot defer tasks."""
    if not send_evaluasi_siasn.get_backend().supports_defer:
        log.info(
            "SIASN: backend tugas tidak mendukung run_after; pengiriman %s tetap dalam antrean", kirim_id
        )
        return False
    send_evaluasi_siasn.using(run_after=run_after).enqueue(kirim_id, tiket)
    return True
