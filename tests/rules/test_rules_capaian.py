"""Capaian per polaritas (every zero/negative/None case), range targets, consolidation."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Konsolidasi, Polaritas
from kinerja.rules.capaian import CAP_DEFAULT, capaian, capaian_rentang, konsolidasi, target_konsisten

MAX, MIN, STAB = Polaritas.MAXIMIZE, Polaritas.MINIMIZE, Polaritas.STABILIZE
D = Decimal


@pytest.mark.parametrize(
    ("realisasi", "target", "polaritas", "expected"),
    [
        # maximize: r / t x 100
        (80, 100, MAX, "80.00"),
        (100, 100, MAX, "100.00"),
        (110, 100, MAX, "110.00"),
        (120, 100, MAX, "120.00"),
        (130, 100, MAX, "120.00"),  # capped
        (1, 3, MAX, "33.33"),
        (2, 3, MAX, "66.67"),
        (0, 100, MAX, "0.00"),
        (D("0.125"), 100, MAX, "0.13"),  # ROUND_HALF_UP (half-even would give 0.12)
        (D("100.005"), 100, MAX, "100.01"),
        # minimize: (2 - r / t) x 100
        (80, 100, MIN, "120.00"),
        (90, 100, MIN, "110.00"),
        (100, 100, MIN, "100.00"),
        (150, 100, MIN, "50.00"),
        (200, 100, MIN, "0.00"),
        (250, 100, MIN, "0.00"),  # floor 0
        (0, 100, MIN, "120.00"),  # 200 capped
        (10, 100, MIN, "120.00"),
        (2, 3, MIN, "120.00"),  # 133.33 capped
        (4, 3, MIN, "66.67"),
        # stabilize: 100 when equal, else (1 - |r - t| / t) x 100
        (100, 100, STAB, "100.00"),
        (90, 100, STAB, "90.00"),
        (110, 100, STAB, "90.00"),
        (199, 100, STAB, "1.00"),
        (200, 100, STAB, "0.00"),
        (250, 100, STAB, "0.00"),  # floor 0
        (0, 100, STAB, "0.00"),
        (1, 3, STAB, "33.33"),
        (D("2.5"), D("2.5"), STAB, "100.00"),
    ],
)
def test_formulas(realisasi, target, polaritas, expected):
    result = capaian(realisasi, target, polaritas)
    assert result == D(expected)
    assert result.as_tuple().exponent == -2  # always two decimals


@pytest.mark.parametrize(
    ("realisasi", "polaritas", "expected"),
    [
        (0, MAX, "100.00"),
        (5, MAX, "120.00"),  # any realisasi above a zero target: the cap
        (D("0.01"), MAX, "120.00"),
        (0, MIN, "100.00"),
        (5, MIN, "0.00"),
        (0, STAB, "100.00"),
        (5, STAB, "0.00"),
    ],
)
def test_target_zero(realisasi, polaritas, expected):
    assert capaian(realisasi, 0, polaritas) == D(expected)


def test_target_zero_maximize_follows_the_cap():
    assert capaian(5, 0, MAX, cap=150) == D("150.00")
    assert capaian(130, 100, MAX, cap=150) == D("130.00")
    assert capaian(0, 100, MIN, cap=D("100")) == D("100.00")


@pytest.mark.parametrize("polaritas", list(Polaritas))
def test_missing_realisasi_is_none(polaritas):
    assert capaian(None, 100, polaritas) is None
    assert capaian(None, 0, polaritas) is None
    assert capaian_rentang(None, 80, 90, polaritas) is None


@pytest.mark.parametrize("polaritas", list(Polaritas))
def test_negative_values_are_refused_in_indonesian(polaritas):
    with pytest.raises(ValueError, match="Realisasi tidak boleh negatif: -1"):
        capaian(-1, 100, polaritas)
    with pytest.raises(ValueError, match="Target tidak boleh negatif: -5"):
        capaian(1, -5, polaritas)
    with pytest.raises(ValueError, match="Target tidak boleh negatif"):
        capaian(None, -5, polaritas)  # the target is checked even without realisasi
    with pytest.raises(ValueError, match="Batas bawah target tidak boleh negatif"):
        capaian_rentang(1, -1, 5, polaritas)


def test_bad_inputs():
    with pytest.raises(ValueError, match="Target belum diisi"):
        capaian(1, None, MAX)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="Decimal"):
        capaian(1.5, 100, MAX)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        capaian(True, 100, MAX)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="terhingga"):
        capaian(D("NaN"), 100, MAX)
    with pytest.raises(ValueError, match="terhingga"):
        capaian(D("Infinity"), 100, MAX)
    with pytest.raises(ValueError, match="paling sedikit 100%"):
        capaian(1, 100, MAX, cap=90)
    with pytest.raises(ValueError):
        capaian(1, 100, "naik")  # type: ignore[arg-type]


def test_accepts_stored_polaritas_value():
    assert capaian(80, 100, "minimize") == D("120.00")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("realisasi", "low", "high", "polaritas", "expected"),
    [
        (92, 80, 90, MAX, "102.22"),  # PermenPANRB 8/2021: above the range -> r / upper
        (70, 80, 90, MAX, "87.50"),  # below the range -> r / lower
        (85, 80, 90, MAX, "100.00"),
        (80, 80, 90, MAX, "100.00"),
        (90, 80, 90, MAX, "100.00"),
        (200, 80, 90, MAX, "120.00"),
        (0, 80, 90, MAX, "0.00"),
        (92, 80, 90, MIN, "97.78"),  # (2 - 92/90)
        (70, 80, 90, MIN, "112.50"),  # (2 - 70/80)
        (92, 80, 90, STAB, "97.78"),  # 1 - 2/90
        (70, 80, 90, STAB, "87.50"),  # 1 - 10/80
        (0, 0, 0, MAX, "100.00"),
        (5, 0, 0, MAX, "120.00"),
        (5, 0, 0, MIN, "0.00"),
        (0, 0, 10, MIN, "100.00"),
        (5, 5, 5, STAB, "100.00"),
    ],
)
def test_range_targets(realisasi, low, high, polaritas, expected):
    assert capaian_rentang(realisasi, low, high, polaritas) == D(expected)


def test_range_default_polaritas_is_maximize_and_bounds_checked():
    assert capaian_rentang(92, 80, 90) == D("102.22")
    assert capaian_rentang(70, 80, 90) == D("87.50")
    with pytest.raises(ValueError, match="lebih besar dari batas atas"):
        capaian_rentang(85, 90, 80)


non_negative = st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=4)
caps = st.decimals(min_value=100, max_value=1000, allow_nan=False, allow_infinity=False, places=2)
polaritas_strategy = st.sampled_from(Polaritas)


@given(non_negative, non_negative, polaritas_strategy, caps)
def test_capaian_within_zero_and_cap(realisasi, target, polaritas, cap):
    result = capaian(realisasi, target, polaritas, cap)
    assert D(0) <= result <= cap


@given(non_negative, non_negative, non_negative, polaritas_strategy)
def test_range_capaian_within_zero_and_cap(realisasi, a, b, polaritas):
    low, high = sorted((a, b))
    assert D(0) <= capaian_rentang(realisasi, low, high, polaritas) <= CAP_DEFAULT


@given(non_negative, non_negative, non_negative)
def test_maximize_is_monotone_in_realisasi(r1, r2, target):
    low, high = sorted((r1, r2))
    assert capaian(low, target, MAX) <= capaian(high, target, MAX)


@given(non_negative, non_negative, non_negative)
def test_minimize_is_antitone_in_realisasi(r1, r2, target):
    low, high = sorted((r1, r2))
    assert capaian(low, target, MIN) >= capaian(high, target, MIN)


@given(non_negative, non_negative)
def test_stabilize_is_best_on_target(realisasi, target):
    assert capaian(realisasi, target, STAB) <= capaian(target, target, STAB) == D("100.00")


# --- consolidation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "jenis", "expected"),
    [
        ([1, 2, 3, 4], Konsolidasi.SUM, D(10)),
        ([D("1.5"), None, D("2.25")], Konsolidasi.SUM, D("3.75")),
        ([1, 2], Konsolidasi.AVERAGE, D("1.5")),
        ([80, None, 90], Konsolidasi.AVERAGE, D(85)),
        ([1, 2, 3, 4], Konsolidasi.LAST, D(4)),
        ([1, 3, None, None], Konsolidasi.LAST, D(3)),
        ([None, 0], Konsolidasi.LAST, D(0)),
        ([], Konsolidasi.SUM, None),
        ([None, None], Konsolidasi.AVERAGE, None),
        ([], Konsolidasi.LAST, None),
    ],
)
def test_konsolidasi(values, jenis, expected):
    assert konsolidasi(values, jenis) == expected


def test_konsolidasi_average_is_not_quantised():
    result = konsolidasi([1, 1, 2], Konsolidasi.AVERAGE)
    assert str(result).startswith("1.33333333333333333333")
    assert result.quantize(D("0.01")) == D("1.33")


@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=10**12), max_size=11),
)
def test_sum_of_splits_equals_total(total_cents, cuts):
    points = sorted(min(c, total_cents) for c in cuts)
    bounds = [0, *points, total_cents]
    parts = [D(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]
    assert konsolidasi(parts, Konsolidasi.SUM) == D(total_cents) / 100


@pytest.mark.parametrize(
    ("targets", "tahun", "jenis", "toleransi", "expected"),
    [
        ([25, 25, 25, 25], 100, Konsolidasi.SUM, 0, True),
        ([10, 20, 30, 40], 100, Konsolidasi.SUM, 0, True),
        ([25, 25, 25, 24], 100, Konsolidasi.SUM, 0, False),
        ([80, 85, 90, 85], 85, Konsolidasi.AVERAGE, 0, True),
        ([80, 85, 90, 86], 85, Konsolidasi.AVERAGE, 0, False),
        ([1, 1, 2], D("1.33"), Konsolidasi.AVERAGE, 0, False),
        ([1, 1, 2], D("1.33"), Konsolidasi.AVERAGE, D("0.01"), True),
        ([10, 20, 30, 40], 40, Konsolidasi.LAST, 0, True),
        ([10, 20, 30, 40], 30, Konsolidasi.LAST, 0, False),
        ([10, 20, 40, None], 40, Konsolidasi.LAST, 0, True),
        ([], 0, Konsolidasi.SUM, 0, False),
        ([None], 0, Konsolidasi.LAST, 0, False),
    ],
)
def test_target_konsisten(targets, tahun, jenis, toleransi, expected):
    assert target_konsisten(targets, tahun, jenis, toleransi) is expected


def test_target_konsisten_refuses_negative_tolerance():
    with pytest.raises(ValueError, match="Toleransi tidak boleh negatif"):
        target_konsisten([1], 1, Konsolidasi.SUM, -1)
