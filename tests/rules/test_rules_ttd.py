"""Signature slots and their order (docs/rules.md §29)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.ttd import SLOT, Peran, StatusTtd, alasan_tidak_boleh, menunggu, slot, status_ttd

P, N, A, T = Peran.PEGAWAI, Peran.PENILAI, Peran.ATASAN, Peran.PENETAP


@pytest.mark.parametrize(
    ("jenis", "sudah", "boleh"),
    [
        ("skp", set(), (P, N)),
        ("skp", {P}, (N,)),
        ("skp", {N}, (P,)),
        ("skp", {P, N}, ()),
        ("evaluasi_kinerja", set(), (N,)),  # the pegawai acknowledges only what the penilai signed
        ("evaluasi_kinerja", {N}, (P,)),
        ("evaluasi_kinerja", {N, P}, ()),
        ("predikat_kinerja", set(), (N,)),
        ("evaluasi_ringkas", set(), (N,)),  # the one-page Dokumen Evaluasi: as the form
        ("evaluasi_ringkas", {N}, (P,)),
        ("evaluasi_ringkas", {N, P}, ()),
        ("penetapan_predikat", set(), (T,)),
        ("penetapan_predikat", {T}, ()),
        ("keputusan_keberatan", set(), (A,)),
        ("perjanjian_kinerja", set(), ()),  # no signature slots (printed for a wet signature)
    ],
)
def test_who_may_sign_next(jenis: str, sudah: set[Peran], boleh: tuple[Peran, ...]) -> None:
    assert menunggu(jenis, sudah) == boleh


@pytest.mark.parametrize(
    ("jenis", "peran", "sudah", "pesan"),
    [
        ("evaluasi_kinerja", P, set(), "harus lebih dulu ditandatangani oleh Pejabat Penilai Kinerja"),
        ("skp", P, {P}, "sudah Anda tandatangani"),
        ("skp", T, set(), "tidak ditandatangani oleh peran tersebut"),
        ("tidak_ada", P, set(), "tidak ditandatangani oleh peran tersebut"),
    ],
)
def test_refusals_say_why(jenis: str, peran: Peran, sudah: set[Peran], pesan: str) -> None:
    alasan = alasan_tidak_boleh(jenis, peran, sudah)
    assert alasan is not None and pesan in alasan


@pytest.mark.parametrize(
    ("jenis", "sudah", "status"),
    [
        ("skp", set(), StatusTtd.BELUM),
        ("skp", {N}, StatusTtd.SEBAGIAN),
        ("skp", {P, N}, StatusTtd.LENGKAP),
        ("penetapan_predikat", {T}, StatusTtd.LENGKAP),
    ],
)
def test_status(jenis: str, sudah: set[Peran], status: StatusTtd) -> None:
    assert status_ttd(jenis, sudah) == status


@given(st.sampled_from(sorted(SLOT)), st.permutations(list(Peran)))
def test_signing_in_any_allowed_order_ends_complete(jenis: str, urutan: list[Peran]) -> None:
    """Signing whoever may sign next, in any order, always completes the document, one slot per role."""
    sudah: list[Peran] = []
    while boleh := menunggu(jenis, sudah):
        pilihan = next(p for p in urutan if p in boleh)
        assert alasan_tidak_boleh(jenis, pilihan, sudah) is None
        sudah.append(pilihan)
    assert len(sudah) == len(set(sudah)) == len(SLOT[jenis])
    assert status_ttd(jenis, sudah) == StatusTtd.LENGKAP
    assert all(slot(jenis, p) is not None for p in sudah)
