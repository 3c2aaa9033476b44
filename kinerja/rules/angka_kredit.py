"""Angka kredit of jabatan fungsional from the predikat kinerja (PermenPANRB 1/2023).

``angka kredit = koefisien(jenjang) x persentase(predikat) x bulan / 12``, computed exactly in ``Decimal``
and quantised once, to 3 decimals with ``ROUND_HALF_UP`` (e.g. Pemula x Sangat Kurang over 12 months:
3.75 x 25 % = 0.9375 -> 0.938).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from types import MappingProxyType

from kinerja.rules.types import Jenjang, Predikat

__all__ = ["KOEFISIEN", "PERSENTASE", "angka_kredit", "angka_kredit_gabungan"]

#: Koefisien angka kredit per year, per jenjang (fixed by PermenPANRB 1/2023).
KOEFISIEN: Mapping[Jenjang, Decimal] = MappingProxyType(
    {
        Jenjang.PEMULA: Decimal("3.75"),
        Jenjang.TERAMPIL: Decimal("5"),
        Jenjang.MAHIR: Decimal("12.5"),
        Jenjang.PENYELIA: Decimal("25"),
        Jenjang.AHLI_PERTAMA: Decimal("12.5"),
        Jenjang.AHLI_MUDA: Decimal("25"),
        Jenjang.AHLI_MADYA: Decimal("37.5"),
        Jenjang.AHLI_UTAMA: Decimal("50"),
    }
)

#: Percentage of the koefisien earned per predikat, in percent (fixed by PermenPANRB 1/2023).
PERSENTASE: Mapping[Predikat, Decimal] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal("150"),
        Predikat.BAIK: Decimal("100"),
        Predikat.BUTUH_PERBAIKAN: Decimal("75"),
        Predikat.KURANG: Decimal("50"),
        Predikat.SANGAT_KURANG: Decimal("25"),
    }
)

_THREE_PLACES = Decimal("0.001")


def _check_bulan(bulan: object) -> int:
    if isinstance(bulan, bool) or not isinstance(bulan, int) or not 1 <= bulan <= 12:
        raise ValueError(f"Jumlah bulan harus bilangan bulat 1 sampai 12, bukan {bulan!r}")
    return bulan


def _exact(jenjang: Jenjang, predikat: Predikat, bulan: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return KOEFISIEN[Jenjang(jenjang)] * PERSENTASE[Predikat(predikat)] / 100 * bulan / 12


def angka_kredit(jenjang: Jenjang, predikat: Predikat, bulan: int = 12) -> Decimal:
    """Angka kredit earned in ``bulan`` months (1-12) at ``jenjang`` with ``predikat``, 3 decimals."""
    bulan = _check_bulan(bulan)
    return _exact(jenjang, predikat, bulan).quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)


def angka_kredit_gabungan(bagian: Iterable[tuple[Jenjang, Predikat, int]]) -> Decimal:
    """Angka kredit of a year made of several parts ``(jenjang, predikat, bulan)``, e.g. after a mid-year
    change of jabatan or penilai: each part weighted by its months, summed exactly, then quantised once.

    The months of all parts together must be 1-12.
    """
    parts = [(j, p, _check_bulan(b)) for j, p, b in bagian]
    total_bulan = sum(b for _, _, b in parts)
    if not 1 <= total_bulan <= 12:
        raise ValueError(f"Jumlah bulan dalam satu tahun harus 1 sampai 12, bukan {total_bulan}")
    with localcontext() as ctx:
        ctx.prec = 40
        total = sum((_exact(j, p, b) for j, p, b in parts), Decimal(0))
    return total.quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)
