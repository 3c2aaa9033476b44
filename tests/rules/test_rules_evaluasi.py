"""Evaluation workflow table, the realisasi gate and finalisation with a violated pola distribusi."""

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import evaluasi as alur
from kinerja.rules.evaluasi import (
    DAPAT_DIUBAH,
    TRANSISI,
    Aksi,
    KeputusanFinalisasi,
    ModeFinalisasi,
    Peran,
    Status,
    TransisiDitolak,
    aksi_tersedia,
    dapat_diubah,
    may_finalise,
    siap_dinilai,
    transisi,
)

ALLOWED = {
    (Status.DRAFT, Aksi.SIMPAN_RATING, Peran.PENILAI): Status.DINILAI,
    (Status.DRAFT, Aksi.SIMPAN_RATING, Peran.ATASAN_PENILAI): Status.DINILAI,
    (Status.DINILAI, Aksi.SIMPAN_RATING, Peran.PENILAI): Status.DINILAI,
    (Status.DINILAI, Aksi.SIMPAN_RATING, Peran.ATASAN_PENILAI): Status.DINILAI,
    (Status.DIBUKA_KEMBALI, Aksi.SIMPAN_RATING, Peran.PENILAI): Status.DIBUKA_KEMBALI,
    (Status.DIBUKA_KEMBALI, Aksi.SIMPAN_RATING, Peran.ATASAN_PENILAI): Status.DIBUKA_KEMBALI,
    (Status.DINILAI, Aksi.FINALISASI, Peran.PENILAI): Status.FINAL,
    (Status.DINILAI, Aksi.FINALISASI, Peran.ATASAN_PENILAI): Status.FINAL,
    (Status.DIBUKA_KEMBALI, Aksi.FINALISASI, Peran.PENILAI): Status.FINAL,
    (Status.DIBUKA_KEMBALI, Aksi.FINALISASI, Peran.ATASAN_PENILAI): Status.FINAL,
    (Status.FINAL, Aksi.BUKA_KEMBALI, Peran.ADMIN): Status.DIBUKA_KEMBALI,
}


@pytest.mark.parametrize(("status", "aksi", "peran"), list(itertools.product(Status, Aksi, Peran)))
def test_every_combination(status, aksi, peran):
    expected = ALLOWED.get((status, aksi, peran))
    if expected is None:
        with pytest.raises(TransisiDitolak):
            transisi(status, aksi, peran, catatan="alasan")
    else:
        assert transisi(status, aksi, peran, catatan="alasan") is expected


def test_transisi_ditolak_is_the_workflow_error_of_alur():
    from kinerja.rules import alur

    assert TransisiDitolak is alur.TransisiDitolak
    assert issubclass(TransisiDitolak, ValueError)


@pytest.mark.parametrize(
    ("status", "aksi", "peran", "message"),
    [
        (
            Status.FINAL,
            Aksi.BUKA_KEMBALI,
            Peran.ADMIN,
            "Membuka kembali evaluasi yang sudah final wajib disertai alasan",
        ),
        (
            Status.DINILAI,
            Aksi.SIMPAN_RATING,
            Peran.ATASAN_PENILAI,
            "oleh atasan pejabat penilai wajib disertai alasan",
        ),
    ],
)
def test_reason_required(status, aksi, peran, message):
    for catatan in ("", "   \n"):
        with pytest.raises(TransisiDitolak, match=message):
            transisi(status, aksi, peran, catatan=catatan)


def test_penilai_needs_no_reason():
    assert transisi(Status.DRAFT, Aksi.SIMPAN_RATING, Peran.PENILAI) is Status.DINILAI
    assert transisi(Status.DINILAI, Aksi.FINALISASI, Peran.PENILAI) is Status.FINAL
    assert transisi(Status.DINILAI, Aksi.FINALISASI, Peran.ATASAN_PENILAI) is Status.FINAL


@pytest.mark.parametrize(
    ("status", "aksi", "peran", "message"),
    [
        (
            Status.FINAL,
            Aksi.BUKA_KEMBALI,
            Peran.PENILAI,
            "Buka kembali hanya dapat dilakukan oleh admin kepegawaian",
        ),
        (
            Status.DINILAI,
            Aksi.FINALISASI,
            Peran.ADMIN,
            "Finalisasi hanya dapat dilakukan oleh pejabat penilai atau atasan pejabat penilai",
        ),
        (
            Status.DINILAI,
            Aksi.SIMPAN_RATING,
            Peran.ADMIN,
            "Simpan rating hanya dapat dilakukan oleh pejabat penilai",
        ),
        (
            Status.FINAL,
            Aksi.SIMPAN_RATING,
            Peran.PENILAI,
            r"berstatus final \(hanya dari status draft, dinilai atau dibuka kembali\)",
        ),
        (
            Status.DRAFT,
            Aksi.FINALISASI,
            Peran.PENILAI,
            r"berstatus draft \(hanya dari status dinilai atau dibuka kembali\)",
        ),
        (Status.DINILAI, Aksi.BUKA_KEMBALI, Peran.ADMIN, r"berstatus dinilai \(hanya dari status final\)"),
    ],
)
def test_messages_say_who_and_from_where(status, aksi, peran, message):
    with pytest.raises(TransisiDitolak, match=message):
        transisi(status, aksi, peran, catatan="alasan")


def test_role_is_checked_before_status():
    with pytest.raises(TransisiDitolak, match="hanya dapat dilakukan oleh admin"):
        transisi(Status.DRAFT, Aksi.BUKA_KEMBALI, Peran.PENILAI)


def test_stored_values_are_accepted():
    assert transisi("final", "reopen", "admin", "salah input") is Status.DIBUKA_KEMBALI  # type: ignore[arg-type]


def test_only_a_final_evaluation_is_immutable():
    assert {s for s in Status if not dapat_diubah(s)} == {Status.FINAL}
    assert frozenset(TRANSISI[Aksi.SIMPAN_RATING].dari) == DAPAT_DIUBAH


@given(st.sampled_from(list(Status)), st.sampled_from(list(Peran)))
def test_aksi_tersedia_agrees_with_transisi(status, peran):
    for aksi in Aksi:
        try:
            transisi(status, aksi, peran, catatan="x")
            allowed = True
        except TransisiDitolak:
            allowed = False
        assert (aksi in aksi_tersedia(status, peran)) == allowed


@given(st.lists(st.tuples(st.sampled_from(list(Aksi)), st.sampled_from(list(Peran))), max_size=15))
def test_a_final_evaluation_only_changes_when_the_admin_reopens_it(steps):
    status = Status.DRAFT
    for aksi, peran in steps:
        try:
            new = transisi(status, aksi, peran, catatan="x")
        except TransisiDitolak:
            continue
        if status is Status.FINAL:
            assert (aksi, peran, new) == (Aksi.BUKA_KEMBALI, Peran.ADMIN, Status.DIBUKA_KEMBALI)
        if new is Status.FINAL:
            assert aksi is Aksi.FINALISASI and status in {Status.DINILAI, Status.DIBUKA_KEMBALI}
        status = new


# --- gate: every RHK has realisasi or is explicitly marked --------------------------------------------


@pytest.mark.parametrize(
    ("dengan_realisasi", "semua", "tanpa", "missing"),
    [
        ({1, 2, 3}, [1, 2, 3], {}, []),
        ({1, 3}, [1, 2, 3], {}, [2]),
        (set(), [3, 1, 2], {}, [3, 1, 2]),  # in the order of the SKP
        ({1}, [1, 2, 3], {2: "Kegiatan ditunda oleh pimpinan"}, [3]),
        ({1}, [1, 2], {2: "   "}, [2]),  # a mark without a reason does not count
        ({1}, [1, 2], {2: ""}, [2]),
        (set(), [1, 2], {1: "Tidak ada anggaran", 2: "Dialihkan ke unit lain"}, []),
        ({1, 2, 99}, [1, 2], {77: "RHK lain"}, []),  # ids outside the SKP are ignored
        ({1}, [1], {1: "alasan"}, []),  # both: ready
        (set(), [], {}, []),  # an SKP without RHK has nothing to wait for
    ],
)
def test_siap_dinilai(dengan_realisasi, semua, tanpa, missing):
    assert siap_dinilai(dengan_realisasi, semua, tanpa) == missing


def test_siap_dinilai_works_with_any_id():
    assert siap_dinilai(["a"], ["a", "b", "c"], {"c": "tidak ada"}) == ["b"]


@given(
    st.sets(st.integers(0, 20)),
    st.lists(st.integers(0, 20), unique=True),
    st.dictionaries(st.integers(0, 20), st.sampled_from(["", " ", "alasan"])),
)
def test_siap_dinilai_properties(ada, semua, tanpa):
    missing = siap_dinilai(ada, semua, tanpa)
    assert missing == [r for r in semua if r in missing]  # a sub-sequence, in order
    for r in semua:
        ready = r in ada or tanpa.get(r, "").strip() != ""
        assert (r in missing) != ready


# --- finalisation with violations of the pola distribusi ----------------------------------------------


@pytest.mark.parametrize(
    ("violations", "mode", "alasan", "boleh", "wajib_alasan", "fragment"),
    [
        (0, ModeFinalisasi.PERINGATAN, "", True, False, "sesuai pola distribusi"),
        (0, ModeFinalisasi.BLOKIR, "", True, False, "sesuai pola distribusi"),
        (2, ModeFinalisasi.PERINGATAN, "", False, True, "tuliskan alasan"),
        (2, ModeFinalisasi.PERINGATAN, "  ", False, True, "Masih ada 2 pelanggaran"),
        (2, ModeFinalisasi.PERINGATAN, "Unit baru dibentuk", True, True, "alasannya dicatat"),
        (1, ModeFinalisasi.BLOKIR, "", False, False, "Finalisasi ditolak: masih ada 1 pelanggaran"),
        (1, ModeFinalisasi.BLOKIR, "Unit baru dibentuk", False, False, "penghalang finalisasi"),
    ],
)
def test_boleh_finalisasi(violations, mode, alasan, boleh, wajib_alasan, fragment):
    keputusan = may_finalise(violations, mode, alasan)
    assert (keputusan.boleh, keputusan.wajib_alasan) == (boleh, wajib_alasan)
    assert fragment in keputusan.pesan


def test_default_mode_is_warn_only():
    assert may_finalise(3, alasan="disetujui atasan").boleh
    assert may_finalise(3) == KeputusanFinalisasi(
        False, "Masih ada 3 pelanggaran pola distribusi; tuliskan alasan untuk tetap memfinalisasi.", True
    )


def test_mode_from_stored_setting():
    assert not may_finalise(1, "blokir", "alasan").boleh  # type: ignore[arg-type]
    assert may_finalise(1, "peringatan", "alasan").boleh  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("violations", "mode", "message"),
    [
        (-1, ModeFinalisasi.PERINGATAN, "bilangan bulat ≥ 0"),
        (True, ModeFinalisasi.PERINGATAN, "bilangan bulat ≥ 0"),
        (1.0, ModeFinalisasi.PERINGATAN, "bilangan bulat ≥ 0"),
        (1, "tolak", "Mode finalisasi tidak dikenal"),
    ],
)
def test_boleh_finalisasi_bad_input(violations, mode, message):
    with pytest.raises(ValueError, match=message):
        may_finalise(violations, mode)


@given(st.integers(0, 50), st.sampled_from(list(ModeFinalisasi)), st.sampled_from(["", " ", "alasan"]))
def test_finalisation_rule(violations, mode, alasan):
    keputusan = may_finalise(violations, mode, alasan)
    if violations == 0:
        assert keputusan.boleh
    elif mode is ModeFinalisasi.BLOKIR:
        assert not keputusan.boleh
    else:
        assert keputusan.boleh == bool(alasan.strip())


# --- deadline lock -------------------------------------------------------------------------------------

BATAS = date(2026, 4, 10)


def _jam(d: date, h: int = 12) -> datetime:
    return datetime(d.year, d.month, d.day, h)


@pytest.mark.parametrize(
    "hari_ini,buka_sampai,terbuka,terlambat",
    [
        (date(2026, 1, 2), None, True, False),  # long before the deadline (no lower bound)
        (date(2026, 4, 10), None, True, False),  # the deadline day itself
        (date(2026, 4, 11), None, False, False),  # the day after
        (date(2026, 4, 11), _jam(date(2026, 4, 14)), True, True),  # unlocked, still running
        (date(2026, 4, 20), _jam(date(2026, 4, 14)), False, False),  # unlock expired
        (date(2026, 4, 14), _jam(date(2026, 4, 14), 12), False, False),  # expires exactly now: closed
    ],
)
def test_status_kunci_table(hari_ini, buka_sampai, terbuka, terlambat) -> None:  # type: ignore[no-untyped-def]
    s = alur.status_kunci(
        nama="Triwulan I",
        batas=BATAS,
        hari_ini=hari_ini,
        sekarang=_jam(hari_ini),
        buka_kunci_sampai=buka_sampai,
    )
    assert (s.terbuka, s.terlambat) == (terbuka, terlambat)
    assert "Triwulan I" in s.alasan and "10 April 2026" in s.alasan
    if not terbuka:
        assert "Minta admin kepegawaian membuka kunci" in s.alasan
    if terlambat:
        assert s.dibuka_sampai == buka_sampai and "14 April 2026 pukul 12.00" in s.alasan


@given(
    batas=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    geser=st.integers(min_value=-400, max_value=400),
    buka=st.one_of(st.none(), st.integers(min_value=-100, max_value=100)),
)
def test_status_kunci_open_iff_before_deadline_or_unlock_running(batas, geser, buka) -> None:  # type: ignore[no-untyped-def]
    hari_ini = batas + timedelta(days=geser)
    sekarang = _jam(hari_ini)
    sampai = None if buka is None else sekarang + timedelta(hours=buka)
    s = alur.status_kunci(
        nama="x", batas=batas, hari_ini=hari_ini, sekarang=sekarang, buka_kunci_sampai=sampai
    )
    sebelum = hari_ini <= batas
    assert s.terbuka == (sebelum or (sampai is not None and sampai > sekarang))
    assert s.terlambat == (not sebelum and s.terbuka)
