"""What a pegawai's working day was, as the kehadiran rules decide it and the TPP rules read it
(docs/rules.md §27). Shared by ``kinerja.rules.kehadiran`` (which computes it) and ``kinerja.rules.tpp``
(which cuts on it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kinerja.rules.types import LabeledEnum

__all__ = ["JenisHari", "StatusHari", "KETIDAKHADIRAN"]


class JenisHari(LabeledEnum):
    """The kind of a day for one pegawai."""

    HADIR = "hadir", "Hadir"
    TK = "tk", "Tanpa keterangan"
    LIBUR = "libur", "Libur nasional"
    CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"
    BUKAN_HARI_KERJA = "bukan_hari_kerja", "Bukan hari kerja"
    CUTI_TAHUNAN = "cuti_tahunan", "Cuti tahunan"
    CUTI_SAKIT = "cuti_sakit", "Cuti sakit"
    CUTI_BESAR = "cuti_besar", "Cuti besar"
    CUTI_MELAHIRKAN = "cuti_melahirkan", "Cuti melahirkan"
    CUTI_ALASAN_PENTING = "cuti_alasan_penting", "Cuti karena alasan penting"
    CLTN = "cltn", "Cuti di luar tanggungan negara"
    DINAS_LUAR = "dinas_luar", "Dinas luar"
    IZIN = "izin", "Izin"
    SAKIT = "sakit", "Sakit"
    TUGAS_BELAJAR = "tugas_belajar", "Tugas belajar"


#: The kinds that an approved absence record gives a working day.
KETIDAKHADIRAN = frozenset(
    {
        JenisHari.CUTI_TAHUNAN,
        JenisHari.CUTI_SAKIT,
        JenisHari.CUTI_BESAR,
        JenisHari.CUTI_MELAHIRKAN,
        JenisHari.CUTI_ALASAN_PENTING,
        JenisHari.CLTN,
        JenisHari.DINAS_LUAR,
        JenisHari.IZIN,
        JenisHari.SAKIT,
        JenisHari.TUGAS_BELAJAR,
    }
)


@dataclass(frozen=True)
class StatusHari:
    """One pegawai's day. ``hari_kerja``: the day was a working day of their schedule (holidays and
    weekends are not). On a HADIR day ``menit_tl`` (terlambat: minutes after the start in force) and
    ``menit_psw`` (pulang sebelum waktu) are ≥ 0, and ``tanpa_masuk`` / ``tanpa_pulang`` say a tap is
    missing. ``alasan``: why, in Indonesian, one line each (shown on "Kehadiran saya" and in TPP lines)."""

    tanggal: datetime.date
    jenis: JenisHari
    hari_kerja: bool
    menit_tl: int = 0
    menit_psw: int = 0
    tanpa_masuk: bool = False
    tanpa_pulang: bool = False
    alasan: tuple[str, ...] = ()
