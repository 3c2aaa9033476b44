"""What the verification pages say about electronic signatures (docs/rules.md §29.4): the signatures
embedded in a document's signed file, and the check of a PDF someone uploads. Reads only; nothing
uploaded is stored."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import IO

from kinerja.common import cache
from kinerja.dokumen.models import Dokumen, TandaTangan
from kinerja.dokumen.selectors import mask_nama
from kinerja.dokumen.ttd import pdf
from kinerja.rules import ttd as aturan

#: The largest PDF the public upload check reads (docs/rules.md §29.4).
BATAS_UNGGAH_MB = 15
#: Uploads per client address per window (a validation costs ~60 ms of CPU per signature).
BATAS_UNGGAH_PER_JENDELA = 20
JENDELA_DETIK = 10 * 60


@dataclass(frozen=True)
class TtdTampil:
    """One embedded signature as a page shows it."""

    nama: str
    penerbit: str
    waktu: datetime.datetime | None
    alasan: str
    #: "sah", "tidak_sah" or "tidak_tepercaya" (intact, unknown issuer).
    tingkat: str
    keterangan: str
    bertanda_waktu: bool


def _tingkat(h: pdf.HasilPeriksa) -> str:
    if h.sah:
        return "sah"
    if h.utuh and h.tanpa_perubahan_lain:
        return "tidak_tepercaya"
    return "tidak_sah"


def tampilkan(pemeriksaan: pdf.Pemeriksaan, samarkan: bool) -> list[TtdTampil]:
    """The signatures of a validation; ``samarkan`` masks the signer's name as the public page masks the
    pegawai's (docs/rules.md §25.2)."""
    return [
        TtdTampil(
            nama=(mask_nama(h.nama) if samarkan else h.nama) or "(tidak terbaca)",
            penerbit=h.penerbit or "(tidak terbaca)",
            waktu=h.waktu,
            alasan=h.alasan,
            tingkat=_tingkat(h),
            keterangan=h.keterangan,
            bertanda_waktu=h.bertanda_waktu,
        )
        for h in pemeriksaan.tanda_tangan
    ]


def periksa_berkas(dok: Dokumen) -> pdf.Pemeriksaan | None:
    """The validation of the document's signed file, cached under its SHA-256 (the file never changes
    under one hash; the TTL lets a newly installed root take effect). None while the document is unsigned."""
    if not dok.berkas or not dok.berkas_sha256:
        return None

    def hitung() -> pdf.Pemeriksaan:
        with dok.berkas.open("rb") as f:
            return pdf.periksa(f.read())

    return cache.cached("ttd-periksa", [cache.scope("berkas", dok.berkas_sha256)], hitung)


@dataclass(frozen=True)
class StatusTtdDokumen:
    status: aturan.StatusTtd
    #: Labels of the roles that may sign next (the document's slots not yet signed, in order).
    menunggu: tuple[str, ...]
    belum_bisa: tuple[str, ...]


def status_dokumen(dok: Dokumen) -> StatusTtdDokumen | None:
    """Signature status and who is still to sign; None for a document kind without signature slots."""
    slots = aturan.SLOT.get(dok.jenis, ())
    if not slots:
        return None
    sudah = {aturan.Peran(p) for p in TandaTangan.objects.filter(dokumen=dok).values_list("peran", flat=True)}
    berikut = aturan.menunggu(dok.jenis, sudah)
    return StatusTtdDokumen(
        status=aturan.status_ttd(dok.jenis, sudah),
        menunggu=tuple(p.label for p in berikut),
        belum_bisa=tuple(s.peran.label for s in slots if s.peran not in sudah and s.peran not in berikut),
    )


def label_status_ttd(nilai: str) -> str:
    try:
        return aturan.StatusTtd(nilai).label
    except ValueError:
        return ""


class UnggahanDitolak(Exception):
    """An upload the check does not read; the message says why, in Indonesian."""


@dataclass(frozen=True)
class HasilUnggahan:
    sha256: str
    #: The registered document whose signed file (now or at an earlier signature) is this file.
    dokumen: Dokumen | None
    #: The file is the document's latest signed file and no later revision supersedes the document.
    terbaru: bool
    #: The file is the document's signed file as it is now (not an earlier signature's revision).
    revisi_berkas_terakhir: bool
    pemeriksaan: pdf.Pemeriksaan


def _baca(f: IO[bytes], ukuran: int) -> bytes:
    if ukuran > BATAS_UNGGAH_MB * 1024 * 1024:
        raise UnggahanDitolak(f"Berkas terlalu besar: paling besar {BATAS_UNGGAH_MB} MB.")
    f.seek(0)
    kepala = f.read(1024)
    # %PDF- may follow a few junk bytes in a valid file; readers look within the first 1024 bytes.
    if b"%PDF-" not in kepala:
        raise UnggahanDitolak("Berkas ini bukan PDF. Unggah berkas PDF dokumen yang ingin diperiksa.")
    f.seek(0)
    return f.read(BATAS_UNGGAH_MB * 1024 * 1024 + 1)


def periksa_unggahan(f: IO[bytes], ukuran: int) -> HasilUnggahan:
    """Check an uploaded PDF: is it a signed file Kinerja issued (by its SHA-256), and is each embedded
    signature valid. Raises UnggahanDitolak for a file it does not read (too large, not a PDF)."""
    data = _baca(f, ukuran)
    sha = hashlib.sha256(data).hexdigest()
    dok = Dokumen.objects.select_related("instansi", "digantikan_oleh").filter(berkas_sha256=sha).first()
    terakhir = dok is not None
    if dok is None:
        ttd = (
            TandaTangan.objects.select_related("dokumen__instansi", "dokumen__digantikan_oleh")
            .filter(sha256_berkas=sha)
            .first()
        )
        dok = ttd.dokumen if ttd else None
    pemeriksaan = pdf.periksa(data)
    return HasilUnggahan(
        sha256=sha,
        dokumen=dok,
        terbaru=bool(dok and terakhir and dok.digantikan_oleh_id is None),
        revisi_berkas_terakhir=terakhir,
        pemeriksaan=pemeriksaan,
    )
