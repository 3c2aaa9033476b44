"""Angka kredit of a year: months of a periode, months per SKP (mutation), the 150 % cap."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Jenjang, Predikat
from kinerja.rules.angka_kredit import angka_kredit, angka_kredit_gabungan
from kinerja.rules.angka_kredit_tahunan import (
    angka_kredit_tahun,
    batas_tahunan,
    bulan_per_bagian,
    jumlah_bulan,
)

D = datetime.date


@pytest.mark.parametrize(
    ("mulai", "selesai", "bulan"),
    [
        (D(2026, 1, 1), D(2026, 3, 31), 3),  # triwulan
        (D(2026, 7, 1), D(2026, 12, 31), 6),  # semester
        (D(2026, 5, 1), D(2026, 5, 31), 1),  # monthly
        (D(2026, 1, 1), D(2026, 12, 31), 12),
    ],
)
def test_jumlah_bulan(mulai, selesai, bulan):
    assert jumlah_bulan(mulai, selesai) == bulan


def test_jumlah_bulan_refuses_bad_ranges():
    with pytest.raises(ValueError, match="sesudah"):
        jumlah_bulan(D(2026, 4, 1), D(2026, 3, 31))
    with pytest.raises(ValueError, match="pergantian tahun"):
        jumlah_bulan(D(2025, 12, 1), D(2026, 1, 31))


def test_bulan_per_bagian_whole_year():
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 12, 31))]) == (12,)


def test_bulan_per_bagian_mid_month_mutation():
    # Moved on 15 July: old SKP covers 14 days of July, new one 17 → July goes to the new SKP.
    lama = (D(2026, 1, 1), D(2026, 7, 14))
    baru = (D(2026, 7, 15), D(2026, 12, 31))
    assert bulan_per_bagian([lama, baru]) == (6, 6)
    # Order of the input is kept.
    assert bulan_per_bagian([baru, lama]) == (6, 6)
    # Moved on 17 July: old covers 16 days, new 15 → July stays with the old SKP.
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 7, 16)), (D(2026, 7, 17), D(2026, 12, 31))]) == (
        7,
        5,
    )


def test_bulan_per_bagian_tie_goes_to_later_and_gaps_count_nothing():
    # April has 30 days: 15 + 15 → the later SKP. A gap (May) is nobody's.
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 4, 15)), (D(2026, 4, 16), D(2026, 4, 30))]) == (3, 1)
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 4, 30)), (D(2026, 6, 1), D(2026, 12, 31))]) == (4, 7)
    # A few days inside a month held longer by another SKP earn no month.
    assert bulan_per_bagian(
        [(D(2026, 1, 1), D(2026, 3, 3)), (D(2026, 3, 4), D(2026, 3, 5)), (D(2026, 3, 6), D(2026, 12, 31))]
    ) == (2, 0, 10)


def test_bulan_per_bagian_errors():
    with pytest.raises(ValueError, match="Tidak ada SKP"):
        bulan_per_bagian([])
    with pytest.raises(ValueError, match="tumpang tindih"):
        bulan_per_bagian([(D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 6, 30), D(2026, 12, 31))])
    with pytest.raises(ValueError, match="satu tahun"):
        bulan_per_bagian([(D(2025, 1, 1), D(2025, 6, 30)), (D(2026, 7, 1), D(2026, 12, 31))])


@given(st.lists(st.integers(min_value=1, max_value=364), min_size=1, max_size=5, unique=True))
def test_bulan_per_bagian_property(potong):
    """Any split of the year into consecutive parts credits exactly 12 months."""
    awal = D(2026, 1, 1)
    batas = sorted(potong)
    titik = [awal] + [awal + datetime.timedelta(days=d) for d in batas]
    bagian = [(titik[i], titik[i + 1] - datetime.timedelta(days=1)) for i in range(len(titik) - 1)]
    bagian.append((titik[-1], D(2026, 12, 31)))
    hasil = bulan_per_bagian(bagian)
    assert sum(hasil) == 12
    assert all(b >= 0 for b in hasil)


def test_batas_tahunan_default_is_sangat_baik_for_a_year():
    assert batas_tahunan([(Jenjang.AHLI_PERTAMA, 12)]) == Decimal("18.750")
    assert batas_tahunan([(Jenjang.AHLI_PERTAMA, 12)]) == angka_kredit(
        Jenjang.AHLI_PERTAMA, Predikat.SANGAT_BAIK
    )
    # Weighted by months: 6 months Ahli Pertama (9.375) + 6 months Ahli Muda (18.75).
    assert batas_tahunan([(Jenjang.AHLI_PERTAMA, 6), (Jenjang.AHLI_MUDA, 6)]) == Decimal("28.125")


def test_batas_tahunan_configured_target():
    target = {Jenjang.AHLI_MUDA: Decimal("20")}
    assert batas_tahunan([(Jenjang.AHLI_MUDA, 12)], target) == Decimal("30.000")
    # A jenjang missing from the table falls back to its koefisien.
    assert batas_tahunan([(Jenjang.PEMULA, 12)], target) == Decimal("5.625")
    with pytest.raises(ValueError, match="lebih dari 0"):
        batas_tahunan([(Jenjang.AHLI_MUDA, 12)], {Jenjang.AHLI_MUDA: Decimal("0")})
    with pytest.raises(ValueError, match="1 sampai 12"):
        batas_tahunan([(Jenjang.AHLI_MUDA, 7), (Jenjang.AHLI_MADYA, 6)])
    with pytest.raises(ValueError, match="1 sampai 12"):
        batas_tahunan([])


def test_angka_kredit_tahun_uncapped_and_capped():
    hasil = angka_kredit_tahun([(Jenjang.AHLI_MUDA, Predikat.SANGAT_BAIK, 12)])
    assert (hasil.nilai, hasil.dihitung, hasil.batas, hasil.dibatasi) == (
        Decimal("37.500"),
        Decimal("37.500"),
        Decimal("37.500"),
        False,
    )
    # Target 20 → cap 30: Sangat Baik (37.5) is cut to 30, Baik (25) is not.
    target = {Jenjang.AHLI_MUDA: Decimal("20")}
    sb = angka_kredit_tahun([(Jenjang.AHLI_MUDA, Predikat.SANGAT_BAIK, 12)], target)
    assert (sb.nilai, sb.dihitung, sb.dibatasi) == (Decimal("30.000"), Decimal("37.500"), True)
    baik = angka_kredit_tahun([(Jenjang.AHLI_MUDA, Predikat.BAIK, 12)], target)
    assert (baik.nilai, baik.dibatasi) == (Decimal("25.000"), False)


@given(
    st.sampled_from(list(Jenjang)),
    st.sampled_from(list(Jenjang)),
    st.sampled_from(list(Predikat)),
    st.integers(min_value=1, max_value=11),
)
def test_default_cap_never_cuts(j1, j2, predikat, bulan):
    """With the default targets (the koefisien) no year exceeds the cap: 150 % is the top persentase."""
    parts = [(j1, predikat, bulan), (j2, predikat, 12 - bulan)]
    hasil = angka_kredit_tahun(parts)
    assert not hasil.dibatasi
    assert hasil.nilai == angka_kredit_gabungan(parts)
