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
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Notifikasi

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


def tandai_dibaca(user: Any, pk: int | None = None) -> int:
    """Mark one notification of `user` read (or all of them); returns how many changed."""
    qs = Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(dibaca_pada=timezone.now())


# --- the events -----------------------------------------------------------------------------------------


def skp_diputuskan(skp: Any, aksi: str, oleh: Any, catatan: str, log_pk: int) -> Notifikasi | None:
    """SKP approved or returned: tell its owner (not when they did it themselves)."""
    from kinerja.organisasi.models import User

    penerima = User.objects.filter(pegawai_id=skp.pegawai_id, is_active=True).first()
    if penerima is None or penerima.pk == oleh.pk:
        return None
    tahun = skp.periode.tahun
    siapa = nama_user(oleh)
    if aksi == "setujui":
        judul = f"SKP {tahun} Anda disetujui"
        isi = (
            f"{siapa} telah menyetujui SKP tahun {tahun} (revisi {skp.revisi}). "
            "Anda sekarang dapat mengisi rencana aksi dan realisasinya."
        )
    else:
        judul = f"SKP {tahun} Anda dikembalikan untuk diperbaiki"
        isi = f"{siapa} mengembalikan SKP tahun {tahun} dengan catatan:\n\n{catatan.strip()}"
    return kirim(
        penerima,
        f"skp_{aksi}",
        f"skp-{aksi}:{skp.pk}:{log_pk}",
        judul,
        isi,
        reverse("skp:detail", args=[skp.pk]),
    )


def umpan_balik_baru(ub: Any) -> Notifikasi | None:
    """A new feedback message: to the SKP's owner, or (for the owner's reply) to the thread's author."""
    from kinerja.organisasi.models import User

    skp = ub.skp
    induk = ub.induk
    if ub.oleh.pegawai_id and ub.oleh.pegawai_id == skp.pegawai_id:
        if induk is None:
            return None
        penerima = induk.oleh
        judul = f"Balasan dari {nama_user(ub.oleh)}"
        tautan = reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])
    else:
        penerima = User.objects.filter(pegawai_id=skp.pegawai_id, is_active=True).first()
        judul = ("Balasan umpan balik" if induk else "Umpan balik baru") + f" dari {nama_user(ub.oleh)}"
        tautan = reverse("pelaksanaan:umpan_balik")
    if penerima is None or penerima.pk == ub.oleh_id:
        return None
    ringkas = ub.teks if len(ub.teks) <= 500 else ub.teks[:499] + "\u2026"
    return kirim(penerima, "umpan_balik", f"umpan-balik:{ub.pk}", judul, ringkas, tautan)


def _user_pegawai(pegawai_id: int | None) -> Any:
    from kinerja.organisasi.models import User

    if not pegawai_id:
        return None
    return User.objects.filter(pegawai_id=pegawai_id, is_active=True).first()


def dialog_baru(dialog: Any, tindak_lanjut: Any = ()) -> Notifikasi | None:
    """A dialog kinerja was recorded: tell the pegawai once (with the follow-ups given to them)."""
    from kinerja.rules.realisasi import format_tanggal

    skp = dialog.skp
    penerima = _user_pegawai(skp.pegawai_id)
    if penerima is None or penerima.pk == dialog.dicatat_oleh_id:
        return None
    siapa = nama_user(dialog.dicatat_oleh)
    isi = (
        f"{siapa} mencatat dialog kinerja tanggal {format_tanggal(dialog.tanggal)} "
        f"tentang SKP {skp.periode.tahun} Anda.\n\nTopik: {dialog.topik}"
    )
    if dialog.kesepakatan:
        isi += f"\n\nKesepakatan: {dialog.kesepakatan}"
    milik = [t for t in tindak_lanjut if t.penanggung_jawab_id == skp.pegawai_id]
    if milik:
        isi += "\n\nTindak lanjut untuk Anda:" + "".join(
            f"\n- {t.teks} (batas {format_tanggal(t.batas_waktu)})" for t in milik
        )
    return kirim(
        penerima,
        "dialog_kinerja",
        f"dialog:{dialog.pk}",
        f"Dialog kinerja dicatat oleh {siapa}",
        isi,
        reverse("pelaksanaan:dialog_skp", args=[skp.pk]) + f"#dialog-{dialog.pk}",
    )


def tindak_lanjut_baru(tl: Any) -> Notifikasi | None:
    """A follow-up of a dialog was given to someone: tell them, unless they recorded the dialog.

    Keyed by follow-up and person: a follow-up handed to another person notifies that person once."""
    from kinerja.rules.realisasi import format_tanggal

    dialog = tl.dialog
    penerima = _user_pegawai(tl.penanggung_jawab_id)
    if penerima is None or penerima.pk == dialog.dicatat_oleh_id:
        return None
    siapa = nama_user(dialog.dicatat_oleh)
    isi = (
        f"{tl.teks}\n\nBatas waktu: {format_tanggal(tl.batas_waktu)}. Dari dialog kinerja tanggal "
        f"{format_tanggal(dialog.tanggal)} yang dicatat {siapa}. Tandai selesai setelah dikerjakan."
    )
    return kirim(
        penerima,
        "tindak_lanjut",
        f"tindak-lanjut:{tl.pk}:{tl.penanggung_jawab_id}",
        f"Tindak lanjut dialog kinerja dari {siapa}",
        isi,
        reverse("pelaksanaan:dialog_skp", args=[dialog.skp_id]) + f"#tl-{tl.pk}",
    )


def evaluasi_final(ev: Any, penerima: Any, batas_keberatan: Any = None) -> Notifikasi | None:
    """An evaluation became final: tell the pegawai the predikat and, when a keberatan may be filed against
    it, the last day to do so (the keberatan window starts at this notice; docs/rules.md §18). Keyed by
    evaluation and finalisation: a re-finalised evaluation is a new result and a new notice."""
    from kinerja.rules.realisasi import format_tanggal

    isi = (
        f"Evaluasi kinerja {ev.nama_periode} Anda sudah final.\n\n"
        f"Predikat kinerja: {ev.get_predikat_display()} (rating hasil kerja "
        f"{ev.get_rating_hasil_display()}, rating perilaku kerja {ev.get_rating_perilaku_display()})."
    )
    if batas_keberatan is not None:
        isi += (
            "\n\nJika tidak sependapat, Anda dapat mengajukan keberatan kepada atasan pejabat penilai "
            f"paling lambat {format_tanggal(batas_keberatan)}."
        )
    return kirim(
        penerima,
        "evaluasi_final",
        f"evaluasi-final:{ev.pk}:{ev.finalisasi_ke}",
        f"Predikat kinerja {ev.nama_periode}: {ev.get_predikat_display()}",
        isi,
        reverse("penilaian:evaluasi", args=[ev.pk]),
    )
