"""Who must use two-step sign-in (TOTP), and the shape of the codes (docs/rules.md §30).

An instansi's policy (CONFIG, both off by default) may oblige its admin kepegawaian and/or every pegawai who
is pejabat penilai of someone today. Anyone else may enrol of their own accord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["JUMLAH_KODE_PEMULIHAN", "Kebijakan", "jenis_kode", "normalisasi_kode", "wajib"]

#: Recovery codes made at once; each works once (§30).
JUMLAH_KODE_PEMULIHAN: Final = 10


@dataclass(frozen=True)
class Kebijakan:
    """The instansi's settings `wajib_2fa_admin` and `wajib_2fa_penilai`."""

    admin: bool = False
    penilai: bool = False


def wajib(peran_admin: bool, peran_penilai: bool, kebijakan: Kebijakan) -> bool:
    """Must this user have a second step? Yes when one of their roles is one the policy names."""
    return (peran_admin and kebijakan.admin) or (peran_penilai and kebijakan.penilai)


def normalisasi_kode(teks: str) -> str:
    """What was typed, without spaces and hyphens ("123 456", "abcd-efgh"), recovery codes lower case."""
    return re.sub(r"[\s\-]", "", teks).lower()


def jenis_kode(kode: str) -> str | None:
    """ "totp" for six digits, "pemulihan" for a recovery code (8 letters/digits), None for anything else.

    `kode` is already normalised.
    """
    if re.fullmatch(r"\d{6}", kode):
        return "totp"
    if re.fullmatch(r"[a-z0-9]{8}", kode):
        return "pemulihan"
    return None
