"""Who is in a group's curve (docs/rules.md §3.8): the head of a unit left out of his own unit's curve, a
group of only him, small groups getting the curve as advice only; and the one word for an evaluation's
state (docs/rules.md §15)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import CapaianOrganisasi, Predikat
from kinerja.rules.distribusi import Sebab, check, dihitung_dalam_pola, what_if
from kinerja.rules.evaluasi import Status, Tahap, tahap_evaluasi

SB, B, BP, K = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG
IST, BAIK, CUKUP, KUR, SKUR = list(CapaianOrganisasi)


# --- the head of a unit -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_kelompok", "unit_dipimpin", "dihitung"),
    [
        (10, None, True),  # heads nothing
        (10, 11, True),  # heads another unit (a kabid in his kepala's group)
        (10, 10, False),  # heads the very unit whose curve the group uses
    ],
)
def test_the_head_of_a_unit_is_left_out_of_that_units_curve(unit_kelompok, unit_dipimpin, dihitung):
    assert dihitung_dalam_pola(unit_kelompok, unit_dipimpin) is dihitung


def test_a_group_of_only_the_head_has_no_curve_to_check():
    cek = check(IST, {}, anggota=0, pimpinan=1)
    assert not cek.applicable and cek.sebab is Sebab.HANYA_PIMPINAN and not cek.violations
    assert "hanya berisi pimpinan unit" in (cek.reason or "")
    # Without a head left out, an empty group is the ordinary "belum ada pegawai yang dinilai".
    kosong = check(IST, {})
    assert kosong.sebab is Sebab.KOSONG and "belum ada pegawai yang dinilai" in (kosong.reason or "")


def test_a_head_left_out_does_not_count_against_the_group_of_his_staff():
    # A Sangat Baik head under Istimewa with five staff all Baik: the staff alone are checked, and pass.
    cek = check(IST, {B: 5}, minimal=5, pimpinan=1)
    assert cek.ok and cek.n == 5


# --- small groups ---------------------------------------------------------------------------------------


def test_one_pegawai_under_istimewa_may_be_sangat_baik_as_advice_only():
    ketat = check(IST, {SB: 1})
    assert ketat.applicable and ketat.violations  # the floor of 70 % of 1 is 0
    cek = check(IST, {SB: 1}, minimal=5)
    assert not cek.applicable and cek.sebab is Sebab.KELOMPOK_KECIL and not cek.violations
    assert [f.message for f in cek.saran] == [v.message for v in ketat.violations]
    assert "kurang dari 5 pegawai" in (cek.reason or "") and "hanya sebagai saran" in (cek.reason or "")
    assert cek.ranges  # the curve is still drawn


def test_one_pegawai_under_baik_need_not_be_butuh_perbaikan():
    cek = check(BAIK, {B: 1}, minimal=5)
    assert not cek.applicable and cek.sebab is Sebab.KELOMPOK_KECIL and not cek.violations
    assert {f.kind.value for f in cek.saran} == {"max", "harus_ada"}


def test_the_size_is_the_whole_group_not_only_those_rated():
    # Six members, three rated so far: the group is not small, so the curve binds.
    cek = check(IST, {SB: 3}, minimal=5, anggota=6)
    assert cek.applicable and cek.violations
    assert check(IST, {SB: 3}, minimal=5, anggota=4).sebab is Sebab.KELOMPOK_KECIL


def test_an_infeasible_small_group_says_both():
    cek = check(KUR, {K: 1}, minimal=5)
    assert cek.sebab is Sebab.KELOMPOK_KECIL and "tidak dapat diterapkan pada 1 pegawai" in (cek.reason or "")


def test_the_minimum_reaches_what_if():
    assert all(c.sebab is Sebab.KELOMPOK_KECIL for c in what_if({SB: 2}, minimal=5).values())


@pytest.mark.parametrize("salah", [-1, 1.5, True, "5"])
def test_group_arguments_must_be_counts(salah):
    with pytest.raises(ValueError, match="bilangan bulat"):
        check(IST, {SB: 1}, minimal=salah)
    with pytest.raises(ValueError, match="bilangan bulat"):
        check(IST, {SB: 1}, pimpinan=salah)


counts = st.dictionaries(st.sampled_from(list(Predikat)), st.integers(0, 12), max_size=5)


@given(st.sampled_from(list(CapaianOrganisasi)), counts, st.integers(0, 30))
def test_small_groups_never_block_and_large_ones_are_checked_as_before(capaian, jumlah, minimal):
    cek = check(capaian, jumlah, minimal=minimal)
    biasa = check(capaian, jumlah)
    n = sum(jumlah.values())
    if 0 < n < minimal:
        assert not cek.applicable and not cek.violations and cek.sebab is Sebab.KELOMPOK_KECIL
        assert cek.saran == [*biasa.violations, *biasa.warnings]
    else:
        assert cek == biasa


# --- one word for one state -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "dirating", "ditetapkan", "berakhir", "tahap", "label"),
    [
        (None, False, False, False, Tahap.BELUM_DIBUKA, "Belum dibuka"),
        (
            Status.DRAFT,
            False,
            False,
            True,
            Tahap.BELUM_DINILAI,
            "Belum dinilai — rating RHK atau perilaku belum lengkap",
        ),
        (Status.DINILAI, True, False, False, Tahap.DRAF, "Draf — ditetapkan setelah periode berakhir"),
        (Status.DINILAI, True, False, True, Tahap.SIAP_DITETAPKAN, None),
        (Status.DINILAI, True, True, True, Tahap.DINILAI, "Dinilai — menunggu finalisasi kelompok"),
        (Status.DIBUKA_KEMBALI, True, True, True, Tahap.DIBUKA_KEMBALI, None),
        (Status.FINAL, True, True, True, Tahap.FINAL, "Final"),
    ],
)
def test_the_state_of_an_evaluation(status, dirating, ditetapkan, berakhir, tahap, label):
    hasil = tahap_evaluasi(status, semua_dirating=dirating, ditetapkan=ditetapkan, periode_berakhir=berakhir)
    assert hasil.tahap is tahap
    if label is not None:
        assert hasil.label == label
    assert hasil.dinilai is (tahap in {Tahap.DINILAI, Tahap.DIBUKA_KEMBALI, Tahap.FINAL})


@given(st.sampled_from([None, *Status]), st.booleans(), st.booleans(), st.booleans())
def test_counted_as_dinilai_exactly_when_a_predikat_is_decided_or_final(
    status, dirating, ditetapkan, berakhir
):
    hasil = tahap_evaluasi(status, semua_dirating=dirating, ditetapkan=ditetapkan, periode_berakhir=berakhir)
    assert hasil.dinilai is (status is Status.FINAL or (status is not None and ditetapkan))
