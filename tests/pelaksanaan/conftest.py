"""Shared fixtures of the pelaksanaan tests standing on small data (tests/builders.py).

The cast, built once per module that asks for it: kepala → atasan (penilai) → bawahan (the owner), each
with an approved SKP, and a colleague of the owner (same jabatan, same penilai).
"""

from __future__ import annotations

import pytest

from kinerja.organisasi.models import Pegawai, User
from tests import builders as b


def _bangun() -> tuple[b.Tim, Pegawai]:
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    return tim, b.pegawai_di(tim.bawahan.penempatan.get().jabatan)


_pemeran, tim = b.pemeran_modul(_bangun, "tim", modul="_pemeran", segarkan=lambda p: p[0].segar())


@pytest.fixture
def pemilik(tim: b.Tim) -> User:
    """The owner of the SKP, its realisasi, evidence and log (the bawahan)."""
    return tim.bawahan.user


@pytest.fixture
def penilai(tim: b.Tim) -> User:
    return tim.atasan.user


@pytest.fixture
def rekan(_pemeran, db) -> User:  # type: ignore[no-untyped-def]
    """A colleague of the owner (same jabatan, same penilai): no right to the owner's data."""
    return User.objects.get(pegawai=_pemeran[1])


@pytest.fixture
def orang(tim: b.Tim, rekan: User) -> dict[str, User]:
    """role → user of the cast, named as the roles the view tests speak of: the pelaksana (the owner),
    the kabid (its penilai), the kepala (its atasan penilai), the fungsional (a peer) and the admin."""
    return {
        "pelaksana": tim.bawahan.user,
        "kabid": tim.atasan.user,
        "kepala": tim.kepala.user,
        "fungsional": rekan,
        "admin": tim.admin,
    }
