"""BerAKHLAK: the core values of ASN and their panduan perilaku (SE MenPANRB 20/2021).

Used as the Perilaku Kerja of every SKP under PermenPANRB 6/2022. Fixed text, shipped as seed data.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BERAKHLAK", "NilaiPerilaku", "by_kode"]


@dataclass(frozen=True)
class NilaiPerilaku:
    """One core value: its code, name and three behaviour guides (in order)."""

    kode: str
    nama: str
    panduan: tuple[str, str, str]


BERAKHLAK: tuple[NilaiPerilaku, ...] = (
    NilaiPerilaku(
        "BP",
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat.",
            "Ramah, cekatan, solutif, dan dapat diandalkan.",
            "Melakukan perbaikan tiada henti.",
        ),
    ),
    NilaiPerilaku(
        "AK",
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi.",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien.",
            "Tidak menyalahgunakan kewenangan jabatan.",
        ),
    ),
    NilaiPerilaku(
        "KO",
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah.",
            "Membantu orang lain belajar.",
            "Melaksanakan tugas dengan kualitas terbaik.",
        ),
    ),
    NilaiPerilaku(
        "HA",
        "Harmonis",
        (
            "Menghargai setiap orang apa pun latar belakangnya.",
            "Suka menolong orang lain.",
            "Membangun lingkungan kerja yang kondusif.",
        ),
    ),
    NilaiPerilaku(
        "LO",
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah.",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara.",
            "Menjaga rahasia jabatan dan negara.",
        ),
    ),
    NilaiPerilaku(
        "AD",
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan.",
            "Terus berinovasi dan mengembangkan kreativitas.",
            "Bertindak proaktif.",
        ),
    ),
    NilaiPerilaku(
        "KL",
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi.",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah.",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama.",
        ),
    ),
)

_BY_KODE = {nilai.kode: nilai for nilai in BERAKHLAK}


def by_kode(kode: str) -> NilaiPerilaku:
    """The value with code ``kode`` (case-insensitive); ``ValueError`` when unknown."""
    try:
        return _BY_KODE[kode.strip().upper()]
    except KeyError:
        raise ValueError(f"Kode nilai BerAKHLAK tidak dikenal: {kode!r}") from None
