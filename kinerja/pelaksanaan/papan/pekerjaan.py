"""The progress pengisian xlsx of a large instansi as a background job (docs/architecture.md "Background
jobs"): the same workbook as the direct download (`views.progres_xlsx`), built by the worker. The numbers
are the instansi's, whoever of its admins asks: one job per instansi and periode."""

from __future__ import annotations

from typing import Any

from kinerja.organisasi.models import Instansi, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan, mulai
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.pelaksanaan.papan import xlsx as xlsx_papan
from kinerja.permissions import require


def periode_papan(instansi_id: int, nomor: str | None) -> tuple[Any, Any, list[Any]]:
    """(periode of the year, periode penilaian chosen by ``?periode=N``, all of the year) or Nones."""
    periode, daftar = selectors.periode_berjalan_dan_daftar(instansi_id)
    if periode is None:
        return None, None, []
    if not daftar:
        return periode, None, []
    return periode, selectors.select_periode(daftar, nomor), daftar


def kunci(instansi: Instansi, periode: Any, pp: Any) -> str:
    return f"progres-xlsx:{instansi.pk}:{periode.tahun}:{pp.nomor}"


def nama_berkas(periode: Any, pp: Any) -> str:
    return f"progres-pengisian-{periode.tahun}-{pp.nomor}.xlsx"


def mulai_progres_xlsx(user: User, instansi: Instansi, periode: Any, pp: Any) -> Pekerjaan:
    require(user, "perencanaan.view_progres", instansi, "Halaman ini hanya untuk admin kepegawaian.")
    return mulai(
        "progres_xlsx",
        kunci(instansi, periode, pp),
        user,
        instansi,
        f"Progres pengisian kinerja {pp.nama} {periode.tahun} (Excel)",
        buat_progres_xlsx,
        instansi_id=instansi.pk,
        nomor=str(pp.nomor),
    )


def buat_progres_xlsx(laporan: Laporan, instansi_id: int, nomor: str) -> None:
    instansi = Instansi.objects.get(pk=instansi_id)
    laporan.langkah(0, 2, "Menghitung progres setiap unit")
    periode, pp, daftar = periode_papan(instansi.pk, nomor)
    if pp is None:
        raise GagalPekerjaan("Periode penilaian tahun ini belum dibuat.")
    data = selectors_papan.progres_pengisian(instansi, periode, pp, daftar)
    laporan.langkah(1, 2, f"Menulis {len(data.baris)} unit ke Excel")
    laporan.hasil(xlsx_papan.progres_xlsx(instansi, periode, pp, data), nama_berkas(periode, pp))
    laporan.langkah(2, 2, "Selesai")
