"""Planning: SKP, Perjanjian Kinerja, peta strategi, Manual IKU, matriks (workflow: docs/rules.md §10)."""

from __future__ import annotations

import datetime
from typing import Any

import rules

from kinerja.organisasi.models import UnitKerja
from kinerja.organisasi.selectors import jabatan_dipegang, pimpinan_unit, rantai_penilai
from kinerja.permissions.base import (
    is_admin_of,
    is_atasan_of,
    is_pemilik,
    is_pimpinan_unit_or_above,
    is_same_instansi,
    is_self,
    is_superuser,
)
from kinerja.rules.alur import Peran


def _peran_pemilik_penyetuju(user: Any, pegawai_id: Any, penyetuju_id: Any, instansi_id: Any) -> set[Peran]:
    """The owner, and/or the approver (the given one; the admin of the instansi when there is none)."""
    roles: set[Peran] = set()
    if user.pegawai_id and user.pegawai_id == pegawai_id:
        roles.add(Peran.PEMILIK)
    if (penyetuju_id and user.pegawai_id == penyetuju_id) or (
        penyetuju_id is None and is_admin_of(user, instansi_id)
    ):
        roles.add(Peran.PENYETUJU)
    return roles


def peran_skp(skp: Any, user: Any) -> set[Peran]:
    """The roles `user` holds on this SKP: its owner, and/or the approver (its penilai; the admin when the
    SKP has no penilai, e.g. the head of the instansi)."""
    return _peran_pemilik_penyetuju(user, skp.pegawai_id, skp.penilai_id, skp.instansi_id)


def peran_perjanjian(pk: Any, user: Any) -> set[Peran]:
    return _peran_pemilik_penyetuju(user, pk.pegawai_id, pk.penyetuju_id, pk.instansi_id)


def may_plan_unit(user: Any, unit: UnitKerja, tanggal: datetime.date | None = None) -> bool:
    """Admin kepegawaian of the instansi, or the head (definitif/PLT/PLH) of the unit."""
    if is_admin_of(user, unit.instansi_id):
        return True
    if not user.pegawai_id:
        return False
    return any(j.unit_id == unit.pk and j.pimpinan_unit for j in jabatan_dipegang(user.pegawai, tanggal))


@rules.predicate
def is_skp_penilai_chain(user: Any, skp: Any) -> bool:
    """The penilai and atasan penilai recorded on the SKP, or anyone above the pegawai in the tree today."""
    if not user.is_authenticated or skp is None or not user.pegawai_id:
        return False
    if user.pegawai_id in (skp.penilai_id, skp.atasan_penilai_id):
        return True
    return bool(is_atasan_of(user, skp.pegawai))


@rules.predicate
def is_bawahan_langsung_pimpinan_unit(user: Any, unit: UnitKerja | None) -> bool:
    """The user's pejabat penilai today is the head of the unit: they are a column of its matriks."""
    if not user.is_authenticated or unit is None or not user.pegawai_id:
        return False
    kepala = pimpinan_unit(unit)
    if kepala is None:
        return False
    penilai = rantai_penilai(user.pegawai).penilai
    return penilai is not None and penilai.pegawai.pk == kepala.pegawai.pk


@rules.predicate
def is_skp_pemilik(user: Any, skp: Any) -> bool:
    return skp is not None and user.is_authenticated and Peran.PEMILIK in peran_skp(skp, user)


@rules.predicate
def is_skp_penyetuju(user: Any, skp: Any) -> bool:
    return skp is not None and user.is_authenticated and Peran.PENYETUJU in peran_skp(skp, user)


@rules.predicate
def is_perjanjian_pemilik(user: Any, pk: Any) -> bool:
    return pk is not None and user.is_authenticated and Peran.PEMILIK in peran_perjanjian(pk, user)


@rules.predicate
def plans_unit(user: Any, unit: UnitKerja | None) -> bool:
    return unit is not None and user.is_authenticated and may_plan_unit(user, unit)


rules.add_perm("perencanaan.view_skp", is_admin_of | is_pemilik | is_skp_penilai_chain)
# One's own SKP, or any pegawai's for the admin of their instansi.
rules.add_perm("perencanaan.create_skp", is_self | is_admin_of)
# Content of the SKP: its owner only (the state is checked by the service: docs/rules.md §10).
rules.add_perm("perencanaan.change_skp", is_skp_pemilik)
# Approving and the ekspektasi khusus: the penilai (the admin for an SKP without a penilai).
rules.add_perm("perencanaan.approve_skp", is_skp_penyetuju)
# Perjanjian Kinerja, peta strategi and Manual IKU are the instansi's shared plan: every pegawai of the
# instansi may read them (their SKP cascades from them).
rules.add_perm("perencanaan.view_rencana_organisasi", is_superuser | is_same_instansi)
# Peta strategi, Manual IKU, a new Perjanjian Kinerja of a unit: its head or the admin.
rules.add_perm("perencanaan.plan_unit", plans_unit)
rules.add_perm("perencanaan.change_perjanjian", is_perjanjian_pemilik | is_admin_of)
rules.add_perm("perencanaan.view_progres", is_admin_of)
# Matriks Pembagian Peran dan Hasil of a unit.
rules.add_perm(
    "perencanaan.view_matriks", is_admin_of | is_pimpinan_unit_or_above | is_bawahan_langsung_pimpinan_unit
)


@rules.predicate
def is_penilai_of_skp(user: Any, skp: Any) -> bool:
    """The pejabat penilai recorded on the SKP (or on the object's SKP): their approval list and panels."""
    return bool(
        user.is_authenticated and skp is not None and user.pegawai_id and user.pegawai_id == skp.penilai_id
    )
