from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import JenisJabatan, Konsolidasi, ModelSkp, Perspektif
from kinerja.rules.skp import (
    KATA_KERJA_AKTIVITAS,
    batas_skp_pegawai,
    check_target_periode,
    model_skp,
    peringatan_rhk,
    perspektif_kurang,
)


@pytest.mark.parametrize(
    "jenis,mandiri,paksa,expected",
    [
        (JenisJabatan.JPT_PRATAMA, False, False, ModelSkp.KUANTITATIF),
        (JenisJabatan.JPT_MADYA, False, False, ModelSkp.KUANTITATIF),
        (JenisJabatan.JPT_UTAMA, False, False, ModelSkp.KUANTITATIF),
        (JenisJabatan.ADMINISTRATOR, True, False, ModelSkp.KUANTITATIF),
        (JenisJabatan.ADMINISTRATOR, False, False, ModelSkp.KUALITATIF),
        (JenisJabatan.FUNGSIONAL, False, False, ModelSkp.KUALITATIF),
        (JenisJabatan.PELAKSANA, False, False, ModelSkp.KUALITATIF),
        (JenisJabatan.PELAKSANA, False, True, ModelSkp.KUANTITATIF),
    ],
)
def test_model_skp(jenis, mandiri, paksa, expected):
    assert model_skp(jenis, mandiri, paksa) is expected


@pytest.mark.parametrize(
    "jenis,expected",
    [
        (JenisJabatan.JPT_PRATAMA, ModelSkp.KUANTITATIF),
        (JenisJabatan.ADMINISTRATOR, ModelSkp.KUANTITATIF),
        (JenisJabatan.PENGAWAS, ModelSkp.KUANTITATIF),
        (JenisJabatan.FUNGSIONAL, ModelSkp.KUALITATIF),
        (JenisJabatan.PELAKSANA, ModelSkp.KUALITATIF),
    ],
)
def test_model_skp_struktural_kuantitatif(jenis, expected):
    """The instansi setting for its pejabat struktural leaves fungsional and pelaksana kualitatif."""
    assert model_skp(jenis, False, False, struktural_kuantitatif=True) is expected
    assert model_skp(jenis, False, True, struktural_kuantitatif=True) is ModelSkp.KUANTITATIF


@given(st.sampled_from(list(JenisJabatan)), st.booleans(), st.booleans(), st.booleans())
def test_model_skp_settings_only_add_kuantitatif(jenis, mandiri, paksa, struktural):
    """A setting never turns a mandatory kuantitatif SKP kualitatif."""
    if model_skp(jenis, mandiri) is ModelSkp.KUANTITATIF:
        assert model_skp(jenis, mandiri, paksa, struktural) is ModelSkp.KUANTITATIF


@pytest.mark.parametrize("verb", KATA_KERJA_AKTIVITAS)
def test_activity_verbs_warn(verb):
    assert "kata kerja aktivitas" in peringatan_rhk(f"{verb.capitalize()} rapat koordinasi")[0]


@pytest.mark.parametrize(
    "teks",
    ["Tersusunnya laporan kinerja", "Meningkatnya kualitas layanan", "Terlaksananya mutasi tepat waktu", ""],
)
def test_results_do_not_warn(teks):
    assert peringatan_rhk(teks) == []


def test_perspektif_kurang_lists_missing_in_order():
    assert perspektif_kurang([Perspektif.PROSES_BISNIS, None]) == [
        Perspektif.PENERIMA_LAYANAN,
        Perspektif.PENGUATAN_INTERNAL,
        Perspektif.ANGGARAN,
    ]
    assert perspektif_kurang(list(Perspektif)) == []


@pytest.mark.parametrize(
    "tahun,periode,jenis,ok",
    [
        (D(100), {1: D(25), 2: D(25), 3: D(25), 4: D(25)}, Konsolidasi.SUM, True),
        (D(100), {1: D(25), 2: D(25), 3: D(25), 4: D(20)}, Konsolidasi.SUM, False),
        (D(90), {1: D(90), 2: D(90), 3: D(90), 4: D(90)}, Konsolidasi.AVERAGE, True),
        (D(90), {1: D(80), 2: D(90), 3: D(90), 4: D(100)}, Konsolidasi.AVERAGE, True),
        (D(90), {1: D(80), 2: D(80), 3: D(90), 4: D(100)}, Konsolidasi.AVERAGE, False),
        (D(12), {1: D(3), 2: D(6), 3: D(9), 4: D(12)}, Konsolidasi.LAST, True),
        (D(12), {1: D(3), 2: D(6), 3: D(9), 4: D(11)}, Konsolidasi.LAST, False),
        (D(100), {1: D(25), 2: None, 3: None, 4: None}, Konsolidasi.SUM, True),  # not all filled yet
    ],
)
def test_target_periode_consistency(tahun, periode, jenis, ok):
    assert (check_target_periode(tahun, periode, jenis) == []) is ok


def test_target_must_be_positive():
    assert "lebih dari 0" in check_target_periode(D(0), {}, Konsolidasi.SUM)[0].pesan
    assert "wajib diisi" in check_target_periode(None, {}, Konsolidasi.SUM)[0].pesan
    assert "negatif" in check_target_periode(D(5), {1: D(-1)}, Konsolidasi.SUM)[0].pesan


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_split_of_a_sum_is_consistent(parts):
    total = D(sum(parts))
    if total > 0:
        assert check_target_periode(total, {i + 1: D(p) for i, p in enumerate(parts)}, Konsolidasi.SUM) == []


@pytest.mark.parametrize(
    "tmt,expected",
    [
        (date(2020, 3, 1), date(2026, 1, 31)),  # held since before the year: 31 January
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 1, 15), date(2026, 2, 15)),  # one month after a new jabatan in January
        (date(2026, 7, 31), date(2026, 8, 31)),
        (date(2026, 1, 31), date(2026, 2, 28)),
    ],
)
def test_batas_skp_pegawai(tmt, expected):
    assert batas_skp_pegawai(2026, tmt) == expected


def test_batas_skp_pegawai_uses_the_instansi_date_when_later():
    assert batas_skp_pegawai(2026, date(2020, 1, 1), batas_umum=date(2026, 2, 15)) == date(2026, 2, 15)
    assert batas_skp_pegawai(2026, date(2026, 3, 10), batas_umum=date(2026, 2, 15)) == date(2026, 4, 10)
