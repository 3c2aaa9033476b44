"""Building a unit's zip of documents (run by the background job in `tasks.py`).

Each PDF is the single download's own: the same content (`fill_skp` / `fill_evaluasi`), the same issued
`Dokumen` row (issuing the same content again returns the existing row, so the QR code is the same) and the
same renderer and document cache (`kinerja.dokumen.cetak`). A document issued and cached earlier the same
day is taken as stored, not rendered again.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable

from django.core.exceptions import ValidationError

from kinerja.dokumen import cetak
from kinerja.dokumen import services as services_dokumen
from kinerja.dokumen.evaluasi import selectors as sumber_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.massal.selectors import (
    EVALUASI,
    JENIS,
    JENIS_PEKERJAAN,
    SKP,
    Baris,
    RencanaArsip,
    rencana_arsip,
)
from kinerja.dokumen.selectors import fill_skp
from kinerja.organisasi.models import Periode, PeriodePenilaian, UnitKerja, User
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions import allowed, require

DAFTAR = "DAFTAR.csv"
KOLOM_DAFTAR = ("no", "nip", "nama", "berkas", "keterangan")

#: A zip holds at most this many documents (~40 minutes of rendering; a few hundred MB).
BATAS_DOKUMEN = 2000

Langkah = Callable[[int, int, str], None]


def _pdf(baris: Baris, oleh: User, dasar: str, kertas: str) -> list[tuple[str, bytes]] | None:
    """The documents of one row (file name, PDF), or None when the owner may not read its source record
    (the row then says so): the zip never holds a document its owner could not download alone. An
    evaluation gives its form and its one-page Dokumen Evaluasi (docs/rules.md §31)."""
    sumber = baris.sumber
    if isinstance(sumber, Skp):
        if not allowed(oleh, "perencanaan.view_skp", sumber):
            return None
        isi = fill_skp(sumber)
        dok = services_dokumen.issue_skp(sumber, isi, oleh)
        return [(baris.berkas, cetak.pdf_skp(sumber, isi, dok, dasar, kertas))]
    assert isinstance(sumber, Evaluasi)
    if not allowed(oleh, "penilaian.view_evaluasi", sumber):
        return None
    isi_ev = sumber_evaluasi.fill_evaluasi(sumber)
    hasil = []
    for nama, ringkas in ((baris.berkas_ringkas, True), (baris.berkas, False)):  # in file-name order
        dok_ev = services_evaluasi.issue_evaluasi(sumber, isi_ev, oleh, ringkas)
        hasil.append((nama, cetak.pdf_evaluasi(sumber, isi_ev, dok_ev, dasar, kertas, ringkas)))
    return hasil


def _daftar(rencana: RencanaArsip) -> bytes:
    """Every pegawai of the zip: the file of their document, or why there is none (UTF-8 with BOM, so a
    spreadsheet opens it with the names intact)."""
    out = io.StringIO()
    tulis = csv.writer(out)
    tulis.writerow(KOLOM_DAFTAR)
    for i, b in enumerate(rencana.baris, start=1):
        berkas = "; ".join(n for n in (b.berkas, b.berkas_ringkas) if n)
        tulis.writerow((i, b.nip, b.nama, berkas, b.alasan or "Ada"))
    return out.getvalue().encode("utf-8-sig")


def build_arsip(
    rencana: RencanaArsip, oleh: User, dasar: str, kertas: str = "a4", langkah: Langkah | None = None
) -> bytes:
    """The zip: one PDF per pegawai with a document (``<NIP>_<nama>_<jenis>.pdf``, sorted) and
    DAFTAR.csv. ``langkah(done, total, text)`` is told after each document."""
    dokumen = rencana.dokumen
    total = len(dokumen)
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as berkas:
        with zipfile.ZipFile(berkas, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for i, baris in enumerate(dokumen, start=1):
                pdfs = _pdf(baris, oleh, dasar, kertas)
                if pdfs is None:
                    baris.alasan, baris.berkas, baris.berkas_ringkas, baris.sumber = (
                        "Anda tidak berhak melihat dokumen ini.",
                        "",
                        "",
                        None,
                    )
                else:
                    for nama, pdf in pdfs:
                        z.writestr(nama, pdf)
                if langkah is not None:
                    langkah(i, total, f"{baris.nip} {baris.nama}")
            z.writestr(DAFTAR, _daftar(rencana))
        berkas.seek(0)
        return berkas.read()  # type: ignore[no-any-return]


def kunci_arsip(
    user: User, unit: UnitKerja, periode: Periode, jenis: str, pp: PeriodePenilaian | None, sub_unit: bool
) -> str:
    """What one zip is: the same user asking for the same unit, year, kind and scope gets the same job
    while it runs (a double press starts nothing twice)."""
    bagian = "tahun" if jenis == SKP else (f"p{pp.nomor}" if pp is not None else "akhir")
    return f"arsip-dokumen:{user.pk}:{unit.pk}:{periode.pk}:{jenis}:{bagian}:{'sub' if sub_unit else 'unit'}"


def start_arsip(
    user: User,
    unit: UnitKerja,
    periode: Periode,
    jenis: str,
    pp: PeriodePenilaian | None,
    sub_unit: bool,
    dasar: str,
) -> Pekerjaan:
    """Queue the zip of ``unit``'s documents for ``user`` (or give the one already queued or running).
    ``dasar`` is the site's address as the user sees it, for the documents' verification links."""
    require(user, "dokumen.unduh_arsip_unit", unit, "Anda tidak berhak mengunduh dokumen unit ini.")
    if periode.instansi_id != unit.instansi_id or (pp is not None and pp.periode_id != periode.pk):
        raise ValidationError("Periode tidak sesuai dengan unit kerja ini.")
    if jenis not in JENIS:
        raise ValidationError("Jenis dokumen tidak dikenal.")
    pp = pp if jenis == EVALUASI else None
    rencana = RencanaArsip(unit, periode, jenis, pp, sub_unit)
    judul = f"Dokumen {JENIS[jenis]} {unit.nama} · {rencana.nama_periode}"
    return pekerjaan.mulai(
        JENIS_PEKERJAAN,
        kunci_arsip(user, unit, periode, jenis, pp, sub_unit),
        user,
        unit.instansi,
        judul,
        jalankan_arsip,
        unit_id=unit.pk,
        periode_id=periode.pk,
        jenis_dokumen=jenis,
        periode_penilaian_id=pp.pk if pp is not None else None,
        sub_unit=sub_unit,
        dasar=dasar,
    )


def jalankan_arsip(
    laporan: Laporan,
    *,
    unit_id: int,
    periode_id: int,
    jenis_dokumen: str,
    periode_penilaian_id: int | None,
    sub_unit: bool,
    dasar: str,
) -> None:
    """The job: list the unit's pegawai, put each one's document in the zip, attach it."""
    oleh = laporan.pekerjaan.pemilik
    unit = UnitKerja.objects.select_related("instansi").get(pk=unit_id)
    require(oleh, "dokumen.unduh_arsip_unit", unit, "Anda tidak berhak mengunduh dokumen unit ini.")
    periode = Periode.objects.get(pk=periode_id)
    pp = PeriodePenilaian.objects.filter(pk=periode_penilaian_id).first() if periode_penilaian_id else None
    rencana = rencana_arsip(unit, periode, jenis_dokumen, pp, sub_unit)
    if len(rencana.dokumen) > BATAS_DOKUMEN:
        raise GagalPekerjaan(
            f"{unit.nama} memiliki {len(rencana.dokumen)} dokumen; paling banyak {BATAS_DOKUMEN} per berkas "
            "zip. Pilih unit yang lebih kecil atau tanpa sub-unit."
        )
    laporan.langkah(0, len(rencana.dokumen), "Menyiapkan daftar pegawai")
    isi = build_arsip(rencana, oleh, dasar, langkah=laporan.langkah)
    laporan.hasil(isi, rencana.nama_zip)
    ada = sum(1 for b in rencana.baris if b.berkas)
    laporan.ringkas(
        f"{ada} dokumen dari {len(rencana.baris)} pegawai; "
        f"{len(rencana.baris) - ada} tanpa dokumen (alasannya di {DAFTAR})."
    )
