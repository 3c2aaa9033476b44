"""Periods and deadlines for the three schemes."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Skema
from kinerja.rules.jadwal import (
    Deadlines,
    add_bulan,
    batas_evaluasi_tahunan,
    batas_keberatan,
    batas_keputusan_keberatan,
    batas_skp,
    batas_skp_penempatan,
    lewat_batas,
    periode_pada,
    periode_penilaian,
)


def rows(periods):
    return [(p.nomor, p.nama, p.mulai, p.selesai, p.batas_realisasi, p.batas_evaluasi) for p in periods]


def test_triwulanan_is_the_default():
    assert periode_penilaian(2024) == periode_penilaian(2024, Skema.TRIWULANAN)


def test_triwulanan():
    assert rows(periode_penilaian(2024, Skema.TRIWULANAN)) == [
        (1, "Triwulan I", date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 5), date(2024, 4, 10)),
        (2, "Triwulan II", date(2024, 4, 1), date(2024, 6, 30), date(2024, 7, 5), date(2024, 7, 10)),
        (3, "Triwulan III", date(2024, 7, 1), date(2024, 9, 30), date(2024, 10, 5), date(2024, 10, 10)),
        (4, "Triwulan IV", date(2024, 10, 1), date(2024, 12, 31), date(2025, 1, 5), date(2025, 1, 10)),
    ]
    assert {p.jumlah_bulan for p in periode_penilaian(2024)} == {3}


def test_semesteran():
    assert rows(periode_penilaian(2023, Skema.SEMESTERAN)) == [
        (1, "Semester I", date(2023, 1, 1), date(2023, 6, 30), date(2023, 7, 5), date(2023, 7, 10)),
        (2, "Semester II", date(2023, 7, 1), date(2023, 12, 31), date(2024, 1, 5), date(2024, 1, 10)),
    ]
    assert periode_penilaian(2023, Skema.SEMESTERAN)[0].jumlah_bulan == 6


def test_bulanan():
    periods = periode_penilaian(2024, Skema.BULANAN)
    assert [p.nama for p in periods] == [
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
    ]
    assert rows(periods)[0] == (
        1,
        "Januari",
        date(2024, 1, 1),
        date(2024, 1, 31),
        date(2024, 2, 5),
        date(2024, 2, 10),
    )
    assert rows(periods)[3][3] == date(2024, 4, 30)
    assert rows(periods)[11][2:] == (
        date(2024, 12, 1),
        date(2024, 12, 31),
        date(2025, 1, 5),
        date(2025, 1, 10),
    )
    assert periods[0].jumlah_bulan == 1


@pytest.mark.parametrize(
    ("tahun", "selesai", "realisasi", "evaluasi"),
    [
        (2024, date(2024, 2, 29), date(2024, 3, 5), date(2024, 3, 10)),  # leap year
        (2023, date(2023, 2, 28), date(2023, 3, 5), date(2023, 3, 10)),
        (2000, date(2000, 2, 29), date(2000, 3, 5), date(2000, 3, 10)),
        (2100, date(2100, 2, 28), date(2100, 3, 5), date(2100, 3, 10)),
    ],
)
def test_february(tahun, selesai, realisasi, evaluasi):
    feb = periode_penilaian(tahun, Skema.BULANAN)[1]
    assert (feb.selesai, feb.batas_realisasi, feb.batas_evaluasi) == (selesai, realisasi, evaluasi)


@given(st.integers(min_value=1900, max_value=9998), st.sampled_from(Skema))
def test_periods_tile_the_year(tahun, skema):
    periods = periode_penilaian(tahun, skema)
    assert periods[0].mulai == date(tahun, 1, 1)
    assert periods[-1].selesai == date(tahun, 12, 31)
    assert [p.nomor for p in periods] == list(range(1, len(periods) + 1))
    for before, after in zip(periods, periods[1:], strict=False):
        assert (after.mulai - before.selesai).days == 1
    for p in periods:
        assert (p.batas_realisasi - p.selesai).days == 5
        assert (p.batas_evaluasi - p.selesai).days == 10
        assert p.memuat(p.mulai) and p.memuat(p.selesai)
        assert periode_pada(p.selesai, skema) == p


def test_periode_pada():
    assert periode_pada(date(2024, 5, 20)).nama == "Triwulan II"
    assert periode_pada(date(2024, 7, 1), Skema.SEMESTERAN).nama == "Semester II"
    assert periode_pada(date(2024, 2, 29), Skema.BULANAN).nama == "Februari"


def test_custom_offsets():
    d = Deadlines(hari_realisasi=7, hari_evaluasi=15)
    tw1 = periode_penilaian(2024, Skema.TRIWULANAN, d)[0]
    assert (tw1.batas_realisasi, tw1.batas_evaluasi) == (date(2024, 4, 7), date(2024, 4, 15))


def test_batas_skp():
    assert batas_skp(2024) == date(2024, 1, 31)
    assert batas_skp(2024, Deadlines(skp_bulan=2, skp_hari=31)) == date(2024, 2, 29)  # clamped
    assert batas_skp(2023, Deadlines(skp_bulan=2, skp_hari=31)) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("tmt", "expected"),
    [
        (date(2024, 3, 15), date(2024, 4, 15)),
        (date(2024, 1, 31), date(2024, 2, 29)),  # clamped, leap year
        (date(2023, 1, 31), date(2023, 2, 28)),
        (date(2024, 8, 31), date(2024, 9, 30)),
        (date(2024, 12, 15), date(2025, 1, 15)),
        (date(2024, 2, 29), date(2024, 3, 29)),
    ],
)
def test_batas_skp_penempatan(tmt, expected):
    assert batas_skp_penempatan(tmt) == expected


def test_tambah_bulan():
    assert add_bulan(date(2024, 1, 31), 13) == date(2025, 2, 28)
    assert add_bulan(date(2024, 5, 31), 0) == date(2024, 5, 31)
    assert batas_skp_penempatan(date(2024, 1, 31), Deadlines(bulan_skp_penempatan=2)) == date(2024, 3, 31)


def test_batas_evaluasi_tahunan():
    assert batas_evaluasi_tahunan(2023) == date(2024, 1, 15)
    assert batas_evaluasi_tahunan(
        2023, Deadlines(evaluasi_tahunan_bulan=2, evaluasi_tahunan_hari=30)
    ) == date(2024, 2, 29)


def test_keberatan():
    assert batas_keberatan(date(2024, 1, 20)) == date(2024, 2, 3)
    assert batas_keputusan_keberatan(date(2024, 2, 3)) == date(2024, 2, 17)
    assert batas_keberatan(date(2024, 1, 20), Deadlines(hari_keberatan=7)) == date(2024, 1, 27)


def test_deadline_day_is_inclusive():
    batas = periode_penilaian(2024)[0].batas_realisasi
    assert not lewat_batas(batas, date(2024, 4, 5))
    assert not lewat_batas(batas, date(2024, 4, 1))
    assert lewat_batas(batas, date(2024, 4, 6))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hari_realisasi": -1},
        {"hari_evaluasi": 400},
        {"skp_bulan": 13},
        {"skp_hari": 0},
        {"evaluasi_tahunan_hari": 32},
        {"bulan_skp_penempatan": True},
    ],
)
def test_bad_deadline_settings(kwargs):
    with pytest.raises(ValueError, match="Pengaturan"):
        Deadlines(**kwargs)


@pytest.mark.parametrize("tahun", [1899, 9999, "2024", True])
def test_bad_year(tahun):
    with pytest.raises(ValueError, match="Tahun tidak valid"):
        periode_penilaian(tahun)
