"""From a SIASN snapshot to a jabatan and penempatan row (docs/rules.md §21.12), table-tested."""

from __future__ import annotations

import datetime

import pytest

from kinerja.rules.siasn_penempatan import JabatanKita, PenempatanKita, jenis_dari_siasn, propose
from kinerja.rules.types import JenisJabatan

D = datetime.date


@pytest.mark.parametrize(
    ("jenis_id", "teks", "nama", "harap"),
    [
        (4, "Jabatan Fungsional Umum", "Pengadministrasi Umum", JenisJabatan.PELAKSANA),
        (2, "Jabatan Fungsional", "Analis SDM Aparatur Ahli Muda", JenisJabatan.FUNGSIONAL),
        (1, "Struktural", "Kepala Seksi Mutasi", JenisJabatan.PENGAWAS),
        (1, "Struktural", "Koordinator", None),
        (None, "Jabatan Fungsional Umum", "Pengolah Data", JenisJabatan.PELAKSANA),
        (None, "Jabatan Fungsional Tertentu", "Perencana Ahli Madya", JenisJabatan.FUNGSIONAL),
        (None, "", "Pengolah Data", None),
        (9, "Lain", "Pengolah Data", None),
    ],
)
def test_jenis_dari_siasn(jenis_id, teks, nama, harap) -> None:  # type: ignore[no-untyped-def]
    assert jenis_dari_siasn(jenis_id, teks, nama) == harap


UNIT = [JabatanKita("J1", "Pengadministrasi Umum"), JabatanKita("KA", "Kepala Bidang Satu")]
P, F, S = JenisJabatan.PELAKSANA, JenisJabatan.FUNGSIONAL, JenisJabatan.PENGAWAS
TMT = D(2023, 3, 1)


@pytest.mark.parametrize(
    ("nama", "jenis", "tmt", "unit", "kini", "aksi", "kode", "jenjang", "tutup", "masalah"),
    [
        # a new pegawai on our jabatan (names equal after normalisation)
        ("PENGADMINISTRASI UMUM", P, TMT, UNIT, None, "tambah", "J1", "", None, ""),
        # already there: nothing
        (
            "Pengadministrasi Umum",
            P,
            TMT,
            UNIT,
            PenempatanKita("J1", "x", D(2020, 1, 1)),
            "sama",
            "J1",
            "",
            None,
            "",
        ),
        # moved by SIASN after our start: ours closed the day before
        (
            "Pengadministrasi Umum",
            P,
            TMT,
            UNIT,
            PenempatanKita("J9", "x", D(2020, 1, 1)),
            "ganti",
            "J1",
            "",
            D(2023, 2, 28),
            "",
        ),
        # a jabatan not in the unit: to create, the jenjang from the name
        ("Analis SDM Aparatur Ahli Muda", F, TMT, UNIT, None, "tambah", "", "ahli_muda", None, ""),
        ("Analis SDM Aparatur", F, TMT, UNIT, None, "masalah", "", "", None, "jenjang"),
        ("Kepala Seksi Baru", S, TMT, UNIT, None, "masalah", "", "", None, "struktural"),
        ("Pengolah Data", None, TMT, UNIT, None, "masalah", "", "", None, "jenis jabatan"),
        ("Pengolah Data", P, TMT, None, None, "masalah", "", "", None, "unit SIASN"),
        ("Pengolah Data", P, None, UNIT, None, "masalah", "", "", None, "TMT"),
        ("", P, TMT, UNIT, None, "masalah", "", "", None, "nama jabatan"),
        # Kinerja's placement is newer: SIASN must catch up, nothing changes here
        (
            "Pengolah Data",
            P,
            TMT,
            UNIT,
            PenempatanKita("J1", "x", D(2024, 1, 1)),
            "masalah",
            "",
            "",
            None,
            "perbarui SIASN",
        ),
    ],
)
def test_propose(nama, jenis, tmt, unit, kini, aksi, kode, jenjang, tutup, masalah) -> None:  # type: ignore[no-untyped-def]
    u = propose(nama, jenis, tmt, unit, kini)
    assert (u.aksi, u.kode_jabatan, u.jenjang, u.tutup) == (aksi, kode, jenjang, tutup)
    assert masalah in u.masalah
    if aksi in ("tambah", "ganti"):
        assert u.mulai == tmt


def test_two_jabatan_with_the_same_name_are_never_guessed() -> None:
    unit = [JabatanKita("A", "Pengolah Data"), JabatanKita("B", "PENGOLAH DATA")]
    u = propose("Pengolah Data", P, TMT, unit, None)
    assert u.aksi == "masalah" and "A, B" in u.masalah
    # ... unless he already holds one of them
    u = propose("Pengolah Data", P, TMT, unit, PenempatanKita("B", "PENGOLAH DATA", D(2020, 1, 1)))
    assert (u.aksi, u.kode_jabatan) == ("sama", "B")
