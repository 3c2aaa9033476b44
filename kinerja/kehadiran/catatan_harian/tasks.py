"""The daily reminder as a django-tasks task, for a scheduler that enqueues tasks instead of running the
management command (docs/rules.md §34)."""

from __future__ import annotations

import datetime

from django_tasks import task

from kinerja.common.klaster import kunci_lintas_proses
from kinerja.kehadiran.catatan_harian.services import kirim_pengingat_catatan as kirim
from kinerja.organisasi.selectors import today


@task()
def kirim_pengingat_catatan(tanggal: str | None = None) -> int:
    """Send the reminders about the working day before ``tanggal`` (ISO; bawaan today)."""
    hari_ini = datetime.date.fromisoformat(tanggal) if tanggal else today()
    with kunci_lintas_proses("kirim-pengingat-catatan"):
        return kirim(hari_ini)
