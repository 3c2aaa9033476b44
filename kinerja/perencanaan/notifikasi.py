"""Notifications of the perencanaan stage: an SKP approved or returned.

The message is built here and handed to `kinerja.notifikasi.services.kirim` (idempotent by `kunci`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kinerja.notifikasi.models import Notifikasi
from kinerja.notifikasi.services import kirim, nama_user


def skp_diputuskan(skp: Any, aksi: str, oleh: Any, catatan: str, log_pk: int) -> Notifikasi | None:
    """SKP approved or returned: tell its owner (not when they did it themselves)."""
    from kinerja.organisasi.models import User

    penerima = User.objects.filter(pegawai_id=skp.pegawai_id, is_active=True).first()
    if penerima is None or penerima.pk == oleh.pk:
        return None
    tahun = skp.periode.tahun
    siapa = nama_user(oleh)
    if aksi == "setujui":
        judul = f"SKP {tahun} Anda disetujui"
        isi = (
            f"{siapa} telah menyetujui SKP tahun {tahun} (revisi {skp.revisi}). "
            "Anda sekarang dapat mengisi rencana aksi dan realisasinya."
        )
    else:
        judul = f"SKP {tahun} Anda dikembalikan untuk diperbaiki"
        isi = f"{siapa} mengembalikan SKP tahun {tahun} dengan catatan:\n\n{catatan.strip()}"
    return kirim(
        penerima,
        f"skp_{aksi}",
        f"skp-{aksi}:{skp.pk}:{log_pk}",
        judul,
        isi,
        reverse("skp:detail", args=[skp.pk]),
    )
