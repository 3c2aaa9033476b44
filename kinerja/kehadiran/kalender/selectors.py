"""Reads of the working-calendar pages (docs/rules.md §27.x): a constant number of queries per page,
whatever the number of units, variants, holidays or pegawai shown."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kinerja.kehadiran import selectors as sk
from kinerja.kehadiran.models import HariLibur, JadwalKerja, JadwalShift, Shift, TahunKalender, VarianJadwal
from kinerja.organisasi.models import Instansi, Pegawai, Penempatan, UnitKerja
from kinerja.rules import jadwal
from kinerja.rules import kehadiran as aturan_hadir
from kinerja.rules.types import JenisPenempatan

NAMA_HARI = aturan_hadir.NAMA_HARI
NAMA_BULAN = jadwal.NAMA_BULAN


@dataclass
class BarisHari:
    """One weekday row of a schedule form."""

    nomor: int
    nama: str
    kerja: bool
    masuk: str
    pulang: str
    istirahat: str
    galat: str = ""


def baris_hari(isian: dict[str, Any], galat: dict[str, str] | None = None) -> list[BarisHari]:
    """The seven weekday rows of a form from its fields (see `services.baca_hari`)."""
    galat = galat or {}
    return [
        BarisHari(
            d,
            nama,
            bool(isian.get(f"kerja_{d}")),
            str(isian.get(f"masuk_{d}", "") or ""),
            str(isian.get(f"pulang_{d}", "") or ""),
            str(isian.get(f"istirahat_{d}", "") or ""),
            galat.get(f"hari_{d}", ""),
        )
        for d, nama in enumerate(NAMA_HARI)
    ]


def ringkas_hari(hari: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """``[("Senin", "07.30–16.00, istirahat 60 menit"), …]`` of a stored ``hari`` (working days only)."""
    hasil = []
    for d, nama in enumerate(NAMA_HARI):
        j = hari.get(str(d))
        if j:
            m, p = str(j["masuk"]).replace(":", "."), str(j["pulang"]).replace(":", ".")
            hasil.append((nama, f"{m}–{p}, istirahat {j.get('istirahat', 0)} menit"))
    return hasil


def unit_instansi(instansi: Instansi) -> list[UnitKerja]:
    return list(
        UnitKerja.objects.filter(instansi=instansi).order_by("kode", "nama").only("pk", "kode", "nama")
    )


def jadwal_instansi(instansi: Instansi) -> tuple[JadwalKerja | None, list[JadwalKerja]]:
    """The instansi's own schedule (None: Perpres 21/2023) and the unit schedules, with their units."""
    semua = list(JadwalKerja.objects.filter(instansi=instansi).select_related("unit").order_by("unit__kode"))
    return next((j for j in semua if j.unit_id is None), None), [j for j in semua if j.unit_id is not None]


def varian_instansi(instansi: Instansi) -> list[VarianJadwal]:
    return list(VarianJadwal.objects.filter(instansi=instansi).select_related("unit").order_by("-mulai"))


def shift_instansi(instansi: Instansi) -> list[Shift]:
    return list(Shift.objects.filter(instansi=instansi).order_by("masuk", "nama"))


def pegawai_unit(unit: UnitKerja, mulai: datetime.date, selesai: datetime.date) -> list[Pegawai]:
    """The pegawai whose definitif jabatan is in ``unit`` at some day of the range, by name."""
    ids = (
        Penempatan.objects.filter(
            jabatan__unit=unit, jenis=JenisPenempatan.DEFINITIF.value, mulai__lte=selesai
        )
        .exclude(selesai__lt=mulai)
        .values("pegawai_id")
    )
    return list(Pegawai.objects.filter(pk__in=ids, instansi_id=unit.instansi_id).order_by("nama"))


@dataclass
class GridShift:
    """A unit's month: one row per pegawai, one cell per date (the shift's name or empty)."""

    tanggal: list[datetime.date]
    baris: list[tuple[Pegawai, list[Shift | None]]] = field(default_factory=list)


def grid_shift(unit: UnitKerja, tahun: int, bulan: int) -> GridShift:
    mulai = datetime.date(tahun, bulan, 1)
    selesai = datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    tanggal = [mulai + datetime.timedelta(days=i) for i in range((selesai - mulai).days + 1)]
    pegawai = pegawai_unit(unit, mulai, selesai)
    peta: dict[int, dict[datetime.date, Shift]] = defaultdict(dict)
    for js in JadwalShift.objects.filter(
        pegawai_id__in=[p.pk for p in pegawai], tanggal__range=(mulai, selesai)
    ).select_related("shift"):
        peta[js.pegawai_id][js.tanggal] = js.shift
    return GridShift(tanggal, [(p, [peta[p.pk].get(t) for t in tanggal]) for p in pegawai])


@dataclass
class KalenderLibur:
    tahun: int
    hari: list[HariLibur] | list[aturan_hadir.HariLibur]
    catatan: TahunKalender | None

    @property
    def perlu_diperiksa(self) -> bool:
        return bool(self.hari) and (self.catatan is None or self.catatan.diperiksa_pada is None)


def kalender_libur(instansi: Instansi | int, tahun: int) -> KalenderLibur:
    instansi_id = instansi if isinstance(instansi, int) else instansi.pk
    return KalenderLibur(
        tahun,
        list(HariLibur.objects.filter(instansi_id=instansi_id, tanggal__year=tahun).order_by("tanggal")),
        TahunKalender.objects.filter(instansi_id=instansi_id, tahun=tahun)
        .select_related("diperiksa_oleh")
        .first(),
    )


@dataclass
class KalenderKerjaPegawai:
    """What the read-only "Kalender kerja" page shows one pegawai."""

    unit: str
    jadwal: aturan_hadir.JadwalKerja
    varian: list[aturan_hadir.VarianJadwal]
    bulan: list[tuple[datetime.date, aturan_hadir.JamKerja | None, aturan_hadir.HariLibur | None]]
    libur: KalenderLibur


def kalender_kerja(instansi_id: int, pegawai: Pegawai | None, tahun: int, bulan: int) -> KalenderKerjaPegawai:
    """A pegawai's schedule in force (or the instansi's, for an account without a pegawai), their month day
    by day (shift > variant > schedule, holidays marked) and the year's holidays. 7 queries."""
    mulai = datetime.date(tahun, bulan, 1)
    selesai = datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    kal = sk.kalender(instansi_id, datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31))
    # The unit of the definitif jabatan (as `sk.unit_pegawai`) with its name, in one query.
    unit_id, unit_nama = (
        Penempatan.objects.aktif_pada(selesai)
        .filter(pegawai=pegawai, jenis=JenisPenempatan.DEFINITIF.value)
        .order_by("mulai")
        .values_list("jabatan__unit_id", "jabatan__unit__nama")
        .last()
        if pegawai is not None
        else None
    ) or (None, "")
    shift: dict[datetime.date, aturan_hadir.JamKerja] = {}
    if pegawai is not None:
        for t, nama, masuk, pulang, ist in JadwalShift.objects.filter(
            pegawai=pegawai, tanggal__range=(mulai, selesai)
        ).values_list("tanggal", "shift__nama", "shift__masuk", "shift__pulang", "shift__istirahat_menit"):
            shift[t] = aturan_hadir.JamKerja(masuk, pulang, ist, nama)
    jadwal = kal.jadwal_unit(unit_id) or aturan_hadir.jadwal_perpres_21_2023()
    varian = kal.varian_unit(unit_id)
    hari = []
    t = mulai
    while t <= selesai:
        jam = aturan_hadir.jam_berlaku(t, jadwal=jadwal, varian=varian, shift=shift)
        hari.append((t, jam, kal.libur.get(t)))
        t += datetime.timedelta(days=1)
    # Whether the admin checked the year is the admin's concern: not read here (the page stays ≤ 12 queries).
    libur = KalenderLibur(tahun, sorted(kal.libur.values(), key=lambda h: h.tanggal), None)
    return KalenderKerjaPegawai(unit_nama, jadwal, sorted(varian, key=lambda v: v.mulai), hari, libur)
