"""Periods of the performance year and their deadlines (CONFIG per instansi and year).

The performance year is January-December. Periodic evaluation is monthly, quarterly (the default) or
semesterly. "The n-th day after a period ends" is ``selesai + n days``: Triwulan I ends on 31 March, so
realisasi is due on 5 April and the periodic evaluation on 10 April. A deadline date is inclusive: input
on that day is on time, from the next day it is late (:func:`lewat_batas`).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja.rules.types import Skema

__all__ = [
    "BATAS_BULAN_AWAL",
    "DEFAULT_DEADLINES",
    "MAKS_HARI_REALISASI",
    "NAMA_BULAN",
    "format_tanggal",
    "BatasPeriode",
    "Deadlines",
    "GalatJadwal",
    "PeriodeDefinisi",
    "Skema",
    "batas_evaluasi_tahunan",
    "batas_keberatan",
    "batas_keputusan_keberatan",
    "batas_skp",
    "batas_skp_penempatan",
    "lewat_batas",
    "check_jadwal",
    "periode_pada",
    "periode_penilaian",
    "add_bulan",
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


def add_bulan(tanggal: date, bulan: int) -> date:
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
    return add_bulan(tmt, d.bulan_skp_penempatan)


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


# --- checking deadlines an admin sets on the Periode page (docs/rules.md §7) ------------------------------

#: The SKP is agreed, and the annual evaluation of the previous year done, in the first months of a year:
#: by the end of this month at the latest.
BATAS_BULAN_AWAL = 3
#: Realisasi of a periode is due at most this many days after the periode ends.
MAKS_HARI_REALISASI = 60


@dataclass(frozen=True)
class BatasPeriode:
    """The deadlines an admin proposes for one periodic evaluation window."""

    nomor: int
    nama: str
    selesai: date
    batas_realisasi: date
    batas_evaluasi: date


@dataclass(frozen=True)
class GalatJadwal:
    """A refused deadline: which one (``bidang``; ``nomor`` for a periode's) and why, in Indonesian."""

    bidang: str  # batas_skp | batas_evaluasi_tahunan | batas_realisasi | batas_evaluasi
    pesan: str
    nomor: int | None = None


def format_tanggal(tanggal: date) -> str:
    """``5 Juli 2026``."""
    return f"{tanggal.day} {NAMA_BULAN[tanggal.month - 1]} {tanggal.year}"


_tgl = format_tanggal  # short name for the messages below


def check_jadwal(
    tahun: int, batas_skp: date, batas_evaluasi_tahunan: date, periode: Sequence[BatasPeriode]
) -> list[GalatJadwal]:
    """Every reason the deadlines of performance year ``tahun`` are not sane; empty when they are.

    - batas SKP: within the year's first months (1 January - 31 March of ``tahun``);
    - batas realisasi of a periode: not before the periode ends and at most
      :data:`MAKS_HARI_REALISASI` days after it;
    - batas evaluasi of a periode: not before its batas realisasi (the penilai rates what was reported)
      and not after the batas evaluasi tahunan (the annual evaluation consolidates the periodic ones);
    - batas evaluasi tahunan: in the next year's first months (1 January - 31 March of ``tahun + 1``).
    """
    tahun = _check_tahun(tahun)
    galat: list[GalatJadwal] = []
    akhir_skp = _tanggal(tahun, BATAS_BULAN_AWAL, 31)
    if not date(tahun, 1, 1) <= batas_skp <= akhir_skp:
        galat.append(
            GalatJadwal(
                "batas_skp",
                f"Batas persetujuan SKP ({_tgl(batas_skp)}) harus antara 1 Januari {tahun} dan "
                f"{_tgl(akhir_skp)}: SKP disepakati di awal tahun kinerja.",
            )
        )
    awal_tahunan, akhir_tahunan = date(tahun + 1, 1, 1), _tanggal(tahun + 1, BATAS_BULAN_AWAL, 31)
    if not awal_tahunan <= batas_evaluasi_tahunan <= akhir_tahunan:
        galat.append(
            GalatJadwal(
                "batas_evaluasi_tahunan",
                f"Batas evaluasi tahunan ({_tgl(batas_evaluasi_tahunan)}) harus antara "
                f"{_tgl(awal_tahunan)} dan {_tgl(akhir_tahunan)}, di awal tahun sesudah tahun kinerja.",
            )
        )
    for p in periode:
        paling_lambat = p.selesai + timedelta(days=MAKS_HARI_REALISASI)
        if not p.selesai <= p.batas_realisasi <= paling_lambat:
            galat.append(
                GalatJadwal(
                    "batas_realisasi",
                    f"{p.nama}: batas realisasi ({_tgl(p.batas_realisasi)}) harus antara akhir periode "
                    f"({_tgl(p.selesai)}) dan {MAKS_HARI_REALISASI} hari sesudahnya ({_tgl(paling_lambat)}).",
                    p.nomor,
                )
            )
        if p.batas_evaluasi < p.batas_realisasi:
            galat.append(
                GalatJadwal(
                    "batas_evaluasi",
                    f"{p.nama}: batas evaluasi ({_tgl(p.batas_evaluasi)}) tidak boleh sebelum batas "
                    f"realisasi ({_tgl(p.batas_realisasi)}).",
                    p.nomor,
                )
            )
        elif p.batas_evaluasi > batas_evaluasi_tahunan:
            galat.append(
                GalatJadwal(
                    "batas_evaluasi",
                    f"{p.nama}: batas evaluasi ({_tgl(p.batas_evaluasi)}) tidak boleh sesudah batas "
                    f"evaluasi tahunan ({_tgl(batas_evaluasi_tahunan)}).",
                    p.nomor,
                )
            )
    return galat
