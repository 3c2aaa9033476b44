"""Angka kredit of a year and its yearly cap (domain §9, PermenPANRB 1/2023; issue 6 §2).

Builds on `angka_kredit` (koefisien x persentase x bulan / 12):

* ``jumlah_bulan(mulai, selesai)``: the months of a periode penilaian (calendar months it touches).
* ``bulan_per_bagian(bagian)``: the months of a year served in each SKP (mutation): every calendar month
  goes to the SKP that covers most of its days, on a tie the later SKP (as `rating.gabung_mutasi`).
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
from kinerja.rules.types import Jenjang, Predikat

__all__ = [
    "BATAS_PERSEN",
    "AngkaKreditTahun",
    "angka_kredit_tahun",
    "batas_tahunan",
    "bulan_per_bagian",
    "jumlah_bulan",
]

#: The yearly total is capped at this percentage of the jenjang's minimum yearly target (domain §9).
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


def bulan_per_bagian(bagian: Sequence[tuple[datetime.date, datetime.date]]) -> tuple[int, ...]:
    """The months of the year credited to each part ``(mulai, selesai)`` (SKP of one pegawai in one year,
    inclusive dates, no overlap). Each calendar month touched by a part goes to the part covering most of
    its days; on a tie to the later part. A part may get 0 months (a few days inside a month another part
    holds longer). The result follows the order of ``bagian``; its sum is at most 12."""
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
    hasil = [0] * len(bagian)
    for bulan in range(1, 13):
        awal = datetime.date(th, bulan, 1)
        akhir = datetime.date(th, bulan, calendar.monthrange(th, bulan)[1])
        terbaik: tuple[int, datetime.date] | None = None
        pemilik = -1
        for i, (mulai, selesai) in enumerate(bagian):
            hari = (min(akhir, selesai) - max(awal, mulai)).days + 1
            if hari <= 0:
                continue
            kunci = (hari, mulai)  # most days; on a tie the later part
            if terbaik is None or kunci > terbaik:
                terbaik, pemilik = kunci, i
        if pemilik >= 0:
            hasil[pemilik] += 1
    return tuple(hasil)


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
