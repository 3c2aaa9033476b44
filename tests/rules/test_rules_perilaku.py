"""BerAKHLAK catalogue."""

import pytest

from kinerja.rules.perilaku import BERAKHLAK, by_kode


def test_seven_values_in_order():
    assert [(n.kode, n.nama) for n in BERAKHLAK] == [
        ("BP", "Berorientasi Pelayanan"),
        ("AK", "Akuntabel"),
        ("KO", "Kompeten"),
        ("HA", "Harmonis"),
        ("LO", "Loyal"),
        ("AD", "Adaptif"),
        ("KL", "Kolaboratif"),
    ]


def test_three_guides_each():
    assert all(len(n.panduan) == 3 and all(p.strip() for p in n.panduan) for n in BERAKHLAK)


@pytest.mark.parametrize(
    ("kode", "index", "text"),
    [
        ("BP", 0, "Memahami dan memenuhi kebutuhan masyarakat."),
        ("BP", 2, "Melakukan perbaikan tiada henti."),
        (
            "AK",
            0,
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi.",
        ),
        ("AK", 2, "Tidak menyalahgunakan kewenangan jabatan."),
        ("KO", 1, "Membantu orang lain belajar."),
        ("HA", 0, "Menghargai setiap orang apa pun latar belakangnya."),
        (
            "LO",
            0,
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah.",
        ),
        ("LO", 2, "Menjaga rahasia jabatan dan negara."),
        ("AD", 2, "Bertindak proaktif."),
        ("KL", 2, "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama."),
    ],
)
def test_exact_text(kode, index, text):
    assert by_kode(kode).panduan[index] == text


def test_by_kode_is_case_insensitive_and_rejects_unknown():
    assert by_kode(" ak ").nama == "Akuntabel"
    with pytest.raises(ValueError, match="tidak dikenal"):
        by_kode("XX")
