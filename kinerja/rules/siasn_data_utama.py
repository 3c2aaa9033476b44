"""SIASN's ``pns/data-utama/{nip}`` answer and its comparison with Kinerja (docs/rules.md §21.10–21.11).

Pure Python. The field names come from public SIASN client code (the data-utama table of
``kanekescom/laravel-siasn-simpeg``, ``database/migrations/…_create_siasn_simpeg_pns_data_utama_table.php``):
``id``, ``nipBaru``, ``nama``, ``unorId``/``unorNama``, ``unorIndukId``/``unorIndukNama``,
``jenisJabatanId``/``jenisJabatan``, ``jabatanNama``, ``jabatanStrukturalId``, ``jabatanFungsionalId``,
``jabatanFungsionalUmumId``, ``tmtJabatan`` (a date as text), ``golRuangAkhir``, ``eselon``.

:func:`parse_data_utama` keeps only what the mismatch report and the organisation import need (no NIK,
address or family data is kept) and refuses an answer it cannot read, naming what is wrong.
:func:`compare` says what differs and :func:`decide_pihak` which side must be fixed.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kinerja.rules.jadwal import format_tanggal

__all__ = [
    "DataUtama",
    "DataUtamaTidakSah",
    "Pihak",
    "Selisih",
    "compare",
    "decide_pihak",
    "normalise_nama",
    "parse_data_utama",
    "parse_tanggal",
]

#: ``jenisJabatanId`` → the id field that holds the jabatan's SIASN id. 1 struktural, 2 fungsional
#: (tertentu), 4 fungsional umum (pelaksana): UNSURE, docs/rules.md §21.10.
ID_JABATAN_MENURUT_JENIS: Mapping[int, str] = {
    1: "jabatanStrukturalId",
    2: "jabatanFungsionalId",
    4: "jabatanFungsionalUmumId",
}


class DataUtamaTidakSah(ValueError):
    """SIASN's answer cannot be read; ``alasan`` lists every problem in Bahasa Indonesia."""

    def __init__(self, alasan: list[str]):
        super().__init__(" ".join(alasan))
        self.alasan = alasan


@dataclass(frozen=True)
class DataUtama:
    """What Kinerja keeps of one data-utama answer."""

    pns_id: str
    nip: str
    nama: str
    unor_id: str
    unor_nama: str
    unor_induk_id: str
    unor_induk_nama: str
    jabatan_id: str
    jabatan_nama: str
    jenis_jabatan_id: int | None
    jenis_jabatan: str
    tmt_jabatan: datetime.date | None
    golongan: str
    eselon: str


_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


def parse_tanggal(teks: str) -> datetime.date | None:
    """A SIASN date: "dd-mm-yyyy" (what the public clients store as text) or "yyyy-mm-dd"; empty → None;
    ValueError for anything else or an impossible date."""
    teks = teks.strip()
    if not teks:
        return None
    if m := _DMY.match(teks):
        d, b, t = (int(x) for x in m.groups())
    elif m := _YMD.match(teks):
        t, b, d = (int(x) for x in m.groups())
    else:
        raise ValueError(teks)
    return datetime.date(t, b, d)


def _teks(data: Mapping[str, Any], kunci: str, masalah: list[str], wajib: bool = False) -> str:
    nilai = data.get(kunci)
    if nilai is None:
        if wajib:
            masalah.append(f"kolom {kunci} tidak ada.")
        return ""
    if isinstance(nilai, bool) or not isinstance(nilai, str | int):
        masalah.append(f"kolom {kunci} bukan teks ({type(nilai).__name__}).")
        return ""
    teks = str(nilai).strip()
    if wajib and not teks:
        masalah.append(f"kolom {kunci} kosong.")
    return teks


def parse_data_utama(data: Any, nip: str) -> DataUtama:
    """The snapshot of one answer for ``nip``; :class:`DataUtamaTidakSah` when it is not an object, lacks
    ``id``, belongs to another NIP, or a field has the wrong type or an unreadable date."""
    if not isinstance(data, Mapping):
        raise DataUtamaTidakSah([f"Jawaban data utama SIASN untuk NIP {nip} bukan objek JSON."])
    masalah: list[str] = []
    pns_id = _teks(data, "id", masalah, wajib=True)
    nip_siasn = _teks(data, "nipBaru", masalah)
    if nip_siasn and nip_siasn != nip:
        masalah.append(f"kolom nipBaru berisi {nip_siasn}, bukan NIP yang dicari.")
    jenis_id: int | None = None
    mentah = data.get("jenisJabatanId")
    if mentah not in (None, ""):
        if isinstance(mentah, bool):
            masalah.append("kolom jenisJabatanId bukan angka.")
        elif isinstance(mentah, int):
            jenis_id = mentah
        elif isinstance(mentah, str) and mentah.strip().isdigit():
            jenis_id = int(mentah)
        else:
            masalah.append(f"kolom jenisJabatanId bukan angka ({mentah!r}).")
    tmt_teks = _teks(data, "tmtJabatan", masalah)
    tmt = None
    try:
        tmt = parse_tanggal(tmt_teks)
    except ValueError:
        masalah.append(f"kolom tmtJabatan bukan tanggal dd-mm-yyyy ({tmt_teks!r}).")
    jabatan_id = ""
    if jenis_id is not None and jenis_id in ID_JABATAN_MENURUT_JENIS:
        jabatan_id = _teks(data, ID_JABATAN_MENURUT_JENIS[jenis_id], masalah)
    if not jabatan_id:  # unknown jenis, or the id is under another field: the first one present
        for kunci in ID_JABATAN_MENURUT_JENIS.values():
            if jabatan_id := _teks(data, kunci, masalah):
                break
    hasil = DataUtama(
        pns_id=pns_id,
        nip=nip,
        nama=_teks(data, "nama", masalah),
        unor_id=_teks(data, "unorId", masalah),
        unor_nama=_teks(data, "unorNama", masalah),
        unor_induk_id=_teks(data, "unorIndukId", masalah),
        unor_induk_nama=_teks(data, "unorIndukNama", masalah),
        jabatan_id=jabatan_id,
        jabatan_nama=_teks(data, "jabatanNama", masalah),
        jenis_jabatan_id=jenis_id,
        jenis_jabatan=_teks(data, "jenisJabatan", masalah),
        tmt_jabatan=tmt,
        golongan=_teks(data, "golRuangAkhir", masalah),
        eselon=_teks(data, "eselon", masalah),
    )
    if masalah:
        raise DataUtamaTidakSah([f"Data utama SIASN untuk NIP {nip} tidak dapat dibaca:", *masalah])
    return hasil


# --- comparing names ------------------------------------------------------------------------------------

#: Abbreviations expanded before comparing, only those with one meaning in a unit or jabatan name (a
#: whole word, after lower-casing and removing dots). "Ka." or "Kep." alone, "Sek" (Sekretaris or
#: Sekretariat) and "Bid." stay as written: expanding them could make two different names equal.
SINGKATAN: Mapping[str, str] = {
    "kasubbag": "kepala sub bagian",
    "kasubag": "kepala sub bagian",
    "kasubbid": "kepala sub bidang",
    "kabag": "kepala bagian",
    "kabid": "kepala bidang",
    "kasi": "kepala seksi",
    "kaban": "kepala badan",
    "kadis": "kepala dinas",
    "subbag": "sub bagian",
    "subbagian": "sub bagian",
    "subbid": "sub bidang",
    "subbidang": "sub bidang",
    "sekdin": "sekretaris dinas",
    "sekban": "sekretaris badan",
    "sdm": "sumber daya manusia",
    "&": "dan",
}
_BUKAN_HURUF = re.compile(r"[^0-9a-z&]+")


def normalise_nama(nama: str) -> str:
    """A unit or jabatan name reduced for comparison: lower case, dots, commas and other punctuation as
    spaces, spaces collapsed, the abbreviations of :data:`SINGKATAN` expanded."""
    kata = _BUKAN_HURUF.sub(" ", nama.lower().replace(".", " ").replace("&", " & ")).split()
    return " ".join(SINGKATAN.get(k, k) for k in kata)


def nama_sama(a: str, b: str) -> bool:
    return normalise_nama(a) == normalise_nama(b)


# --- which side must be fixed ---------------------------------------------------------------------------


class Pihak(enum.StrEnum):
    KINERJA = "kinerja"
    SIASN = "siasn"

    @property
    def label(self) -> str:
        return "Kinerja" if self is Pihak.KINERJA else "SIASN (melalui BKPSDM)"


def _tgl(d: datetime.date) -> str:
    return format_tanggal(d)


def decide_pihak(tmt_kinerja: datetime.date | None, tmt_siasn: datetime.date | None) -> tuple[Pihak, str]:
    """Which side must be fixed when unit or jabatan differ, and why (docs/rules.md §21.11).

    SIASN is the national record: by default Kinerja follows it. Only when Kinerja's penempatan starts
    after SIASN's TMT jabatan has Kinerja recorded a newer decision (a mutation) that SIASN has not yet:
    then SIASN must be updated, through the BKPSDM."""
    if tmt_kinerja is not None and tmt_siasn is not None and tmt_kinerja > tmt_siasn:
        return Pihak.SIASN, (
            f"Penempatan di Kinerja (TMT {_tgl(tmt_kinerja)}) lebih baru daripada TMT jabatan di SIASN "
            f"({_tgl(tmt_siasn)}): mutasinya belum tercatat di SIASN. Ajukan pemutakhiran data jabatan "
            "melalui BKPSDM."
        )
    if tmt_siasn is None:
        return Pihak.KINERJA, (
            "SIASN tidak mencatat TMT jabatan, sehingga tidak dapat dipastikan mana yang lebih baru; "
            "SIASN adalah data induk: periksa SK terakhir pegawai dan samakan data Kinerja."
        )
    if tmt_kinerja is None:
        return Pihak.KINERJA, (
            f"Kinerja tidak mencatat jabatan definitif yang aktif, SIASN mencatat TMT {_tgl(tmt_siasn)}: "
            "catat penempatan pegawai di Kinerja."
        )
    return Pihak.KINERJA, (
        f"TMT jabatan di SIASN ({_tgl(tmt_siasn)}) sama atau lebih baru daripada penempatan di Kinerja "
        f"({_tgl(tmt_kinerja)}): SIASN adalah data induk; perbaiki unit, jabatan atau penempatan di Kinerja."
    )


@dataclass(frozen=True)
class DataKinerja:
    """The pegawai's definitif jabatan in Kinerja today (empty names: none recorded)."""

    unit_nama: str
    jabatan_nama: str
    tmt: datetime.date | None
    #: SIASN's unor id stored on our unit (organisation import), when there is one: compared first.
    unit_siasn_id: str = ""


@dataclass(frozen=True)
class Selisih:
    """One difference between Kinerja and SIASN for a pegawai."""

    bidang: str  # "unit" / "jabatan"
    kinerja: str
    siasn: str
    pihak: Pihak
    alasan: str

    @property
    def label(self) -> str:
        return "Unit kerja" if self.bidang == "unit" else "Jabatan"


def _unit_sama(kita: DataKinerja, siasn: DataUtama) -> bool:
    if kita.unit_siasn_id and siasn.unor_id:
        return kita.unit_siasn_id == siasn.unor_id
    return nama_sama(kita.unit_nama, siasn.unor_nama)


def compare(kita: DataKinerja, siasn: DataUtama) -> list[Selisih]:
    """What differs (unit, then jabatan), each with the side that must be fixed; [] when both agree."""
    beda: list[tuple[str, str, str]] = []
    if not _unit_sama(kita, siasn):
        beda.append(("unit", kita.unit_nama, siasn.unor_nama))
    if not nama_sama(kita.jabatan_nama, siasn.jabatan_nama):
        beda.append(("jabatan", kita.jabatan_nama, siasn.jabatan_nama))
    if not beda:
        return []
    pihak, alasan = decide_pihak(kita.tmt, siasn.tmt_jabatan)
    return [Selisih(b, k or "—", s or "—", pihak, alasan) for b, k, s in beda]
