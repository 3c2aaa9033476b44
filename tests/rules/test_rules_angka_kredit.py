"""Angka kredit: the full koefisien x persentase table, m/12, validation."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Jenjang, Predikat
from kinerja.rules.angka_kredit import KOEFISIEN, PERSENTASE, angka_kredit, angka_kredit_gabungan

# Rows: jenjang; columns: SB, B, BP, K, SK (12 months).
TABLE = {
    Jenjang.PEMULA: ("5.625", "3.750", "2.813", "1.875", "0.938"),
    Jenjang.TERAMPIL: ("7.500", "5.000", "3.750", "2.500", "1.250"),
    Jenjang.MAHIR: ("18.750", "12.500", "9.375", "6.250", "3.125"),
    Jenjang.PENYELIA: ("37.500", "25.000", "18.750", "12.500", "6.250"),
    Jenjang.AHLI_PERTAMA: ("18.750", "12.500", "9.375", "6.250", "3.125"),
    Jenjang.AHLI_MUDA: ("37.500", "25.000", "18.750", "12.500", "6.250"),
    Jenjang.AHLI_MADYA: ("56.250", "37.500", "28.125", "18.750", "9.375"),
    Jenjang.AHLI_UTAMA: ("75.000", "50.000", "37.500", "25.000", "12.500"),
}
CELLS = [(j, p, Decimal(v)) for j, row in TABLE.items() for p, v in zip(Predikat, row, strict=True)]


@pytest.mark.parametrize(("jenjang", "predikat", "expected"), CELLS)
def test_full_table(jenjang, predikat, expected):
    result = angka_kredit(jenjang, predikat)
    assert result == expected
    assert result.as_tuple().exponent == -3


def test_tables():
    assert {j: str(k) for j, k in KOEFISIEN.items()} == {
        Jenjang.PEMULA: "3.75",
        Jenjang.TERAMPIL: "5",
        Jenjang.MAHIR: "12.5",
        Jenjang.PENYELIA: "25",
        Jenjang.AHLI_PERTAMA: "12.5",
        Jenjang.AHLI_MUDA: "25",
        Jenjang.AHLI_MADYA: "37.5",
        Jenjang.AHLI_UTAMA: "50",
    }
    assert [PERSENTASE[p] for p in Predikat] == [Decimal(x) for x in (150, 100, 75, 50, 25)]


@pytest.mark.parametrize(
    ("jenjang", "predikat", "bulan", "expected"),
    [
        (Jenjang.AHLI_PERTAMA, Predikat.BAIK, 6, "6.250"),
        (Jenjang.AHLI_PERTAMA, Predikat.BAIK, 3, "3.125"),
        (Jenjang.PEMULA, Predikat.SANGAT_BAIK, 1, "0.469"),  # 0.46875, half up
        (Jenjang.TERAMPIL, Predikat.BUTUH_PERBAIKAN, 5, "1.563"),  # 1.5625
        (Jenjang.AHLI_UTAMA, Predikat.SANGAT_KURANG, 1, "1.042"),  # 1.041666...
        (Jenjang.AHLI_MADYA, Predikat.SANGAT_BAIK, 12, "56.250"),
    ],
)
def test_part_of_a_year(jenjang, predikat, bulan, expected):
    assert angka_kredit(jenjang, predikat, bulan) == Decimal(expected)


@pytest.mark.parametrize("bulan", [0, 13, -1, True, "12", 6.0])
def test_bulan_must_be_1_to_12(bulan):
    with pytest.raises(ValueError, match="Jumlah bulan harus bilangan bulat 1 sampai 12"):
        angka_kredit(Jenjang.AHLI_MUDA, Predikat.BAIK, bulan)


def test_combined_year_is_weighted_by_months_and_rounded_once():
    parts = [(Jenjang.AHLI_PERTAMA, Predikat.BAIK, 6), (Jenjang.AHLI_MUDA, Predikat.BAIK, 6)]
    assert angka_kredit_gabungan(parts) == Decimal("18.750")
    # 4 x (Pemula, SK, 3 months) = 0.9375 -> 0.938 once (summing rounded parts would give 0.936).
    assert angka_kredit_gabungan([(Jenjang.PEMULA, Predikat.SANGAT_KURANG, 3)] * 4) == Decimal("0.938")
    with pytest.raises(ValueError, match="dalam satu tahun"):
        angka_kredit_gabungan(parts + [(Jenjang.PEMULA, Predikat.BAIK, 1)])
    with pytest.raises(ValueError, match="dalam satu tahun"):
        angka_kredit_gabungan([])


jenjang_strategy = st.sampled_from(Jenjang)
predikat_strategy = st.sampled_from(Predikat)


@given(jenjang_strategy, predikat_strategy)
def test_full_year_is_koefisien_times_persentase(jenjang, predikat):
    exact = KOEFISIEN[jenjang] * PERSENTASE[predikat] / 100
    assert angka_kredit(jenjang, predikat, bulan=12) == exact.quantize(Decimal("0.001"), ROUND_HALF_UP)
    if (jenjang, predikat) not in {
        (Jenjang.PEMULA, Predikat.BUTUH_PERBAIKAN),  # 2.8125
        (Jenjang.PEMULA, Predikat.SANGAT_KURANG),  # 0.9375
    }:
        assert angka_kredit(jenjang, predikat, bulan=12) == exact  # exact at 3 decimals
    assert angka_kredit(jenjang, predikat) == angka_kredit(jenjang, predikat, 12)


@given(jenjang_strategy, predikat_strategy, predikat_strategy, st.integers(1, 12), st.integers(1, 12))
def test_monotone_in_predikat_and_months(jenjang, p1, p2, m1, m2):
    (pw, pb), (mw, mb) = sorted((p1, p2)), sorted((m1, m2))
    assert angka_kredit(jenjang, pw, mw) <= angka_kredit(jenjang, pb, mb)
