"""The demo's SIASN data (docs/rules.md §21.7, §21.9–21.10), as if looked up through ``pns/data-utama/{nip}``,
without a SIASN server:

* every pegawai holds a SIASN id, so a dry run of ``siasn_kirim`` on the demo writes complete bodies;
* every pegawai holds a data-utama snapshot that agrees with Kinerja (in SIASN's upper-case spelling, and
  "SUB BAGIAN" for "Subbagian": the report compares names normalised), except **one**: Fajar Nugroho works
  in the Bidang Mutasi dan Promosi in Kinerja since 2 September 2022, but SIASN still lists him in the
  Subbagian Umum dan Kepegawaian as Pengadministrasi Umum (TMT 1 March 2019): the move was never reported
  to BKN, so SIASN must be updated through the BKPSDM; SIASN's unit implies another atasan.

The ids are derived from the NIP or the unit/jabatan code (32 upper-case hex digits, the shape SIASN's ids
take), so they are the same on every machine and every run. Idempotent.

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

from kinerja.organisasi.models import Instansi, Pegawai, Penempatan
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import JenisJabatan, JenisPenempatan
from kinerja.rules import siasn as kode
from kinerja.rules.evaluasi import Status
from kinerja.tindak_lanjut.models import DataUtamaSiasn, IdSiasnPegawai, KirimSiasn, StatusKirimSiasn
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

#: The one pegawai whose SIASN record lags behind Kinerja: (NIP, SIASN unit, SIASN jabatan, TMT).
SELISIH = (
    "199010102014031004",
    "SUB BAGIAN UMUM DAN KEPEGAWAIAN",
    "PENGADMINISTRASI UMUM",
    datetime.date(2019, 3, 1),
)
#: SIASN's jenisJabatanId (docs/rules.md §21.10): 1 struktural, 2 fungsional, 4 fungsional umum.
_JENIS = {JenisJabatan.FUNGSIONAL.value: (2, "Jabatan Fungsional Tertentu")}
_PELAKSANA = {JenisJabatan.PELAKSANA.value: (4, "Jabatan Fungsional Umum")}


def pns_id_demo(nip: str) -> str:
    return hashlib.sha256(f"siasn-demo:{nip}".encode()).hexdigest()[:32].upper()


def siasn_id_demo(evaluasi_id: int, nip: str) -> str:
    return hashlib.sha256(f"siasn-demo-riwayat:{nip}:{evaluasi_id}".encode()).hexdigest()[:32].upper()


def _id(jenis: str, kode: str) -> str:
    return hashlib.sha256(f"siasn-demo:{jenis}:{kode}".encode()).hexdigest()[:32].upper()


def _ejaan_siasn(nama: str) -> str:
    return nama.upper().replace("SUBBAGIAN", "SUB BAGIAN")


@transaction.atomic
def seed(instansi: Instansi) -> None:
    kini = timezone.now()
    ada = IdSiasnPegawai.objects.filter(pegawai__instansi=instansi)
    sudah = set(ada.values_list("pegawai_id", flat=True))
    for pegawai in Pegawai.objects.filter(instansi=instansi).exclude(pk__in=sudah).order_by("nip"):
        IdSiasnPegawai.objects.create(pegawai=pegawai, pns_id=pns_id_demo(pegawai.nip), dicari_pada=kini)
    seed_data_utama(instansi)
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


def seed_data_utama(instansi: Instansi) -> None:
    """The data-utama snapshots, as a refresh from SIASN would have left them (one mismatch)."""
    kini = timezone.now()
    sudah = set(
        DataUtamaSiasn.objects.filter(pegawai__instansi=instansi).values_list("pegawai_id", flat=True)
    )
    definitif = (
        Penempatan.objects.filter(pegawai__instansi=instansi, jenis=JenisPenempatan.DEFINITIF.value)
        .exclude(pegawai_id__in=sudah)
        .select_related("pegawai", "jabatan__unit__parent")
        .order_by("pegawai__nip", "mulai")
    )
    for pen in definitif:
        peg, jab, unit = pen.pegawai, pen.jabatan, pen.jabatan.unit
        jenis_id, jenis = (_JENIS | _PELAKSANA).get(jab.jenis, (1, "Jabatan Struktural"))
        if peg.pk in sudah:
            continue  # the later of two definitif placements is not in the demo; keep the first
        sudah.add(peg.pk)
        unor_nama, jabatan_nama, tmt = _ejaan_siasn(unit.nama), _ejaan_siasn(jab.nama), pen.mulai
        induk = unit.parent.nama.upper() if unit.parent else ""
        if peg.nip == SELISIH[0]:
            _, unor_nama, jabatan_nama, tmt = SELISIH
            jenis_id, jenis, induk = 4, "Jabatan Fungsional Umum", "SEKRETARIAT"
        DataUtamaSiasn.objects.create(
            pegawai=peg,
            pns_id=pns_id_demo(peg.nip),
            unor_id=_id("unor", unor_nama),
            unor_nama=unor_nama,
            unor_induk_id=_id("unor", induk) if induk else "",
            unor_induk_nama=induk,
            jabatan_id=_id("jabatan", jabatan_nama),
            jabatan_nama=jabatan_nama,
            jenis_jabatan_id=jenis_id,
            jenis_jabatan=jenis,
            tmt_jabatan=tmt,
            golongan=peg.pangkat_golongan if peg.jenis_asn == "pns" else "",
            dibaca_pada=kini,
        )
