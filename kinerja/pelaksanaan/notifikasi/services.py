"""Notifications of the pelaksanaan stage: feedback messages, dialog kinerja and their follow-ups.

Each builds its message and hands it to `kinerja.notifikasi.services.kirim` (idempotent by `kunci`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kinerja.notifikasi.models import Notifikasi
from kinerja.notifikasi.services import kirim, nama_user, user_pegawai


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


def _penerima_dialog(dialog: Any, pegawai_id: int | None) -> Any:
    """The pegawai's user account to tell about a dialog; None without one, or when they recorded it."""
    penerima = user_pegawai(pegawai_id)
    if penerima is None or penerima.pk == dialog.dicatat_oleh_id:
        return None
    return penerima


def dialog_baru(dialog: Any, tindak_lanjut: Any = ()) -> Notifikasi | None:
    """A dialog kinerja was recorded: tell the pegawai once (with the follow-ups given to them)."""
    from kinerja.rules.realisasi import format_tanggal

    skp = dialog.skp
    penerima = _penerima_dialog(dialog, skp.pegawai_id)
    if penerima is None:
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
    penerima = _penerima_dialog(dialog, tl.penanggung_jawab_id)
    if penerima is None:
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
