"""Periods of the performance year and their deadlines (CONFIG per instansi and year).

The performance year is January-December. Periodic evaluation is monthly, quarterly (the default) or
semesterly. "The n-th day after a period ends" is ``selesai + n days``: Triwulan I ends on 31 March, so
realisasi is due on 5 April and the periodic evaluation on 10 April. A deadline date is inclusive: input
on that day is on time, from the next day it is late (:func:`lewat_batas`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja.rules.types import Skema

__all__ = [
    "DEFAULT_DEADLINES",
    "NAMA_BULAN",
    "Deadlines",
    "PeriodeDefinisi",
    "Skema",
    "batas_evaluasi_tahunan",
    "batas_keberatan",
    "batas_keputusan_keberatan",
    "batas_skp",
    "batas_skp_penempatan",
    "lewat_batas",
    "periode_pada",
    "periode_penilaian",
    "tambah_bulan",
]

NAMA_BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_ROMAWI = ("I", "II", "III", "IV")
_BULAN_PER_PERIODE = {Skema.BULANAN: 1, Skema.TRIWULANAN: 3, Skema.SEMESTERAN: 6}


@dataclass(frozen=True)
class Deadlines:
    """Configurable deadline offsets (CONFIG); the defaults are the national ones.

    Day-of-month settings larger than the month has are clamped to its last day.
    """

    hari_realisasi: int = 5  # realisasi of a period: this many days after it ends
    hari_evaluasi: int = 10  # periodic evaluation: this many days after the period ends
    skp_bulan: int = 1  # SKP agreed by this month/day of the performance year (31 January)
    skp_hari: int = 31
    bulan_skp_penempatan: int = 1  # or within this many months of the TMT of a new jabatan
    evaluasi_tahunan_bulan: int = 1  # annual evaluation by this month/day of the next year (15 January)
    evaluasi_tahunan_hari: int = 15
    hari_keberatan: int = 14  # keberatan filed within this many days of receiving the document
    hari_keputusan_keberatan: int = 14  # atasan decides within this many days of the keberatan

    def __post_init__(self) -> None:
        for name in (
            "hari_realisasi",
            "hari_evaluasi",
            "bulan_skp_penempatan",
            "hari_keberatan",
            "hari_keputusan_keberatan",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
                raise ValueError(f"Pengaturan {name} harus bilangan bulat 0 sampai 366, bukan {value!r}")
        for month_name, day_name in (
            ("skp_bulan", "skp_hari"),
            ("evaluasi_tahunan_bulan", "evaluasi_tahunan_hari"),
        ):
            month, day = getattr(self, month_name), getattr(self, day_name)
            if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
                raise ValueError(f"Pengaturan {month_name} harus bulan 1 sampai 12, bukan {month!r}")
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
                raise ValueError(f"Pengaturan {day_name} harus tanggal 1 sampai 31, bukan {day!r}")


DEFAULT_DEADLINES = Deadlines()


@dataclass(frozen=True)
class PeriodeDefinisi:
    """One evaluation period of a year with its deadlines."""

    tahun: int
    skema: Skema
    nomor: int  # 1-based within the year
    nama: str
    mulai: date
    selesai: date
    batas_realisasi: date
    batas_evaluasi: date

    @property
    def jumlah_bulan(self) -> int:
        """Months covered (1, 3 or 6)."""
        return _BULAN_PER_PERIODE[self.skema]

    def memuat(self, tanggal: date) -> bool:
        """Whether ``tanggal`` falls in the period (both ends included)."""
        return self.mulai <= tanggal <= self.selesai


def _check_tahun(tahun: object) -> int:
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not 1900 <= tahun <= 9998:
        raise ValueError(f"Tahun tidak valid: {tahun!r}")
    return tahun


def _tanggal(tahun: int, bulan: int, hari: int) -> date:
    """``date(tahun, bulan, hari)`` with ``hari`` clamped to the last day of the month."""
    return date(tahun, bulan, min(hari, calendar.monthrange(tahun, bulan)[1]))


def tambah_bulan(tanggal: date, bulan: int) -> date:
    """Same day ``bulan`` months later, clamped to the end of that month (31 Jan + 1 -> 28/29 Feb)."""
    index = tanggal.year * 12 + tanggal.month - 1 + bulan
    return _tanggal(index // 12, index % 12 + 1, tanggal.day)


def _nama(skema: Skema, nomor: int) -> str:
    if skema is Skema.BULANAN:
        return NAMA_BULAN[nomor - 1]
    if skema is Skema.TRIWULANAN:
        return f"Triwulan {_ROMAWI[nomor - 1]}"
    return f"Semester {_ROMAWI[nomor - 1]}"


def periode_penilaian(
    tahun: int, skema: Skema = Skema.TRIWULANAN, deadlines: Deadlines | None = None
) -> list[PeriodeDefinisi]:
    """The periods of ``tahun`` under ``skema``, in order, with their deadlines."""
    tahun = _check_tahun(tahun)
    skema = Skema(skema)
    d = deadlines or DEFAULT_DEADLINES
    step = _BULAN_PER_PERIODE[skema]
    result = []
    for nomor, first_month in enumerate(range(1, 13, step), start=1):
        last_month = first_month + step - 1
        mulai = date(tahun, first_month, 1)
        selesai = date(tahun, last_month, calendar.monthrange(tahun, last_month)[1])
        result.append(
            PeriodeDefinisi(
                tahun=tahun,
                skema=skema,
                nomor=nomor,
                nama=_nama(skema, nomor),
                mulai=mulai,
                selesai=selesai,
                batas_realisasi=selesai + timedelta(days=d.hari_realisasi),
                batas_evaluasi=selesai + timedelta(days=d.hari_evaluasi),
            )
        )
    return result


def periode_pada(
    tanggal: date, skema: Skema = Skema.TRIWULANAN, deadlines: Deadlines | None = None
) -> PeriodeDefinisi:
    """The period of ``skema`` that contains ``tanggal``."""
    skema = Skema(skema)
    nomor = (tanggal.month - 1) // _BULAN_PER_PERIODE[skema]
    return periode_penilaian(tanggal.year, skema, deadlines)[nomor]


def batas_skp(tahun: int, deadlines: Deadlines | None = None) -> date:
    """Deadline for the SKP of the year to be agreed: 31 January by default."""
    d = deadlines or DEFAULT_DEADLINES
    return _tanggal(_check_tahun(tahun), d.skp_bulan, d.skp_hari)


def batas_skp_penempatan(tmt: date, deadlines: Deadlines | None = None) -> date:
    """Deadline for the SKP after taking a new jabatan: one month after its TMT, same day of the month,
    clamped to the month's end (TMT 31 January -> 28 or 29 February; TMT 15 March -> 15 April)."""
    d = deadlines or DEFAULT_DEADLINES
    return tambah_bulan(tmt, d.bulan_skp_penempatan)


def batas_evaluasi_tahunan(tahun: int, deadlines: Deadlines | None = None) -> date:
    """Deadline for the annual evaluation of ``tahun``: 15 January of the next year by default."""
    d = deadlines or DEFAULT_DEADLINES
    return _tanggal(_check_tahun(tahun) + 1, d.evaluasi_tahunan_bulan, d.evaluasi_tahunan_hari)


def batas_keberatan(diterima: date, deadlines: Deadlines | None = None) -> date:
    """Last day to file a keberatan: 14 days (CONFIG) after the document was received."""
    d = deadlines or DEFAULT_DEADLINES
    return diterima + timedelta(days=d.hari_keberatan)


def batas_keputusan_keberatan(diajukan: date, deadlines: Deadlines | None = None) -> date:
    """Last day for the atasan pejabat penilai to decide: 14 days (CONFIG) after the keberatan was filed."""
    d = deadlines or DEFAULT_DEADLINES
    return diajukan + timedelta(days=d.hari_keputusan_keberatan)


def lewat_batas(batas: date, tanggal: date) -> bool:
    """Whether something done on ``tanggal`` is late for the (inclusive) deadline ``batas``."""
    return tanggal > batas
