"""The demo's SIASN ids (docs/rules.md §21.7): every pegawai holds one, as if looked up through
``pns/data-utama/{nip}``, so a dry run of ``siasn_kirim`` on the demo writes complete bodies.

The id is derived from the NIP (32 upper-case hex digits, the shape SIASN's ids take), so it is the same
on every machine and every run. Idempotent.

And the send records (docs/rules.md §21.9), written as if the background worker had run (no SIASN server
is needed): the final evaluations of last year (annual) and this year (periodic) are ``terkirim`` with
SIASN's record id and document, except Galih Permana's Triwulan III, refused by SIASN with its own
message about his data at BKN (``gagal``), and Eko Saputro's Triwulan III, waiting for its next attempt
after an outage (``antri``); a record the rules refuse before any call (a gap) is ``gagal`` with every
reason, as the send service writes it. The year before last was finalised before Kinerja was connected
to SIASN: its evaluations stay "belum dikirim".
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import siasn as kode
from kinerja.rules.evaluasi import Status
from kinerja.tindak_lanjut.models import IdSiasnPegawai, KirimSiasn, StatusKirimSiasn
from kinerja.tindak_lanjut.siasn import permintaan as pm
from kinerja.tindak_lanjut.siasn import selectors

#: Galih Permana (Analis SDM Aparatur Ahli Pertama): SIASN refuses his Triwulan III.
NIP_GAGAL = "199304112019031003"
PESAN_GAGAL = (
    "HTTP 400: PNS dengan NIP 199304112019031003 belum memiliki riwayat jabatan yang diverifikasi BKN "
    "untuk tahun {tahun}; lakukan peremajaan riwayat jabatan di SIASN sebelum mengirim kinerja periodik."
)
#: Eko Saputro: his Triwulan III met an outage and waits for the next attempt.
NIP_ANTRI = "198912212012121002"
PESAN_ANTRI = "Pencarian data utama: HTTP 503: Service Temporarily Unavailable"


def pns_id_demo(nip: str) -> str:
    return hashlib.sha256(f"siasn-demo:{nip}".encode()).hexdigest()[:32].upper()


def siasn_id_demo(evaluasi_id: int, nip: str) -> str:
    return hashlib.sha256(f"siasn-demo-riwayat:{nip}:{evaluasi_id}".encode()).hexdigest()[:32].upper()


@transaction.atomic
def seed(instansi: Instansi) -> None:
    ada = IdSiasnPegawai.objects.filter(pegawai__instansi=instansi)
    sudah = set(ada.values_list("pegawai_id", flat=True))
    kini = timezone.now()
    for pegawai in Pegawai.objects.filter(instansi=instansi).exclude(pk__in=sudah).order_by("nip"):
        IdSiasnPegawai.objects.create(pegawai=pegawai, pns_id=pns_id_demo(pegawai.nip), dicari_pada=kini)
    seed_kirim(instansi)


def seed_kirim(instansi: Instansi) -> None:
    """The send records, as the worker would have left them (idempotent: once per instansi)."""
    if KirimSiasn.objects.filter(instansi=instansi).exists():
        return
    final = Evaluasi.objects.filter(instansi=instansi, status=Status.FINAL.value)
    tahun = final.aggregate(t=Max("periode__tahun"))["t"]
    if tahun is None:
        return
    kini = timezone.now()
    evs = (
        final.filter(periode__tahun__gte=tahun - 1)
        .exclude(periode__tahun=tahun - 1, jenis="periodik")
        .select_related(
            "periode",
            "periode_penilaian",
            "skp__jabatan",
            "pegawai__id_siasn",
            "kirim_siasn",
            "penilai_eksternal",
        )
        .order_by("periode__tahun", "periode_penilaian__nomor", "pegawai_nip")
    )
    rows = [_kirim_demo(ev, kini) for ev in evs]
    bulk_create_with_history(rows, KirimSiasn, batch_size=500)


def _kirim_demo(ev: Evaluasi, kini: datetime.datetime) -> KirimSiasn:
    endpoint = pm.PERIODIK if ev.periode_penilaian_id else pm.TAHUNAN
    dicoba = min((ev.final_pada or kini) + datetime.timedelta(minutes=7), kini)
    kirim = KirimSiasn(
        instansi_id=ev.instansi_id,
        evaluasi=ev,
        endpoint=endpoint,
        diminta_pada=ev.final_pada or kini,
        tiket=1,
        dicoba_pada=dicoba,
    )
    nomor = ev.periode_penilaian.nomor if ev.periode_penilaian_id else None
    rencana = selectors.plan(ev)
    if rencana.permintaan is None:
        kirim.status, kirim.jenis_gagal = StatusKirimSiasn.GAGAL, kode.JenisGagal.DATA_KINERJA.value
        kirim.pesan = "Tidak dapat dikirim: " + " ".join(rencana.alasan)
    elif nomor == 3 and ev.pegawai_nip == NIP_GAGAL:
        kirim.status, kirim.jenis_gagal = StatusKirimSiasn.GAGAL, kode.JenisGagal.DATA_BKN.value
        kirim.pesan, kirim.percobaan = PESAN_GAGAL.format(tahun=ev.periode.tahun), 1
    elif nomor == 3 and ev.pegawai_nip == NIP_ANTRI:
        kirim.status, kirim.jenis_gagal = StatusKirimSiasn.ANTRI, kode.JenisGagal.GANGGUAN.value
        kirim.pesan, kirim.percobaan = PESAN_ANTRI, 1
        kirim.berikutnya_pada = kini + datetime.timedelta(minutes=5)
        kirim.dicoba_pada = kini - datetime.timedelta(minutes=1)
    else:
        kirim.status, kirim.percobaan, kirim.terkirim_pada = StatusKirimSiasn.TERKIRIM, 1, dicoba
        kirim.siasn_id = siasn_id_demo(ev.pk, ev.pegawai_nip)
        kirim.pesan = " ".join(rencana.peringatan)
        ref = kode.DOKUMEN_PERIODIK if endpoint == pm.PERIODIK else kode.DOKUMEN_TAHUNAN
        nama = f"Evaluasi-{ev.pegawai_nip}-{ev.periode.tahun}-{f'P{nomor}' if nomor else 'T'}.pdf"
        uri = f"peremajaan/usulan/{kirim.siasn_id.lower()}_{nama}"
        kirim.dokumen = [{"dok_id": ref, "dok_nama": nama, "dok_uri": uri, "object": uri, "slug": ref}]
    return kirim
