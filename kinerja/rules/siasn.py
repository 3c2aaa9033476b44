"""SIASN reference codes for the kinerja web services (docs/rules.md §21.6), shipped as data.

BKN publishes no open specification; every table below names the public client code it was read from
(reference tables of ``black-coffee04/ws-siasn-php`` under ``src/Data/Referensi/``; the request shapes of
``kanekescom/laravel-siasn-simpeg-api``). These are national code tables, not CONFIG: an instansi cannot
change them. Where the public clients disagree, docs/rules.md §21.6 says so and marks the point UNSURE.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from kinerja.rules.types import Jenjang, Predikat, Rating

__all__ = [
    "DOKUMEN_PERIODIK",
    "DOKUMEN_TAHUNAN",
    "GOLONGAN_PNS",
    "JenisGagal",
    "Tahap",
    "Tindakan",
    "KOEFISIEN",
    "KUADRAN",
    "LABEL_GOLONGAN",
    "LABEL_KOEFISIEN",
    "LABEL_KUADRAN",
    "LABEL_PERIODIK",
    "LABEL_RATING",
    "PERIODIK",
    "RATING",
    "is_sementara",
    "jenis_gagal",
    "jeda_ulang",
    "kode_golongan",
    "kode_periodik",
    "tindakan",
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


# --- sends in the background: what failed, whether to try again, who must act (docs/rules.md §21.9) -----


class Tahap(StrEnum):
    """Where a send stopped."""

    RENCANA = "rencana"  # refused before any call (a gap, invalid data in Kinerja)
    KONFIGURASI = "konfigurasi"  # the server's SIASN settings
    DATA_UTAMA = "data_utama"  # the look-up of the pegawai's SIASN id
    UNGGAH = "unggah"  # the document upload
    SIMPAN = "simpan"  # the save
    GALAT = "galat"  # an unexpected error inside Kinerja (the PDF, the database …), §21.9


class JenisGagal(StrEnum):
    """The kind of a failed send; it decides whether the queue tries again and who must act."""

    DATA_KINERJA = "data_kinerja"
    DATA_BKN = "data_bkn"
    DITOLAK_SIASN = "ditolak_siasn"
    GANGGUAN = "gangguan"
    AKSES = "akses"
    GALAT_KINERJA = "galat_kinerja"


#: HTTP statuses of a passing trouble (rate limit, outage, a gateway that could not reach SIASN): retried.
SEMENTARA = frozenset({429, 502, 503, 504})
#: Words in SIASN's own refusal that point at the pegawai's record at BKN, not at what Kinerja sent.
#: Lower case; matched inside the message. Conservative on purpose: anything else is "read SIASN's text".
PETUNJUK_DATA_BKN = (
    "data utama",
    "bkn",
    "data pns",
    "data pegawai",
    "pnsdinilai",
    "belum diverifikasi",
    "riwayat jabatan",
    "status kepegawaian",
)


def is_sementara(status: int | None, terputus: bool = False) -> bool:
    """A passing trouble worth another attempt later: SIASN unreachable, or 429/502/503/504."""
    return terputus or status in SEMENTARA


def jenis_gagal(tahap: Tahap, status: int | None, pesan: str = "", terputus: bool = False) -> JenisGagal:
    """The kind of a failure from where it happened, SIASN's HTTP status and its text."""
    if tahap is Tahap.RENCANA:
        return JenisGagal.DATA_KINERJA
    if tahap is Tahap.GALAT:
        return JenisGagal.GALAT_KINERJA
    if tahap is Tahap.KONFIGURASI or status in (401, 403):
        return JenisGagal.AKSES
    if is_sementara(status, terputus):
        return JenisGagal.GANGGUAN
    if status is not None and 400 <= status < 500:
        if tahap is Tahap.DATA_UTAMA:
            return JenisGagal.DATA_BKN  # SIASN does not know the NIP
        teks = pesan.lower()
        if any(p in teks for p in PETUNJUK_DATA_BKN):
            return JenisGagal.DATA_BKN
    return JenisGagal.DITOLAK_SIASN


@dataclass(frozen=True)
class Tindakan:
    """Who must act on a send record, and what to do."""

    pelaku: str
    saran: str


def tindakan(jenis: JenisGagal | str | None, masih_diulang: bool = False) -> Tindakan | None:
    """Who must act on a failed (or retried) send; None when nothing failed."""
    if jenis in (None, ""):
        return None
    jenis = JenisGagal(jenis)
    if jenis is JenisGagal.GANGGUAN:
        if masih_diulang:
            return Tindakan("Tidak ada", "SIASN sedang sibuk atau tidak tersedia; dicoba lagi otomatis.")
        return Tindakan(
            "Admin kepegawaian",
            "SIASN tidak tersedia sampai percobaan terakhir; kirim ulang setelah SIASN pulih.",
        )
    return {
        JenisGagal.DATA_KINERJA: Tindakan(
            "Admin kepegawaian", "Lengkapi atau perbaiki data di Kinerja sesuai alasannya, lalu kirim ulang."
        ),
        JenisGagal.DATA_BKN: Tindakan(
            "BKPSDM melalui SIASN",
            "Data pegawai di BKN/SIASN perlu diperbaiki melalui SIASN; setelah diperbaiki, kirim ulang.",
        ),
        JenisGagal.DITOLAK_SIASN: Tindakan(
            "Admin kepegawaian",
            "Baca pesan SIASN, perbaiki data yang disebutnya (di Kinerja atau di SIASN), lalu kirim ulang.",
        ),
        JenisGagal.AKSES: Tindakan(
            "Pengelola server",
            "Periksa konfigurasi dan kredensial SIASN di server (variabel SIASN_*), lalu kirim ulang.",
        ),
        JenisGagal.GALAT_KINERJA: Tindakan(
            "Pengelola server",
            "Kinerja gagal menyiapkan pengiriman; periksa log worker (db_worker), lalu kirim ulang.",
        ),
    }[jenis]


#: A queued send whose time came this long ago and that no worker took: the worker is not running.
TERLAMBAT = datetime.timedelta(minutes=15)
ANTREAN_MACET = Tindakan(
    "Pengelola server",
    "Antrean tidak diproses: pastikan worker latar (manage.py db_worker) berjalan; pengiriman menyusul.",
)


def antrean_macet(jatuh_tempo: datetime.datetime | None, sekarang: datetime.datetime) -> bool:
    """A queued send is stuck when its time (the next attempt, or the request) passed more than
    ``TERLAMBAT`` ago: nobody took it, so the background worker is not running (§21.9)."""
    return jatuh_tempo is not None and sekarang - jatuh_tempo > TERLAMBAT


def jeda_ulang(percobaan: int, dasar: int, maks: int) -> int:
    """Seconds to wait before the attempt after attempt number ``percobaan`` (1, 2, …): ``dasar`` doubled
    each time, at most ``maks``."""
    if percobaan < 1 or dasar < 1:
        raise ValueError("percobaan dan dasar jeda harus positif")
    return int(min(dasar * 2 ** min(percobaan - 1, 30), maks))
