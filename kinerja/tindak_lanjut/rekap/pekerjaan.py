"""The rekap xlsx of a large instansi as a background job (docs/architecture.md "Background jobs"): the same
workbook as the direct download (`views.rekap_unduh`), built by the worker for the user who asked."""

from __future__ import annotations

from django.http import Http404

from kinerja.organisasi.models import User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan, mulai
from kinerja.tindak_lanjut.rekap import selectors as sr
from kinerja.tindak_lanjut.rekap.xlsx import rekap_xlsx


def kunci(user: User, tahun: str, periode: str, unit: str) -> str:
    """The job's key: the workbook depends on who asks (the units they see) and on the choice."""
    return f"rekap-xlsx:{user.pk}:{tahun}:{periode}:{unit}"


def nama_berkas(data: sr.Rekap) -> str:
    unit = f"-unit{data.fokus.pk}" if data.fokus is not None else ""
    return f"rekap-kinerja-{data.pilihan.periode.tahun}-{data.pilihan.pilihan.kunci}{unit}.xlsx"


def mulai_rekap_xlsx(user: User, tahun: str, periode: str, unit: str) -> Pekerjaan:
    """Queue the workbook (or give the one already queued). PermissionDenied for who may see no rekap."""
    instansi = sr.instansi_rekap(user)
    sr.unit_terlihat(user, instansi, [])  # refuses who leads no unit and is no admin
    judul = "Rekap penilaian kinerja (Excel)" + (f", tahun {tahun}" if tahun else "")
    return mulai(
        "rekap_xlsx",
        kunci(user, tahun, periode, unit),
        user,
        instansi,
        judul,
        buat_rekap_xlsx,
        user_id=user.pk,
        tahun=tahun,
        periode=periode,
        unit=unit,
    )


def buat_rekap_xlsx(laporan: Laporan, user_id: int, tahun: str, periode: str, unit: str) -> None:
    user = User.objects.select_related("pegawai").get(pk=user_id)
    laporan.langkah(0, 2, "Menghitung rekap setiap unit")
    instansi = sr.instansi_rekap(user)
    pilihan = sr.select_periode(instansi, tahun or None, periode or None)
    if pilihan is None:
        raise GagalPekerjaan("Instansi belum memiliki periode penilaian.")
    try:
        data = sr.rekap(user, instansi, pilihan, unit or None)
    except Http404 as e:
        raise GagalPekerjaan("Unit kerja yang diminta tidak ditemukan di instansi ini.") from e
    laporan.langkah(1, 2, f"Menulis {len(data.baris)} baris ke Excel")
    laporan.hasil(rekap_xlsx(instansi, data), nama_berkas(data))
    laporan.langkah(2, 2, "Selesai")
