"""Kehadiran and TPP (docs/rules.md §27–§28): who sees whose attendance and TPP, who decides requests."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from kinerja.organisasi.models import Penempatan
from kinerja.organisasi.selectors import today
from kinerja.permissions.base import (
    held_paths,
    is_admin_of,
    is_atasan_of,
    is_pemilik,
    is_same_instansi,
    is_self,
)
from kinerja.rules import JenisPenempatan


@rules.predicate
def _atasan_pemilik(user: Any, obj: Any) -> bool:
    """The atasan (any level up the org tree, today) of the pegawai a request belongs to."""
    return obj is not None and bool(is_atasan_of(user, obj.pegawai))


@rules.predicate
def _admin_pegawai(user: Any, obj: Any) -> bool:
    """The admin of the instansi of the pegawai (``obj``) or of a request's pegawai."""
    pegawai = getattr(obj, "pegawai", obj)
    return pegawai is not None and bool(is_admin_of(user, pegawai))


@rules.predicate
def _atasan_boleh_lihat_tpp(user: Any, pegawai: Any) -> bool:
    """An atasan, when the instansi lets atasan see their bawahan's TPP (off by default)."""
    if pegawai is None or not is_atasan_of(user, pegawai):
        return False
    from kinerja.kehadiran.models import PengaturanKehadiran

    return PengaturanKehadiran.objects.filter(instansi_id=pegawai.instansi_id, atasan_lihat_tpp=True).exists()


@rules.predicate
def _punya_bawahan(user: Any) -> bool:
    """Holds a jabatan (definitif, PLT or PLH) with someone placed in a jabatan below it today (a colleague
    in the same jabatan is not below)."""
    if not user.is_authenticated or not user.pegawai_id:
        return False
    paths = held_paths(user)
    if not paths:
        return False
    below = Q()
    for path in paths:
        below |= Q(jabatan__path__startswith=path) & ~Q(jabatan__path=path)
    return (
        Penempatan.objects.aktif_pada(today())
        .filter(below, jenis=JenisPenempatan.DEFINITIF.value, pegawai__aktif=True)
        .exists()
    )


# A pegawai's attendance (calendar, taps, requests): the pegawai, their atasan, the admin of the instansi.
rules.add_perm("kehadiran.view_kehadiran", is_self | is_atasan_of | _admin_pegawai)
# Asking for an absence or a correction: the pegawai themself.
rules.add_perm("kehadiran.request_kehadiran", is_self)
# Withdrawing a request still waiting: the pegawai who asked.
rules.add_perm("kehadiran.cancel_pengajuan", is_pemilik)
# Approving or refusing an absence or a correction: an atasan of the pegawai (never the pegawai).
rules.add_perm("kehadiran.decide_pengajuan", _atasan_pemilik)
# A pegawai's TPP: the pegawai, the admin of the instansi, and an atasan only where the instansi allows.
rules.add_perm("kehadiran.view_tpp", is_self | _admin_pegawai | _atasan_boleh_lihat_tpp)
# The calendar, machines and PIN, imports, the pagu table, rule sets, disciplinary records, computing
# and closing a month, the payroll export, recording an approved absence directly: the admin (``obj`` the
# instansi or its id).
rules.add_perm("kehadiran.manage_kehadiran", is_admin_of)
# The working calendar read-only (own schedule, the year's holidays): anyone working in the instansi
# (``obj`` the instansi or its id).
rules.add_perm("kehadiran.view_kalender", is_same_instansi | is_admin_of)
# The board "Belum mencatat" (docs/rules.md §34): an atasan, for the bawahan below them only (the board
# lists no one else).
rules.add_perm("kehadiran.view_belum_mencatat", _punya_bawahan)
