"""Shared fixtures of the tindak lanjut tests standing on small data (tests/builders.py).

The keberatan cast, built once per module that asks for it (`pemeran`, or `p`): the kepala (no penilai, no
atasan: the admin rates; the PPK's official decides) → the kabid (penilai) → her seven bawahan, among them
Ika (fungsional) and Rahmat (pelaksana); the head of another bidang (`kbmp`, another unit's penilai); the
admin. Everyone has an approved SKP of the year; nothing is evaluated yet. `Pemeran.siapa` names a role's
login.
"""

from __future__ import annotations

import dataclasses

import pytest

from kinerja.organisasi.models import Instansi, Pegawai, User
from tests import builders as b


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    pelaksana: Pegawai  # Rahmat: a colleague of Ika (same penilai)
    kbmp: Pegawai  # the Kepala Bidang Mutasi: another unit's penilai
    lain: list[Pegawai]  # five more bawahan of the kabid

    @property
    def instansi(self) -> Instansi:
        return self.tim.instansi

    @property
    def admin(self) -> User:
        return self.tim.admin

    @property
    def ika(self) -> Pegawai:
        return self.tim.bawahan

    @property
    def bawahan_kabid(self) -> list[str]:
        """The NIPs of the kabid's seven bawahan (Ika second, Rahmat last)."""
        lain = [p.nip for p in self.lain]
        return [lain[0], self.ika.nip, *lain[1:], self.pelaksana.nip]

    def siapa(self, peran: str) -> User:
        """The login of a role of the cast; ``admin_lain``: the admin of another instansi."""
        if peran == "admin":
            return self.admin
        if peran == "admin_lain":
            return b.admin_instansi(b.InstansiFactory())
        return {
            "fungsional": self.ika,
            "pelaksana": self.pelaksana,
            "kabid": self.kabid,
            "kepala": self.kepala,
            "kbmp": self.kbmp,
        }[peran].user

    def segar(self) -> Pemeran:
        return Pemeran(
            self.tim.segar(), b.segar(self.pelaksana), b.segar(self.kbmp), [b.segar(p) for p in self.lain]
        )


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(
        jenis_bawahan="fungsional", atasan={"nama": "Ratna Sari Dewi"}, bawahan={"nama": "Ika Pratiwi"}
    )
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    j_pelaksana = b.JabatanFactory(
        unit=tim.bidang, nama="Pengolah Data Uji", parent=tim.atasan.penempatan.get().jabatan
    )
    pelaksana = b.pegawai_di(j_pelaksana, nama="Rahmat Hidayat")
    lain = [b.pegawai_di(j_pelaksana) for _ in range(5)]
    for peg in (pelaksana, *lain):
        b.skp_disetujui(peg)
    kbmp = b.kabid_lain(tim, "Bidang Mutasi")
    b.skp_disetujui(kbmp)
    return Pemeran(tim, pelaksana, kbmp, lain)


_pemeran, pemeran = b.pemeran_modul(_bangun, "pemeran")


@pytest.fixture
def p(pemeran: Pemeran) -> Pemeran:
    """`pemeran` by the short name of the keberatan page, API and document tests."""
    return pemeran
