"""Sending final evaluations to SIASN (docs/rules.md §21.7–21.8): look-up, upload, save, and the record.

Run by the system (the background task `tasks.send_evaluasi_siasn`, or the ``siasn_kirim`` command), never
inside a page request: the network calls are made outside any transaction, and each outcome is written in
its own short transaction, so one pegawai's failure never undoes another's success. Every change of a send
record is in its history.

The queue (docs/rules.md §21.9): `queue_send` marks the record ``antri`` and enqueues the task after
commit; pages only ever queue. `run_send` is what the task does: claim the record (never two sends of one
evaluation at once), send, and on a passing SIASN trouble keep it ``antri`` with the next attempt's time
(exponential backoff, up to ``SIASN_ANTREAN_PERCOBAAN`` attempts) or give up as ``gagal``.

Order for one evaluation: the pegawai's SIASN id (looked up once with ``data-utama`` and stored), the
evaluation document (uploaded once and kept, so a re-send does not upload again), then the save with the
record's SIASN id when it was sent before (SIASN updates the record instead of adding one).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kinerja.common.tugas import enqueue_on_commit
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import Laporan, mulai
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import require
from kinerja.rules import siasn as kode
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.siasn import JenisGagal, Tahap
from kinerja.tindak_lanjut import signals
from kinerja.tindak_lanjut.models import IdSiasnPegawai, KirimSiasn, StatusKirimSiasn
from kinerja.tindak_lanjut.siasn import permintaan as pm
from kinerja.tindak_lanjut.siasn import selectors
from kinerja.tindak_lanjut.siasn.klien import (
    KlienSiasn,
    KonfigurasiError,
    SiasnError,
    SiasnTakTerjangkau,
    klien_from_env,
)

#: Gives the evaluation document to upload: (file name, PDF bytes), or None when there is none.
PenyediaDokumen = Callable[[Evaluasi], tuple[str, bytes] | None]


def render_dokumen_evaluasi(ev: Evaluasi) -> tuple[str, bytes]:
    """The evaluation's PDF, made by the dokumen app (a later stage) on request."""
    berkas: tuple[str, bytes] = signals.satu_jawaban(signals.dokumen_siasn, sender=Evaluasi, evaluasi=ev)
    return berkas


def lookup_pns_id(pegawai: Pegawai, klien: KlienSiasn) -> IdSiasnPegawai:
    """The pegawai's SIASN id, from the store, or looked up by NIP and stored."""
    ada = IdSiasnPegawai.objects.filter(pegawai=pegawai).first()
    if ada is not None:
        return ada
    data = klien.data_utama(pegawai.nip)
    with transaction.atomic():
        obj, _ = IdSiasnPegawai.objects.get_or_create(
            pegawai=pegawai, defaults={"pns_id": str(data["id"]), "dicari_pada": timezone.now()}
        )
    return obj


def _record(ev: Evaluasi, endpoint: str) -> KirimSiasn:
    obj, _ = KirimSiasn.objects.get_or_create(
        evaluasi=ev, defaults={"instansi_id": ev.instansi_id, "endpoint": endpoint}
    )
    return obj


#: Decides what follows a passing trouble after attempt N: the next attempt's time, or None (give up).
Ulang = Callable[[int], datetime.datetime | None]


@transaction.atomic
def _tandai(
    kirim: KirimSiasn, status: str, pesan: str, *, tiket: int | None = None, **ubah: object
) -> KirimSiasn:
    kirim = KirimSiasn.objects.select_for_update().get(pk=kirim.pk)
    if tiket is not None and kirim.tiket != tiket:
        # A newer request came while this send ran: keep what was learnt (the SIASN id, the document) but
        # leave the record queued for that request.
        status = StatusKirimSiasn.ANTRI
    kirim.status = status
    kirim.pesan = pesan
    kirim.dicoba_pada = timezone.now()
    if status != StatusKirimSiasn.ANTRI:
        kirim.berikutnya_pada = None
    for k, v in ubah.items():
        setattr(kirim, k, v)
    kirim.save()
    return kirim


def _gagal(
    kirim: KirimSiasn,
    tahap: Tahap,
    pesan: str,
    percobaan: int,
    e: SiasnError | None,
    ulang: Ulang | None,
    tiket: int | None,
) -> KirimSiasn:
    """Record a failure with its kind; a passing trouble stays queued when ``ulang`` gives a next time."""
    status = e.status if e is not None else None
    jenis = kode.jenis_gagal(tahap, status, pesan, isinstance(e, SiasnTakTerjangkau))
    berikutnya = ulang(percobaan) if ulang is not None and jenis is JenisGagal.GANGGUAN else None
    if berikutnya is not None:
        return _tandai(
            kirim,
            StatusKirimSiasn.ANTRI,
            pesan,
            tiket=tiket,
            percobaan=percobaan,
            jenis_gagal=jenis.value,
            berikutnya_pada=berikutnya,
        )
    return _tandai(
        kirim, StatusKirimSiasn.GAGAL, pesan, tiket=tiket, percobaan=percobaan, jenis_gagal=jenis.value
    )


def send(
    ev: Evaluasi,
    klien: KlienSiasn,
    dokumen: PenyediaDokumen | None = None,
    *,
    ulang: Ulang | None = None,
    tiket: int | None = None,
) -> KirimSiasn:
    """Send one final evaluation; returns its send record (terkirim, or gagal with the reason: SIASN's
    error text, or why the record cannot be sent; or, with ``ulang``, still antri after a passing
    trouble, with the next attempt's time)."""
    if ev.status != "final":
        raise ValueError("Hanya evaluasi final yang dikirim ke SIASN.")
    endpoint = pm.PERIODIK if ev.periode_penilaian_id else pm.TAHUNAN
    kirim = _record(ev, endpoint)
    percobaan = kirim.percobaan + 1
    try:
        lookup_pns_id(ev.pegawai, klien)
    except SiasnError as e:
        pesan = f"Pencarian data utama: {e.pesan}"
        return _gagal(kirim, Tahap.DATA_UTAMA, pesan, percobaan, e, ulang, tiket)
    ev = selectors.evaluasi_kirim(ev.periode.tahun).get(pk=ev.pk)  # with the stored ids just written
    rencana = selectors.plan(ev)
    if rencana.permintaan is None:
        # Refused before any call: not an attempt, but visible on the record with every reason.
        pesan = "Tidak dapat dikirim: " + " ".join(rencana.alasan)
        return _gagal(kirim, Tahap.RENCANA, pesan, kirim.percobaan, None, None, tiket)
    path = list(kirim.dokumen)
    if not path and dokumen is not None and (berkas := dokumen(ev)) is not None:
        id_ref = kode.DOKUMEN_PERIODIK if endpoint == pm.PERIODIK else kode.DOKUMEN_TAHUNAN
        try:
            path = [klien.upload(id_ref, berkas[0], berkas[1])]
        except SiasnError as e:
            return _gagal(kirim, Tahap.UNGGAH, f"Unggah dokumen: {e.pesan}", percobaan, e, ulang, tiket)
        kirim = _tandai(kirim, kirim.status, kirim.pesan, dokumen=path)
        ev = selectors.evaluasi_kirim(ev.periode.tahun).get(pk=ev.pk)
        rencana = selectors.plan(ev)
    assert rencana.permintaan is not None
    try:
        siasn_id = klien.save(rencana.permintaan.endpoint, rencana.permintaan.body)
    except SiasnError as e:
        return _gagal(kirim, Tahap.SIMPAN, e.pesan, percobaan, e, ulang, tiket)
    return _tandai(
        kirim,
        StatusKirimSiasn.TERKIRIM,
        " ".join(rencana.peringatan),
        tiket=tiket,
        siasn_id=siasn_id,
        percobaan=percobaan,
        terkirim_pada=timezone.now(),
        jenis_gagal="",
    )


# --- the queue ----------------------------------------------------------------------------------------

#: A claim older than this is taken to be a worker that died mid-send: another may take the record over.
KLAIM_KEDALUWARSA = datetime.timedelta(minutes=15)
#: A task that finds the record being sent by another worker tries again this much later.
TUNGGU_KLAIM = datetime.timedelta(minutes=1)

PESAN_BELUM_DIKONFIGURASI = (
    "SIASN belum dikonfigurasi untuk instansi ini: pengelola server mengisi variabel lingkungan "
    "SIASN_GATEWAY_URL dan variabel SIASN_* lainnya (lihat README, bagian SIASN) dan menjalankan "
    "worker tugas latar (manage.py db_worker)."
)


def is_siasn_configured(instansi: Instansi | int) -> bool:
    """SIASN is configured for the instansi: a gateway is set in the environment and, when SIASN_INSTANSI
    names instansi, this one is among them. A half configuration counts as configured: the send then
    fails visibly naming what is missing, rather than nothing happening."""
    if not os.environ.get("SIASN_GATEWAY_URL", "").strip():
        return False
    kode_instansi = list(getattr(settings, "SIASN_INSTANSI", []) or [])
    if not kode_instansi:
        return True
    if isinstance(instansi, int):
        return Instansi.objects.filter(pk=instansi, kode__in=kode_instansi).exists()
    return instansi.kode in kode_instansi


def check_siasn_ready(instansi: Instansi) -> None:
    """Before a read from SIASN is queued (data-utama, unor; docs/rules.md §21.10, §21.12): refused at once,
    naming what is missing, when SIASN is not configured for the instansi or only half configured, rather
    than a record that waits for a worker that could only fail it."""
    if not is_siasn_configured(instansi):
        raise ValidationError(PESAN_BELUM_DIKONFIGURASI)
    try:
        klien_from_env()
    except KonfigurasiError as e:
        raise ValidationError(e.pesan) from None


def _enqueue(kirim: KirimSiasn) -> None:
    from kinerja.tindak_lanjut.siasn.kirim import tasks  # the task calls this module: imported when used

    enqueue_on_commit(tasks.send_evaluasi_siasn, kirim.pk, kirim.tiket)


def _antrekan(ev: Evaluasi, oleh: User | None, *, dokumen_baru: bool) -> KirimSiasn:
    """Mark the evaluation's record queued (created when missing) and enqueue its send after commit."""
    endpoint = pm.PERIODIK if ev.periode_penilaian_id else pm.TAHUNAN
    kirim = KirimSiasn.objects.select_for_update().filter(evaluasi=ev).first()
    if kirim is None:
        kirim = KirimSiasn(instansi_id=ev.instansi_id, evaluasi=ev, endpoint=endpoint)
    # §21.9: a failed send starts over with its document uploaded again (SIASN may have refused the
    # stored reference, which no admin can correct); a record sent fine keeps its document.
    gagal = kirim.status == StatusKirimSiasn.GAGAL
    kirim.status = StatusKirimSiasn.ANTRI
    kirim.percobaan = 0  # the attempts of this request (the history keeps every earlier one)
    kirim.jenis_gagal = ""
    kirim.berikutnya_pada = None
    kirim.diminta_pada = timezone.now()
    kirim.diminta_oleh = oleh
    kirim.tiket += 1
    if dokumen_baru or gagal:
        kirim.dokumen = []  # the result changed, or the send failed: the document is uploaded again
    kirim._history_user = oleh  # type: ignore[attr-defined]
    kirim.save()
    _enqueue(kirim)
    return kirim


@transaction.atomic
def queue_on_final(ev: Evaluasi) -> KirimSiasn | None:
    """An evaluation became final (or its final result changed): queue its send when SIASN is configured
    for the instansi (nothing otherwise). A record sent before keeps its SIASN id, so the send updates."""
    if ev.status != StatusEvaluasi.FINAL.value or not is_siasn_configured(ev.instansi_id):
        return None
    return _antrekan(ev, None, dokumen_baru=True)


def _pastikan_dikonfigurasi(instansi: Instansi) -> None:
    if not is_siasn_configured(instansi):
        raise ValidationError(PESAN_BELUM_DIKONFIGURASI)


@transaction.atomic
def resend(kirim: KirimSiasn, oleh: User) -> KirimSiasn:
    """The admin asks to send one record again (audited: who and when, on the record and its history)."""
    require(
        oleh,
        "tindak_lanjut.send_siasn",
        kirim,
        "Hanya admin kepegawaian instansi ini yang dapat mengirim ulang ke SIASN.",
    )
    instansi = Instansi.objects.get(pk=kirim.instansi_id)
    _pastikan_dikonfigurasi(instansi)
    ev = Evaluasi.objects.get(pk=kirim.evaluasi_id)
    if ev.status != StatusEvaluasi.FINAL.value:
        raise ValidationError(
            f"Evaluasi {ev.pegawai_nama} ({ev.pegawai_nip}) tidak final lagi (dibuka kembali); "
            "evaluasi dikirim lagi otomatis setelah final kembali."
        )
    return _antrekan(ev, oleh, dokumen_baru=False)


def _evs_gagal(instansi: Instansi) -> QuerySet[Evaluasi]:
    return Evaluasi.objects.filter(
        kirim_siasn__instansi=instansi,
        kirim_siasn__status=StatusKirimSiasn.GAGAL,
        status=StatusEvaluasi.FINAL.value,
    ).order_by("pk")


def _evs_belum(instansi: Instansi, tahun: int | None) -> QuerySet[Evaluasi]:
    evs = Evaluasi.objects.filter(
        instansi=instansi, status=StatusEvaluasi.FINAL.value, kirim_siasn__isnull=True
    )
    if tahun is not None:
        evs = evs.filter(periode__tahun=tahun)
    return evs.order_by("pk")


def _boleh_kirim_massal(instansi: Instansi, oleh: User) -> None:
    require(
        oleh,
        "tindak_lanjut.send_siasn",
        instansi,
        "Hanya admin kepegawaian instansi ini yang dapat mengirim ke SIASN.",
    )
    _pastikan_dikonfigurasi(instansi)


@transaction.atomic
def resend_gagal(instansi: Instansi, oleh: User) -> int:
    """ "Kirim ulang semua yang gagal": every failed record of the instansi whose evaluation is final."""
    _boleh_kirim_massal(instansi, oleh)
    return _antrekan_semua(_evs_gagal(instansi), oleh)


@transaction.atomic
def send_belum(instansi: Instansi, oleh: User, tahun: int | None = None) -> int:
    """ "Kirim yang belum": every final evaluation of the instansi (of one year) without a send record."""
    _boleh_kirim_massal(instansi, oleh)
    return _antrekan_semua(_evs_belum(instansi, tahun), oleh)


def _antrekan_semua(evs: Iterable[Evaluasi], oleh: User | None) -> int:
    n = 0
    for ev in evs:
        _antrekan(ev, oleh, dokumen_baru=False)
        n += 1
    return n


# --- the bulk buttons as one background job (docs/architecture.md "Background jobs") -------------------

JENIS_MASSAL = {"gagal": "Kirim ulang semua yang gagal ke SIASN", "belum": "Kirim yang belum ke SIASN"}
UKURAN_BATCH = 200


def kunci_massal(instansi: Instansi, jenis: str, tahun: int | None = None) -> str:
    return f"siasn-massal:{instansi.pk}:{jenis}:{tahun or ''}"


def start_kirim_massal(instansi: Instansi, oleh: User, jenis: str, tahun: int | None = None) -> Pekerjaan:
    """The bulk button: one job queues the sends, batch by batch with its progress (a double press gives
    the same job). PermissionDenied / ValidationError (SIASN not configured) at once."""
    _boleh_kirim_massal(instansi, oleh)
    judul = JENIS_MASSAL[jenis] + (f" ({tahun})" if tahun else "")
    return mulai(
        "siasn_massal",
        kunci_massal(instansi, jenis, tahun),
        oleh,
        instansi,
        judul,
        run_kirim_massal,
        instansi_id=instansi.pk,
        user_id=oleh.pk,
        jenis=jenis,
        tahun=tahun,
    )


def run_kirim_massal(laporan: Laporan, instansi_id: int, user_id: int, jenis: str, tahun: int | None) -> None:
    """Queue every send of the bulk button, UKURAN_BATCH at a time (each batch its own transaction: a
    record re-read in its batch still fails/lacks a send, so nothing is queued twice)."""
    instansi = Instansi.objects.get(pk=instansi_id)
    oleh = User.objects.get(pk=user_id)
    _boleh_kirim_massal(instansi, oleh)
    evs = _evs_gagal(instansi) if jenis == "gagal" else _evs_belum(instansi, tahun)
    ids = list(evs.values_list("pk", flat=True))
    laporan.langkah(0, len(ids), "Memasukkan evaluasi ke antrean SIASN")
    n = 0
    for i in range(0, len(ids), UKURAN_BATCH):
        with transaction.atomic():
            n += _antrekan_semua(evs.filter(pk__in=ids[i : i + UKURAN_BATCH]), oleh)
        laporan.langkah(min(i + UKURAN_BATCH, len(ids)), len(ids), "Memasukkan evaluasi ke antrean SIASN")
    if jenis == "gagal":
        teks = (
            f"{n} pengiriman yang gagal dimasukkan kembali ke antrean SIASN."
            if n
            else ("Tidak ada pengiriman gagal yang evaluasinya masih final.")
        )
    else:
        teks = (
            f"{n} evaluasi final yang belum dikirim dimasukkan ke antrean SIASN."
            if n
            else ("Semua evaluasi final sudah pernah dikirim atau sedang dalam antrean.")
        )
    laporan.ringkas(teks + (" Statusnya diperbarui di halaman ini setelah worker mengirimnya." if n else ""))


@transaction.atomic
def queue_evaluasi(evs: Iterable[Evaluasi], oleh: User | None = None) -> int:
    """Queue the given final evaluations (the ``siasn_kirim --antre`` command; no permission: the system)."""
    return _antrekan_semua((ev for ev in evs if ev.status == StatusEvaluasi.FINAL.value), oleh)


@dataclass(frozen=True)
class Langkah:
    """What one run of the task did: the record (None when the task had nothing to do) and, when it must
    run again, when."""

    kirim: KirimSiasn | None
    ulang_pada: datetime.datetime | None = None


def ulang_setelah(sekarang: datetime.datetime) -> Ulang:
    """The backoff of the queue from the settings: after attempt N, wait `rules.siasn.jeda_ulang`; None once
    the maximum number of attempts is reached."""
    maks = int(getattr(settings, "SIASN_ANTREAN_PERCOBAAN", 8))
    dasar = int(getattr(settings, "SIASN_ANTREAN_JEDA", 300))
    jeda_maks = int(getattr(settings, "SIASN_ANTREAN_JEDA_MAKS", 21600))

    def ulang(percobaan: int) -> datetime.datetime | None:
        if percobaan >= maks:
            return None
        return sekarang + datetime.timedelta(seconds=kode.jeda_ulang(percobaan, dasar, jeda_maks))

    return ulang


def _klaim(kirim_id: int, tiket: int, sekarang: datetime.datetime) -> str:
    """Claim the record for this run: "ok", "sibuk" (another worker is sending it) or "lewat" (sent,
    failed or superseded by a newer request: nothing to do)."""
    n = (
        KirimSiasn.objects.filter(pk=kirim_id, tiket=tiket, status=StatusKirimSiasn.ANTRI)
        .filter(Q(diproses_sejak__isnull=True) | Q(diproses_sejak__lt=sekarang - KLAIM_KEDALUWARSA))
        .update(diproses_sejak=sekarang)
    )
    if n:
        return "ok"
    masih = KirimSiasn.objects.filter(pk=kirim_id, tiket=tiket, status=StatusKirimSiasn.ANTRI).exists()
    return "sibuk" if masih else "lewat"


def send_now(ev: Evaluasi, klien: KlienSiasn, dokumen: PenyediaDokumen | None = None) -> KirimSiasn | None:
    """Send one final evaluation at once (``siasn_kirim`` without ``--antre``), holding the same claim as
    the background worker (§21.8–21.9) so the two never send one evaluation at the same time (two creates
    would be two SIASN records). None when a worker is sending it right now: nothing is sent."""
    endpoint = pm.PERIODIK if ev.periode_penilaian_id else pm.TAHUNAN
    kirim = _record(ev, endpoint)
    sekarang = timezone.now()
    bebas = Q(diproses_sejak__isnull=True) | Q(diproses_sejak__lt=sekarang - KLAIM_KEDALUWARSA)
    if not KirimSiasn.objects.filter(bebas, pk=kirim.pk).update(diproses_sejak=sekarang):
        return None
    try:
        return send(ev, klien, dokumen)
    finally:
        KirimSiasn.objects.filter(pk=kirim.pk).update(diproses_sejak=None)


def run_send(
    kirim_id: int,
    tiket: int,
    *,
    klien: KlienSiasn | None = None,
    dokumen: PenyediaDokumen | None = render_dokumen_evaluasi,
) -> Langkah:
    """One run of the background send (the task): claim, send with the client from the environment,
    release. A passing trouble is tried again later (`ulang_setelah`); anything else ends the request."""
    sekarang = timezone.now()
    klaim = _klaim(kirim_id, tiket, sekarang)
    if klaim == "sibuk":
        return Langkah(None, sekarang + TUNGGU_KLAIM)
    if klaim == "lewat":
        return Langkah(None)
    try:
        kirim = KirimSiasn.objects.select_related("evaluasi__periode", "evaluasi__pegawai").get(pk=kirim_id)
        ev = kirim.evaluasi
        if ev.status != StatusEvaluasi.FINAL.value:
            pesan = "Evaluasi dibuka kembali sebelum terkirim; dikirim lagi otomatis setelah final kembali."
            return Langkah(_gagal(kirim, Tahap.RENCANA, pesan, kirim.percobaan, None, None, tiket))
        if klien is None:
            try:
                klien = klien_from_env()
            except KonfigurasiError as e:
                return Langkah(_gagal(kirim, Tahap.KONFIGURASI, e.pesan, kirim.percobaan, None, None, tiket))
            if klien is None:
                pesan = PESAN_BELUM_DIKONFIGURASI
                return Langkah(_gagal(kirim, Tahap.KONFIGURASI, pesan, kirim.percobaan, None, None, tiket))
        try:
            kirim = send(ev, klien, dokumen, ulang=ulang_setelah(sekarang), tiket=tiket)
        except Exception as e:
            # §21.9: an unexpected error (the PDF, the database …) must not leave the record "antri" with
            # no task behind it: it is failed, visibly, for the server's keeper; the task still fails.
            pesan = f"Kesalahan di Kinerja saat menyiapkan pengiriman ({type(e).__name__})."
            _gagal(kirim, Tahap.GALAT, pesan, kirim.percobaan + 1, None, None, tiket)
            raise
        ulang_pada = kirim.berikutnya_pada if kirim.status == StatusKirimSiasn.ANTRI else None
        if kirim.status == StatusKirimSiasn.ANTRI and kirim.tiket != tiket:
            ulang_pada = None  # a newer request has its own task
        return Langkah(kirim, ulang_pada)
    finally:
        KirimSiasn.objects.filter(pk=kirim_id).update(diproses_sejak=None)
