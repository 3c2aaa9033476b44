"""Checking the deadlines an admin sets for a performance year (docs/rules.md §7)."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import Skema
from kinerja.rules.jadwal import (
    BatasPeriode,
    batas_evaluasi_tahunan,
    batas_skp,
    check_jadwal,
    periode_penilaian,
)


def _bawaan(tahun: int, skema: Skema = Skema.TRIWULANAN) -> list[BatasPeriode]:
    return [
        BatasPeriode(p.nomor, p.nama, p.selesai, p.batas_realisasi, p.batas_evaluasi)
        for p in periode_penilaian(tahun, skema)
    ]


@given(st.integers(1900, 9000), st.sampled_from(list(Skema)))
def test_the_default_deadlines_are_always_accepted(tahun, skema):
    assert check_jadwal(tahun, batas_skp(tahun), batas_evaluasi_tahunan(tahun), _bawaan(tahun, skema)) == []


TW = _bawaan(2026)


@pytest.mark.parametrize(
    "skp,tahunan,ubah,harap",
    [
        # first and last days of the windows (TW IV's evaluation moved to fit the earliest annual one)
        (
            date(2026, 1, 1),
            date(2027, 1, 1),
            {4: {"batas_realisasi": date(2026, 12, 31), "batas_evaluasi": date(2027, 1, 1)}},
            [],
        ),
        (date(2026, 3, 31), date(2027, 3, 31), {}, []),
        (
            date(2025, 12, 31),
            date(2027, 1, 15),
            {},
            [("batas_skp", None, "SKP (31 Desember 2025) harus antara 1 Januari 2026 dan 31 Maret")],
        ),
        (date(2026, 4, 1), date(2027, 1, 15), {}, [("batas_skp", None, "SKP (1 April 2026) harus antara")]),
        (
            date(2026, 1, 31),
            date(2099, 12, 31),
            {},
            [
                (
                    "batas_evaluasi_tahunan",
                    None,
                    "tahunan (31 Desember 2099) harus antara 1 Januari 2027 dan 31 Maret",
                )
            ],
        ),
        (
            date(2026, 1, 31),
            date(2026, 12, 31),
            {},
            [
                ("batas_evaluasi_tahunan", None, "harus antara 1 Januari 2027"),
                ("batas_evaluasi", 4, "IV: batas evaluasi (10 Januari 2027) tidak boleh sesudah"),
            ],
        ),
        # realisasi: not before the periode ends, at most 60 days after
        (date(2026, 1, 31), date(2027, 1, 15), {1: {"batas_realisasi": date(2026, 3, 31)}}, []),
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {1: {"batas_realisasi": date(2026, 5, 30), "batas_evaluasi": date(2026, 6, 1)}},
            [],
        ),
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {1: {"batas_realisasi": date(2026, 3, 30)}},
            [("batas_realisasi", 1, "Triwulan I: batas realisasi (30 Maret 2026) harus antara akhir")],
        ),
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {2: {"batas_realisasi": date(2026, 8, 30), "batas_evaluasi": date(2026, 9, 1)}},
            [("batas_realisasi", 2, "Triwulan II: batas realisasi (30 Agustus 2026)")],
        ),
        # evaluasi: not before realisasi, not after the annual deadline
        (date(2026, 1, 31), date(2027, 1, 15), {1: {"batas_evaluasi": date(2026, 4, 5)}}, []),
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {1: {"batas_evaluasi": date(2026, 4, 4)}},
            [("batas_evaluasi", 1, "evaluasi (4 April 2026) tidak boleh sebelum batas realisasi")],
        ),
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {1: {"batas_evaluasi": date(2027, 1, 15)}},
            [],
        ),  # extended by the admin
        (
            date(2026, 1, 31),
            date(2027, 1, 15),
            {4: {"batas_evaluasi": date(2027, 1, 16)}},
            [("batas_evaluasi", 4, "IV: batas evaluasi (16 Januari 2027) tidak boleh sesudah")],
        ),
    ],
)
def test_each_refused_deadline_names_its_field(skp, tahunan, ubah, harap):
    periode = [replace(p, **ubah.get(p.nomor, {})) for p in TW]
    galat = check_jadwal(2026, skp, tahunan, periode)
    assert [(g.bidang, g.nomor) for g in galat] == [(b, n) for b, n, _ in harap]
    for g, (_, _, teks) in zip(galat, harap, strict=True):
        assert teks in g.pesan


@given(st.dates(date(2020, 1, 1), date(2032, 12, 31)), st.dates(date(2020, 1, 1), date(2032, 12, 31)))
def test_an_accepted_year_keeps_every_deadline_in_order(realisasi, evaluasi):
    periode = [replace(TW[1], batas_realisasi=realisasi, batas_evaluasi=evaluasi)]
    if not check_jadwal(2026, date(2026, 1, 31), date(2027, 1, 15), periode):
        assert TW[1].selesai <= realisasi <= evaluasi <= date(2027, 1, 15)
