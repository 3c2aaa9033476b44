"""Capaian (achievement, in percent) of a numeric indicator, and consolidation over periods.

Formulas (Kemenkeu Manual IKU rules; cap CONFIG, default 120 %, floor 0 %):

* maximize: ``realisasi / target x 100``
* minimize: ``(2 - realisasi / target) x 100``
* stabilize: ``100`` when ``realisasi == target``, else ``(1 - |realisasi - target| / target) x 100`` (UNSURE)

Target 0 (the formulas divide by it), chosen and documented in ``docs/rules.md``:

=========== ================ ================
polaritas   realisasi == 0   realisasi > 0
=========== ================ ================
maximize    100              cap
minimize    100              0
stabilize   100              0
=========== ================ ================

Negative realisasi or target raise ``ValueError``; a missing realisasi (``None``) gives ``None`` ("belum
ada realisasi"). Arithmetic is ``Decimal`` only (floats are refused); the result is clamped to
``[0, cap]`` and then quantised to 2 decimals with ``ROUND_HALF_UP``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import overload

from kinerja.rules.types import Konsolidasi, Polaritas

__all__ = [
    "CAP_DEFAULT",
    "KONSOLIDASI_RENTANG",
    "KONSOLIDASI_RENTANG_DEFAULT",
    "PESAN_RENTANG_SUM",
    "Angka",
    "capaian",
    "capaian_rentang",
    "capaian_rentang_kumulatif",
    "konsolidasi",
    "konsolidasi_rentang",
    "target_konsisten",
]

#: Default ceiling of a capaian, in percent (CONFIG).
CAP_DEFAULT = Decimal("120")

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_TWO_PLACES = Decimal("0.01")
_PRECISION = 40

Angka = Decimal | int
"""A number accepted by this module: ``Decimal`` or ``int`` (never ``float``)."""


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} harus berupa angka Decimal atau bilangan bulat, bukan {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} harus berupa angka terhingga, bukan {value!r}")
    return number


def _non_negative(value: object, what: str) -> Decimal:
    if value is None:
        raise ValueError(f"{what} belum diisi")
    number = _decimal(value, what)
    if number < 0:
        raise ValueError(f"{what} tidak boleh negatif: {number}")
    return number


def _cap(cap: object) -> Decimal:
    number = _decimal(cap, "Batas atas capaian")
    if number < _HUNDRED:
        raise ValueError(f"Batas atas capaian paling sedikit 100%, bukan {number}%")
    return number


def _finish(value: Decimal, cap: Decimal) -> Decimal:
    clamped = min(max(value, _ZERO), cap)
    return clamped.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _raw(realisasi: Decimal, target: Decimal, polaritas: Polaritas, cap: Decimal) -> Decimal:
    """The unclamped capaian in percent (``cap`` only used for the maximize, target 0 case)."""
    if target == 0:
        if realisasi == 0:
            return _HUNDRED
        return cap if polaritas is Polaritas.MAXIMIZE else _ZERO
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ratio = realisasi / target
        if polaritas is Polaritas.MAXIMIZE:
            return ratio * _HUNDRED
        if polaritas is Polaritas.MINIMIZE:
            return (2 - ratio) * _HUNDRED
        if realisasi == target:
            return _HUNDRED
        return (1 - abs(realisasi - target) / target) * _HUNDRED


@overload
def capaian(realisasi: None, target: Angka, polaritas: Polaritas, cap: Angka = ...) -> None: ...
@overload
def capaian(realisasi: Angka, target: Angka, polaritas: Polaritas, cap: Angka = ...) -> Decimal: ...
@overload
def capaian(
    realisasi: Angka | None, target: Angka, polaritas: Polaritas, cap: Angka = ...
) -> Decimal | None: ...
def capaian(
    realisasi: Angka | None, target: Angka, polaritas: Polaritas, cap: Angka = CAP_DEFAULT
) -> Decimal | None:
    """Capaian of ``realisasi`` against ``target`` in percent, within ``[0, cap]``, 2 decimals.

    ``None`` realisasi -> ``None`` (belum ada realisasi). Negative numbers, a ``None`` target and a cap
    below 100 raise ``ValueError``; a ``float`` raises ``TypeError``.
    """
    polaritas = Polaritas(polaritas)
    target_ = _non_negative(target, "Target")
    cap_ = _cap(cap)
    if realisasi is None:
        return None
    realisasi_ = _non_negative(realisasi, "Realisasi")
    return _finish(_raw(realisasi_, target_, polaritas, cap_), cap_)


@overload
def capaian_rentang(
    realisasi: None, low: Angka, high: Angka, polaritas: Polaritas = ..., cap: Angka = ...
) -> None: ...
@overload
def capaian_rentang(
    realisasi: Angka, low: Angka, high: Angka, polaritas: Polaritas = ..., cap: Angka = ...
) -> Decimal: ...
@overload
def capaian_rentang(
    realisasi: Angka | None, low: Angka, high: Angka, polaritas: Polaritas = ..., cap: Angka = ...
) -> Decimal | None: ...
def capaian_rentang(
    realisasi: Angka | None,
    low: Angka,
    high: Angka,
    polaritas: Polaritas = Polaritas.MAXIMIZE,
    cap: Angka = CAP_DEFAULT,
) -> Decimal | None:
    """Capaian against a range target ``low``-``high`` (PermenPANRB 8/2021 examples).

    Inside the range (bounds included) -> 100. Outside, the formula of ``polaritas`` is applied against
    the nearer bound: above the range against ``high``, below it against ``low``. With the default
    (maximize): 92 vs 80-90 -> 92/90 = 102.22; 70 vs 80-90 -> 70/80 = 87.50.
    """
    polaritas = Polaritas(polaritas)
    low_ = _non_negative(low, "Batas bawah target")
    high_ = _non_negative(high, "Batas atas target")
    if low_ > high_:
        raise ValueError(f"Batas bawah target ({low_}) lebih besar dari batas atas ({high_})")
    cap_ = _cap(cap)
    if realisasi is None:
        return None
    realisasi_ = _non_negative(realisasi, "Realisasi")
    if low_ <= realisasi_ <= high_:
        return _finish(_HUNDRED, cap_)
    bound = high_ if realisasi_ > high_ else low_
    return _finish(_raw(realisasi_, bound, polaritas, cap_), cap_)


def _present(values: Iterable[Angka | None]) -> list[Decimal]:
    return [_decimal(v, "Nilai periode") for v in values if v is not None]


def konsolidasi(values: Iterable[Angka | None], jenis: Konsolidasi) -> Decimal | None:
    """Combine the values of the periods (in period order) into the yearly value.

    ``None`` values (periods without a value) are skipped; nothing left -> ``None``. ``SUM`` and ``LAST``
    are exact; ``AVERAGE`` is computed to 40 significant digits and not quantised (round for display).
    """
    jenis = Konsolidasi(jenis)
    numbers = _present(values)
    if not numbers:
        return None
    if jenis is Konsolidasi.LAST:
        return numbers[-1]
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        total = sum(numbers, _ZERO)
        if jenis is Konsolidasi.SUM:
            return total
        return total / len(numbers)


#: How the period capaian of a range target may be consolidated: a range is a level ("80-90 %"), not an
#: amount, so it is never summed (docs/rules.md §4).
KONSOLIDASI_RENTANG: tuple[Konsolidasi, ...] = (Konsolidasi.AVERAGE, Konsolidasi.LAST)
#: The instansi's choice for a range target stored with "sum" (CONFIG; docs/rules.md §4).
KONSOLIDASI_RENTANG_DEFAULT = Konsolidasi.AVERAGE
PESAN_RENTANG_SUM = (
    "Target rentang (mis. 80–90) tidak dapat dijumlahkan antarperiode: pilih konsolidasi Rata-rata atau "
    "Nilai terakhir."
)


def konsolidasi_rentang(jenis: Konsolidasi, bawaan: Konsolidasi = KONSOLIDASI_RENTANG_DEFAULT) -> Konsolidasi:
    """The consolidation a range target actually uses: its own ``jenis`` when that is average or last,
    otherwise (data stored with "sum") the instansi's ``bawaan``, which must itself be average or last."""
    jenis, bawaan = Konsolidasi(jenis), Konsolidasi(bawaan)
    if bawaan not in KONSOLIDASI_RENTANG:
        raise ValueError(PESAN_RENTANG_SUM)
    return jenis if jenis in KONSOLIDASI_RENTANG else bawaan


def capaian_rentang_kumulatif(
    realisasi: Sequence[Angka | None],
    low: Angka,
    high: Angka,
    jenis: Konsolidasi,
    polaritas: Polaritas = Polaritas.MAXIMIZE,
    cap: Angka = CAP_DEFAULT,
    bawaan: Konsolidasi = KONSOLIDASI_RENTANG_DEFAULT,
) -> Decimal | None:
    """Year-to-date capaian of a range target from the realisasi of its periods (in order; ``None``: no
    realisasi that periode, skipped): each period's `capaian_rentang`, then their average or the last one
    (`konsolidasi_rentang`), 2 decimals ``ROUND_HALF_UP``. Never a sum: two quarters at 85 against 80-90
    are 100 %, not 170/90. Nothing to count -> ``None``."""
    cara = konsolidasi_rentang(jenis, bawaan)
    per_periode = [capaian_rentang(r, low, high, polaritas, cap) for r in _present(realisasi)]
    hasil = konsolidasi(per_periode, cara)
    return None if hasil is None else hasil.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def target_konsisten(
    targets_periode: Sequence[Angka | None],
    target_tahun: Angka,
    jenis: Konsolidasi,
    toleransi: Angka = 0,
) -> bool:
    """Whether the targets of the periods consolidate to the target of the year.

    SUM: sum of the period targets == year; AVERAGE: their average == year (checked as
    ``sum == year x count``, no division); LAST: the last period's target == year. ``None`` entries are
    skipped like in :func:`konsolidasi`; no target at all -> ``False``. ``toleransi`` (absolute, on the
    consolidated value) allows for rounding of averages.
    """
    jenis = Konsolidasi(jenis)
    year = _decimal(target_tahun, "Target tahunan")
    tolerance = _decimal(toleransi, "Toleransi")
    if tolerance < 0:
        raise ValueError(f"Toleransi tidak boleh negatif: {tolerance}")
    numbers = _present(targets_periode)
    if not numbers:
        return False
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if jenis is Konsolidasi.AVERAGE:
            count = len(numbers)
            return abs(sum(numbers, _ZERO) - year * count) <= tolerance * count
        combined = konsolidasi(numbers, jenis)
        assert combined is not None
        return abs(combined - year) <= tolerance
