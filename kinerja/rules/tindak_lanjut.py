"""Follow-up of the annual predikat (docs/rules.md §17; PP 30/2019 on penghargaan and sanksi).

* **Penghargaan**: Sangat Baik → candidate for penghargaan; Sangat Baik two years in a row → priority for
  the talent pool (kelompok rencana suksesi).
* **Pengembangan kompetensi**: Baik two years in a row → priority for competency development.
* **Pembinaan**: Butuh Perbaikan → coaching by the atasan.
* **Tinjauan sanksi**: a predikat that does not meet the kinerja target (CONFIG per instansi; default
  Kurang/Misconduct and Sangat Kurang) → six months to improve, then uji kompetensi or reassignment; two
  years in a row is flagged.

A predikat listed as not meeting the target is only reviewed for sanksi (it is not also "pembinaan").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

from kinerja.rules.types import LabeledEnum, Predikat

__all__ = ["PREDIKAT_SANKSI_DEFAULT", "Kategori", "TindakLanjut", "tindak_lanjut"]

#: Predikat that do not meet the kinerja target by default (CONFIG per instansi).
PREDIKAT_SANKSI_DEFAULT: Final = frozenset({Predikat.KURANG, Predikat.SANGAT_KURANG})


class Kategori(LabeledEnum):
    PENGHARGAAN = "penghargaan", "Calon penghargaan"
    PENGEMBANGAN = "pengembangan", "Prioritas pengembangan kompetensi"
    PEMBINAAN = "pembinaan", "Pembinaan"
    TINJAUAN_SANKSI = "tinjauan_sanksi", "Tinjauan sanksi"


@dataclass(frozen=True)
class TindakLanjut:
    kategori: Kategori
    dua_tahun: bool  # the same kind of result in the year before as well
    keterangan: str


#: Predikat that have a follow-up in a single year and a stronger one in the second year in a row:
#: (kategori, once, twice).
_SEKALI_ATAU_DUA: dict[Predikat, tuple[Kategori, str, str]] = {
    Predikat.SANGAT_BAIK: (
        Kategori.PENGHARGAAN,
        "Predikat Sangat Baik: calon penerima penghargaan.",
        "Sangat Baik dua tahun berturut-turut: prioritas masuk kelompok rencana suksesi (talent pool).",
    ),
    Predikat.BUTUH_PERBAIKAN: (
        Kategori.PEMBINAAN,
        "Predikat Butuh Perbaikan: pembinaan oleh atasan langsung.",
        "Butuh Perbaikan dua tahun berturut-turut: pembinaan intensif oleh atasan.",
    ),
}


def tindak_lanjut(
    tahun: int,
    riwayat: Mapping[int, Predikat],
    predikat_sanksi: Collection[Predikat] = PREDIKAT_SANKSI_DEFAULT,
) -> TindakLanjut | None:
    """The follow-up of the annual predikat of ``tahun`` given the pegawai's annual predikat per year
    (``riwayat``; the year before decides "two years in a row"); ``None`` when nothing follows (Baik
    once, or no predikat that year)."""
    sekarang = riwayat.get(tahun)
    if sekarang is None:
        return None
    sekarang = Predikat(sekarang)
    sanksi = frozenset(Predikat(p) for p in predikat_sanksi)
    lalu = riwayat.get(tahun - 1)
    lalu = Predikat(lalu) if lalu is not None else None
    if sekarang in sanksi:
        dua = lalu in sanksi
        return TindakLanjut(
            Kategori.TINJAUAN_SANKSI,
            dua,
            (
                f"Tidak memenuhi target kinerja dua tahun berturut-turut ({tahun - 1} dan {tahun}): "
                "tinjau penjatuhan sanksi sesuai ketentuan."
                if dua
                else "Tidak memenuhi target kinerja: diberi kesempatan enam bulan untuk memperbaiki kinerja, "
                "kemudian uji kompetensi atau penempatan ulang bila belum membaik."
            ),
        )
    if sekarang in _SEKALI_ATAU_DUA:
        kategori, sekali, dua_kali = _SEKALI_ATAU_DUA[sekarang]
        dua = lalu is sekarang
        return TindakLanjut(kategori, dua, dua_kali if dua else sekali)
    if sekarang is Predikat.BAIK:
        if lalu is Predikat.BAIK:
            return TindakLanjut(
                Kategori.PENGEMBANGAN,
                True,
                "Baik dua tahun berturut-turut: prioritas pengembangan kompetensi.",
            )
        return None
    # A predikat below the target that the instansi does not count for sanksi: coached.
    return TindakLanjut(
        Kategori.PEMBINAAN, lalu is sekarang, f"Predikat {sekarang.label}: pembinaan oleh atasan."
    )
