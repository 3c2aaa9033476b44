"""Realisasi entry window (locks, unlocks) and capaian per periode and year to date."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Konsolidasi, Polaritas
from kinerja.rules.capaian import (
    CAP_DEFAULT,
    KONSOLIDASI_RENTANG,
    capaian,
    capaian_rentang,
    capaian_rentang_kumulatif,
    konsolidasi_rentang,
)
from kinerja.rules.realisasi import (
    Kumulatif,
    NilaiPeriode,
    capaian_indikator,
    capaian_kumulatif,
    format_tanggal,
    format_waktu,
    status_pengisian,
    warna_capaian,
)

MAX, MIN, STAB = Polaritas.MAXIMIZE, Polaritas.MINIMIZE, Polaritas.STABILIZE
SUM, AVG, LAST = Konsolidasi.SUM, Konsolidasi.AVERAGE, Konsolidasi.LAST
D = Decimal

MULAI, BATAS = date(2026, 4, 1), date(2026, 7, 5)


def _status(hari: date, unlock: datetime | None = None, mulai: date | None = MULAI):  # type: ignore[no-untyped-def]
    sekarang = datetime(hari.year, hari.month, hari.day, 10, 0)
    return status_pengisian(
        nama="Triwulan II",
        mulai=mulai,
        batas=BATAS,
        hari_ini=hari,
        sekarang=sekarang,
        buka_kunci_sampai=unlock,
    )


@pytest.mark.parametrize(
    ("hari", "unlock", "mulai", "boleh", "terlambat"),
    [
        (date(2026, 3, 31), None, MULAI, False, False),  # before the periode starts
        (date(2026, 3, 31), None, None, True, False),  # rencana aksi: no lower bound
        (date(2026, 4, 1), None, MULAI, True, False),  # first day
        (date(2026, 6, 30), None, MULAI, True, False),
        (date(2026, 7, 5), None, MULAI, True, False),  # the deadline day itself is on time
        (date(2026, 7, 6), None, MULAI, False, False),  # the next day is locked
        (date(2026, 7, 6), datetime(2026, 7, 13, 9, 0), MULAI, True, True),  # valid unlock
        (date(2026, 7, 6), datetime(2026, 7, 6, 10, 0), MULAI, False, False),  # expires exactly now
        (date(2026, 7, 20), datetime(2026, 7, 13, 9, 0), MULAI, False, False),  # expired unlock
        (date(2026, 7, 1), datetime(2026, 6, 1, 9, 0), MULAI, True, False),  # old unlock, still in time
    ],
)
def test_status_pengisian(hari, unlock, mulai, boleh, terlambat):  # type: ignore[no-untyped-def]
    status = _status(hari, unlock, mulai)
    assert status.boleh is boleh
    assert status.terlambat is terlambat
    assert status.alasan


def test_pesan_terkunci_menyebut_periode_dan_batas() -> None:
    status = _status(date(2026, 7, 6))
    assert status.alasan == (
        "Batas pengisian Triwulan II (5 Juli 2026) sudah lewat. Minta admin kepegawaian membuka kunci."
    )


def test_pesan_dibuka_menyebut_batas_buka_kunci() -> None:
    status = _status(date(2026, 7, 8), datetime(2026, 7, 13, 9, 5))
    assert "dibuka kembali" in status.alasan and "13 Juli 2026 pukul 09.05" in status.alasan
    assert status.dibuka_sampai == datetime(2026, 7, 13, 9, 5)


def test_pesan_sebelum_mulai() -> None:
    assert _status(date(2026, 3, 2)).alasan == "Realisasi Triwulan II baru dapat diisi mulai 1 April 2026."


def test_format() -> None:
    assert format_tanggal(date(2026, 1, 9)) == "9 Januari 2026"
    assert format_waktu(datetime(2026, 12, 31, 23, 59)) == "31 Desember 2026 pukul 23.59"


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    st.one_of(st.none(), st.integers(min_value=-30, max_value=30)),
)
def test_status_hypothesis(hari: date, unlock_offset: int | None) -> None:
    sekarang = datetime(hari.year, hari.month, hari.day, 12, 0)
    unlock = None if unlock_offset is None else sekarang + timedelta(hours=unlock_offset)
    status = status_pengisian(
        nama="Triwulan II",
        mulai=MULAI,
        batas=BATAS,
        hari_ini=hari,
        sekarang=sekarang,
        buka_kunci_sampai=unlock,
    )
    if hari < MULAI:
        assert not status.boleh
    elif hari <= BATAS:
        assert status.boleh and not status.terlambat
    else:
        valid = unlock is not None and unlock > sekarang
        assert status.boleh is valid and status.terlambat is valid


# --- capaian of one periode -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "target", "polaritas", "atas", "expected"),
    [
        (80, 100, MAX, None, D("80.00")),
        (130, 100, MAX, None, D("120.00")),  # cap
        (80, 100, MIN, None, D("120.00")),
        (150, 100, MIN, None, D("50.00")),
        (100, 100, STAB, None, D("100.00")),
        (90, 100, STAB, None, D("90.00")),
        (0, 0, MAX, None, D("100.00")),  # target 0: delegated to rules.capaian
        (5, 0, MAX, None, CAP_DEFAULT),
        (5, 0, MIN, None, D("0.00")),
        (92, 80, MAX, 90, D("102.22")),  # range: above -> against the upper bound
        (70, 80, MAX, 90, D("87.50")),  # below -> against the lower bound
        (85, 80, MAX, 90, D("100.00")),  # inside
        (None, 100, MAX, None, None),  # no realisasi
        (50, None, MAX, None, None),  # no target
    ],
)
def test_capaian_indikator(realisasi, target, polaritas, atas, expected):  # type: ignore[no-untyped-def]
    assert capaian_indikator(realisasi, target, polaritas, atas) == expected


def test_capaian_indikator_cap_config() -> None:
    assert capaian_indikator(150, 100, MAX, cap=150) == D("150.00")


@pytest.mark.parametrize(
    ("nilai", "jenis", "polaritas", "expected"),
    [
        # sum over the filled periods against the sum of their targets: 20+25 vs 25+25
        ([(20, 25), (25, 25), (None, 25), (None, 25)], SUM, MAX, Kumulatif(D(45), D(50), D("90.00"), 2)),
        # a periode without target is not counted
        ([(20, 25), (25, None)], SUM, MAX, Kumulatif(D(20), D(25), D("80.00"), 1)),
        # average (e.g. a percentage): (80+100)/2 = 90 vs (90+90)/2
        ([(80, 90), (100, 90)], AVG, MAX, Kumulatif(D(90), D(90), D("100.00"), 2)),
        # take last: the latest filled periode decides
        ([(3, 5), (4, 4), (None, 3)], LAST, MIN, Kumulatif(D(4), D(4), D("100.00"), 2)),
        ([(6, 5)], LAST, MIN, Kumulatif(D(6), D(5), D("80.00"), 1)),
        ([(None, 5), (None, 5)], SUM, MAX, None),
        ([], SUM, MAX, None),
    ],
)
def test_capaian_kumulatif(nilai, jenis, polaritas, expected):  # type: ignore[no-untyped-def]
    rows = [NilaiPeriode(r, t) for r, t in nilai]
    assert capaian_kumulatif(rows, jenis, polaritas) == expected


def test_capaian_kumulatif_rentang() -> None:
    # The average of the period capaian (100 and 96/90), not the capaian of the average realisasi (92/90).
    rows = [NilaiPeriode(88, None), NilaiPeriode(96, None)]
    hasil = capaian_kumulatif(rows, AVG, MAX, rentang=(80, 90))
    assert hasil == Kumulatif(D(92), None, D("103.34"), 2)


@pytest.mark.parametrize("jenis", [SUM, AVG, LAST])
def test_range_target_is_never_summed(jenis: Konsolidasi) -> None:
    # Two quarters at 85 against 80-90: each 100 %, so the year to date is 100 %, never 170/90 -> 120 %.
    rows = [NilaiPeriode(85, 80), NilaiPeriode(85, 80), NilaiPeriode(None, 80)]
    assert capaian_kumulatif(rows, jenis, MAX, rentang=(80, 90)) == Kumulatif(D(85), None, D("100.00"), 2)


@pytest.mark.parametrize(
    ("jenis", "bawaan", "realisasi", "expected"),
    [
        (AVG, AVG, D(81), D("94.86")),  # (70/80 = 87.50 + 92/90 = 102.22) / 2
        (LAST, AVG, D(92), D("102.22")),  # the indikator's own choice wins over the instansi's
        (AVG, LAST, D(81), D("94.86")),
        (SUM, AVG, D(81), D("94.86")),  # stored with "sum": the instansi's choice (CONFIG)
        (SUM, LAST, D(92), D("102.22")),
    ],
)
def test_range_year_to_date_average_or_last(
    jenis: Konsolidasi, bawaan: Konsolidasi, realisasi: Decimal, expected: Decimal
) -> None:
    rows = [NilaiPeriode(70, None), NilaiPeriode(92, None)]
    hasil = capaian_kumulatif(rows, jenis, MAX, rentang=(80, 90), konsolidasi_rentang_bawaan=bawaan)
    assert hasil == Kumulatif(realisasi, None, expected, 2)


def test_konsolidasi_rentang_refuses_sum_as_the_instansi_choice() -> None:
    assert konsolidasi_rentang(SUM) is AVG
    assert konsolidasi_rentang(SUM, LAST) is LAST
    assert konsolidasi_rentang(LAST, AVG) is LAST
    with pytest.raises(ValueError, match="tidak dapat dijumlahkan"):
        konsolidasi_rentang(AVG, SUM)
    assert capaian_rentang_kumulatif([None, None], 80, 90, AVG) is None


@pytest.mark.parametrize(
    ("nilai", "warna"),
    [
        (None, ""),
        (D("120"), "baik"),
        (D("100"), "baik"),
        (D("99.99"), "sedang"),
        (D(80), "sedang"),
        (D("79.99"), "kurang"),
        (D(0), "kurang"),
    ],
)
def test_warna_capaian(nilai, warna):  # type: ignore[no-untyped-def]
    assert warna_capaian(nilai) == warna


angka = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)


@given(angka, angka, st.sampled_from(list(Polaritas)))
def test_capaian_indikator_dalam_batas(realisasi: Decimal, target: Decimal, polaritas: Polaritas) -> None:
    hasil = capaian_indikator(realisasi, target, polaritas)
    assert hasil is not None and D(0) <= hasil <= CAP_DEFAULT


@given(
    st.lists(st.tuples(angka, angka.filter(lambda t: t > 0)), min_size=1, max_size=4),
    st.sampled_from(list(Konsolidasi)),
    st.sampled_from(list(Polaritas)),
)
def test_kumulatif_satu_periode_sama_dengan_periode(
    rows: list[tuple[Decimal, Decimal]], jenis: Konsolidasi, polaritas: Polaritas
) -> None:
    """With one periode the year to date is that periode; when every periode meets its target, 100."""
    r, t = rows[0]
    single = capaian_kumulatif([NilaiPeriode(r, t)], jenis, polaritas)
    assert single is not None and single.capaian == capaian(r, t, polaritas)
    tepat = capaian_kumulatif([NilaiPeriode(t, t) for _, t in rows], jenis, polaritas)
    assert tepat is not None and tepat.capaian == D("100.00")
    assert tepat.jumlah_periode == len(rows)


@given(
    st.lists(st.one_of(st.none(), angka), min_size=1, max_size=12).filter(
        lambda r: any(x is not None for x in r)
    ),
    st.tuples(angka, angka).filter(lambda b: b[0] != b[1]).map(sorted),
    st.sampled_from(list(Konsolidasi)),
    st.sampled_from(KONSOLIDASI_RENTANG),
    st.sampled_from(list(Polaritas)),
)
def test_range_year_to_date_lies_between_the_period_capaian(
    realisasi: list[Decimal | None],
    rentang: list[Decimal],
    jenis: Konsolidasi,
    bawaan: Konsolidasi,
    polaritas: Polaritas,
) -> None:
    """A range target's year to date is the average or the last of its period capaian: within [min, max]
    of them, the last one for "last", never above what a single periode could reach."""
    low, high = rentang
    per = [capaian_rentang(r, low, high, polaritas) for r in realisasi if r is not None]
    hasil = capaian_kumulatif(
        [NilaiPeriode(r, None) for r in realisasi],
        jenis,
        polaritas,
        (low, high),
        konsolidasi_rentang_bawaan=bawaan,
    )
    assert hasil is not None and hasil.jumlah_periode == len(per)
    assert min(per) <= hasil.capaian <= max(per)
    if konsolidasi_rentang(jenis, bawaan) is LAST:
        assert hasil.capaian == per[-1]
