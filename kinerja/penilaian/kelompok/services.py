"""Writes of the calibration page (docs/rules.md §15): the atasan asks the penilai of a rating group to
revise.

The request is a notification (`kinerja.notifikasi.services.kirim`, in the app and by email) to the
group's penilai (a "unit" group: its head and every penilai with a member). It is idempotent by the
request's ``token`` (a retried or double-clicked submit sends one notification); the notification row
records who asked, when and what.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kinerja.notifikasi import services as notifikasi
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import User
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.selectors import Kelompok
from kinerja.rules.evaluasi import Status

PANJANG_PESAN = 2000


@transaction.atomic
def request_revisi(
    kel: Kelompok,
    oleh: User,
    pesan: str,
    tautan: str,
    token: str = "",
    *,
    tanggal: datetime.date | None = None,
) -> list[Notifikasi]:
    """Notify the penilai of ``kel`` that ``oleh`` (above them) asks for a revision of the ratings."""
    tanggal = tanggal or sk.PilihanPeriode(kel.periode, kel.periode_penilaian, []).tanggal
    if not sk.akses_kelompok(oleh, kel, tanggal).atasan:
        raise PermissionDenied(
            "Permintaan revisi hanya dapat dikirim oleh atasan pejabat penilai kelompok ini."
        )
    if kel.evaluasi and all(e.status == Status.FINAL.value for e in kel.evaluasi) and not kel.belum_dibuka:
        raise ValidationError(
            "Semua evaluasi kelompok ini sudah final; tidak ada yang dapat direvisi pejabat penilai. "
            "Admin kepegawaian dapat membuka kembali evaluasi bila perlu."
        )
    pesan = (pesan or "").strip()
    if not pesan:
        raise ValidationError({"pesan": "Tuliskan apa yang perlu direvisi."})
    if len(pesan) > PANJANG_PESAN:
        raise ValidationError({"pesan": f"Pesan paling panjang {PANJANG_PESAN} karakter."})
    token = re.sub(r"[^A-Za-z0-9-]", "", token or "")[:40] or hashlib.sha256(pesan.encode()).hexdigest()[:16]
    kepala = sk.kepala_kelompok(kel, tanggal)
    penilai_ids = {kepala.pk} if kepala is not None else set()
    if kel.mode == "unit":
        penilai_ids |= {e.penilai_id for e in kel.evaluasi if e.penilai_id}
    penilai_ids.discard(oleh.pegawai_id)
    if not penilai_ids:
        raise ValidationError("Kelompok ini tidak memiliki pejabat penilai yang dapat diberi tahu.")
    penerima = list(User.objects.filter(pegawai_id__in=penilai_ids, is_active=True).order_by("pk"))
    if not penerima:
        raise ValidationError("Pejabat penilai kelompok ini belum memiliki akun untuk menerima notifikasi.")
    siapa = notifikasi.nama_user(oleh)
    periode = kel.periode_penilaian.nama if kel.periode_penilaian else f"Akhir (tahunan) {kel.periode.tahun}"
    judul = f"Permintaan revisi rating {periode} dari {siapa}"
    isi = (
        f"{siapa} meminta Anda meninjau kembali rating kelompok penilaian {kel.unit.nama} untuk "
        f"{periode}:\n\n{pesan}"
    )
    hasil = []
    periode_kunci = kel.periode_penilaian.pk if kel.periode_penilaian else "akhir"
    for u in penerima:
        kunci = f"minta-revisi:{oleh.pk}:{u.pk}:{kel.periode.pk}:{periode_kunci}:{token}"
        n = notifikasi.kirim(u, "request_revisi", kunci, judul, isi, tautan)
        if n is not None:
            hasil.append(n)
    return hasil
