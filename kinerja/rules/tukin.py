"""The instansi's tunjangan kinerja table: predikat kinerja → percentage of the tunjangan paid
(docs/rules.md §20.1; CONFIG per instansi, no default numbers: until the admin sets a table there is none).

A table is valid when every one of the five predikat has a percentage, each between 0 and 100 with at most
two decimals (**Choice**, docs/rules.md §20: the percentage is the share of the pegawai's tunjangan
kinerja paid for the predikat; nothing found in the regulation pays more than the full tunjangan, so 100 is
the upper bound). A table in which a better predikat pays less than a worse one is allowed but warned
about (an instansi may have a reason; the page shows the warning after saving and beside the table in
force).

Versions: every change is a new version with the day it applies from (``berlaku_mulai``); the version in
force on a day is the one with the latest ``berlaku_mulai`` on or before that day (two versions from the
same day: the higher version number, i.e. the later correction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final, Protocol, TypeVar

from kinerja.rules.types import Predikat

__all__ = [
    "PERSEN_MAKS",
    "PERSEN_MIN",
    "HasilValidasi",
    "Versi",
    "read_persen",
    "persen",
    "teks_persen",
    "validasi",
    "versi_berlaku",
]

PERSEN_MIN: Final = Decimal(0)
PERSEN_MAKS: Final = Decimal(100)
DESIMAL: Final = 2


def teks_persen(x: Decimal) -> str:
    """``Decimal("87.50")`` -> ``"87,5"`` (Indonesian decimal comma, no trailing zeros)."""
    text = format(x.normalize(), "f")
    return text.replace(".", ",")


def read_persen(teks: str | Decimal | int | None) -> Decimal | None:
    """A percentage as typed (``"87,5"``, ``"87.5"``, ``" 100 "``) -> Decimal; empty -> None.

    Raises ``ValueError`` (Indonesian message) when it is not a number."""
    if teks is None:
        return None
    if isinstance(teks, Decimal | int):
        return Decimal(teks)
    bersih = teks.strip().replace(" ", "").removesuffix("%")
    if not bersih:
        return None
    if "," in bersih:
        bersih = bersih.replace(".", "").replace(",", ".")
    try:
        nilai = Decimal(bersih)
    except InvalidOperation:
        raise ValueError("harus berupa angka, misalnya 87,5") from None
    if not nilai.is_finite():
        raise ValueError("harus berupa angka, misalnya 87,5")
    return nilai


@dataclass(frozen=True)
class HasilValidasi:
    """``galat``: predikat → why its percentage is refused (empty: the table may be saved);
    ``peringatan``: monotonicity warnings (saving is still allowed)."""

    galat: Mapping[Predikat, str]
    peringatan: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.galat


def validasi(nilai: Mapping[Predikat, Decimal | None]) -> HasilValidasi:
    """Check a table: all five predikat set, each 0 ≤ p ≤ 100 with at most two decimals; warn when a
    better predikat gets a lower percentage than a worse one."""
    galat: dict[Predikat, str] = {}
    for p in Predikat:
        x = nilai.get(p)
        if x is None:
            galat[p] = f"Persentase untuk predikat {p.label} wajib diisi."
        elif not x.is_finite():
            galat[p] = f"Persentase untuk predikat {p.label} harus berupa angka."
        elif x < PERSEN_MIN or x > PERSEN_MAKS:
            galat[p] = f"Persentase untuk predikat {p.label} harus antara 0 dan 100."
        elif x != x.quantize(Decimal(1).scaleb(-DESIMAL)):
            galat[p] = f"Persentase untuk predikat {p.label} paling banyak dua angka di belakang koma."
    peringatan: list[str] = []
    urut = list(Predikat)  # best first
    for lebih_baik, lebih_buruk in zip(urut, urut[1:], strict=False):
        a, b = nilai.get(lebih_baik), nilai.get(lebih_buruk)
        if a is None or b is None or lebih_baik in galat or lebih_buruk in galat:
            continue
        if a < b:
            peringatan.append(
                f"Predikat {lebih_baik.label} ({teks_persen(a)} %) mendapat persentase lebih kecil daripada "
                f"{lebih_buruk.label} ({teks_persen(b)} %)."
            )
    return HasilValidasi(galat, tuple(peringatan))


def persen(tabel: Mapping[Predikat, Decimal], predikat: Predikat | str) -> Decimal:
    """The percentage of a predikat in a (valid) table; ``KeyError`` when the table lacks it."""
    return tabel[Predikat(predikat)]


class Versi(Protocol):
    """What `versi_berlaku` needs of a version (the model row has both)."""

    @property
    def versi(self) -> int: ...

    @property
    def berlaku_mulai(self) -> date: ...


V = TypeVar("V", bound=Versi)


def versi_berlaku(daftar: Iterable[V], tanggal: date) -> V | None:
    """The version in force on ``tanggal``: the latest ``berlaku_mulai`` ≤ ``tanggal`` (ties: the highest
    version number); None when no version applies yet."""
    terbaik: V | None = None
    for v in daftar:
        if v.berlaku_mulai > tanggal:
            continue
        if terbaik is None or (v.berlaku_mulai, v.versi) > (terbaik.berlaku_mulai, terbaik.versi):
            terbaik = v
    return terbaik
