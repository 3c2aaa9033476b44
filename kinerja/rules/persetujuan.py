"""Bulk SKP approval: which submitted SKP the penilai may approve without opening it (docs/rules.md §33.7).

An umpan balik thread is *open* when its latest message was written after the SKP's latest submission:
the conversation of this submission has to be settled on the SKP page, so such an SKP is never approved
in bulk. Pure: the caller passes the latest message time of each thread and the submission time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

__all__ = ["ALASAN_BUKAN_DIAJUKAN", "boleh_setujui_massal", "utas_terbuka"]

ALASAN_BUKAN_DIAJUKAN = "tidak sedang diajukan"


def utas_terbuka(
    pesan_terakhir_per_utas: Iterable[datetime.datetime], diajukan_pada: datetime.datetime | None
) -> int:
    """How many threads are open. Without a submission time every thread counts as open (fail safe)."""
    if diajukan_pada is None:
        return sum(1 for _ in pesan_terakhir_per_utas)
    return sum(1 for t in pesan_terakhir_per_utas if t > diajukan_pada)


def boleh_setujui_massal(
    status_diajukan: bool,
    pesan_terakhir_per_utas: Iterable[datetime.datetime],
    diajukan_pada: datetime.datetime | None,
) -> str | None:
    """None when the SKP may be approved in bulk, else the reason (Indonesian) shown instead of a checkbox."""
    if not status_diajukan:
        return ALASAN_BUKAN_DIAJUKAN
    terbuka = utas_terbuka(pesan_terakhir_per_utas, diajukan_pada)
    if terbuka:
        return f"Ada {terbuka} komentar terbuka — buka SKP"
    return None
