"""The demo's SIASN data (docs/rules.md §21.7, §21.9), as if looked up through ``pns/data-utama/{nip}``,
without a SIASN server:

* every pegawai holds a SIASN id, so a dry run of ``siasn_kirim`` on the demo writes complete bodies;
* every pegawai holds a data-utama snapshot that agrees with Kinerja (in SIASN's upper-case spelling, and
  "SUB BAGIAN" for "Subbagian": the report compares names normalised), except **one**: Fajar Nugroho works
  in the Bidang Mutasi dan Promosi in Kinerja since 2 September 2022, but SIASN still lists him in the
  Subbagian Umum dan Kepegawaian as Pengadministrasi Umum (TMT 1 March 2019): the move was never reported
  to BKN, so SIASN must be updated through the BKPSDM; SIASN's unit implies another atasan.

The ids are derived from the NIP or the unit/jabatan code (32 upper-case hex digits, the shape SIASN's ids
take), so they are the same on every machine and every run. Idempotent.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Pegawai, Penempatan
from kinerja.rules import JenisJabatan, JenisPenempatan
from kinerja.tindak_lanjut.models import DataUtamaSiasn, IdSiasnPegawai

#: The one pegawai whose SIASN record lags behind Kinerja: (NIP, SIASN unit, SIASN jabatan, TMT).
SELISIH = (
    "199010102014031004",
    "SUB BAGIAN UMUM DAN KEPEGAWAIAN",
    "PENGADMINISTRASI UMUM",
    datetime.date(2019, 3, 1),
)
#: SIASN's jenisJabatanId (docs/rules.md §21.9): 1 struktural, 2 fungsional, 4 fungsional umum.
_JENIS = {JenisJabatan.FUNGSIONAL.value: (2, "Jabatan Fungsional Tertentu")}
_PELAKSANA = {JenisJabatan.PELAKSANA.value: (4, "Jabatan Fungsional Umum")}


def pns_id_demo(nip: str) -> str:
    return hashlib.sha256(f"siasn-demo:{nip}".encode()).hexdigest()[:32].upper()


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
