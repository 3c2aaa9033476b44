"""Bukti dukung writes: add a file or a link to a realisasi, delete one. Each use case is one atomic
function that checks who may do it (only the SKP's owner) and whether the periode is still open.

A refused upload raises ValidationError with a Bahasa Indonesia message and leaves nothing behind: no row,
no file on disk, and the realisasi itself is never touched (adding evidence does not bump its `versi`, so an
open realisasi form in another tab stays valid).
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.common.berkas import validate_berkas, validate_tautan
from kinerja.common.unggahan import save_with_file
from kinerja.organisasi.selectors import today
from kinerja.pelaksanaan.models import BukaKunci, BuktiDukung, Realisasi
from kinerja.permissions import require
from kinerja.rules.realisasi import StatusPengisian, status_pengisian

PANJANG_KETERANGAN = 300


def status_pengisian_realisasi(realisasi: Realisasi) -> StatusPengisian:
    """Lock check for evidence: open while realisasi of this pegawai and periode may be entered.

    The single place the bukti dukung code asks "is this periode open?": it applies the shared rule
    `kinerja.rules.realisasi.status_pengisian` (deadline `batas_realisasi`, admin unlocks).
    """
    periode = realisasi.periode_penilaian
    pegawai_id = realisasi.indikator.rhk.skp.pegawai_id
    buka = (
        BukaKunci.objects.filter(pegawai_id=pegawai_id, periode_penilaian=periode)
        .order_by("-berlaku_sampai")
        .values_list("berlaku_sampai", flat=True)
        .first()
    )
    return status_pengisian(
        nama=periode.nama,
        batas=periode.batas_realisasi,
        hari_ini=today(),
        sekarang=timezone.localtime(),
        mulai=periode.mulai,
        buka_kunci_sampai=timezone.localtime(buka) if buka else None,
    )


def _pemilik_dan_terbuka(realisasi: Realisasi, user: Any) -> None:
    require(
        user,
        "pelaksanaan.change_realisasi",
        realisasi.indikator.rhk.skp,
        "Hanya pemilik SKP yang dapat menambah atau menghapus bukti dukung.",
    )
    status = status_pengisian_realisasi(realisasi)
    if not status.boleh:
        raise ValidationError(f"Bukti dukung tidak dapat diubah. {status.alasan}")


def _keterangan(teks: str) -> str:
    teks = (teks or "").strip()
    if len(teks) > PANJANG_KETERANGAN:
        raise ValidationError(f"Keterangan terlalu panjang (maksimal {PANJANG_KETERANGAN} karakter).")
    return teks


@transaction.atomic
def add_bukti_berkas(
    realisasi: Realisasi, user: Any, berkas: IO[bytes], nama_asli: str, ukuran: int, keterangan: str = ""
) -> BuktiDukung:
    """Store an uploaded file as evidence of the realisasi after checking its content, size and name."""
    _pemilik_dan_terbuka(realisasi, user)
    keterangan = _keterangan(keterangan)
    instansi = realisasi.indikator.rhk.skp.instansi
    valid = validate_berkas(berkas, nama_asli, ukuran, instansi.batas_ukuran_bukti_mb)
    bukti = BuktiDukung(
        realisasi=realisasi,
        jenis=BuktiDukung.Jenis.BERKAS,
        nama_berkas=valid.nama,
        tipe=valid.tipe,
        ukuran=valid.ukuran,
        sha256=valid.sha256,
        keterangan=keterangan,
        diunggah_oleh=user,
    )
    save_with_file(bukti, berkas, valid.nama)
    return bukti


@transaction.atomic
def add_bukti_tautan(realisasi: Realisasi, user: Any, tautan: str, keterangan: str = "") -> BuktiDukung:
    """Add an http(s) link as evidence of the realisasi."""
    _pemilik_dan_terbuka(realisasi, user)
    return BuktiDukung.objects.create(
        realisasi=realisasi,
        jenis=BuktiDukung.Jenis.TAUTAN,
        tautan=validate_tautan(tautan),
        keterangan=_keterangan(keterangan),
        diunggah_oleh=user,
    )


@transaction.atomic
def delete_bukti(bukti: BuktiDukung, user: Any) -> None:
    """Delete one piece of evidence; its file is removed once the deletion is committed."""
    _pemilik_dan_terbuka(bukti.realisasi, user)
    nama = bukti.berkas.name if bukti.berkas else ""
    storage = bukti.berkas.storage
    bukti.delete()
    if nama:
        transaction.on_commit(lambda: storage.delete(nama))
