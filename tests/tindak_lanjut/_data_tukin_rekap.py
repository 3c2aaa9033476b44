"""Test data for the tunjangan kinerja and rekap tests: evaluations and keberatan written directly.

FINAL evaluations are created straight in the database (not through rating + `finalise_kelompok`):
these tests are about what the lists and the rekap read, for exact predikat mixes per unit that the
rating services (suggestions, pola distribusi) would make long to set up; the evaluation workflow itself
is tested in tests/penilaian.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Predikat, Rating
from kinerja.tindak_lanjut.models import Keberatan

D, S, B = Rating.DIATAS.value, Rating.SESUAI.value, Rating.DIBAWAH.value
RATING = {
    Predikat.SANGAT_BAIK: (D, D),
    Predikat.BAIK: (S, S),
    Predikat.BUTUH_PERBAIKAN: (B, S),
    Predikat.KURANG: (S, B),
    Predikat.SANGAT_KURANG: (B, B),
}


def skp_disetujui(instansi, unit_kode: str | None = None) -> list[Skp]:  # type: ignore[no-untyped-def]
    qs = Skp.objects.filter(instansi=instansi, status="disetujui").select_related(
        "unit", "periode", "pegawai"
    )
    if unit_kode:
        qs = qs.filter(unit__kode=unit_kode)
    return list(qs.order_by("unit__path", "pegawai_nama"))


def evaluasi(  # type: ignore[no-untyped-def]
    skp: Skp, pp: PeriodePenilaian | None, predikat: Predikat | None, status: str = "final"
) -> Evaluasi:
    """An evaluation of ``skp`` for ``pp`` (None: the annual one) with the ratings giving ``predikat``
    (None: not rated yet), in ``status``, written directly (see the module docstring)."""
    hasil, perilaku = RATING[predikat] if predikat else ("", "")
    return Evaluasi.objects.create(
        instansi=skp.instansi,
        jenis=JenisEvaluasi.PERIODIK if pp else JenisEvaluasi.TAHUNAN,
        skp=skp,
        pegawai=skp.pegawai,
        periode=skp.periode,
        periode_penilaian=pp,
        status=status,
        unit=skp.unit,
        unit_kelompok=skp.unit,
        pegawai_nama=skp.pegawai_nama,
        pegawai_nip=skp.pegawai_nip,
        pegawai_jabatan=skp.pegawai_jabatan,
        pegawai_unit=skp.pegawai_unit,
        rating_hasil=hasil,
        rating_perilaku=perilaku,
        final_pada=timezone.now() if status == "final" else None,
    )


def keberatan(ev: Evaluasi, status: str) -> Keberatan:
    user = User.objects.filter(pegawai=ev.pegawai).first() or User.objects.get(username="admin")
    hari = datetime.date(2026, 5, 1)
    return Keberatan.objects.create(
        instansi=ev.instansi,
        evaluasi=ev,
        pegawai=ev.pegawai,
        status=status,
        alasan="Uji rekap",
        rating_hasil_awal=ev.rating_hasil,
        rating_perilaku_awal=ev.rating_perilaku,
        predikat_awal=ev.predikat,
        diajukan_pada=timezone.now(),
        diajukan_oleh=user,
        batas_penjelasan=hari,
        batas_keputusan=hari,
    )
