"""Shared predicates of every stage, and `require`, the gate services call before a write.

Penilai / atasan rights come from the org tree (jabatan held today), never from flags.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja
from kinerja.organisasi.selectors import jabatan_dipegang, jabatan_utama

#: Shown when a write is refused and the caller gave no message of its own.
PESAN_DITOLAK = "Anda tidak memiliki hak untuk melakukan tindakan ini."


def allowed(user: Any, perm: str, obj: Any = None) -> bool:
    """The registered rule itself. Unlike `user.has_perm`, a superuser gets no blanket yes: writes stay
    with the roles the rule names (a superuser neither rates nor edits someone's SKP)."""
    return bool(rules.has_perm(perm, user, obj))


def require(user: Any, perm: str, obj: Any = None, pesan: str | None = None) -> None:
    """Raise PermissionDenied (``pesan``, or a general Bahasa Indonesia message) unless `allowed`."""
    if not allowed(user, perm, obj):
        raise PermissionDenied(pesan or PESAN_DITOLAK)


def instansi_id_of(obj: Any) -> int | None:
    """The instansi an object belongs to; an int is taken as an instansi id."""
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Instansi):
        return obj.pk
    if hasattr(obj, "instansi_id"):
        return obj.instansi_id  # type: ignore[no-any-return]
    if isinstance(obj, (UnitKerja, Jabatan, Pegawai, Periode)):
        return obj.instansi_id
    if isinstance(obj, Penempatan):
        return obj.pegawai.instansi_id
    return getattr(obj, "instansi_id", None)


def held_paths(user: Any) -> list[str]:
    """Paths of the jabatan the user's pegawai holds today (cached on the user for the request)."""
    cached = getattr(user, "_kinerja_held_paths", None)
    if cached is None:
        cached = [j.path for j in jabatan_dipegang(user.pegawai)] if user.pegawai_id else []
        user._kinerja_held_paths = cached
    return cached


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_admin_kepegawaian(user: Any) -> bool:
    return bool(user.is_authenticated and user.admin_instansi_id)


@rules.predicate
def is_admin_of(user: Any, obj: Any) -> bool:
    """A superuser, or the admin kepegawaian of the instansi ``obj`` belongs to (``obj`` may be an
    instansi id)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if obj is None or not user.admin_instansi_id:
        return False
    return bool(instansi_id_of(obj) == user.admin_instansi_id)


@rules.predicate
def is_pemilik(user: Any, obj: Any) -> bool:
    """The user's pegawai owns ``obj`` (its ``pegawai_id``: an SKP, an evaluation, a catatan, …)."""
    return bool(
        user.is_authenticated and obj is not None and user.pegawai_id and user.pegawai_id == obj.pegawai_id
    )


@rules.predicate
def is_self(user: Any, pegawai: Pegawai | None) -> bool:
    return bool(user.is_authenticated and pegawai is not None and user.pegawai_id == pegawai.pk)


@rules.predicate
def is_atasan_of(user: Any, pegawai: Pegawai | None) -> bool:
    """True when the pegawai's definitif jabatan lies below a jabatan the user holds today (any depth)."""
    if not user.is_authenticated or pegawai is None or not user.pegawai_id or user.pegawai_id == pegawai.pk:
        return False
    paths = held_paths(user)
    if not paths:
        return False
    utama = jabatan_utama(pegawai)
    if utama is None:
        return False
    return any(utama.jabatan.path.startswith(p) and utama.jabatan.path != p for p in paths)


@rules.predicate
def is_same_instansi(user: Any, obj: Any) -> bool:
    if not user.is_authenticated or obj is None:
        return False
    instansi_id = user_instansi_id(user)
    return instansi_id is not None and instansi_id == instansi_id_of(obj)


def user_instansi_id(user: Any) -> int | None:
    """The instansi an account works in: the one it administers, else its pegawai's (None for neither)."""
    if not user.is_authenticated:
        return None
    return user.admin_instansi_id or (user.pegawai.instansi_id if user.pegawai_id else None)  # type: ignore[no-any-return]


@rules.predicate
def is_pimpinan_unit_or_above(user: Any, unit: UnitKerja | None) -> bool:
    """The head of the unit (definitif, PLT or PLH) or anyone holding a jabatan above the head's post."""
    if not user.is_authenticated or unit is None or not user.pegawai_id:
        return False
    paths = held_paths(user)
    if not paths:
        return False
    heads = Jabatan.objects.filter(unit=unit, pimpinan_unit=True).values_list("path", flat=True)
    return any(head.startswith(p) for head in heads for p in paths)


def admin_instansi(request: HttpRequest) -> Instansi:
    """The instansi the user administers; 403 for anyone who is not an admin kepegawaian."""
    user = request.user
    instansi = user.admin_instansi if user.admin_instansi_id else None
    if instansi is None and user.is_superuser:
        # A superuser works on one instansi at a time, chosen on the dashboard.
        chosen = request.session.get("instansi_id")
        instansi = Instansi.objects.filter(pk=chosen).first() or Instansi.objects.order_by("pk").first()
    if instansi is None or not user.has_perm("organisasi.manage_instansi", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    return instansi
