"""NIP (Nomor Induk Pegawai) of a PNS, and the NI PPPK of the same shape.

18 digits: tanggal lahir ``YYYYMMDD`` + TMT CPNS ``YYYYMM`` + jenis kelamin (``1`` laki-laki,
``2`` perempuan) + nomor urut ``001``-``999``. A PPPK number carries the year of appointment followed by
``21`` where a PNS has the TMT month (UNSURE reading: both are accepted, the PPPK one is flagged).

Checks, in this order (the first failure raises ``ValueError`` with an Indonesian message): whitespace
anywhere is removed; exactly 18 ASCII digits; valid birth date (year 1900 or later); valid TMT month
(01-12, or 21 = PPPK); sex digit 1 or 2; nomor urut not 000; TMT year at least 17 years after the birth
year (a lenient lower bound: the minimum age to apply is 18, and the TMT month is not compared with the
birth month).

The number of a penilai outside the instansi (docs/rules.md §15.1) is checked here too
(:func:`nomor_penilai_eksternal`): an ASN is identified by an NIP as above, a NON ASN (a bupati or wali
kota) by the 16-digit NIK of the population register, whose digits 7-12 are the birth date ``DDMMYY`` with
40 added to the day for a woman.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "ASN",
    "NON_ASN",
    "PPPK_KODE",
    "TAHUN_LAHIR_MINIMAL",
    "USIA_MINIMAL_TMT",
    "NipInfo",
    "format_nip",
    "is_valid",
    "nomor_penilai_eksternal",
    "normalize",
    "parse",
]

#: The two statuses of a penilai outside the instansi (SIASN's ``statusPenilai``).
ASN = "ASN"
NON_ASN = "NON ASN"

#: The two digits that stand in the TMT month position of an NI PPPK.
PPPK_KODE = "21"
#: Birth years before this are refused (a typo guard; ``date`` accepts year 1).
TAHUN_LAHIR_MINIMAL = 1900
#: Minimum difference, in years, between the birth year and the TMT year.
USIA_MINIMAL_TMT = 17

_DIGITS = re.compile(r"[0-9]{18}")
_NIK = re.compile(r"[0-9]{16}")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NipInfo:
    """What an NIP says about its holder."""

    nip: str
    tanggal_lahir: date
    tmt_tahun: int
    tmt_bulan: int | None  # None for PPPK (the month position holds the PPPK code)
    jenis_kelamin: Literal["L", "P"]
    nomor_urut: int
    is_pppk: bool

    @property
    def tmt(self) -> date:
        """TMT as a date: the first day of the TMT month (for PPPK, 1 January of the year)."""
        return date(self.tmt_tahun, self.tmt_bulan or 1, 1)


def normalize(nip: str) -> str:
    """``nip`` without any whitespace (``"19850315 201001 2 001"`` -> ``"198503152010012001"``)."""
    if not isinstance(nip, str):
        raise ValueError("NIP harus berupa teks 18 digit angka")
    return _WHITESPACE.sub("", nip)


def parse(nip: str) -> NipInfo:
    """Validate and read an NIP; raises ``ValueError`` with an Indonesian message saying what is wrong."""
    digits = normalize(nip)
    if not _DIGITS.fullmatch(digits):
        raise ValueError(f"NIP harus 18 digit angka (tertulis {len(digits)} karakter: {digits!r})")
    lahir_text, tmt_text, sex, urut_text = digits[:8], digits[8:14], digits[14], digits[15:]
    try:
        lahir = date(int(lahir_text[:4]), int(lahir_text[4:6]), int(lahir_text[6:]))
    except ValueError:
        raise ValueError(f"Tanggal lahir pada NIP tidak valid: {lahir_text}") from None
    if lahir.year < TAHUN_LAHIR_MINIMAL:
        raise ValueError(
            f"Tanggal lahir pada NIP tidak valid: {lahir_text} (tahun sebelum {TAHUN_LAHIR_MINIMAL})"
        )
    tmt_tahun = int(tmt_text[:4])
    is_pppk = tmt_text[4:] == PPPK_KODE
    tmt_bulan: int | None = None
    if not is_pppk:
        tmt_bulan = int(tmt_text[4:])
        if not 1 <= tmt_bulan <= 12:
            raise ValueError(f"TMT pada NIP tidak valid: {tmt_text} (bulan harus 01-12, atau 21 untuk PPPK)")
    if sex not in ("1", "2"):
        raise ValueError(f"Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan), bukan {sex}")
    nomor_urut = int(urut_text)
    if nomor_urut == 0:
        raise ValueError("Nomor urut pada NIP tidak boleh 000")
    if tmt_tahun < lahir.year + USIA_MINIMAL_TMT:
        raise ValueError(
            f"TMT pada NIP ({tmt_text}) tidak masuk akal untuk tanggal lahir {lahir_text}: "
            f"tahun TMT paling cepat {USIA_MINIMAL_TMT} tahun setelah tahun lahir"
        )
    return NipInfo(
        nip=digits,
        tanggal_lahir=lahir,
        tmt_tahun=tmt_tahun,
        tmt_bulan=tmt_bulan,
        jenis_kelamin="L" if sex == "1" else "P",
        nomor_urut=nomor_urut,
        is_pppk=is_pppk,
    )


def is_valid(nip: str) -> bool:
    """Whether :func:`parse` accepts ``nip``."""
    try:
        parse(nip)
    except ValueError:
        return False
    return True


def format_nip(nip: str) -> str:
    """The usual display ``"19850315 201001 2 001"``.

    Only the shape (18 digits after removing whitespace) is checked, so stored numbers always display;
    use :func:`parse` to validate.
    """
    digits = normalize(nip)
    if not _DIGITS.fullmatch(digits):
        raise ValueError(f"NIP harus 18 digit angka (tertulis {len(digits)} karakter: {digits!r})")
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def nomor_penilai_eksternal(status: str, nomor: str) -> str:
    """The number of a penilai outside the instansi, whitespace removed: the NIP of an ASN (:func:`parse`),
    the NIK of a NON ASN (16 digits, a real day and month in the birth-date digits, nomor urut not 0000).
    Raises ``ValueError`` with an Indonesian message naming the number and what is wrong."""
    nomor = _WHITESPACE.sub("", nomor if isinstance(nomor, str) else "")
    if status == ASN:
        try:
            parse(nomor)
        except ValueError as exc:
            raise ValueError(f"NIP penilai eksternal ({nomor or 'kosong'}) tidak sah: {exc}.") from None
        return nomor
    if status != NON_ASN:
        raise ValueError("Status penilai eksternal harus ASN atau NON ASN.")
    if not _NIK.fullmatch(nomor):
        raise ValueError(
            f"NIK penilai eksternal NON ASN harus 16 digit angka; yang diisi \u201c{nomor or 'kosong'}\u201d "
            f"({len(nomor)} karakter)."
        )
    hari, bulan = int(nomor[6:8]), int(nomor[8:10])
    if hari > 40:  # a woman's NIK: 40 is added to the day of birth
        hari -= 40
    if not (1 <= hari <= 31 and 1 <= bulan <= 12):
        raise ValueError(
            f"NIK penilai eksternal ({nomor}) tidak sah: digit 7-12 harus tanggal lahir DDMMYY "
            f"(tanggal 01-31, atau 41-71 untuk perempuan; bulan 01-12), tertulis {nomor[6:12]}."
        )
    if nomor[12:] == "0000":
        raise ValueError(f"NIK penilai eksternal ({nomor}) tidak sah: nomor urut (4 digit terakhir) 0000.")
    return nomor
