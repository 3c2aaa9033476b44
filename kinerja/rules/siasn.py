"""SIASN reference codes for the kinerja web services (docs/rules.md §21.6), shipped as data.

BKN publishes no open specification; every table below names the public client code it was read from
(reference tables of ``black-coffee04/ws-siasn-php`` under ``src/Data/Referensi/``; the request shapes of
``kanekescom/laravel-siasn-simpeg-api``). These are national code tables, not CONFIG: an instansi cannot
change them. Where the public clients disagree, docs/rules.md §21.6 says so and marks the point UNSURE.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from kinerja.rules.types import Jenjang, Predikat, Rating

__all__ = [
    "DOKUMEN_PERIODIK",
    "DOKUMEN_TAHUNAN",
    "GOLONGAN_PNS",
    "KOEFISIEN",
    "KUADRAN",
    "LABEL_GOLONGAN",
    "LABEL_KOEFISIEN",
    "LABEL_KUADRAN",
    "LABEL_PERIODIK",
    "LABEL_RATING",
    "PERIODIK",
    "RATING",
    "kode_golongan",
    "kode_periodik",
]

#: ``perilakuDanKinerja`` (source: ws-siasn-php Referensi/perilakuDanKinerja): the code of a rating.
RATING: Mapping[Rating, int] = MappingProxyType({Rating.DIATAS: 1, Rating.SESUAI: 2, Rating.DIBAWAH: 3})
#: BKN's own labels, spelling included ("ESPEKTASI").
LABEL_RATING: Mapping[int, str] = MappingProxyType(
    {1: "DIATAS ESPEKTASI", 2: "SESUAI ESPEKTASI", 3: "DIBAWAH ESPEKTASI"}
)

#: ``kuadranNilai`` (source: ws-siasn-php Referensi/kuadranNilai): the code of a predikat.
KUADRAN: Mapping[Predikat, int] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: 1,
        Predikat.BAIK: 2,
        Predikat.BUTUH_PERBAIKAN: 3,
        Predikat.KURANG: 4,
        Predikat.SANGAT_KURANG: 5,
    }
)
LABEL_KUADRAN: Mapping[int, str] = MappingProxyType(
    {1: "SANGAT BAIK", 2: "BAIK", 3: "BUTUH PERBAIKAN", 4: "KURANG", 5: "SANGAT KURANG"}
)

#: ``periodik`` (source: ws-siasn-php Referensi/periodik): only monthly and quarterly exist. The request
#: shape (laravel-siasn-simpeg-api) types ``periodikId`` as a string.
PERIODIK: Mapping[int, str] = MappingProxyType({1: "1", 3: "2"})
LABEL_PERIODIK: Mapping[str, str] = MappingProxyType({"1": "BULANAN", "2": "TRIWULAN"})

#: ``koefisien`` by jenjang fungsional (source: ws-siasn-php Referensi/koefisien); a string in the request.
KOEFISIEN: Mapping[Jenjang, str] = MappingProxyType(
    {
        Jenjang.AHLI_PERTAMA: "12",
        Jenjang.AHLI_MUDA: "22",
        Jenjang.AHLI_MADYA: "32",
        Jenjang.AHLI_UTAMA: "42",
        Jenjang.PEMULA: "52",
        Jenjang.TERAMPIL: "62",
        Jenjang.MAHIR: "72",
        Jenjang.PENYELIA: "82",
    }
)

#: The label beside a ``koefisienId`` in the file export: the jenjang's name in capitals (ours; the public
#: clients give the code only, docs/rules.md §21.2).
LABEL_KOEFISIEN: Mapping[str, str] = MappingProxyType({k: j.label.upper() for j, k in KOEFISIEN.items()})

#: ``golonganPns`` (source: ws-siasn-php Referensi/golonganPns): "III/b" → "32". PNS only.
GOLONGAN_PNS: Mapping[str, str] = MappingProxyType(
    {
        f"{romawi}/{ruang}": f"{angka}{i}"
        for romawi, angka, ruang_list in (
            ("I", 1, "abcd"),
            ("II", 2, "abcd"),
            ("III", 3, "abcd"),
            ("IV", 4, "abcde"),
        )
        for i, ruang in enumerate(ruang_list, start=1)
    }
)

#: The label beside a ``golonganPns`` code in the file export: the golongan ruang ("41" → "IV/a").
LABEL_GOLONGAN: Mapping[str, str] = MappingProxyType({k: g for g, k in GOLONGAN_PNS.items()})

#: ``id_ref_dokumen`` of the uploaded evaluation PDF. 890 = kinerja periodik (ws-siasn-php
#: KinerjaPeriodikService); 891 for SKP 2022 per siasn.md, while ws-siasn-php SkpService uploads 873:
#: UNSURE, see docs/rules.md §21.6.
DOKUMEN_PERIODIK = "890"
DOKUMEN_TAHUNAN = "891"


def kode_periodik(mulai: date | tuple[int, int], selesai: date | tuple[int, int]) -> str | None:
    """The ``periodikId`` of a periode penilaian from its first and last month (year, month), or None
    when SIASN has no code for that length (a semester, or any other span)."""
    m = (mulai.year, mulai.month) if isinstance(mulai, date) else mulai
    s = (selesai.year, selesai.month) if isinstance(selesai, date) else selesai
    bulan = (s[0] - m[0]) * 12 + s[1] - m[1] + 1
    return PERIODIK.get(bulan)


def kode_golongan(golongan: str) -> str | None:
    """The ``golonganPns`` code of a PNS golongan ruang ("IV/a" → "41"); None for anything else (a PPPK
    golongan such as "IX", or empty)."""
    return GOLONGAN_PNS.get(golongan.strip())
