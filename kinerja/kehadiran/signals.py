"""What other features of the stage listen for (docs/architecture.md: features stay apart).

``kehadiran_berubah`` is sent (after the commit) whenever what decides a pegawai's days changed: taps
imported or pushed, an absence or a correction approved or withdrawn, the calendar edited. Its arguments:
``instansi_id``, ``pegawai_ids`` (None: every pegawai of the instansi), ``mulai`` and ``selesai`` (dates).
The TPP feature recomputes the open months it touches."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

kehadiran_berubah = Signal()


def kabarkan_perubahan(
    instansi_id: int, pegawai_ids: Iterable[int] | None, mulai: datetime.date, selesai: datetime.date
) -> None:
    """Send `kehadiran_berubah` once the current transaction commits (at once outside one)."""
    ids = None if pegawai_ids is None else sorted(set(pegawai_ids))
    transaction.on_commit(
        lambda: kehadiran_berubah.send(
            sender=None, instansi_id=instansi_id, pegawai_ids=ids, mulai=mulai, selesai=selesai
        )
    )
