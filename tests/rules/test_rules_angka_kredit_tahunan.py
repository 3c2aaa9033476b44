"""Angka kredit of a year: months of a periode, months per SKP (mutation), the 150 % cap."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Jenjang, Predikat
from kinerja.rules.angka_kredit import angka_kredit, angka_kredit_gabungan
from kinerja.rules.angka_kredit_tahunan import (
    BULAN_SEBAGIAN_DEFAULT,
    BulanSebagian,
    angka_kredit_tahun,
    batas_tahunan,
    bulan_dalam_periode,
    bulan_dihitung,
    bulan_per_bagian,
    jumlah_bulan,
)

D = datetime.date
T1, BESAR, PENUH = BulanSebagian.TANGGAL_1, BulanSebagian.SEBAGIAN_BESAR, BulanSebagian.PENUH
TRIWULAN = [(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30))] + [
    (D(2026, 7, 1), D(2026, 9, 30)),
    (D(2026, 10, 1), D(2026, 12, 31)),
]


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


def test_default_part_month_rule_is_the_first_day():
    assert BULAN_SEBAGIAN_DEFAULT is T1


@pytest.mark.parametrize("aturan", list(BulanSebagian))
def test_skp_from_1_march_gives_triwulan_i_one_month(aturan):
    (bulan,) = bulan_dihitung([(D(2026, 3, 1), D(2026, 12, 31))], aturan)
    assert bulan == frozenset(range(3, 13))
    assert [bulan_dalam_periode(bulan, m, s) for m, s in TRIWULAN] == [1, 3, 3, 3]


@pytest.mark.parametrize(
    ("mulai", "aturan", "tahun", "triwulan_i"),
    [
        # From 20 March: 12 of March's 31 days. Never ten months in the year.
        (D(2026, 3, 20), T1, 9, 0),
        (D(2026, 3, 20), BESAR, 9, 0),
        (D(2026, 3, 20), PENUH, 9, 0),
        # From 10 March: 22 of 31 days, at least half.
        (D(2026, 3, 10), T1, 9, 0),
        (D(2026, 3, 10), BESAR, 10, 1),
        (D(2026, 3, 10), PENUH, 9, 0),
        # From 2 January: the first day is missing.
        (D(2026, 1, 2), T1, 11, 2),
        (D(2026, 1, 2), BESAR, 12, 3),
        (D(2026, 1, 2), PENUH, 11, 2),
    ],
)
def test_skp_starting_mid_month(mulai, aturan, tahun, triwulan_i):
    (bulan,) = bulan_dihitung([(mulai, D(2026, 12, 31))], aturan)
    assert len(bulan) == bulan_per_bagian([(mulai, D(2026, 12, 31))], aturan)[0] == tahun
    assert bulan_dalam_periode(bulan, *TRIWULAN[0]) == triwulan_i


def test_skp_ending_mid_month():
    # Retired on 10 October: October counts under the first-day rule only.
    bagian = [(D(2026, 1, 1), D(2026, 10, 10))]
    assert [bulan_per_bagian(bagian, a) for a in (T1, BESAR, PENUH)] == [(10,), (9,), (9,)]


def test_bulan_per_bagian_mid_month_mutation():
    # Moved on 15 July: old SKP covers 14 days of July, new one 17.
    lama = (D(2026, 1, 1), D(2026, 7, 14))
    baru = (D(2026, 7, 15), D(2026, 12, 31))
    # Default: July belongs to the SKP in force on 1 July.
    assert bulan_per_bagian([lama, baru]) == (7, 5)
    # Most days: July goes to the new SKP; whole months only: July is nobody's.
    assert bulan_per_bagian([lama, baru], BESAR) == (6, 6)
    assert bulan_per_bagian([lama, baru], PENUH) == (6, 5)
    # Order of the input is kept.
    assert bulan_per_bagian([baru, lama], BESAR) == (6, 6)
    assert bulan_per_bagian([baru, lama]) == (5, 7)
    # Moved on 17 July: old covers 16 days, new 15 → July stays with the old SKP.
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 7, 16)), (D(2026, 7, 17), D(2026, 12, 31))], BESAR) == (
        7,
        5,
    )
    # Triwulan III of each SKP: never three months each.
    dihitung = bulan_dihitung([lama, baru])
    assert [bulan_dalam_periode(b, *TRIWULAN[2]) for b in dihitung] == [1, 2]


def test_bulan_per_bagian_tie_goes_to_later_and_gaps_count_nothing():
    # April has 30 days: 15 + 15 → the later SKP. A gap (May) is nobody's.
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 4, 15)), (D(2026, 4, 16), D(2026, 4, 30))], BESAR) == (
        3,
        1,
    )
    assert bulan_per_bagian([(D(2026, 1, 1), D(2026, 4, 30)), (D(2026, 6, 1), D(2026, 12, 31))]) == (4, 7)
    # A few days inside a month held longer by another SKP earn no month.
    assert bulan_per_bagian(
        [(D(2026, 1, 1), D(2026, 3, 3)), (D(2026, 3, 4), D(2026, 3, 5)), (D(2026, 3, 6), D(2026, 12, 31))],
        BESAR,
    ) == (2, 0, 10)
    assert bulan_per_bagian(
        [(D(2026, 1, 1), D(2026, 3, 3)), (D(2026, 3, 4), D(2026, 3, 5)), (D(2026, 3, 6), D(2026, 12, 31))]
    ) == (3, 0, 9)


def test_bulan_dalam_periode_refuses_bad_ranges():
    with pytest.raises(ValueError, match="sesudah"):
        bulan_dalam_periode({1, 2}, D(2026, 4, 1), D(2026, 3, 31))


def test_bulan_per_bagian_errors():
    with pytest.raises(ValueError, match="Tidak ada SKP"):
        bulan_per_bagian([])
    with pytest.raises(ValueError, match="tumpang tindih"):
        bulan_per_bagian([(D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 6, 30), D(2026, 12, 31))])
    with pytest.raises(ValueError, match="satu tahun"):
        bulan_per_bagian([(D(2025, 1, 1), D(2025, 6, 30)), (D(2026, 7, 1), D(2026, 12, 31))])


def _bagian(potong: list[int], jeda: list[int]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive parts of 2026 cut at the given day offsets; a part may end a few days early (a gap)."""
    awal = D(2026, 1, 1)
    titik = [awal] + [awal + datetime.timedelta(days=d) for d in sorted(potong)] + [D(2027, 1, 1)]
    hasil = []
    for i in range(len(titik) - 1):
        selesai = titik[i + 1] - datetime.timedelta(days=1)
        mundur = jeda[i % len(jeda)] if jeda else 0
        hasil.append((titik[i], max(titik[i], selesai - datetime.timedelta(days=mundur))))
    return hasil


@given(st.lists(st.integers(min_value=1, max_value=364), min_size=1, max_size=5, unique=True))
def test_bulan_per_bagian_property(potong):
    """Splitting the whole year into consecutive parts credits exactly 12 months by the first-day rule
    (every month has a part in force on its 1st); the other rules may leave a month shared by several short
    parts to nobody, never more than 12."""
    bagian = _bagian(potong, [])
    hasil = bulan_per_bagian(bagian, T1)
    assert sum(hasil) == 12
    assert all(b >= 0 for b in hasil)
    for aturan in (BESAR, PENUH):
        assert sum(bulan_per_bagian(bagian, aturan)) <= 12


@given(
    st.lists(st.integers(min_value=1, max_value=364), max_size=5, unique=True),
    st.lists(st.integers(min_value=0, max_value=40), max_size=6),
    st.sampled_from(list(BulanSebagian)),
)
def test_months_never_overlap_nor_exceed_the_periode_or_the_year(potong, jeda, aturan):
    """Months counted: disjoint between SKP, only months an SKP touches, at most 12 a year, and per
    periode at most the periode's months; over the four triwulan they add up to the SKP's months."""
    bagian = _bagian(potong, jeda)
    dihitung = bulan_dihitung(bagian, aturan)
    semua = [m for b in dihitung for m in b]
    assert len(semua) == len(set(semua)) <= 12
    for (mulai, selesai), bulan in zip(bagian, dihitung, strict=True):
        assert all(mulai.month <= m <= selesai.month for m in bulan)
        per_periode = [bulan_dalam_periode(bulan, m, s) for m, s in TRIWULAN]
        assert all(0 <= n <= jumlah_bulan(m, s) for n, (m, s) in zip(per_periode, TRIWULAN, strict=True))
        assert sum(per_periode) == len(bulan)
    for m, s in TRIWULAN:
        assert sum(bulan_dalam_periode(b, m, s) for b in dihitung) <= jumlah_bulan(m, s)


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
