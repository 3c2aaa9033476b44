"""Which writes drop which cached values of the dashboard and the navigation (`kinerja.common.cache`).

Rows saved or deleted through the ORM (services, imports, the admin) are caught here by model signals, so no
write path can forget them; writes that bypass signals (`QuerySet.update`, e.g. marking messages read) call
`cache.invalidate_*` in their service. Every drop waits for the transaction's commit.

- unit kerja, jabatan, pegawai, penempatan, periode saved or deleted → scope `instansi`: the role facts of
  the navigation, each pegawai's place on the dashboard (penempatan, penilai chain, bawahan), the admin's
  panel;
- SKP saved or deleted → scopes `skp-penilai` (its penilai, and the one it had when read if that changed),
  `skp-pegawai` (its owner) and `skp-instansi`: the penilai's "SKP menunggu" and role facts (a waiting SKP
  makes a penilai), the owner's SKP card and umpan balik card (a deleted SKP takes its threads), the
  admin's SKP progress;
- login saved (roles, linked pegawai) → scope `user`: that user's role facts and counts (not a save of
  only its password hash or last sign-in time, which nothing cached shows);
- notification sent or read, umpan balik given, replied or read → `user` / `pegawai`, in their services:
  the bell and umpan balik badges.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from kinerja.common import cache
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.perencanaan.models import Skp


def _organisasi(sender: Any, instance: Any, **kwargs: Any) -> None:
    cache.invalidate_instansi(instance.instansi_id)


def _penempatan(sender: Any, instance: Penempatan, **kwargs: Any) -> None:
    cache.invalidate_pegawai(instance.pegawai_id)
    cache.invalidate_instansi(instance.jabatan.instansi_id)


def _skp(sender: Any, instance: Skp, **kwargs: Any) -> None:
    penilai = {instance.penilai_id, instance.penilai_id_dimuat} - {None}  # a changed penilai: both
    cache.invalidate(
        *(cache.scope("skp-penilai", p) for p in penilai),
        cache.scope("skp-pegawai", instance.pegawai_id),
        cache.scope("skp-instansi", instance.instansi_id),
    )
    instance.penilai_id_dimuat = instance.penilai_id  # what the database holds now


#: Saves of a login that change nothing cached: Django's re-hash of a password at sign-in.
_TANPA_PENGARUH = frozenset({"password", "last_login"})


def _user(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= _TANPA_PENGARUH:
        return
    cache.invalidate_user(instance.pk)


def connect() -> None:
    for model in (UnitKerja, Jabatan, Pegawai, Periode):
        post_save.connect(_organisasi, sender=model, dispatch_uid=f"cache-{model.__name__}")
        post_delete.connect(_organisasi, sender=model, dispatch_uid=f"cache-del-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_penempatan, sender=Penempatan, dispatch_uid=f"cache-penempatan-{signal is post_save}")
        signal.connect(_skp, sender=Skp, dispatch_uid=f"cache-skp-{signal is post_save}")
        signal.connect(_user, sender=User, dispatch_uid=f"cache-user-{signal is post_save}")
