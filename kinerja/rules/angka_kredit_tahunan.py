"""Angka kredit of a year and its yearly cap (docs/rules.md §19.3, PermenPANRB 1/2023).

Builds on `angka_kredit` (koefisien x persentase x bulan / 12):

* ``jumlah_bulan(mulai, selesai)``: the months of a periode penilaian (calendar months it touches).
* ``bulan_dihitung(bagian, aturan)``: which calendar months of a year count for each SKP of a pegawai
  (one SKP, or several after a mutation). Only months the SKP actually covers count; how a part month
  counts is the instansi's ``BulanSebagian`` rule (CONFIG, default: the SKP in force on the 1st). A month
  counts for at most one SKP, so a year never has more than 12 months (docs/rules.md §5).
* ``bulan_per_bagian(bagian, aturan)``: how many months each SKP gets; ``bulan_dalam_periode``: how many
  of an SKP's months fall inside a periode penilaian (the periodic share ``bulan / 12``).
* ``batas_tahunan(bagian, target_minimal)``: the yearly cap, 150 % of the jenjang's minimum yearly target,
  weighted by the months served in each jenjang. The target table is CONFIG; without one the koefisien of
  the jenjang is the target (PermenPANRB 1/2023: the koefisien is the yearly angka kredit expected at
  Baik), so the cap equals Sangat Baik for twelve months and never cuts a year.
* ``angka_kredit_tahun(bagian, target_minimal)``: the year's angka kredit, capped.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Final

from kinerja.rules.angka_kredit import KOEFISIEN, angka_kredit_gabungan
from kinerja.rules.types import Jenjang, LabeledEnum, Predikat

__all__ = [
    "BATAS_PERSEN",
    "BULAN_SEBAGIAN_DEFAULT",
    "AngkaKreditTahun",
    "BulanSebagian",
    "angka_kredit_tahun",
    "batas_tahunan",
    "bulan_dalam_periode",
    "bulan_dihitung",
    "bulan_per_bagian",
    "jumlah_bulan",
]

#: The yearly total is capped at this percentage of the jenjang's minimum yearly target (docs/rules.md §19.3).
BATAS_PERSEN: Final = Decimal("150")

_THREE_PLACES = Decimal("0.001")


def _check_rentang(mulai: datetime.date, selesai: datetime.date) -> None:
    if mulai > selesai:
        raise ValueError(f"Tanggal mulai {mulai} sesudah tanggal selesai {selesai}")
    if mulai.year != selesai.year:
        raise ValueError(f"Rentang {mulai} s.d. {selesai} melewati pergantian tahun")


def jumlah_bulan(mulai: datetime.date, selesai: datetime.date) -> int:
    """The calendar months from ``mulai`` to ``selesai`` (inclusive, one year): a triwulan is 3, a
    semester 6, a monthly periode 1."""
    _check_rentang(mulai, selesai)
    return selesai.month - mulai.month + 1


class BulanSebagian(LabeledEnum):
    """How a calendar month that an SKP covers only in part counts (CONFIG, docs/rules.md §5)."""

    TANGGAL_1 = "tanggal_1", "Bila tanggal 1-nya dalam masa SKP"
    SEBAGIAN_BESAR = "sebagian_besar", "Bila separuh bulan atau lebih"
    PENUH = "penuh", "Hanya bila sebulan penuh"


#: The month belongs to the SKP in force on its first day, like a TMT: a jabatan taken mid-month counts
#: from the next month (docs/rules.md §5).
BULAN_SEBAGIAN_DEFAULT: Final = BulanSebagian.TANGGAL_1


def _periksa_bagian(bagian: Sequence[tuple[datetime.date, datetime.date]]) -> int:
    if not bagian:
        raise ValueError("Tidak ada SKP")
    for mulai, selesai in bagian:
        _check_rentang(mulai, selesai)
    tahun = {m.year for m, _ in bagian}
    if len(tahun) != 1:
        raise ValueError("Semua SKP harus dalam satu tahun")
    urut = sorted(range(len(bagian)), key=lambda i: bagian[i][0])
    for a, b in zip(urut, urut[1:], strict=False):
        if bagian[b][0] <= bagian[a][1]:
            raise ValueError("Masa berlaku SKP saling tumpang tindih")
    (th,) = tahun
    return th


def bulan_dihitung(
    bagian: Sequence[tuple[datetime.date, datetime.date]],
    aturan: BulanSebagian = BULAN_SEBAGIAN_DEFAULT,
) -> tuple[frozenset[int], ...]:
    """The calendar months (1-12) of the year that count for each part ``(mulai, selesai)`` (the SKP of one
    pegawai in one year, inclusive dates, no overlap), in the order of ``bagian``.

    A month counts for at most one part: ``TANGGAL_1`` the part in force on its 1st day; ``SEBAGIAN_BESAR``
    the part covering most of its days when that is at least half of them (on a tie the later part, as
    `rating.merge_mutasi`); ``PENUH`` the part covering all of its days. A month no part qualifies for
    counts for nobody (an SKP from 20 March earns nothing for March under the first and third rule)."""
    aturan = BulanSebagian(aturan)
    th = _periksa_bagian(bagian)
    hasil: list[set[int]] = [set() for _ in bagian]
    for bulan in range(1, 13):
        awal = datetime.date(th, bulan, 1)
        panjang = calendar.monthrange(th, bulan)[1]
        akhir = datetime.date(th, bulan, panjang)
        terbaik: tuple[int, datetime.date] | None = None
        pemilik = -1
        for i, (mulai, selesai) in enumerate(bagian):
            hari = (min(akhir, selesai) - max(awal, mulai)).days + 1
            if hari <= 0:
                continue
            if aturan is BulanSebagian.TANGGAL_1:
                ok = mulai <= awal
            elif aturan is BulanSebagian.PENUH:
                ok = hari == panjang
            else:
                ok = 2 * hari >= panjang
            kunci = (hari, mulai)  # most days; on a tie the later part
            if ok and (terbaik is None or kunci > terbaik):
                terbaik, pemilik = kunci, i
        if pemilik >= 0:
            hasil[pemilik].add(bulan)
    return tuple(frozenset(h) for h in hasil)


def bulan_per_bagian(
    bagian: Sequence[tuple[datetime.date, datetime.date]],
    aturan: BulanSebagian = BULAN_SEBAGIAN_DEFAULT,
) -> tuple[int, ...]:
    """How many months of the year count for each part (see `bulan_dihitung`); a part may get 0. The
    result follows the order of ``bagian``; its sum is at most 12."""
    return tuple(len(b) for b in bulan_dihitung(bagian, aturan))


def bulan_dalam_periode(bulan: Iterable[int], mulai: datetime.date, selesai: datetime.date) -> int:
    """How many of an SKP's counted months (`bulan_dihitung`) fall inside the periode penilaian
    ``mulai``-``selesai``: at most `jumlah_bulan` of the periode (an SKP from 1 March: Triwulan I → 1)."""
    _check_rentang(mulai, selesai)
    return sum(1 for b in set(bulan) if mulai.month <= b <= selesai.month)


def _target(jenjang: Jenjang, target_minimal: Mapping[Jenjang, Decimal] | None) -> Decimal:
    jenjang = Jenjang(jenjang)
    if target_minimal is not None and jenjang in target_minimal:
        nilai = Decimal(target_minimal[jenjang])
        if nilai <= 0:
            raise ValueError(f"Target minimal angka kredit {jenjang.label} harus lebih dari 0")
        return nilai
    return KOEFISIEN[jenjang]


def batas_tahunan(
    bagian: Iterable[tuple[Jenjang, int]], target_minimal: Mapping[Jenjang, Decimal] | None = None
) -> Decimal:
    """The cap of a year served in ``(jenjang, bulan)`` parts: 150 % of each jenjang's minimum yearly
    target (``target_minimal``, CONFIG; default the koefisien) weighted by months, 3 decimals."""
    parts = list(bagian)
    total_bulan = sum(b for _, b in parts)
    if not parts or not 1 <= total_bulan <= 12 or any(b < 1 for _, b in parts):
        raise ValueError(f"Jumlah bulan dalam satu tahun harus 1 sampai 12, bukan {total_bulan}")
    with localcontext() as ctx:
        ctx.prec = 40
        total = sum((_target(j, target_minimal) * BATAS_PERSEN / 100 * b / 12 for j, b in parts), Decimal(0))
    return total.quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AngkaKreditTahun:
    nilai: Decimal  # the angka kredit of the year, after the cap
    dihitung: Decimal  # before the cap
    batas: Decimal
    dibatasi: bool  # the cap cut the year


def angka_kredit_tahun(
    bagian: Iterable[tuple[Jenjang, Predikat, int]],
    target_minimal: Mapping[Jenjang, Decimal] | None = None,
) -> AngkaKreditTahun:
    """The angka kredit of one year from its parts ``(jenjang, predikat, bulan)`` (months 1-12 in all),
    capped by `batas_tahunan`."""
    parts = list(bagian)
    dihitung = angka_kredit_gabungan(parts)
    batas = batas_tahunan(((j, b) for j, _, b in parts), target_minimal)
    return AngkaKreditTahun(min(dihitung, batas), dihitung, batas, dihitung > batas)
