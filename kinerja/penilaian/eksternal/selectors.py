"""Reads of the penilai outside the instansi (docs/rules.md "Penilai di luar instansi")."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, Periode, PeriodePenilaian
from kinerja.penilaian.models import Evaluasi, KeputusanPenilaiEksternal, PenilaiEksternal


def penilai_eksternal_untuk(ev: Evaluasi) -> PenilaiEksternal | None:
    """The external penilai recorded for this evaluation's pegawai: the row for its periode penilaian,
    else the row for the whole year (an annual evaluation reads the year's row only)."""
    qs = PenilaiEksternal.objects.filter(pegawai_id=ev.pegawai_id, periode_id=ev.periode_id)
    if ev.periode_penilaian_id:
        qs = qs.filter(Q(periode_penilaian_id=ev.periode_penilaian_id) | Q(periode_penilaian__isnull=True))
    else:
        qs = qs.filter(periode_penilaian__isnull=True)
    # A row for the periode penilaian wins over the year's row.
    return qs.order_by(F("periode_penilaian_id").asc(nulls_last=True)).first()


def daftar_penilai_eksternal(periode: Periode) -> QuerySet[PenilaiEksternal]:
    """The external penilai recorded in one year, for the admin's list."""
    return (
        PenilaiEksternal.objects.filter(periode=periode)
        .select_related("pegawai", "periode_penilaian", "dicatat_oleh")
        .order_by("pegawai__nama", "periode_penilaian__nomor")
    )


def keputusan_evaluasi(ev: Evaluasi) -> list[KeputusanPenilaiEksternal]:
    """The external penilai's decisions the ratings of this evaluation were entered from, newest first."""
    return list(
        KeputusanPenilaiEksternal.objects.filter(evaluasi=ev)
        .select_related("penilai", "dicatat_oleh")
        .order_by("-dicatat_pada", "-pk")
    )


def keputusan_berkas(pk: int) -> QuerySet[KeputusanPenilaiEksternal]:
    """One decision with a stored scan, with the evaluation its download permission is checked on."""
    return KeputusanPenilaiEksternal.objects.filter(pk=pk).exclude(berkas="").select_related("evaluasi")


def pilihan_pegawai(instansi_id: int) -> QuerySet[Pegawai]:
    """The pegawai of the instansi an external penilai may be recorded for (the form's choices)."""
    return Pegawai.objects.filter(instansi_id=instansi_id, aktif=True).order_by("nama")


def pilihan_periode_penilaian(periode: Periode) -> QuerySet[PeriodePenilaian]:
    return PeriodePenilaian.objects.filter(periode=periode).order_by("nomor")


def daftar_periode(instansi_id: int) -> list[Periode]:
    """The instansi's years, newest first (the list page's year tabs)."""
    return list(Periode.objects.filter(instansi_id=instansi_id).order_by("-tahun"))


def periode_default(tahun_list: list[Periode]) -> Periode:
    """This year's periode when it exists, else the newest."""
    tahun_ini = org.today().year
    return next((p for p in tahun_list if p.tahun == tahun_ini), tahun_list[0])
