"""Writes of the working calendar (docs/rules.md §27.x "Where the calendar lives"): weekly schedules,
dated variants, shifts and the roster, the holiday calendar of a year, the attendance settings.

Every write runs in one transaction, is refused unless the user is the instansi's admin
(``kehadiran.manage_kehadiran``), records the user in the history, and tells the other features which days
changed (`kabarkan_perubahan`, sent after the commit).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from kinerja.kehadiran.models import (
    HariLibur,
    JadwalKerja,
    JadwalShift,
    PengaturanKehadiran,
    Shift,
    TahunKalender,
    VarianJadwal,
)
from kinerja.kehadiran.signals import kabarkan_perubahan
from kinerja.organisasi.models import Instansi, Pegawai, UnitKerja, User
from kinerja.permissions import require
from kinerja.rules import kehadiran as aturan_hadir
from kinerja.rules.jenis_hari import JenisHari

TOLAK = "Kalender kerja hanya dapat dikelola oleh admin kepegawaian instansi."
NAMA_HARI = aturan_hadir.NAMA_HARI
#: The longest roster written at once (a year): longer ranges are a typing mistake more often than not.
ROSTER_MAKS_HARI = 366


def _simpan(obj: Model, oleh: User) -> None:
    obj._history_user = oleh  # type: ignore[attr-defined]
    obj.save()


def _hapus(obj: Model, oleh: User) -> None:
    obj._history_user = oleh  # type: ignore[attr-defined]
    obj.delete()


def _sisa_tahun() -> tuple[datetime.date, datetime.date]:
    """A schedule change touches the days from today to the end of the year (earlier days are past)."""
    hari_ini = timezone.localdate()
    return hari_ini, datetime.date(hari_ini.year, 12, 31)


def _jam(teks: Any) -> datetime.time | None:
    if isinstance(teks, datetime.time):
        return teks
    teks = str(teks or "").strip().replace(".", ":")
    try:
        return datetime.time.fromisoformat(teks) if teks else None
    except ValueError:
        return None


def _menit(teks: Any) -> int | None:
    try:
        n = int(str(teks if teks is not None else "").strip() or "0")
    except ValueError:
        return None
    return n if n >= 0 else None


def _unit_instansi(unit: UnitKerja | None, instansi: Instansi) -> None:
    if unit is not None and unit.instansi_id != instansi.pk:
        raise ValidationError({"unit": "Unit kerja tidak termasuk instansi ini."})


def baca_hari(isian: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The stored ``hari`` of a schedule from a form's fields ``kerja_<d>``, ``masuk_<d>``, ``pulang_<d>``,
    ``istirahat_<d>`` (d = 0 Senin … 6 Minggu). Every mistake is reported at once under ``hari_<d>``,
    naming the day. A working day's pulang must come after its masuk: a day past midnight is a shift."""
    galat: dict[str, str] = {}
    hari: dict[str, dict[str, Any]] = {}
    for d, nama in enumerate(NAMA_HARI):
        if not isian.get(f"kerja_{d}"):
            continue
        masuk, pulang = _jam(isian.get(f"masuk_{d}")), _jam(isian.get(f"pulang_{d}"))
        istirahat = _menit(isian.get(f"istirahat_{d}"))
        if masuk is None or pulang is None:
            galat[f"hari_{d}"] = f"{nama}: jam masuk dan jam pulang wajib diisi (contoh 07:30)."
        elif pulang <= masuk:
            galat[f"hari_{d}"] = (
                f"{nama}: jam pulang ({pulang:%H.%M}) harus sesudah jam masuk ({masuk:%H.%M}). "
                "Jam kerja yang melewati tengah malam diatur sebagai shift."
            )
        elif istirahat is None:
            galat[f"hari_{d}"] = f"{nama}: lama istirahat harus bilangan bulat menit, 0 atau lebih."
        else:
            jam = aturan_hadir.JamKerja(masuk, pulang, 0)
            if istirahat >= jam.menit_kerja:
                galat[f"hari_{d}"] = (
                    f"{nama}: istirahat {istirahat} menit harus lebih singkat dari lama jam kerja "
                    f"({jam.menit_kerja} menit)."
                )
            else:
                hari[str(d)] = {
                    "masuk": f"{masuk:%H:%M}",
                    "pulang": f"{pulang:%H:%M}",
                    "istirahat": istirahat,
                }
    if not hari and not galat:
        galat["hari"] = "Pilih paling sedikit satu hari kerja."
    if galat:
        raise ValidationError(galat)
    return hari


# --- weekly schedules -----------------------------------------------------------------------------------


def simpan_jadwal(
    oleh: User, instansi: Instansi, unit: UnitKerja | None, nama: str, isian: Mapping[str, Any]
) -> JadwalKerja:
    """Save the instansi's weekly schedule (``unit`` None) or one unit's (it also covers the units below
    it that have none of their own); the row is created on the first save."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    _unit_instansi(unit, instansi)
    galat: dict[str, str] = {}
    try:
        hari = baca_hari(isian)
    except ValidationError as exc:
        galat.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        hari = {}
    nama = (nama or "").strip() or ("Jadwal instansi" if unit is None else f"Jadwal {unit.nama}")[:100]
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        jadwal = JadwalKerja.objects.select_for_update().filter(
            instansi=instansi, unit=unit
        ).first() or JadwalKerja(instansi=instansi, unit=unit)
        jadwal.nama = nama
        jadwal.hari = hari
        _simpan(jadwal, oleh)
        kabarkan_perubahan(instansi.pk, None, *_sisa_tahun())
    return jadwal


def hapus_jadwal(oleh: User, jadwal: JadwalKerja) -> None:
    """Remove a schedule: the unit falls back to the nearest one up the tree (the instansi's own back to
    Perpres 21/2023)."""
    require(oleh, "kehadiran.manage_kehadiran", jadwal.instansi_id, TOLAK)
    with transaction.atomic():
        _hapus(jadwal, oleh)
        kabarkan_perubahan(jadwal.instansi_id, None, *_sisa_tahun())


# --- dated variants -------------------------------------------------------------------------------------


def simpan_varian(
    oleh: User,
    instansi: Instansi,
    *,
    unit: UnitKerja | None,
    nama: str,
    mulai: datetime.date | None,
    selesai: datetime.date | None,
    isian: Mapping[str, Any],
    varian: VarianJadwal | None = None,
) -> VarianJadwal:
    """Create (or change, ``varian``) a dated schedule of the whole instansi or one unit. Two variants of
    the same scope may not overlap (which one would hold is then a guess)."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    _unit_instansi(unit, instansi)
    if varian is not None and varian.instansi_id != instansi.pk:
        raise ValidationError("Varian jadwal tidak termasuk instansi ini.")
    galat: dict[str, str] = {}
    nama = (nama or "").strip()
    if not nama:
        galat["nama"] = "Nama varian wajib diisi (contoh: Ramadan 1447 H)."
    if mulai is None:
        galat["mulai"] = "Tanggal mulai wajib diisi dengan tanggal yang valid."
    if selesai is None:
        galat["selesai"] = "Tanggal selesai wajib diisi dengan tanggal yang valid."
    if mulai and selesai and selesai < mulai:
        galat["selesai"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
    try:
        hari = baca_hari(isian)
    except ValidationError as exc:
        galat.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        hari = {}
    if galat:
        raise ValidationError(galat)
    assert mulai is not None and selesai is not None
    with transaction.atomic():
        bentrok = (
            VarianJadwal.objects.select_for_update()
            .filter(instansi=instansi, unit=unit, mulai__lte=selesai, selesai__gte=mulai)
            .exclude(pk=varian.pk if varian else None)
            .first()
        )
        if bentrok is not None:
            raise ValidationError(
                {
                    "mulai": f"Tanggal bertumpang tindih dengan varian {bentrok.nama} "
                    f"({bentrok.mulai:%d-%m-%Y} s.d. {bentrok.selesai:%d-%m-%Y}) untuk cakupan yang sama."
                }
            )
        lama = (varian.mulai, varian.selesai) if varian else (mulai, selesai)
        obj = varian or VarianJadwal(instansi=instansi)
        obj.unit, obj.nama, obj.mulai, obj.selesai, obj.hari = unit, nama[:100], mulai, selesai, hari
        _simpan(obj, oleh)
        kabarkan_perubahan(instansi.pk, None, min(lama[0], mulai), max(lama[1], selesai))
    return obj


def hapus_varian(oleh: User, varian: VarianJadwal) -> None:
    require(oleh, "kehadiran.manage_kehadiran", varian.instansi_id, TOLAK)
    with transaction.atomic():
        mulai, selesai = varian.mulai, varian.selesai
        _hapus(varian, oleh)
        kabarkan_perubahan(varian.instansi_id, None, mulai, selesai)


def isian_ramadan() -> dict[str, str]:
    """The form fields of `kinerja.rules.kehadiran.jadwal_ramadan` (the "Isi jam Ramadan" button)."""
    return isian_dari_hari(jadwal_ke_isian(aturan_hadir.jadwal_ramadan()))


def jadwal_ke_isian(jadwal: aturan_hadir.JadwalKerja) -> dict[str, dict[str, Any]]:
    return {
        str(d): {"masuk": f"{j.masuk:%H:%M}", "pulang": f"{j.pulang:%H:%M}", "istirahat": j.istirahat_menit}
        for d, j in jadwal.hari.items()
    }


def isian_dari_hari(hari: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Stored ``hari`` → the form fields `baca_hari` reads."""
    isian: dict[str, str] = {}
    for d, j in hari.items():
        isian[f"kerja_{d}"] = "on"
        isian[f"masuk_{d}"] = str(j["masuk"])
        isian[f"pulang_{d}"] = str(j["pulang"])
        isian[f"istirahat_{d}"] = str(j.get("istirahat", 0))
    return isian


# --- shifts and the roster ------------------------------------------------------------------------------


def simpan_shift(
    oleh: User,
    instansi: Instansi,
    *,
    nama: str,
    masuk: Any,
    pulang: Any,
    istirahat: Any,
    shift: Shift | None = None,
) -> Shift:
    """Create or change a named shift. ``pulang`` before ``masuk`` is a shift past midnight."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    if shift is not None and shift.instansi_id != instansi.pk:
        raise ValidationError("Shift tidak termasuk instansi ini.")
    galat: dict[str, str] = {}
    nama = (nama or "").strip()
    jam_masuk, jam_pulang, menit = _jam(masuk), _jam(pulang), _menit(istirahat)
    if not nama:
        galat["nama"] = "Nama shift wajib diisi (contoh: Pagi)."
    elif (
        Shift.objects.filter(instansi=instansi, nama__iexact=nama)
        .exclude(pk=shift.pk if shift else None)
        .exists()
    ):
        galat["nama"] = f"Shift bernama {nama} sudah ada."
    if jam_masuk is None:
        galat["masuk"] = "Jam masuk wajib diisi (contoh 07:00)."
    if jam_pulang is None:
        galat["pulang"] = "Jam pulang wajib diisi (contoh 14:00)."
    if menit is None:
        galat["istirahat"] = "Lama istirahat harus bilangan bulat menit, 0 atau lebih."
    if jam_masuk and jam_pulang and menit is not None:
        try:
            aturan_hadir.JamKerja(jam_masuk, jam_pulang, menit)
        except ValueError as exc:
            galat["pulang" if jam_masuk == jam_pulang else "istirahat"] = f"Shift {nama}: {exc}"
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        obj = shift or Shift(instansi=instansi)
        obj.nama, obj.masuk, obj.pulang, obj.istirahat_menit = nama[:60], jam_masuk, jam_pulang, menit
        _simpan(obj, oleh)
        if shift is not None:
            hari_ini = timezone.localdate()
            dipakai = JadwalShift.objects.filter(shift=obj, tanggal__gte=hari_ini)
            ids = list(dipakai.values_list("pegawai_id", flat=True).distinct())
            if ids:
                akhir = max(dipakai.values_list("tanggal", flat=True))
                kabarkan_perubahan(instansi.pk, ids, hari_ini, akhir)
    return obj


def hapus_shift(oleh: User, shift: Shift) -> None:
    require(oleh, "kehadiran.manage_kehadiran", shift.instansi_id, TOLAK)
    if JadwalShift.objects.filter(shift=shift).exists():
        raise ValidationError(
            f"Shift {shift.nama} masih dipakai dalam jadwal shift pegawai. "
            "Kosongkan jadwalnya terlebih dahulu."
        )
    with transaction.atomic():
        _hapus(shift, oleh)


def _rentang_roster(mulai: datetime.date | None, selesai: datetime.date | None) -> dict[str, str]:
    galat: dict[str, str] = {}
    if mulai is None:
        galat["mulai"] = "Tanggal mulai wajib diisi dengan tanggal yang valid."
    if selesai is None:
        galat["selesai"] = "Tanggal selesai wajib diisi dengan tanggal yang valid."
    if mulai and selesai:
        if selesai < mulai:
            galat["selesai"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
        elif (selesai - mulai).days + 1 > ROSTER_MAKS_HARI:
            galat["selesai"] = f"Rentang paling panjang {ROSTER_MAKS_HARI} hari."
    return galat


def _pegawai_instansi(instansi: Instansi, pegawai_ids: Iterable[int]) -> tuple[list[int], dict[str, str]]:
    ids = sorted({int(p) for p in pegawai_ids})
    if not ids:
        return ids, {"pegawai": "Pilih paling sedikit satu pegawai."}
    milik = set(Pegawai.objects.filter(instansi=instansi, pk__in=ids).values_list("pk", flat=True))
    if len(milik) != len(ids):
        return ids, {"pegawai": "Hanya pegawai instansi ini yang dapat diberi jadwal shift."}
    return ids, {}


def atur_jadwal_shift(
    oleh: User,
    instansi: Instansi,
    shift: Shift | None,
    pegawai_ids: Iterable[int],
    mulai: datetime.date | None,
    selesai: datetime.date | None,
) -> int:
    """Roster ``shift`` for each pegawai on every date from ``mulai`` to ``selesai`` (replacing the shift
    they had on those dates); returns the number of pegawai-days written."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    galat = _rentang_roster(mulai, selesai)
    if shift is None:
        galat["shift"] = "Pilih shift."
    elif shift.instansi_id != instansi.pk:
        galat["shift"] = "Shift tidak termasuk instansi ini."
    ids, g = _pegawai_instansi(instansi, pegawai_ids)
    galat.update(g)
    if galat:
        raise ValidationError(galat)
    assert mulai is not None and selesai is not None and shift is not None
    tanggal = [mulai + datetime.timedelta(days=i) for i in range((selesai - mulai).days + 1)]
    with transaction.atomic():
        ada = {
            (r.pegawai_id, r.tanggal): r
            for r in JadwalShift.objects.select_for_update().filter(
                pegawai_id__in=ids, tanggal__range=(mulai, selesai)
            )
        }
        n = 0
        for pid in ids:
            for t in tanggal:
                baris = ada.get((pid, t))
                if baris is not None and baris.shift_id == shift.pk:
                    continue
                baris = baris or JadwalShift(pegawai_id=pid, tanggal=t)
                baris.shift = shift
                _simpan(baris, oleh)
                n += 1
        kabarkan_perubahan(instansi.pk, ids, mulai, selesai)
    return n


def kosongkan_jadwal_shift(
    oleh: User,
    instansi: Instansi,
    pegawai_ids: Iterable[int],
    mulai: datetime.date | None,
    selesai: datetime.date | None,
) -> int:
    """Remove the rostered shifts of the pegawai from ``mulai`` to ``selesai``; returns how many."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    galat = _rentang_roster(mulai, selesai)
    ids, g = _pegawai_instansi(instansi, pegawai_ids)
    galat.update(g)
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        baris = list(
            JadwalShift.objects.select_for_update().filter(
                pegawai_id__in=ids, tanggal__range=(mulai, selesai)
            )
        )
        for b in baris:
            _hapus(b, oleh)
        assert mulai is not None and selesai is not None
        kabarkan_perubahan(instansi.pk, ids, mulai, selesai)
    return len(baris)


# --- the holiday calendar -------------------------------------------------------------------------------


def data_nasional(tahun: int) -> list[dict[str, str]] | None:
    """The national calendar of ``tahun`` shipped in ``data/libur_<tahun>.json`` (None when not shipped)."""
    berkas = resources.files("kinerja.kehadiran.kalender").joinpath("data", f"libur_{tahun}.json")
    if not berkas.is_file():
        return None
    isi = json.loads(berkas.read_text(encoding="utf-8"))
    return list(isi["hari"])


def _tahun_perlu_diperiksa(instansi: Instansi, tahun: int, oleh: User) -> TahunKalender:
    baris, _ = TahunKalender.objects.get_or_create(instansi=instansi, tahun=tahun)
    if baris.diperiksa_pada is not None:
        baris.diperiksa_pada = None
        baris.diperiksa_oleh = None
        _simpan(baris, oleh)
    return baris


def isi_kalender_nasional(oleh: User, instansi: Instansi, tahun: int) -> int:
    """Add the shipped national holidays and cuti bersama of ``tahun`` that the instansi does not have yet
    (a date already in its calendar is kept as the admin left it); returns how many were added. When it
    adds any, the year is marked "perlu diperiksa" until the admin checks it. Running it twice adds nothing
    the second time."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    data = data_nasional(tahun)
    if data is None:
        raise ValidationError(
            f"Kalender nasional tahun {tahun} belum tersedia di aplikasi; isi secara manual."
        )
    with transaction.atomic():
        TahunKalender.objects.select_for_update().filter(instansi=instansi, tahun=tahun).first()
        ada = set(
            HariLibur.objects.filter(instansi=instansi, tanggal__year=tahun).values_list("tanggal", flat=True)
        )
        baru = []
        for h in data:
            t = datetime.date.fromisoformat(h["tanggal"])
            if t in ada:
                continue
            libur = HariLibur(instansi=instansi, tanggal=t, nama=h["nama"], jenis=JenisHari(h["jenis"]).value)
            _simpan(libur, oleh)
            baru.append(t)
        if baru:
            _tahun_perlu_diperiksa(instansi, tahun, oleh)
            kabarkan_perubahan(instansi.pk, None, min(baru), max(baru))
        else:
            TahunKalender.objects.get_or_create(instansi=instansi, tahun=tahun)
    return len(baru)


def tandai_diperiksa(oleh: User, instansi: Instansi, tahun: int) -> TahunKalender:
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    with transaction.atomic():
        baris = TahunKalender.objects.select_for_update().filter(instansi=instansi, tahun=tahun).first()
        baris = baris or TahunKalender(instansi=instansi, tahun=tahun)
        baris.diperiksa_oleh = oleh
        baris.diperiksa_pada = timezone.now()
        _simpan(baris, oleh)
    return baris


def simpan_hari_libur(
    oleh: User,
    instansi: Instansi,
    *,
    tanggal: datetime.date | None,
    nama: str,
    jenis: str,
    libur: HariLibur | None = None,
) -> HariLibur:
    """Add or change one holiday / cuti bersama date (audited; a checked year stays checked)."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    if libur is not None and libur.instansi_id != instansi.pk:
        raise ValidationError("Hari libur tidak termasuk instansi ini.")
    galat: dict[str, str] = {}
    nama = (nama or "").strip()
    if tanggal is None:
        galat["tanggal"] = "Tanggal wajib diisi dengan tanggal yang valid."
    elif (
        HariLibur.objects.filter(instansi=instansi, tanggal=tanggal)
        .exclude(pk=libur.pk if libur else None)
        .exists()
    ):
        galat["tanggal"] = f"Tanggal {tanggal:%d-%m-%Y} sudah ada dalam kalender libur."
    if not nama:
        galat["nama"] = "Keterangan wajib diisi (contoh: Hari Raya Idulfitri)."
    if jenis not in (JenisHari.LIBUR.value, JenisHari.CUTI_BERSAMA.value):
        galat["jenis"] = "Pilih jenis: libur nasional atau cuti bersama."
    if galat:
        raise ValidationError(galat)
    assert tanggal is not None
    with transaction.atomic():
        lama = libur.tanggal if libur else tanggal
        obj = libur or HariLibur(instansi=instansi)
        obj.tanggal, obj.nama, obj.jenis = tanggal, nama[:150], jenis
        _simpan(obj, oleh)
        TahunKalender.objects.get_or_create(instansi=instansi, tahun=tanggal.year)
        kabarkan_perubahan(instansi.pk, None, min(lama, tanggal), max(lama, tanggal))
    return obj


def hapus_hari_libur(oleh: User, libur: HariLibur) -> None:
    require(oleh, "kehadiran.manage_kehadiran", libur.instansi_id, TOLAK)
    with transaction.atomic():
        tanggal = libur.tanggal
        _hapus(libur, oleh)
        kabarkan_perubahan(libur.instansi_id, None, tanggal, tanggal)


# --- the attendance settings ----------------------------------------------------------------------------


def aturan_ke_json(aturan: aturan_hadir.AturanKehadiran) -> dict[str, Any]:
    """The stored form of `AturanKehadiran` (read back by `kinerja.kehadiran.selectors.aturan_kehadiran`)."""
    data = asdict(aturan)
    data["cara_baca"] = aturan.cara_baca.value
    return data


def simpan_pengaturan(
    oleh: User,
    instansi: Instansi,
    aturan: aturan_hadir.AturanKehadiran,
    *,
    atasan_lihat_tpp: bool,
    batas_isi_hari: int,
) -> PengaturanKehadiran:
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    if not 1 <= batas_isi_hari <= 28:
        raise ValidationError({"batas_isi_hari": "Batas pengisian harus tanggal 1 sampai 28."})
    with transaction.atomic():
        obj = PengaturanKehadiran.objects.select_for_update().filter(instansi=instansi).first()
        obj = obj or PengaturanKehadiran(instansi=instansi)
        obj.aturan = aturan_ke_json(aturan)
        obj.atasan_lihat_tpp = atasan_lihat_tpp
        obj.batas_isi_hari = batas_isi_hari
        _simpan(obj, oleh)
        kabarkan_perubahan(instansi.pk, None, *_sisa_tahun())
    return obj
