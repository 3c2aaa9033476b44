"""Notifications of the penilaian stage: an evaluation became final.

The message is built here and handed to `kinerja.notifikasi.services.kirim` (idempotent by `kunci`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kinerja.notifikasi.models import Notifikasi
from kinerja.notifikasi.services import kirim


def evaluasi_final(ev: Any, penerima: Any, batas_keberatan: Any = None) -> Notifikasi | None:
    """An evaluation became final: tell the pegawai the predikat and, when a keberatan may be filed against
    it, the last day to do so (the keberatan window starts at this notice; docs/rules.md §18). Keyed by
    evaluation and finalisation: a re-finalised evaluation is a new result and a new notice."""
    from kinerja.rules.realisasi import format_tanggal

    isi = (
        f"Evaluasi kinerja {ev.nama_periode} Anda sudah final.\n\n"
        f"Predikat kinerja: {ev.get_predikat_display()} (rating hasil kerja "
        f"{ev.get_rating_hasil_display()}, rating perilaku kerja {ev.get_rating_perilaku_display()})."
    )
    if batas_keberatan is not None:
        isi += (
            "\n\nJika tidak sependapat, Anda dapat mengajukan keberatan kepada atasan pejabat penilai "
            f"paling lambat {format_tanggal(batas_keberatan)}."
        )
    return kirim(
        penerima,
        "evaluasi_final",
        f"evaluasi-final:{ev.pk}:{ev.finalisasi_ke}",
        f"Predikat kinerja {ev.nama_periode}: {ev.get_predikat_display()}",
        isi,
        reverse("penilaian:evaluasi", args=[ev.pk]),
    )
