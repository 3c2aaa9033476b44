"""Writes of the pegawai's absence and correction requests (docs/rules.md §27). One function per use case,
atomic, permission-checked (`kinerja.permissions.kehadiran`), audited with the acting user; every decision
that changes a pegawai's days is announced with `kabarkan_perubahan` (the TPP feature recomputes).

* `ajukan_ketidakhadiran` / `batalkan_ketidakhadiran` / `putuskan_ketidakhadiran` — the pegawai asks, may
  withdraw while it waits, an atasan approves or refuses (with a note).
* `catat_ketidakhadiran` — the admin records an absence already approved elsewhere (SI cuti).
* `ajukan_koreksi` / `batalkan_koreksi` / `putuskan_koreksi` — a correction of a past day; approving it adds
  taps with ``sumber=koreksi``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from kinerja.common.berkas import validate_berkas
from kinerja.kehadiran.models import (
    JENIS_KETIDAKHADIRAN_CHOICES,
    JenisKoreksi,
    Ketidakhadiran,
    KoreksiKehadiran,
    Rekaman,
    StatusPengajuan,
    SumberRekaman,
)
from kinerja.kehadiran.signals import kabarkan_perubahan
from kinerja.organisasi.models import Pegawai, User
from kinerja.permissions import require
from kinerja.rules.jadwal import format_tanggal

PANJANG_TEKS = 2000
#: How far back a correction may be asked (docs/rules.md §27).
BATAS_KOREKSI_HARI = 30
#: The longest absence one request may cover, in calendar days; long leaves (CLTN, tugas belajar, cuti
#: besar/melahirkan) get their own bound (docs/rules.md §27).
MAKS_HARI_KETIDAKHADIRAN = 60
MAKS_HARI_PER_JENIS = {
    "cuti_besar": 92,
    "cuti_melahirkan": 92,
    "cuti_sakit": 366,
    "cltn": 3 * 366,
    "tugas_belajar": 5 * 366,
}
_JENIS_ABSEN = dict(JENIS_KETIDAKHADIRAN_CHOICES)
_MENUNGGU_ATAU_DISETUJUI = (StatusPengajuan.DIAJUKAN, StatusPengajuan.DISETUJUI)


@dataclass(frozen=True)
class Unggahan:
    """One uploaded file: the file object, the name the user gave it, its size in bytes."""

    berkas: IO[bytes]
    nama: str
    ukuran: int


def _hari_ini(hari_ini: datetime.date | None) -> datetime.date:
    return hari_ini if hari_ini is not None else timezone.localdate()


def _teks(nilai: Any, field: str, kosong: str | None, label: str) -> str:
    teks = (nilai or "").strip()
    if not teks and kosong:
        raise ValidationError({field: kosong})
    if len(teks) > PANJANG_TEKS:
        raise ValidationError({field: f"{label} paling panjang {PANJANG_TEKS} karakter ({len(teks)})."})
    return teks


def _kunci_pegawai(pegawai: Pegawai) -> Pegawai:
    """The pegawai row locked: two requests of the same pegawai at once cannot both pass the overlap check."""
    return Pegawai.objects.select_for_update().select_related("instansi").get(pk=pegawai.pk)


def _simpan_bukti(obj: Ketidakhadiran | KoreksiKehadiran, bukti: Unggahan | None, batas_mb: int) -> None:
    """Check the file like every bukti (type by content, the instansi's size limit), store it as
    ``obj.bukti`` and save ``obj``; a row that cannot be saved leaves no file behind."""
    if bukti is None:
        obj.save()
        return
    try:
        valid = validate_berkas(bukti.berkas, bukti.nama, bukti.ukuran, batas_mb)
    except ValidationError as exc:
        raise ValidationError({"bukti": exc.messages}) from None
    bukti.berkas.seek(0)
    obj.bukti.save(valid.nama, File(bukti.berkas, name=valid.nama), save=False)
    nama = obj.bukti.name
    try:
        obj.save()
    except Exception:
        obj.bukti.storage.delete(nama)
        raise


# --- ketidakhadiran -------------------------------------------------------------------------------------


def _cek_rentang(pegawai: Pegawai, jenis: str, mulai: Any, selesai: Any, abaikan: int | None = None) -> None:
    if jenis not in _JENIS_ABSEN:
        raise ValidationError({"jenis": "Pilih jenis ketidakhadiran dari daftar."})
    if not isinstance(mulai, datetime.date):
        raise ValidationError({"mulai": "Isi tanggal mulai."})
    if not isinstance(selesai, datetime.date):
        raise ValidationError({"selesai": "Isi tanggal sampai."})
    if selesai < mulai:
        raise ValidationError(
            {
                "selesai": f"Tanggal sampai ({format_tanggal(selesai)}) tidak boleh sebelum tanggal mulai "
                f"({format_tanggal(mulai)})."
            }
        )
    lama = (selesai - mulai).days + 1
    batas = MAKS_HARI_PER_JENIS.get(jenis, MAKS_HARI_KETIDAKHADIRAN)
    if lama > batas:
        raise ValidationError(
            {
                "selesai": f"{_JENIS_ABSEN[jenis]} paling lama {batas} hari dalam satu pengajuan "
                f"(diajukan {lama} hari). Pecah menjadi beberapa pengajuan."
            }
        )
    bentrok = (
        Ketidakhadiran.objects.filter(
            pegawai=pegawai, status__in=_MENUNGGU_ATAU_DISETUJUI, mulai__lte=selesai, selesai__gte=mulai
        )
        .exclude(pk=abaikan)
        .order_by("mulai")
        .first()
    )
    if bentrok is not None:
        raise ValidationError(
            {
                "mulai": f"Tanggal ini bertumpang tindih dengan {bentrok.get_jenis_display().lower()} "
                f"{format_tanggal(bentrok.mulai)} – {format_tanggal(bentrok.selesai)} yang "
                f"{bentrok.get_status_display().lower()}."
            }
        )


@transaction.atomic
def ajukan_ketidakhadiran(
    oleh: User,
    pegawai: Pegawai,
    *,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date,
    keterangan: str = "",
    bukti: Unggahan | None = None,
) -> Ketidakhadiran:
    """The pegawai asks for an absence; it waits for an atasan's decision."""
    require(oleh, "kehadiran.request_kehadiran", pegawai, "Hanya pegawai yang bersangkutan dapat mengajukan.")
    pegawai = _kunci_pegawai(pegawai)
    _cek_rentang(pegawai, jenis, mulai, selesai)
    k = Ketidakhadiran(
        pegawai=pegawai,
        jenis=jenis,
        mulai=mulai,
        selesai=selesai,
        keterangan=_teks(keterangan, "keterangan", None, "Keterangan"),
        diajukan_oleh=oleh,
    )
    k._history_user = oleh  # type: ignore[attr-defined]
    _simpan_bukti(k, bukti, pegawai.instansi.batas_ukuran_bukti_mb)
    return k


@transaction.atomic
def catat_ketidakhadiran(
    oleh: User,
    pegawai: Pegawai,
    *,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date,
    keterangan: str = "",
    bukti: Unggahan | None = None,
) -> Ketidakhadiran:
    """The admin records an absence already approved outside (a cuti from the SI cuti): approved at once."""
    require(oleh, "kehadiran.manage_kehadiran", pegawai.instansi_id)
    pegawai = _kunci_pegawai(pegawai)
    _cek_rentang(pegawai, jenis, mulai, selesai)
    k = Ketidakhadiran(
        pegawai=pegawai,
        jenis=jenis,
        mulai=mulai,
        selesai=selesai,
        keterangan=_teks(keterangan, "keterangan", None, "Keterangan"),
        status=StatusPengajuan.DISETUJUI,
        diajukan_oleh=oleh,
        diputuskan_oleh=oleh,
        diputuskan_pada=timezone.now(),
        catatan_keputusan="Dicatat oleh admin kepegawaian.",
    )
    k._history_user = oleh  # type: ignore[attr-defined]
    _simpan_bukti(k, bukti, pegawai.instansi.batas_ukuran_bukti_mb)
    kabarkan_perubahan(pegawai.instansi_id, [pegawai.pk], mulai, selesai)
    return k


def _ambil_absen(k: Ketidakhadiran) -> Ketidakhadiran:
    return Ketidakhadiran.objects.select_for_update(of=("self",)).select_related("pegawai").get(pk=k.pk)


def _harus_menunggu(status: str, apa: str) -> None:
    if status != StatusPengajuan.DIAJUKAN:
        label = StatusPengajuan(status).label.lower()
        raise ValidationError(f"{apa} ini sudah {label}; tidak dapat diubah lagi.")


@transaction.atomic
def batalkan_ketidakhadiran(oleh: User, k: Ketidakhadiran) -> Ketidakhadiran:
    """The pegawai withdraws a request still waiting."""
    require(oleh, "kehadiran.cancel_pengajuan", k, "Hanya pegawai yang mengajukan dapat membatalkannya.")
    k = _ambil_absen(k)
    _harus_menunggu(k.status, "Pengajuan ketidakhadiran")
    k.status = StatusPengajuan.DIBATALKAN
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    return k


@transaction.atomic
def putuskan_ketidakhadiran(
    oleh: User, k: Ketidakhadiran, *, setuju: bool, catatan: str = ""
) -> Ketidakhadiran:
    """An atasan approves (the days become the absence) or refuses (with a note) a waiting request."""
    require(oleh, "kehadiran.decide_pengajuan", k, "Hanya atasan pegawai yang dapat memutus pengajuan ini.")
    k = _ambil_absen(k)
    _harus_menunggu(k.status, "Pengajuan ketidakhadiran")
    catatan = _teks(catatan, "catatan", None if setuju else "Tuliskan alasan penolakan.", "Catatan")
    if setuju:
        _cek_rentang(k.pegawai, k.jenis, k.mulai, k.selesai, abaikan=k.pk)
    k.status = StatusPengajuan.DISETUJUI if setuju else StatusPengajuan.DITOLAK
    k.diputuskan_oleh = oleh
    k.diputuskan_pada = timezone.now()
    k.catatan_keputusan = catatan
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    if setuju:
        kabarkan_perubahan(k.pegawai.instansi_id, [k.pegawai_id], k.mulai, k.selesai)
    return k


# --- koreksi --------------------------------------------------------------------------------------------


@transaction.atomic
def ajukan_koreksi(
    oleh: User,
    pegawai: Pegawai,
    *,
    tanggal: datetime.date,
    jenis: str,
    masuk: datetime.time | None,
    pulang: datetime.time | None,
    alasan: str,
    bukti: Unggahan | None = None,
    hari_ini: datetime.date | None = None,
) -> KoreksiKehadiran:
    """The pegawai asks to correct a past day (not today, not older than `BATAS_KOREKSI_HARI`)."""
    require(oleh, "kehadiran.request_kehadiran", pegawai, "Hanya pegawai yang bersangkutan dapat mengajukan.")
    hari_ini = _hari_ini(hari_ini)
    if not isinstance(tanggal, datetime.date):
        raise ValidationError({"tanggal": "Isi tanggal yang dikoreksi."})
    if tanggal >= hari_ini:
        raise ValidationError(
            {"tanggal": "Koreksi hanya untuk hari yang sudah lewat (bukan hari ini atau yang akan datang)."}
        )
    if (hari_ini - tanggal).days > BATAS_KOREKSI_HARI:
        raise ValidationError(
            {
                "tanggal": f"Koreksi paling lambat {BATAS_KOREKSI_HARI} hari setelah tanggalnya; "
                f"{format_tanggal(tanggal)} sudah lewat batas. Hubungi admin kepegawaian."
            }
        )
    if jenis not in JenisKoreksi.values:
        raise ValidationError({"jenis": "Pilih jenis koreksi dari daftar."})
    if masuk is None and pulang is None:
        raise ValidationError({"masuk": "Isi jam masuk, jam pulang, atau keduanya."})
    if masuk is not None and pulang is not None and pulang <= masuk:
        raise ValidationError({"pulang": "Jam pulang harus setelah jam masuk."})
    alasan = _teks(alasan, "alasan", "Tuliskan alasan koreksi.", "Alasan")
    pegawai = _kunci_pegawai(pegawai)
    if KoreksiKehadiran.objects.filter(
        pegawai=pegawai, tanggal=tanggal, status=StatusPengajuan.DIAJUKAN
    ).exists():
        raise ValidationError(
            {"tanggal": f"Sudah ada koreksi {format_tanggal(tanggal)} yang menunggu persetujuan."}
        )
    k = KoreksiKehadiran(
        pegawai=pegawai, tanggal=tanggal, jenis=jenis, masuk=masuk, pulang=pulang, alasan=alasan
    )
    k._history_user = oleh  # type: ignore[attr-defined]
    _simpan_bukti(k, bukti, pegawai.instansi.batas_ukuran_bukti_mb)
    return k


def _ambil_koreksi(k: KoreksiKehadiran) -> KoreksiKehadiran:
    return KoreksiKehadiran.objects.select_for_update(of=("self",)).select_related("pegawai").get(pk=k.pk)


@transaction.atomic
def batalkan_koreksi(oleh: User, k: KoreksiKehadiran) -> KoreksiKehadiran:
    """The pegawai withdraws a correction still waiting."""
    require(oleh, "kehadiran.cancel_pengajuan", k, "Hanya pegawai yang mengajukan dapat membatalkannya.")
    k = _ambil_koreksi(k)
    _harus_menunggu(k.status, "Koreksi kehadiran")
    k.status = StatusPengajuan.DIBATALKAN
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    return k


def _waktu(tanggal: datetime.date, jam: datetime.time) -> datetime.datetime:
    """A local wall-clock time as an aware datetime in settings.TIME_ZONE."""
    return timezone.make_aware(datetime.datetime.combine(tanggal, jam.replace(microsecond=0)))


@transaction.atomic
def putuskan_koreksi(oleh: User, k: KoreksiKehadiran, *, setuju: bool, catatan: str = "") -> KoreksiKehadiran:
    """An atasan approves (the times become taps, ``sumber=koreksi``) or refuses (with a note)."""
    require(oleh, "kehadiran.decide_pengajuan", k, "Hanya atasan pegawai yang dapat memutus koreksi ini.")
    k = _ambil_koreksi(k)
    _harus_menunggu(k.status, "Koreksi kehadiran")
    catatan = _teks(catatan, "catatan", None if setuju else "Tuliskan alasan penolakan.", "Catatan")
    k.status = StatusPengajuan.DISETUJUI if setuju else StatusPengajuan.DITOLAK
    k.diputuskan_oleh = oleh
    k.diputuskan_pada = timezone.now()
    k.catatan_keputusan = catatan
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    if setuju:
        for jam in (k.masuk, k.pulang):
            if jam is None:
                continue
            # A tap at that very second already exists (unique per pegawai and second): nothing to add.
            Rekaman.objects.get_or_create(
                pegawai_id=k.pegawai_id,
                waktu=_waktu(k.tanggal, jam),
                defaults={"sumber": SumberRekaman.KOREKSI, "koreksi": k},
            )
        kabarkan_perubahan(k.pegawai.instansi_id, [k.pegawai_id], k.tanggal, k.tanggal)
    return k
