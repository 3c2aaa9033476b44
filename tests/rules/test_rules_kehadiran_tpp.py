"""The day statuses of ``kehadiran`` feed ``tpp`` directly: the first worked example of docs/rules.md §28,
computed from a month of taps under the Perpres 21/2023 schedule instead of from hand-made statuses."""

import datetime
from decimal import Decimal

from kinerja.rules.jenis_hari import JenisHari
from kinerja.rules.kehadiran import HariLibur, jadwal_perpres_21_2023, status_bulan
from kinerja.rules.tpp import PRESET, KinerjaBulan, Segmen, hitung_tpp

MARET = datetime.date(2026, 3, 1)


def _tap(hari: int, jam: str) -> datetime.datetime:
    j, m = (int(x) for x in jam.split("."))
    return datetime.datetime(2026, 3, hari, j, m)


def _bulan_taps() -> list[datetime.datetime]:
    """A clean month of taps (07.25 in; 16.05 out, Friday 16.35) except TK on 2–4 March, 25 minutes late
    on 9 March and 70 minutes early on 10 March (Tuesday, end 16.00 → out 14.50)."""
    taps = []
    for hari in range(1, 32):
        tanggal = MARET.replace(day=hari)
        if tanggal.weekday() >= 5 or hari in (2, 3, 4):
            continue
        taps.append(_tap(hari, "07.55" if hari == 9 else "07.25"))
        pulang = "14.50" if hari == 10 else ("16.35" if tanggal.weekday() == 4 else "16.05")
        taps.append(_tap(hari, pulang))
    return taps


def test_bulan_dari_tap_memberi_contoh_pertama() -> None:
    hari = status_bulan(2026, 3, jadwal=jadwal_perpres_21_2023(), tap=_bulan_taps())
    assert [h.tanggal.day for h in hari if h.jenis == JenisHari.TK] == [2, 3, 4]
    hasil = hitung_tpp(
        PRESET["kementerian"],
        [Segmen(MARET, MARET.replace(day=31), Decimal(8_000_000))],
        hari,
        [],
        KinerjaBulan(),
    )
    assert hasil.segmen[0].persen_potongan == Decimal("16.75")
    assert hasil.bruto == Decimal(6_660_000)


def test_libur_dari_kalender_tidak_dipotong() -> None:
    """A holiday without taps is neither TK nor a working day: the pay is untouched by it."""
    libur = {MARET.replace(day=19): HariLibur(MARET.replace(day=19), "Hari Suci Nyepi")}
    taps = [t for t in _bulan_taps() if t.day != 19]
    hari = status_bulan(2026, 3, jadwal=jadwal_perpres_21_2023(), tap=taps, libur=libur)
    nyepi = next(h for h in hari if h.tanggal.day == 19)
    assert nyepi.jenis == JenisHari.LIBUR and not nyepi.hari_kerja
    hasil = hitung_tpp(
        PRESET["kementerian"],
        [Segmen(MARET, MARET.replace(day=31), Decimal(8_000_000))],
        hari,
        [],
        KinerjaBulan(),
    )
    assert hasil.bruto == Decimal(6_660_000)
