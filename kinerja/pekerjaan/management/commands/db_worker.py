"""`manage.py db_worker`: django-tasks' database worker, plus what the background jobs need from every
worker (docs/architecture.md "Background jobs"): a heartbeat row (`DetakPekerja`) every `DETAK_SETIAP`
seconds, busy or idle, so a job queued while no worker runs says so on its page; and the retention of
finished jobs (`bersihkan_pekerjaan`) once an hour. Both run in a daemon thread with their own database
connection; a failure there is logged and tried again, never stops the worker."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from kinerja.pekerjaan.models import DETAK_SETIAP
from kinerja.pekerjaan.services import berhenti, bersihkan, detak

logger = logging.getLogger("kinerja.pekerjaan")

#: The retention runs this often (seconds) in every worker.
BERSIHKAN_SETIAP = 3600


def _jaga(nama: str, henti: threading.Event) -> None:
    sejak_bersih = BERSIHKAN_SETIAP  # first pass cleans at once
    while not henti.is_set():
        try:
            close_old_connections()
            detak(nama)
            if sejak_bersih >= BERSIHKAN_SETIAP:
                d = bersihkan()
                sejak_bersih = 0
                if d.pekerjaan or d.detak:
                    logger.info(
                        "bersihkan_pekerjaan: %s pekerjaan, %s berkas, %s detak", *d.__dict__.values()
                    )
        except Exception:  # the worker goes on; the next beat tries again
            logger.exception("detak pekerja %s gagal ditulis", nama)
        henti.wait(DETAK_SETIAP)
        sejak_bersih += DETAK_SETIAP
    connections.close_all()


class Command(DbWorker):
    help = DbWorker.help + " (dengan detak pekerja dan pembersihan pekerjaan lama)"

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the parent only watches files; the child (DJANGO_AUTORELOAD_ENV) does the work.
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        nama = f"{socket.gethostname()}:{os.getpid()}"[:200]
        henti = threading.Event()
        penjaga = threading.Thread(target=_jaga, args=(nama, henti), name="detak-pekerja", daemon=True)
        penjaga.start()
        try:
            super().handle(*args, **options)
        finally:
            henti.set()
            penjaga.join(timeout=5)
            try:
                berhenti(nama)
            except Exception:
                logger.exception("detak pekerja %s gagal dihapus", nama)
