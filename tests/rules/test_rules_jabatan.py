"""Formasi (holders per jabatan), SIASN spellings and the kedudukan of a jabatan fungsional."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import JenisJabatan, Jenjang
from kinerja.rules.jabatan import (
    banyak_pemangku,
    golongan_dari_teks,
    jenis_dari_eselon,
    jenis_struktural_dari_nama,
    jenjang_dari_nama,
    peringatan_kedudukan,
)

J = JenisJabatan
GOLONGAN = frozenset({"III/d", "IV/a", "II/c", "IX", "I/a"})


@pytest.mark.parametrize(
    ("jenis", "banyak"),
    [
        (J.JPT_UTAMA, False),
        (J.JPT_MADYA, False),
        (J.JPT_PRATAMA, False),
        (J.ADMINISTRATOR, False),
        (J.PENGAWAS, False),
        (J.PELAKSANA, True),
        (J.FUNGSIONAL, True),
        ("fungsional", True),
    ],
)
def test_only_fungsional_and_pelaksana_have_many_holders(jenis, banyak):
    assert banyak_pemangku(jenis) is banyak


@pytest.mark.parametrize(
    ("teks", "jenis"),
    [
        ("II.a", J.JPT_PRATAMA),
        ("II/b", J.JPT_PRATAMA),
        ("iib", J.JPT_PRATAMA),
        ("Eselon III.a", J.ADMINISTRATOR),
        ("III-b", J.ADMINISTRATOR),
        ("IV.a", J.PENGAWAS),
        ("IV/b", J.PENGAWAS),
        ("V.a", J.PENGAWAS),
        ("I.b", J.JPT_MADYA),
        ("I.a", J.JPT_UTAMA),
        ("VI.a", None),
        ("III", None),
        ("", None),
        ("Non Eselon", None),
    ],
)
def test_eselon_to_jenis(teks, jenis):
    assert jenis_dari_eselon(teks) == jenis


@pytest.mark.parametrize(
    ("nama", "jenis"),
    [
        ("Sekretaris Daerah", J.JPT_PRATAMA),
        ("Asisten Pemerintahan dan Kesejahteraan Rakyat", J.JPT_PRATAMA),
        ("Kepala Dinas Kesehatan", J.JPT_PRATAMA),
        ("Kepala Badan Kepegawaian dan Pengembangan SDM", J.JPT_PRATAMA),
        ("Inspektur", J.JPT_PRATAMA),
        ("Inspektur Pembantu Wilayah I", J.ADMINISTRATOR),
        ("Sekretaris", J.ADMINISTRATOR),
        ("Sekretaris Kecamatan", J.ADMINISTRATOR),
        ("Kepala Bidang Pelayanan Kesehatan", J.ADMINISTRATOR),
        ("Kepala Bagian Hukum", J.ADMINISTRATOR),
        ("Camat Sukamaju", J.ADMINISTRATOR),
        ("Kepala Seksi Pemerintahan", J.PENGAWAS),
        ("Kepala Subbagian Umum dan Kepegawaian", J.PENGAWAS),
        ("Kepala Sub Bagian Keuangan", J.PENGAWAS),
        ("Kepala UPT Puskesmas Sukamaju", J.PENGAWAS),
        ("Kepala UPTD Puskesmas Cibadak", J.PENGAWAS),
        ("Kepala UPTD Pendidikan Wilayah I", J.PENGAWAS),
        ("Kepala Unit Pelaksana Teknis Daerah Laboratorium Kesehatan", J.PENGAWAS),
        ("Kepala Pelaksana Badan Penanggulangan Bencana Daerah", J.JPT_PRATAMA),
        ("Lurah Sukamaju", J.PENGAWAS),
        ("Sekretaris Kelurahan", J.PENGAWAS),
        ("  kepala   DINAS pendidikan ", J.JPT_PRATAMA),
        ("Pengadministrasi Perkantoran", None),
        ("Kepala", None),
    ],
)
def test_struktural_title_to_jenis(nama, jenis):
    assert jenis_struktural_dari_nama(nama) == jenis


@pytest.mark.parametrize(
    ("nama", "jenjang"),
    [
        ("Analis SDM Aparatur Ahli Muda", Jenjang.AHLI_MUDA),
        ("Perencana Ahli Madya", Jenjang.AHLI_MADYA),
        ("Pranata Komputer Terampil", Jenjang.TERAMPIL),
        ("Arsiparis Penyelia", Jenjang.PENYELIA),
        ("Ahli Pertama", Jenjang.AHLI_PERTAMA),
        ("Pengadministrasi Perkantoran", None),
    ],
)
def test_jenjang_from_name(nama, jenjang):
    assert jenjang_dari_nama(nama) == jenjang


@pytest.mark.parametrize(
    ("teks", "golongan"),
    [
        ("Penata Tk. I (III/d)", "III/d"),
        ("Penata Tingkat I (III/d)", "III/d"),
        ("Pembina (IV/a)", "IV/a"),
        ("Pengatur (II-c)", "II/c"),
        ("Pengatur (ii/C)", "II/c"),
        ("Golongan IX (IX)", "IX"),
        ("Juru Muda (I/a) ", "I/a"),
        ("Penata (III/c)", None),  # not in the known set given
        ("III/d", None),  # no brackets: read by the caller's own table
        ("Penata Tk. I", None),
    ],
)
def test_golongan_in_brackets(teks, golongan):
    assert golongan_dari_teks(teks, GOLONGAN) == golongan


@given(st.sampled_from(sorted(GOLONGAN)), st.text(alphabet="abcdefghij .", max_size=20))
def test_any_label_with_a_known_golongan_in_brackets_reads_it(golongan, label):
    assert golongan_dari_teks(f"{label} ({golongan})", GOLONGAN) == golongan


@pytest.mark.parametrize(
    ("jenjang", "atasan", "warns"),
    [
        (Jenjang.AHLI_MADYA, J.JPT_PRATAMA, False),
        (Jenjang.AHLI_MADYA, J.JPT_MADYA, False),
        (Jenjang.AHLI_MADYA, J.ADMINISTRATOR, True),
        (Jenjang.AHLI_MADYA, J.PENGAWAS, True),
        (Jenjang.AHLI_MADYA, J.FUNGSIONAL, True),
        (Jenjang.AHLI_MADYA, None, False),
        (Jenjang.AHLI_MUDA, J.ADMINISTRATOR, False),
        (Jenjang.AHLI_PERTAMA, J.PENGAWAS, False),
        ("", J.PENGAWAS, False),
    ],
)
def test_ahli_madya_under_a_kepala_bidang_warns(jenjang, atasan, warns):
    message = peringatan_kedudukan(jenjang, atasan)
    assert (message is not None) is warns
    if warns:
        assert "Ahli Madya" in message and "pimpinan unit" in message


@given(st.sampled_from(list(Jenjang)), st.sampled_from([*JenisJabatan, None]))
def test_kedudukan_only_ever_warns_about_ahli_madya(jenjang, atasan):
    if jenjang != Jenjang.AHLI_MADYA:
        assert peringatan_kedudukan(jenjang, atasan) is None
