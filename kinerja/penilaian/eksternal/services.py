"""Penilai outside the instansi (docs/rules.md "Penilai di luar instansi").

The head of an instansi is rated by someone the app does not hold (the PPK, or the Sekda for a dinas
head). The admin kepegawaian records that penilai per pegawai and year (or one periode penilaian) and then
enters the ratings from the penilai's written decision — its number and date are required, the scan
is optional — through the same rating path as the admin standing in for a missing penilai
(`services.set_rating`).
The evaluation then carries the external penilai: its snapshot's penilai fields are the external penilai's,
so documents and the SIASN export name them. Everything is audited (django-simple-history).
"""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.common.berkas import validate_berkas
from kinerja.common.tanggal import tanggal_lokal, tanggal_panjang
from kinerja.common.unggahan import save_with_file
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, Periode, PeriodePenilaian, User
from kinerja.penilaian import services
from kinerja.penilaian.eksternal.selectors import penilai_eksternal_untuk
from kinerja.penilaian.models import (
    Evaluasi,
    KeputusanPenilaiEksternal,
    PenilaiEksternal,
    StatusPenilai,
)
from kinerja.permissions import require
from kinerja.rules import nip as nip_rules
from kinerja.rules.types import Rating

#: Upload limit of the decision's scan (MB), like a lampiran keberatan.
BATAS_BERKAS_MB = 10


def _wajib(data: dict[str, Any], field: str, label: str, errors: dict[str, str]) -> str:
    nilai = str(data.get(field) or "").strip()
    if not nilai:
        errors[field] = f"{label} penilai eksternal wajib diisi."
    return nilai


@transaction.atomic
def _refuse_when_rated_inside(
    pegawai: Pegawai, periode: Periode, periode_penilaian: PeriodePenilaian | None
) -> None:
    """An external penilai is for a pegawai whose pejabat penilai the app does not hold (rules.md §15.1):
    one who has a penilai in Kinerja on the periode's last day (or today, when that is later) is rated by
    him, so an external row would be listed as if in effect but never used."""
    akhir = (
        periode_penilaian.selesai if periode_penilaian is not None else datetime.date(periode.tahun, 12, 31)
    )
    rantai = org.rantai_penilai(pegawai, min(akhir, timezone.localdate()))
    if rantai.penilai is not None:
        p = rantai.penilai
        pesan = (
            f"{pegawai.nama_lengkap} dinilai oleh {p.pegawai.nama_lengkap} ({p.jabatan.nama}) di Kinerja: "
            "penilai eksternal hanya untuk pegawai yang pejabat penilainya tidak ada di aplikasi (kepala "
            "instansi yang dinilai PPK atau Sekretaris Daerah)."
        )
        raise ValidationError({"pegawai": pesan})


def record_penilai_eksternal(
    pegawai: Pegawai,
    periode: Periode,
    periode_penilaian: PeriodePenilaian | None,
    data: dict[str, Any],
    oleh: User,
) -> PenilaiEksternal:
    """Record (or change) the external penilai of ``pegawai`` for the year or one periode penilaian.
    ``data``: status (ASN / NON ASN), nama, nomor_identitas, jabatan, golongan (optional for NON ASN),
    instansi_penilai. Only the admin kepegawaian of the pegawai's instansi."""
    require(
        oleh,
        "penilaian.manage_penilai_eksternal",
        pegawai,
        "Hanya admin kepegawaian instansi pegawai ini yang dapat mencatat penilai eksternal.",
    )
    if periode.instansi_id != pegawai.instansi_id:
        raise ValidationError({"periode": f"Periode {periode.tahun} bukan milik instansi pegawai ini."})
    if periode_penilaian is not None and periode_penilaian.periode_id != periode.pk:
        raise ValidationError(
            {"periode_penilaian": f"{periode_penilaian.nama} bukan periode penilaian tahun {periode.tahun}."}
        )
    errors: dict[str, str] = {}
    status = str(data.get("status") or "")
    if status not in StatusPenilai.values:
        errors["status"] = "Pilih status penilai eksternal: ASN atau NON ASN."
    nama = _wajib(data, "nama", "Nama", errors)
    jabatan = _wajib(data, "jabatan", "Jabatan", errors)
    instansi_penilai = _wajib(data, "instansi_penilai", "Instansi", errors)
    golongan = str(data.get("golongan") or "").strip()
    if status == StatusPenilai.ASN and not golongan:
        errors["golongan"] = "Pangkat/golongan penilai eksternal ASN wajib diisi."
    if golongan and golongan not in dict(PenilaiEksternal._meta.get_field("golongan").flatchoices):
        errors["golongan"] = f"Pangkat/golongan \u201c{golongan}\u201d tidak dikenal."
    nomor = ""
    if status in StatusPenilai.values:
        # The number's format is a rule (rules/nip.py, table-tested), not a form's.
        try:
            nomor = nip_rules.nomor_penilai_eksternal(status, str(data.get("nomor_identitas") or ""))
        except ValueError as exc:
            errors["nomor_identitas"] = str(exc)
        else:
            if nomor == pegawai.nip:
                # A pegawai never rates himself; the SIASN record would be refused (rules.md §21.3).
                errors["nomor_identitas"] = (
                    f"NIP {nomor} adalah NIP {pegawai.nama_lengkap} sendiri: penilai eksternal harus orang "
                    "lain (PPK atau Sekretaris Daerah)."
                )
    if errors:
        raise ValidationError(errors)
    _refuse_when_rated_inside(pegawai, periode, periode_penilaian)
    obj = PenilaiEksternal.objects.filter(
        pegawai=pegawai, periode=periode, periode_penilaian=periode_penilaian
    ).first() or PenilaiEksternal(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        periode=periode,
        periode_penilaian=periode_penilaian,
    )
    baru = (status, nama, nomor, jabatan, golongan, instansi_penilai)
    lama = (obj.status, obj.nama, obj.nomor_identitas, obj.jabatan, obj.golongan, obj.instansi_penilai)
    if obj.pk and baru != lama and (obj.keputusan.exists() or obj.evaluasi.exists()):
        # A decision or an evaluation names this penilai (rules.md §15.1): changing the row in place would
        # make the decisions already entered, and a final evaluation's page, SIASN status and document,
        # name someone who did not decide. A new penilai is recorded for the remaining periode(s).
        dipakai = ", ".join(
            sorted({ev.nama_periode for ev in obj.evaluasi.select_related("periode", "periode_penilaian")})
        )
        raise ValidationError(
            f"Penilai eksternal {obj.nama} sudah dipakai pada evaluasi {dipakai or 'yang sudah dinilai'} "
            "dan tidak dapat diubah. Bila penilainya berganti, catat penilai eksternal baru untuk periode "
            "penilaian berikutnya (pilih periodenya, bukan \u201cSepanjang tahun\u201d)."
        )
    obj.status, obj.nama, obj.nomor_identitas = status, nama, nomor
    obj.jabatan, obj.golongan, obj.instansi_penilai = jabatan, golongan, instansi_penilai
    obj.dicatat_oleh = oleh
    obj._history_user = oleh  # type: ignore[attr-defined]
    obj.save()
    return obj


@transaction.atomic
def rate_on_keputusan_eksternal(
    evaluasi: Evaluasi,
    oleh: User,
    *,
    nomor: str,
    tanggal: datetime.date | None,
    rating_hasil: Rating | str | None = None,
    alasan_hasil: str = "",
    rating_perilaku: Rating | str | None = None,
    alasan_perilaku: str = "",
    catatan: str | None = None,
    rekomendasi: str | None = None,
    berkas: IO[bytes] | None = None,
    nama_berkas: str = "",
    ukuran_berkas: int = 0,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The admin enters both ratings on the external penilai's written decision (number and date
    required, scan optional). Only for an evaluation without a penilai in the app, which the admin rates
    standing in; the decision is stored and the evaluation names the external penilai."""
    require(
        oleh,
        "penilaian.manage_penilai_eksternal",
        evaluasi,
        "Rating atas keputusan penilai eksternal hanya dicatat oleh admin kepegawaian instansi pegawai ini.",
    )
    if evaluasi.penilai_id is not None:
        raise ValidationError(
            "Rating atas keputusan penilai eksternal hanya dicatat oleh admin kepegawaian, untuk evaluasi "
            "yang pejabat penilainya tidak ada di aplikasi."
        )
    penilai = penilai_eksternal_untuk(evaluasi)
    if penilai is None:
        raise ValidationError(
            f"Belum ada penilai eksternal untuk {evaluasi.pegawai_nama} pada {evaluasi.nama_periode}; "
            "catat dahulu di halaman Penilai eksternal."
        )
    errors: dict[str, str] = {}
    nomor = (nomor or "").strip()
    if not nomor:
        errors["keputusan_nomor"] = "Nomor keputusan penilai eksternal wajib diisi."
    hari_ini = tanggal_lokal(sekarang or timezone.now())
    if tanggal is None:
        errors["keputusan_tanggal"] = "Tanggal keputusan penilai eksternal wajib diisi."
    elif tanggal > hari_ini:
        errors["keputusan_tanggal"] = (
            f"Tanggal keputusan ({tanggal_panjang(tanggal)}) tidak boleh setelah hari ini "
            f"({tanggal_panjang(hari_ini)})."
        )
    valid = None
    if berkas is not None:
        try:
            valid = validate_berkas(berkas, nama_berkas, ukuran_berkas, BATAS_BERKAS_MB)
        except ValidationError as exc:
            errors["keputusan_berkas"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    # Set before rating, so the rating's save already carries the external penilai (and its history row).
    Evaluasi.objects.filter(pk=evaluasi.pk).update(penilai_eksternal=penilai)
    ev = services.set_rating(
        evaluasi,
        oleh,
        rating_hasil,
        alasan_hasil,
        rating_perilaku,
        alasan_perilaku,
        catatan=catatan,
        rekomendasi=rekomendasi,
        versi=versi,
        sekarang=sekarang,
    )
    keputusan = KeputusanPenilaiEksternal(
        evaluasi=ev,
        penilai=penilai,
        nomor=nomor,
        tanggal=tanggal,
        rating_hasil=ev.rating_hasil,
        rating_perilaku=ev.rating_perilaku,
        dicatat_oleh=oleh,
    )
    keputusan._history_user = oleh  # type: ignore[attr-defined]
    if berkas is not None and valid is not None:
        keputusan.nama_asli, keputusan.jenis = valid.nama, valid.tipe
        keputusan.ukuran, keputusan.sha256 = valid.ukuran, valid.sha256
        save_with_file(keputusan, berkas, valid.nama)
    else:
        keputusan.save()
    return ev
