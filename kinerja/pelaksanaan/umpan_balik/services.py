"""Umpan balik berkelanjutan: writes. The penilai (or the atasan penilai) gives feedback on an RHK, a
realisasi of a periode or a BerAKHLAK value of a bawahan's SKP, any time in the year; the pegawai replies.

Who may do what (also in docs/glossary-style comments of the views):
* start a thread: the SKP's penilai and atasan penilai (as recorded on the SKP);
* reply in a thread: the SKP's owner and those two;
* everyone else: PermissionDenied (403), admin kepegawaian included (they may read, see the views).

A thread is a root UmpanBalik (induk empty) with its replies; replies copy the root's item and periode so
the whole thread stays attached to them. `dibaca_pada` marks a message read by its recipient: the owner
for messages of the penilai side, the thread's author for the owner's replies.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kinerja.common import cache
from kinerja.pelaksanaan.models import PustakaUmpanBalik, Realisasi, UmpanBalik
from kinerja.pelaksanaan.notifikasi import services as notifikasi
from kinerja.pelaksanaan.umpan_balik.selectors import belum_dibaca_q
from kinerja.perencanaan.models import KODE_PERILAKU_CHOICES, Skp
from kinerja.permissions import allowed, is_pemilik

PANJANG_TEKS = 4000
PANJANG_FRASA = 300  # PustakaUmpanBalik.teks max_length
KODE_PERILAKU = dict(KODE_PERILAKU_CHOICES)


def _teks(frasa: list[str], teks: str) -> str:
    bagian = [f.strip() for f in frasa if f.strip()]
    teks = (teks or "").strip()
    gabung = " ".join(bagian)
    if teks:
        gabung = f"{gabung}\n\n{teks}" if gabung else teks
    if not gabung:
        raise ValidationError("Pilih frasa dari pustaka atau tulis umpan balik.")
    if len(gabung) > PANJANG_TEKS:
        raise ValidationError(f"Umpan balik terlalu panjang (maksimal {PANJANG_TEKS} karakter).")
    return gabung


def _sasaran(skp: Skp, item: str, periode_id: int | None) -> dict[str, Any]:
    """The item a thread hangs on: "rhk:<id>", "realisasi:<id>" or "perilaku:<kode>", with its periode."""
    jenis, _, nilai = (item or "").partition(":")
    periode = None
    if periode_id:
        periode = skp.periode.periode_penilaian.filter(pk=periode_id).first()
        if periode is None:
            raise ValidationError("Periode tidak termasuk tahun SKP ini.")
    if jenis == "rhk" and nilai.isdigit():
        rhk = skp.rhk.filter(pk=int(nilai)).first()
        if rhk is None:
            raise ValidationError("RHK tidak ditemukan pada SKP ini.")
        return {"rhk": rhk, "periode_penilaian": periode}
    if jenis == "realisasi" and nilai.isdigit():
        realisasi = (
            Realisasi.objects.select_related("periode_penilaian", "indikator__rhk")
            .filter(pk=int(nilai), indikator__rhk__skp=skp)
            .first()
        )
        if realisasi is None:
            raise ValidationError("Realisasi tidak ditemukan pada SKP ini.")
        return {
            "realisasi": realisasi,
            "rhk": realisasi.indikator.rhk,
            "periode_penilaian": realisasi.periode_penilaian,
        }
    if jenis == "perilaku" and nilai in KODE_PERILAKU:
        return {"perilaku_kode": nilai, "periode_penilaian": periode}
    raise ValidationError("Pilih RHK, realisasi, atau nilai perilaku yang diberi umpan balik.")


def pustaka_untuk(skp: Skp) -> list[PustakaUmpanBalik]:
    """The starter phrases plus the instansi's own, by nada then text."""
    return list(PustakaUmpanBalik.objects.filter(Q(instansi=None) | Q(instansi_id=skp.instansi_id)))


@transaction.atomic
def give_umpan_balik(
    skp: Skp,
    user: Any,
    *,
    item: str,
    teks: str = "",
    frasa_ids: list[int] | None = None,
    periode_id: int | None = None,
    simpan_nada: str = "",
) -> UmpanBalik:
    """Start a thread on an item of the SKP. `frasa_ids` pick library phrases (they come first, then the
    free text). `simpan_nada` (apresiasi/perbaikan/arahan) also saves the free text to the instansi's
    library so the penilai can reuse it."""
    if not allowed(user, "pelaksanaan.give_umpan_balik", skp):
        raise PermissionDenied(
            "Hanya pejabat penilai atau atasan pejabat penilai yang dapat memberi umpan balik."
        )
    sasaran = _sasaran(skp, item, periode_id)
    frasa = []
    if frasa_ids:
        ada = {p.pk: p.teks for p in pustaka_untuk(skp) if p.pk in set(frasa_ids)}
        if len(ada) != len(set(frasa_ids)):
            raise ValidationError("Frasa yang dipilih tidak ada di pustaka.")
        frasa = [ada[i] for i in frasa_ids]
    isi = _teks(frasa, teks)
    if simpan_nada:
        save_frasa(skp, user, simpan_nada, teks)
    ub = UmpanBalik.objects.create(skp=skp, oleh=user, teks=isi, **sasaran)
    cache.invalidate_pegawai(skp.pegawai_id)  # the owner's unread count
    notifikasi.umpan_balik_baru(ub)
    return ub


@transaction.atomic
def save_frasa(skp: Skp, user: Any, nada: str, teks: str) -> PustakaUmpanBalik:
    """Save a phrase to the instansi's library (idempotent on the same text)."""
    if not allowed(user, "pelaksanaan.give_umpan_balik", skp):
        raise PermissionDenied("Hanya pejabat penilai yang dapat menambah frasa pustaka.")
    teks = (teks or "").strip()
    if nada not in PustakaUmpanBalik.Nada.values:
        raise ValidationError("Pilih jenis frasa: apresiasi, perlu perbaikan, atau arahan.")
    if not teks:
        raise ValidationError("Tulis teks yang akan disimpan ke pustaka.")
    if len(teks) > PANJANG_FRASA:
        raise ValidationError(f"Frasa pustaka paling banyak {PANJANG_FRASA} karakter; persingkat teksnya.")
    if PustakaUmpanBalik.objects.filter(instansi=None, teks=teks).exists():
        return PustakaUmpanBalik.objects.get(instansi=None, teks=teks)
    frasa, _ = PustakaUmpanBalik.objects.get_or_create(
        instansi_id=skp.instansi_id, teks=teks, defaults={"nada": nada, "dibuat_oleh": user}
    )
    return frasa


@transaction.atomic
def reply_umpan_balik(induk: UmpanBalik, user: Any, teks: str) -> UmpanBalik:
    """Reply in a thread (owner, penilai, atasan penilai); the reply keeps the thread's item and periode."""
    if induk.induk_id is not None:
        induk = induk.induk
    skp = induk.skp
    if not (is_pemilik(user, skp) or allowed(user, "pelaksanaan.give_umpan_balik", skp)):
        raise PermissionDenied("Anda tidak dapat membalas umpan balik ini.")
    isi = _teks([], teks)
    if is_pemilik(user, skp):
        # Replying means the pegawai has read the thread.
        induk.balasan.filter(dibaca_pada__isnull=True).exclude(oleh=user).update(dibaca_pada=timezone.now())
        UmpanBalik.objects.filter(pk=induk.pk, dibaca_pada__isnull=True).update(dibaca_pada=timezone.now())
    balasan = UmpanBalik.objects.create(
        skp=skp,
        induk=induk,
        oleh=user,
        teks=isi,
        rhk_id=induk.rhk_id,
        realisasi_id=induk.realisasi_id,
        perilaku_kode=induk.perilaku_kode,
        periode_penilaian_id=induk.periode_penilaian_id,
    )
    # unread counts: the owner's, the thread starter's, and the writer's own (replying reads the thread)
    cache.invalidate_pegawai(skp.pegawai_id)
    cache.invalidate_user(induk.oleh_id, user.pk)
    notifikasi.umpan_balik_baru(balasan)
    return balasan


def mark_read(user: Any, skp: Skp | None = None, *, milik_sendiri: bool = False) -> int:
    """Mark the messages addressed to `user` read (those of one SKP, of the user's own SKP, or all);
    returns how many. A page marks only what it shows: the pegawai's own page leaves their bawahan's
    replies new until the SKP's page is opened."""
    qs = UmpanBalik.objects.filter(belum_dibaca_q(user))
    if skp is not None:
        qs = qs.filter(skp=skp)
    if milik_sendiri:
        qs = qs.filter(skp__pegawai_id=user.pegawai_id)
    jumlah = qs.update(dibaca_pada=timezone.now())
    if jumlah:
        cache.invalidate_user(user.pk)
    return jumlah
