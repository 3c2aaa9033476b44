"""Time spent on a catatan kegiatan and the working days to log (docs/rules.md §34)."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.catatan import (
    MENIT_SEHARI,
    durasi_dari_jam,
    format_durasi,
    hari_kerja,
    hari_kerja_sebelumnya,
    periksa_total_hari,
    tentukan_durasi,
)


@pytest.mark.parametrize(
    ("jam", "menit", "mulai", "selesai", "hasil", "field"),
    [
        (None, None, None, None, None, None),
        (1, 30, None, None, 90, None),
        (None, 45, None, None, 45, None),
        (2, None, None, None, 120, None),
        (None, None, time(8, 0), time(9, 30), 90, None),
        (1, 30, time(8, 0), time(9, 30), 90, None),
        (1, 0, time(8, 0), time(9, 30), None, "durasi_jam"),
        (None, None, time(9, 0), time(9, 0), None, "jam_selesai"),
        (None, None, time(9, 0), time(8, 0), None, "jam_selesai"),
        (0, 0, None, None, None, "durasi_jam"),
        (25, 0, None, None, None, "durasi_jam"),
        (24, 0, None, None, MENIT_SEHARI, None),
        (-1, 0, None, None, None, "durasi_jam"),
        (1, 60, None, None, None, "durasi_menit"),
        (None, None, time(8, 0), None, None, None),  # one time alone: no duration
        (1, 15, time(8, 0), None, 75, None),
    ],
)
def test_tentukan_durasi(jam, menit, mulai, selesai, hasil, field):
    r = tentukan_durasi(jam, menit, mulai, selesai)
    assert r.menit == hasil
    assert list(r.salah) == ([field] if field else [])


@pytest.mark.parametrize(
    ("lain", "ini", "ok"),
    [(0, None, True), (0, 1440, True), (1400, 40, True), (1400, 41, False), (1500, 1, False)],
)
def test_periksa_total_hari(lain, ini, ok):
    assert (periksa_total_hari(lain, ini) is None) is ok


def test_periksa_total_hari_says_what_is_left():
    pesan = periksa_total_hari(22 * 60 + 15, 120)
    assert pesan is not None and "1 jam 45 menit" in pesan


@pytest.mark.parametrize(
    ("menit", "teks"),
    [(None, ""), (0, ""), (30, "30 menit"), (120, "2 jam"), (405, "6 jam 45 menit")],
)
def test_format_durasi(menit, teks):
    assert format_durasi(menit) == teks


def test_hari_kerja():
    assert hari_kerja(date(2026, 12, 7))  # Monday
    assert not hari_kerja(date(2026, 12, 5))  # Saturday
    assert not hari_kerja(date(2026, 12, 25), [date(2026, 12, 25)])
    assert hari_kerja_sebelumnya(date(2026, 12, 7)) == date(2026, 12, 4)
    assert hari_kerja_sebelumnya(date(2026, 12, 7), [date(2026, 12, 4)]) == date(2026, 12, 3)


@given(st.times(), st.times())
def test_durasi_dari_jam_is_antisymmetric(a, b):
    assert durasi_dari_jam(a, b) == -durasi_dari_jam(b, a)


@given(st.times(), st.times(), st.none() | st.integers(0, 30), st.none() | st.integers(0, 59))
def test_a_duration_is_positive_and_within_a_day(mulai, selesai, jam, menit):
    r = tentukan_durasi(jam, menit, mulai, selesai)
    if r.menit is not None:
        assert 0 < r.menit <= MENIT_SEHARI
        assert not r.salah
        assert r.menit == durasi_dari_jam(mulai, selesai)
    else:
        assert r.salah


@given(st.integers(0, 24), st.integers(0, 59))
def test_hours_and_minutes_alone(jam, menit):
    r = tentukan_durasi(jam, menit, None, None)
    total = jam * 60 + menit
    assert (r.menit == total) is (0 < total <= MENIT_SEHARI)


@given(
    st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.sets(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
)
def test_previous_working_day_is_a_working_day_before(t, libur):
    s = hari_kerja_sebelumnya(t, libur)
    assert s < t and hari_kerja(s, libur)
    assert all(not hari_kerja(date.fromordinal(o), libur) for o in range(s.toordinal() + 1, t.toordinal()))
