"""Notifications: a row in the app (the bell in the navigation, /notifikasi/) and an email.

`kirim()` is the only way a notification is made. It is idempotent by `kunci`: the same event sent twice
(a retried request, a reminder command run twice a day) records one row and sends one email. The email is
sent after the surrounding transaction commits, so a refused change never mails anyone; users without an
email address get the in-app notification only. The email backend is Django's (console in development:
the messages print in the terminal of `make run`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinerja.common import cache
from kinerja.notifikasi.models import Notifikasi

log = logging.getLogger(__name__)

PANJANG_JUDUL = 200  # Notifikasi.judul max_length
PANJANG_TAUTAN = 300

_tanpa_email: ContextVar[bool] = ContextVar("notifikasi_tanpa_email", default=False)


@contextmanager
def tanpa_email() -> Iterator[None]:
    """Record notifications in the app but send no email (the demo seed replays a year of workflow)."""
    token = _tanpa_email.set(True)
    try:
        yield
    finally:
        _tanpa_email.reset(token)


def kirim(penerima: Any, jenis: str, kunci: str, judul: str, isi: str, tautan: str = "") -> Notifikasi | None:
    """Record a notification for `penerima` (a User) and email it once; returns it (None: no recipient).

    A second call with the same `kunci` returns the existing row and sends nothing.
    """
    if penerima is None or not getattr(penerima, "is_active", True):
        return None
    judul = judul.strip()
    if len(judul) > PANJANG_JUDUL:
        judul = judul[: PANJANG_JUDUL - 1] + "\u2026"
    notif, baru = Notifikasi.objects.get_or_create(
        kunci=kunci[:200],
        defaults={
            "penerima": penerima,
            "jenis": jenis[:30],
            "judul": judul,
            "isi": isi.strip(),
            "tautan": tautan[:PANJANG_TAUTAN],
        },
    )
    if baru:
        cache.invalidate_user(penerima.pk)  # the bell badge
    if baru and penerima.email and not _tanpa_email.get():
        transaction.on_commit(lambda: _email(notif.pk))
    return notif


def _email(pk: int) -> None:
    """Send the email of notification `pk` (after commit); a mail server error never breaks the request."""
    notif = Notifikasi.objects.select_related("penerima").filter(pk=pk, email_terkirim=False).first()
    if notif is None or not notif.penerima.email:
        return
    badan = notif.isi
    if notif.tautan:
        badan += f"\n\nBuka: {alamat(notif.tautan)}"
    badan += "\n\n-- \nKinerja ASN (pesan otomatis; jangan dibalas)"
    try:
        send_mail(f"[Kinerja] {notif.judul}", badan, None, [notif.penerima.email])
    except Exception:  # noqa: BLE001 - the in-app notification stands; the failure is logged
        log.exception("Email notifikasi %s gagal dikirim", pk)
        return
    Notifikasi.objects.filter(pk=pk).update(email_terkirim=True)


def alamat(tautan: str) -> str:
    """An absolute link for emails: `SITE_URL` (setting, default http://127.0.0.1:8000) + path."""
    if tautan.startswith(("http://", "https://")):
        return tautan
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + tautan


def nama_user(user: Any) -> str:
    peg = user.pegawai if getattr(user, "pegawai_id", None) else None
    return peg.nama_lengkap if peg else (user.get_full_name() or user.username)


# --- reads and marks ------------------------------------------------------------------------------------


def untuk(user: Any) -> QuerySet[Notifikasi]:
    return Notifikasi.objects.filter(penerima=user)


def jumlah_belum_dibaca(user: Any) -> int:
    """One COUNT query (the bell badge)."""
    if not user.is_authenticated:
        return 0
    return Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).count()


def jumlah_belum_dibaca_cached(user: Any) -> int:
    """`jumlah_belum_dibaca`, cached per user (kinerja.common.cache): `kirim` and `mark_read` invalidate."""
    if not user.is_authenticated:
        return 0
    return cache.cached("notifikasi-belum", [cache.user(user.pk)], lambda: jumlah_belum_dibaca(user))


def mark_read(user: Any, pk: int | None = None) -> int:
    """Mark one notification of `user` read (or all of them); returns how many changed."""
    qs = Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    jumlah = qs.update(dibaca_pada=timezone.now())
    if jumlah:
        cache.invalidate_user(user.pk)
    return jumlah


def user_pegawai(pegawai_id: int | None) -> Any:
    """The active user account of a pegawai (None: no pegawai or no account)."""
    if not pegawai_id:
        return None
    return get_user_model().objects.filter(pegawai_id=pegawai_id, is_active=True).first()
