"""From a pegawai's SIASN data-utama to his jabatan and penempatan in Kinerja (docs/rules.md §21.12).

Pure Python. :func:`jenis_dari_siasn` tells the jenis of SIASN's jabatan; :func:`propose` turns one
snapshot, the unit it matched and what Kinerja holds into one :class:`Usulan`: the jabatan to use (ours,
matched by normalised name in that unit) or to create (fungsional/pelaksana only: the heads' jabatan come
with the units), and the penempatan definitif to add, to change (ours closed the day before SIASN's TMT
jabatan), or nothing; or the problem that stops the row.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from kinerja.rules import jabatan as jabatan_rules
from kinerja.rules.jadwal import format_tanggal
from kinerja.rules.siasn_data_utama import normalise_nama
from kinerja.rules.types import JenisJabatan

__all__ = ["JabatanKita", "PenempatanKita", "Usulan", "jenis_dari_siasn", "propose"]

TAMBAH, GANTI, SAMA, MASALAH = "tambah", "ganti", "sama", "masalah"


def jenis_dari_siasn(
    jenis_jabatan_id: int | None, jenis_jabatan: str, jabatan_nama: str
) -> JenisJabatan | None:
    """``jenisJabatanId`` 2 → fungsional, 4 → pelaksana (fungsional umum), 1 → struktural refined by the
    title (§26); without a known id the text ``jenisJabatan`` decides the same way. None: cannot tell."""
    teks = " ".join(jenis_jabatan.lower().split())
    if jenis_jabatan_id == 4 or (jenis_jabatan_id is None and ("umum" in teks or "pelaksana" in teks)):
        return JenisJabatan.PELAKSANA
    if jenis_jabatan_id == 2 or (jenis_jabatan_id is None and "fungsional" in teks):
        return JenisJabatan.FUNGSIONAL
    if jenis_jabatan_id == 1 or (jenis_jabatan_id is None and "struktural" in teks):
        return jabatan_rules.jenis_struktural_dari_nama(jabatan_nama)
    return None


@dataclass(frozen=True)
class JabatanKita:
    """One of our jabatan in the unit SIASN names."""

    kode: str
    nama: str


@dataclass(frozen=True)
class PenempatanKita:
    """The pegawai's open penempatan definitif in Kinerja."""

    kode_jabatan: str
    nama_jabatan: str
    mulai: datetime.date


@dataclass(frozen=True)
class Usulan:
    aksi: str  # TAMBAH, GANTI, SAMA or MASALAH
    jenis: JenisJabatan | None = None
    kode_jabatan: str = ""  # ours; empty when a new jabatan is to be made
    jenjang: str = ""
    mulai: datetime.date | None = None  # the new penempatan's start (SIASN's TMT jabatan)
    tutup: datetime.date | None = None  # the end given to ours when it changes
    masalah: str = ""

    @property
    def jabatan_baru(self) -> bool:
        return self.aksi in (TAMBAH, GANTI) and not self.kode_jabatan


def propose(
    jabatan_nama: str,
    jenis: JenisJabatan | None,
    tmt: datetime.date | None,
    jabatan_unit: Sequence[JabatanKita] | None,
    sekarang: PenempatanKita | None,
) -> Usulan:
    """What one snapshot asks of Kinerja. ``jabatan_unit`` is None when SIASN's unit matched none of ours."""
    if not jabatan_nama.strip():
        return Usulan(MASALAH, masalah="SIASN tidak mencatat nama jabatan")
    if jabatan_unit is None:
        return Usulan(
            MASALAH,
            jenis,
            masalah="unit SIASN ini tidak ada di Kinerja; baca dan terapkan unit dari SIASN dulu",
        )
    sama = [j for j in jabatan_unit if normalise_nama(j.nama) == normalise_nama(jabatan_nama)]
    if sekarang is not None and sekarang.kode_jabatan in {j.kode for j in sama}:
        # One of several rows of the same name (a formasi split in two): he already holds it.
        return Usulan(SAMA, jenis, sekarang.kode_jabatan)
    if len(sama) > 1:
        kode = ", ".join(j.kode for j in sama)
        return Usulan(
            MASALAH, jenis, masalah=f"ada beberapa jabatan bernama sama di unit ini ({kode}); pilih sendiri"
        )
    kode = sama[0].kode if sama else ""
    jenjang = ""
    if not kode:
        if jenis is None:
            return Usulan(
                MASALAH, masalah="jenis jabatan dari SIASN tidak dapat dipastikan; buat jabatannya sendiri"
            )
        if not jabatan_rules.banyak_pemangku(jenis):
            return Usulan(
                MASALAH,
                jenis,
                masalah=(
                    "jabatan struktural ini belum ada di unitnya; jabatan pimpinan dibuat oleh unit SIASN"
                ),
            )
        if jenis == JenisJabatan.FUNGSIONAL:
            j = jabatan_rules.jenjang_dari_nama(jabatan_nama)
            if j is None:
                return Usulan(MASALAH, jenis, masalah="jenjang jabatan fungsional tidak terbaca dari namanya")
            jenjang = j.value
    if tmt is None:
        return Usulan(MASALAH, jenis, kode, masalah="SIASN tidak mencatat TMT jabatan")
    if sekarang is None:
        return Usulan(TAMBAH, jenis, kode, jenjang, mulai=tmt)
    if sekarang.mulai >= tmt:
        # Kinerja holds a newer (or same-day) decision than SIASN: BKN has to catch up, not Kinerja (§21.11).
        return Usulan(
            MASALAH,
            jenis,
            kode,
            masalah=(
                f"penempatan di Kinerja mulai {format_tanggal(sekarang.mulai)}, tidak sebelum TMT jabatan "
                f"SIASN {format_tanggal(tmt)}; tidak diubah — perbarui SIASN bila Kinerja yang benar"
            ),
        )
    return Usulan(GANTI, jenis, kode, jenjang, mulai=tmt, tutup=tmt - datetime.timedelta(days=1))
