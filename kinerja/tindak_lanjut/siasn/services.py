"""Sending final evaluations to SIASN (docs/rules.md §21.7–21.8): look-up, upload, save, and the record.

Run by the system (the ``siasn_kirim`` command, later the task queue), never inside a page request: the
network calls are made outside any transaction, and each outcome is written in its own short transaction,
so one pegawai's failure never undoes another's success. Every change of a send record is in its history.

Order for one evaluation: the pegawai's SIASN id (looked up once with ``data-utama`` and stored), the
evaluation document (uploaded once and kept, so a re-send does not upload again), then the save with the
record's SIASN id when it was sent before (SIASN updates the record instead of adding one).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import siasn as kode
from kinerja.tindak_lanjut import signals
from kinerja.tindak_lanjut.models import IdSiasnPegawai, KirimSiasn, StatusKirimSiasn
from kinerja.tindak_lanjut.siasn import permintaan as pm
from kinerja.tindak_lanjut.siasn import selectors
from kinerja.tindak_lanjut.siasn.klien import KlienSiasn, SiasnError

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


@transaction.atomic
def _tandai(kirim: KirimSiasn, status: str, pesan: str, **ubah: object) -> KirimSiasn:
    kirim = KirimSiasn.objects.select_for_update().get(pk=kirim.pk)
    kirim.status = status
    kirim.pesan = pesan
    kirim.dicoba_pada = timezone.now()
    for k, v in ubah.items():
        setattr(kirim, k, v)
    kirim.save()
    return kirim


def send(ev: Evaluasi, klien: KlienSiasn, dokumen: PenyediaDokumen | None = None) -> KirimSiasn:
    """Send one final evaluation; returns its send record (terkirim, or gagal with the reason: SIASN's
    error text, or why the record cannot be sent)."""
    if ev.status != "final":
        raise ValueError("Hanya evaluasi final yang dikirim ke SIASN.")
    endpoint = pm.PERIODIK if ev.periode_penilaian_id else pm.TAHUNAN
    kirim = _record(ev, endpoint)
    percobaan = kirim.percobaan + 1
    try:
        lookup_pns_id(ev.pegawai, klien)
    except SiasnError as e:
        return _tandai(kirim, StatusKirimSiasn.GAGAL, f"Pencarian data utama: {e.pesan}", percobaan=percobaan)
    ev = selectors.evaluasi_kirim(ev.periode.tahun).get(pk=ev.pk)  # with the stored ids just written
    rencana = selectors.plan(ev)
    if rencana.permintaan is None:
        # Refused before any call: not an attempt, but visible on the record with every reason.
        return _tandai(kirim, StatusKirimSiasn.GAGAL, "Tidak dapat dikirim: " + " ".join(rencana.alasan))
    path = list(kirim.dokumen)
    if not path and dokumen is not None and (berkas := dokumen(ev)) is not None:
        id_ref = kode.DOKUMEN_PERIODIK if endpoint == pm.PERIODIK else kode.DOKUMEN_TAHUNAN
        try:
            path = [klien.upload(id_ref, berkas[0], berkas[1])]
        except SiasnError as e:
            return _tandai(kirim, StatusKirimSiasn.GAGAL, f"Unggah dokumen: {e.pesan}", percobaan=percobaan)
        kirim = _tandai(kirim, kirim.status, kirim.pesan, dokumen=path)
        ev = selectors.evaluasi_kirim(ev.periode.tahun).get(pk=ev.pk)
        rencana = selectors.plan(ev)
    assert rencana.permintaan is not None
    try:
        siasn_id = klien.save(rencana.permintaan.endpoint, rencana.permintaan.body)
    except SiasnError as e:
        return _tandai(kirim, StatusKirimSiasn.GAGAL, e.pesan, percobaan=percobaan)
    return _tandai(
        kirim,
        StatusKirimSiasn.TERKIRIM,
        " ".join(rencana.peringatan),
        siasn_id=siasn_id,
        percobaan=percobaan,
        terkirim_pada=timezone.now(),
    )
