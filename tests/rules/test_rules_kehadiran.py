"""Kehadiran rules: the schedule in force (base, dated variant, shift), holidays and cuti bersama, approved
absences, and how the day's taps give HADIR with TL/PSW minutes or TK (docs/rules.md §27)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari
from kinerja.rules.kehadiran import (
    AturanKehadiran,
    CaraBacaTap,
    HariLibur,
    JadwalKerja,
    JamKerja,
    Ketidakhadiran,
    VarianJadwal,
    jadwal_perpres_21_2023,
    jadwal_ramadan,
    jam_berlaku,
    status_bulan,
    status_hari,
)

SENIN = date(2026, 12, 7)
JUMAT = date(2026, 12, 11)
SABTU = date(2026, 12, 12)
MINGGU = date(2026, 12, 13)
CUTI_BERSAMA = date(2026, 12, 24)
NATAL = date(2026, 12, 25)
RAMADAN_RABU = date(2027, 2, 10)

BASE = jadwal_perpres_21_2023()
RAMADAN = VarianJadwal("Ramadan 1448 H", date(2027, 2, 8), date(2027, 3, 9), jadwal_ramadan())
ENAM_HARI = JadwalKerja(
    {**BASE.hari, 5: JamKerja(time(7, 30), time(12, 0))},
    "Unit layanan (6 hari)",
)
MALAM = JamKerja(time(22, 0), time(6, 0), 30, "Malam")
LIBUR = {
    NATAL: HariLibur(NATAL, "Hari Raya Natal"),
    CUTI_BERSAMA: HariLibur(CUTI_BERSAMA, "Cuti bersama Natal", JenisHari.CUTI_BERSAMA),
}


def t(d: date, hhmmss: str) -> datetime:
    return datetime.combine(d, time.fromisoformat(hhmmss))


def test_perpres_21_2023_is_37_hours_30_minutes_and_ramadan_32_30() -> None:
    assert BASE.menit_seminggu == 37 * 60 + 30
    assert jadwal_ramadan().menit_seminggu == 32 * 60 + 30
    assert BASE.hari[4].istirahat_menit == 90 and BASE.hari[0].istirahat_menit == 60
    assert BASE.hari[0].masuk == time(7, 30) and jadwal_ramadan().hari[0].masuk == time(8, 0)


def test_schedule_in_force_shift_beats_variant_beats_base() -> None:
    assert jam_berlaku(SENIN, jadwal=BASE) == BASE.hari[0]
    assert jam_berlaku(SABTU, jadwal=BASE) is None
    assert jam_berlaku(RAMADAN_RABU, jadwal=BASE, varian=[RAMADAN]) == jadwal_ramadan().hari[2]
    shift = {RAMADAN_RABU: MALAM}
    assert jam_berlaku(RAMADAN_RABU, jadwal=BASE, varian=[RAMADAN], shift=shift) == MALAM
    assert jam_berlaku(SENIN, jadwal=None, shift=shift) is None


def test_the_later_starting_variant_wins_whatever_the_order() -> None:
    khusus = VarianJadwal("Khusus", date(2027, 2, 10), date(2027, 2, 10), ENAM_HARI)
    for urutan in ([RAMADAN, khusus], [khusus, RAMADAN]):
        assert jam_berlaku(RAMADAN_RABU, jadwal=BASE, varian=urutan) == ENAM_HARI.hari[2]


KASUS = [
    # (name, tanggal, jadwal, varian, shift, taps, jenis, tl, psw, tanpa_masuk, tanpa_pulang, alasan)
    (
        "normal",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "07:20:00"), t(SENIN, "16:05:00")],
        JenisHari.HADIR,
        0,
        0,
        False,
        False,
        ("Masuk 07.20, jadwal 07.30", "Pulang 16.05, jadwal 16.00"),
    ),
    (
        "late",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "07:55:00"), t(SENIN, "16:00:00")],
        JenisHari.HADIR,
        25,
        0,
        False,
        False,
        ("Masuk 07.55, jadwal 07.30: terlambat 25 menit", "Pulang 16.00, jadwal 16.00"),
    ),
    (
        "late by one second is one minute",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "07:30:01"), t(SENIN, "16:00:00")],
        JenisHari.HADIR,
        1,
        0,
        False,
        False,
        None,
    ),
    (
        "early leave",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "07:00:00"), t(SENIN, "15:30:00")],
        JenisHari.HADIR,
        0,
        30,
        False,
        False,
        ("Masuk 07.00, jadwal 07.30", "Pulang 15.30, jadwal 16.00: pulang sebelum waktu 30 menit"),
    ),
    (
        "both",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "08:40:00"), t(SENIN, "14:50:00")],
        JenisHari.HADIR,
        70,
        70,
        False,
        False,
        None,
    ),
    (
        "missing out (single morning tap)",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "07:45:00")],
        JenisHari.HADIR,
        15,
        0,
        False,
        True,
        ("Masuk 07.45, jadwal 07.30: terlambat 15 menit", "Tidak ada rekaman pulang"),
    ),
    (
        "missing in (single afternoon tap)",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN, "16:10:00")],
        JenisHari.HADIR,
        0,
        0,
        True,
        False,
        ("Tidak ada rekaman masuk", "Pulang 16.10, jadwal 16.00"),
    ),
    (
        "friday ends 16.30",
        JUMAT,
        BASE,
        (),
        None,
        [t(JUMAT, "07:30:00"), t(JUMAT, "16:10:00")],
        JenisHari.HADIR,
        0,
        20,
        False,
        False,
        None,
    ),
    (
        "ramadan starts 08.00",
        RAMADAN_RABU,
        BASE,
        (RAMADAN,),
        None,
        [t(RAMADAN_RABU, "07:55:00"), t(RAMADAN_RABU, "15:00:00")],
        JenisHari.HADIR,
        0,
        0,
        False,
        False,
        ("Jadwal Ramadan 1448 H", "Masuk 07.55, jadwal 08.00", "Pulang 15.00, jadwal 15.00"),
    ),
    (
        "six-day unit saturday",
        SABTU,
        ENAM_HARI,
        (),
        None,
        [t(SABTU, "07:35:00"), t(SABTU, "12:00:00")],
        JenisHari.HADIR,
        5,
        0,
        False,
        False,
        None,
    ),
    (
        "five-day unit saturday",
        SABTU,
        BASE,
        (),
        None,
        [t(SABTU, "07:35:00")],
        JenisHari.BUKAN_HARI_KERJA,
        0,
        0,
        False,
        False,
        ("Bukan hari kerja (Sabtu)",),
    ),
    (
        "shift past midnight",
        SENIN,
        None,
        (),
        {SENIN: MALAM},
        [t(SENIN, "22:10:00"), t(SENIN + timedelta(days=1), "05:50:00")],
        JenisHari.HADIR,
        10,
        10,
        False,
        False,
        (
            "Shift Malam: 22.00–06.00",
            "Masuk 22.10, jadwal 22.00: terlambat 10 menit",
            "Pulang 05.50 (08-12-2026), jadwal 06.00: pulang sebelum waktu 10 menit",
        ),
    ),
    (
        "shift worker's day off",
        SENIN,
        None,
        (),
        {},
        [],
        JenisHari.BUKAN_HARI_KERJA,
        0,
        0,
        False,
        False,
        None,
    ),
    (
        "holiday with taps",
        NATAL,
        BASE,
        (),
        None,
        [t(NATAL, "07:30:00"), t(NATAL, "16:30:00")],
        JenisHari.LIBUR,
        0,
        0,
        False,
        False,
        ("Libur nasional: Hari Raya Natal",),
    ),
    (
        "cuti bersama",
        CUTI_BERSAMA,
        BASE,
        (),
        None,
        [],
        JenisHari.CUTI_BERSAMA,
        0,
        0,
        False,
        False,
        ("Cuti bersama: Cuti bersama Natal",),
    ),
    (
        "tk",
        SENIN,
        BASE,
        (),
        None,
        [t(SENIN - timedelta(days=1), "07:30:00")],
        JenisHari.TK,
        0,
        0,
        False,
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("tanggal", "jadwal", "varian", "shift", "taps", "jenis", "tl", "psw", "tm", "tp", "alasan"),
    [k[1:] for k in KASUS],
    ids=[k[0] for k in KASUS],
)
def test_status_hari(
    tanggal: date,
    jadwal: JadwalKerja | None,
    varian: tuple[VarianJadwal, ...],
    shift: dict[date, JamKerja] | None,
    taps: list[datetime],
    jenis: JenisHari,
    tl: int,
    psw: int,
    tm: bool,
    tp: bool,
    alasan: tuple[str, ...] | None,
) -> None:
    s = status_hari(tanggal, jadwal=jadwal, varian=varian, shift=shift, libur=LIBUR, tap=taps)
    assert (s.tanggal, s.jenis, s.menit_tl, s.menit_psw, s.tanpa_masuk, s.tanpa_pulang) == (
        tanggal,
        jenis,
        tl,
        psw,
        tm,
        tp,
    )
    assert s.hari_kerja == (
        jenis not in {JenisHari.LIBUR, JenisHari.CUTI_BERSAMA, JenisHari.BUKAN_HARI_KERJA}
    )
    if alasan is not None:
        assert s.alasan == alasan


@pytest.mark.parametrize("jenis", sorted(KETIDAKHADIRAN), ids=str)
def test_every_absence_kind_excuses_the_day(jenis: JenisHari) -> None:
    absen = [Ketidakhadiran(jenis, SENIN, JUMAT)]
    s = status_hari(SENIN, jadwal=BASE, ketidakhadiran=absen, tap=[t(SENIN, "09:00:00")])
    assert (s.jenis, s.hari_kerja, s.menit_tl) == (jenis, True, 0)
    assert s.alasan == (f"{jenis.label} (disetujui)",)


def test_cuti_tahunan_reason() -> None:
    s = status_hari(SENIN, jadwal=BASE, ketidakhadiran=[Ketidakhadiran(JenisHari.CUTI_TAHUNAN, SENIN, SENIN)])
    assert s.alasan == ("Cuti tahunan (disetujui)",)


def test_an_absence_over_a_weekend_and_a_holiday_changes_nothing() -> None:
    absen = [Ketidakhadiran(JenisHari.CUTI_TAHUNAN, date(2026, 12, 21), date(2026, 12, 31))]
    hari = {s.tanggal: s for s in status_bulan(2026, 12, jadwal=BASE, libur=LIBUR, ketidakhadiran=absen)}
    assert hari[date(2026, 12, 26)].jenis is JenisHari.BUKAN_HARI_KERJA
    assert hari[date(2026, 12, 27)].jenis is JenisHari.BUKAN_HARI_KERJA
    assert hari[NATAL].jenis is JenisHari.LIBUR
    assert hari[CUTI_BERSAMA].jenis is JenisHari.CUTI_BERSAMA
    assert hari[date(2026, 12, 23)].jenis is JenisHari.CUTI_TAHUNAN
    assert [s.tanggal for s in hari.values() if s.jenis is JenisHari.CUTI_TAHUNAN] == [
        date(2026, 12, d) for d in (21, 22, 23, 28, 29, 30, 31)
    ]


def test_a_refused_kind_is_not_an_absence() -> None:
    with pytest.raises(ValueError):
        Ketidakhadiran(JenisHari.HADIR, SENIN, SENIN)
    with pytest.raises(ValueError):
        Ketidakhadiran(JenisHari.IZIN, JUMAT, SENIN)


def test_a_shift_rostered_on_a_holiday_is_worked_unless_the_rule_says_otherwise() -> None:
    pagi = JamKerja(time(7, 0), time(14, 0), 0, "Pagi")
    taps = [t(NATAL, "07:00:00"), t(NATAL, "14:00:00")]
    kerja = status_hari(NATAL, jadwal=None, shift={NATAL: pagi}, libur=LIBUR, tap=taps)
    assert kerja.jenis is JenisHari.HADIR
    libur = status_hari(
        NATAL,
        jadwal=None,
        shift={NATAL: pagi},
        libur=LIBUR,
        tap=taps,
        aturan=AturanKehadiran(shift_pada_libur=False),
    )
    assert libur.jenis is JenisHari.LIBUR


def test_grace_minutes_and_whole_minute_counting() -> None:
    taps = [t(SENIN, "07:35:30"), t(SENIN, "16:00:00")]
    assert status_hari(SENIN, jadwal=BASE, tap=taps).menit_tl == 6
    assert (
        status_hari(SENIN, jadwal=BASE, tap=taps, aturan=AturanKehadiran(bulatkan_ke_atas=False)).menit_tl
        == 5
    )
    assert (
        status_hari(SENIN, jadwal=BASE, tap=taps, aturan=AturanKehadiran(toleransi_tl_menit=6)).menit_tl == 0
    )
    assert (
        status_hari(SENIN, jadwal=BASE, tap=taps, aturan=AturanKehadiran(toleransi_tl_menit=5)).menit_tl == 6
    )


def test_two_morning_taps_by_first_last_or_by_midpoint() -> None:
    taps = [t(SENIN, "07:20:00"), t(SENIN, "07:25:00")]
    awal_akhir = status_hari(SENIN, jadwal=BASE, tap=taps)
    assert (awal_akhir.tanpa_pulang, awal_akhir.menit_psw) == (False, 515)
    tengah = status_hari(
        SENIN, jadwal=BASE, tap=taps, aturan=AturanKehadiran(cara_baca=CaraBacaTap.TITIK_TENGAH)
    )
    assert (tengah.tanpa_pulang, tengah.menit_psw, tengah.menit_tl) == (True, 0, 0)


def test_taps_outside_the_window_do_not_count() -> None:
    taps = [t(SENIN, "04:00:00"), t(SENIN, "22:30:00")]
    assert status_hari(SENIN, jadwal=BASE, tap=taps).jenis is JenisHari.TK
    lebar = AturanKehadiran(jendela_sebelum_menit=240, jendela_sesudah_menit=420)
    assert status_hari(SENIN, jadwal=BASE, tap=taps, aturan=lebar).jenis is JenisHari.HADIR


def test_month_helper_gives_every_date() -> None:
    bulan = status_bulan(2027, 2, jadwal=BASE, varian=[RAMADAN])
    assert [s.tanggal.day for s in bulan] == list(range(1, 29))
    assert sum(s.hari_kerja for s in bulan) == 20


def test_invalid_schedules_are_refused() -> None:
    with pytest.raises(ValueError):
        JamKerja(time(7, 30), time(7, 30))
    with pytest.raises(ValueError):
        JamKerja(time(7, 30), time(8, 0), 30)
    with pytest.raises(ValueError):
        JadwalKerja({7: BASE.hari[0]})
    with pytest.raises(ValueError):
        HariLibur(NATAL, "x", JenisHari.TK)


# Property tests over the two weeks around Christmas 2026, with random taps, holidays and absences.
HARI = st.dates(min_value=date(2026, 12, 20), max_value=date(2027, 1, 3))
TAP = st.builds(
    lambda d, detik: datetime.combine(d, time()) + timedelta(seconds=detik),
    HARI,
    st.integers(0, 24 * 3600 - 1),
)
ABSEN = st.builds(
    lambda jenis, mulai, lama: Ketidakhadiran(jenis, mulai, mulai + timedelta(days=lama)),
    st.sampled_from(sorted(KETIDAKHADIRAN)),
    HARI,
    st.integers(0, 5),
)
JADWAL = st.sampled_from([BASE, ENAM_HARI])
SHIFT = st.dictionaries(
    HARI, st.sampled_from([MALAM, JamKerja(time(7, 0), time(14, 0), 0, "Pagi")]), max_size=4
)


@given(HARI, JADWAL, SHIFT, st.lists(TAP, max_size=8), st.lists(ABSEN, max_size=3))
def test_minutes_never_negative_and_order_and_duplicates_do_not_matter(
    tanggal: date,
    jadwal: JadwalKerja,
    shift: dict[date, JamKerja],
    taps: list[datetime],
    absen: list[Ketidakhadiran],
) -> None:
    s = status_hari(tanggal, jadwal=jadwal, shift=shift, libur=LIBUR, ketidakhadiran=absen, tap=taps)
    assert s.menit_tl >= 0 and s.menit_psw >= 0
    dibalik = status_hari(
        tanggal, jadwal=jadwal, shift=shift, libur=LIBUR, ketidakhadiran=absen[::-1], tap=taps[::-1] + taps
    )
    assert dibalik == s


@given(HARI, JADWAL, st.lists(TAP, max_size=8), st.lists(ABSEN, max_size=3))
def test_a_holiday_is_never_tk(
    tanggal: date, jadwal: JadwalKerja, taps: list[datetime], absen: list[Ketidakhadiran]
) -> None:
    libur = {tanggal: HariLibur(tanggal, "Libur")}
    s = status_hari(tanggal, jadwal=jadwal, libur=libur, ketidakhadiran=absen, tap=taps)
    assert s.jenis is JenisHari.LIBUR and not s.hari_kerja


@given(HARI, JADWAL, SHIFT, st.lists(TAP, max_size=8), ABSEN)
def test_an_absence_always_wins_over_tk(
    tanggal: date,
    jadwal: JadwalKerja,
    shift: dict[date, JamKerja],
    taps: list[datetime],
    absen: Ketidakhadiran,
) -> None:
    tanpa = status_hari(tanggal, jadwal=jadwal, shift=shift, libur=LIBUR, tap=taps)
    dengan = status_hari(tanggal, jadwal=jadwal, shift=shift, libur=LIBUR, ketidakhadiran=[absen], tap=taps)
    if absen.meliputi(tanggal) and tanpa.hari_kerja:
        assert dengan.jenis is absen.jenis
    if not tanpa.hari_kerja:
        assert dengan == tanpa
