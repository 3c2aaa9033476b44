"""Checking an uploaded file before it is stored (bukti dukung, catatan, lampiran keberatan): file type by
content, size, name, links. The archive checks shared with the xlsx uploads are in `arsip`.

The file's *content* decides its type (magic bytes; the inside of ZIP containers for Office/ODF files) and
the extension must agree with it, so an executable renamed `.pdf` or a PNG called `.docx` is refused.
Every refusal is a `ValidationError` whose message tells the pegawai in Bahasa Indonesia what is wrong.
Pure functions over bytes and file objects; nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from kinerja.common.arsip import RASIO_WAJAR, ArsipTidakWajar, BatasArsip, check_arsip

# extension → (kind detected from content, content type served back, label for messages)
JENIS_BERKAS: dict[str, tuple[str, str, str]] = {
    "pdf": ("pdf", "application/pdf", "PDF"),
    "png": ("png", "image/png", "gambar PNG"),
    "jpg": ("jpeg", "image/jpeg", "gambar JPEG"),
    "jpeg": ("jpeg", "image/jpeg", "gambar JPEG"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "dokumen Word (DOCX)",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "lembar kerja Excel (XLSX)",
    ),
    "pptx": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "presentasi PowerPoint (PPTX)",
    ),
    "odt": ("odt", "application/vnd.oasis.opendocument.text", "dokumen OpenDocument (ODT)"),
}
LABEL_JENIS = {kind: label for kind, _, label in JENIS_BERKAS.values()}
DITERIMA = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, atau ODT"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OOXML_BAGIAN = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

# A real office document unpacks to a few MB; these bounds stop zip bombs without reading the members.
BATAS_ISI_ZIP = 200 * 1024 * 1024  # total declared uncompressed size
BATAS_RASIO_ZIP = RASIO_WAJAR  # declared uncompressed / compressed, per member bigger than 1 MB
BATAS_ANGGOTA_ZIP = 5000
BATAS_ARSIP = BatasArsip(anggota=BATAS_ANGGOTA_ZIP, isi=BATAS_ISI_ZIP, rasio=BATAS_RASIO_ZIP)
_PESAN_ARSIP = {
    "anggota": "Berkas berisi terlalu banyak bagian untuk sebuah dokumen.",
    "rasio": "Berkas terkompresi secara tidak wajar (kemungkinan zip bomb).",
    "isi": "Isi berkas setelah dibuka terlalu besar (kemungkinan zip bomb).",
}

PANJANG_NAMA = 120  # characters of a cleaned file name, extension included
PANJANG_TAUTAN = 1000  # BuktiDukung.tautan max_length


@dataclass(frozen=True)
class BerkasValid:
    nama: str  # cleaned file name, extension kept
    tipe: str  # content type to store and serve back
    ukuran: int
    sha256: str


def ukuran_tampil(n: int) -> str:
    """Bytes as Bahasa Indonesia text: "2,5 MB", "830 KB"."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def sanitise_nama(nama: str) -> str:
    """A safe file name: no directory parts, ASCII letters/digits/._- only, extension kept (lowercase)."""
    nama = re.split(r"[\\/]", nama or "")[-1]
    nama = unicodedata.normalize("NFKD", nama).encode("ascii", "ignore").decode("ascii")
    nama = nama.replace("\x00", "")
    stem, dot, ext = nama.rpartition(".")
    if not dot:
        stem, ext = nama, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem)
    stem = re.sub(r"_{2,}", "_", stem).strip("._-") or "berkas"
    stem = stem[: PANJANG_NAMA - len(ext) - 1].rstrip("._-") or "berkas"
    return f"{stem}.{ext}" if ext else stem


def _jenis_zip(f: IO[bytes]) -> str | None:
    """docx/xlsx/pptx/odt from the inside of a ZIP container; None when it is some other ZIP."""
    try:
        with zipfile.ZipFile(f) as z:
            infos = z.infolist()
            try:
                check_arsip(z, BATAS_ARSIP)
            except ArsipTidakWajar as exc:
                raise ValidationError(_PESAN_ARSIP[exc.jenis]) from None
            names = {i.filename for i in infos}
            if "mimetype" in names:
                if z.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_BAGIAN.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, ValueError):
        raise ValidationError("Berkas rusak: arsip dokumen tidak dapat dibaca.") from None
    return None


def jenis_dari_isi(f: IO[bytes]) -> str | None:
    """The kind of file by its content: pdf, png, jpeg, docx, xlsx, pptx, odt, or None (not accepted)."""
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head.startswith(b"#!"):
        raise ValidationError(
            "Berkas ini adalah program (executable), bukan dokumen, dan tidak boleh diunggah."
        )
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _jenis_zip(f)
        f.seek(0)
        return kind
    return None


def _sha256(f: IO[bytes]) -> str:
    f.seek(0)
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1024 * 1024), b""):
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def validate_berkas(f: IO[bytes], nama_asli: str, ukuran: int, batas_mb: int) -> BerkasValid:
    """Check an uploaded file; returns its cleaned name, content type, size and sha256.

    Raises ValidationError naming the problem: empty, too big, not an accepted type, an executable,
    extension not matching the content, broken or suspicious archive.
    """
    nama = sanitise_nama(nama_asli)
    ext = nama.rpartition(".")[2].lower() if "." in nama else ""
    if ukuran <= 0:
        raise ValidationError(f"Berkas \u201c{nama}\u201d kosong (0 byte). Pilih berkas yang berisi.")
    batas = batas_mb * 1024 * 1024
    if ukuran > batas:
        raise ValidationError(
            f"Ukuran berkas \u201c{nama}\u201d {ukuran_tampil(ukuran)} melebihi batas {batas_mb} MB. "
            "Perkecil berkas (misalnya kompres PDF atau gambar) lalu unggah lagi."
        )
    try:
        kind = jenis_dari_isi(f)
    except ValidationError as exc:  # name the file: several may be uploaded at once
        raise ValidationError(f"\u201c{nama}\u201d: {' '.join(exc.messages)}") from None
    if ext not in JENIS_BERKAS:
        tampil = f".{ext}" if ext else "tanpa ekstensi"
        raise ValidationError(f"Jenis berkas {tampil} tidak diterima. Unggah berkas {DITERIMA}.")
    diharapkan, tipe, label = JENIS_BERKAS[ext]
    if kind is None:
        raise ValidationError(
            f"Isi berkas \u201c{nama}\u201d bukan {label} yang sah, walaupun namanya berakhiran .{ext}. "
            f"Unggah berkas {DITERIMA} yang asli."
        )
    if kind != diharapkan:
        raise ValidationError(
            f"Ekstensi .{ext} tidak sesuai dengan isi berkas \u201c{nama}\u201d, yang berupa "
            f"{LABEL_JENIS[kind]}. Ganti ekstensinya atau unggah berkas yang benar."
        )
    return BerkasValid(nama=nama, tipe=tipe, ukuran=ukuran, sha256=_sha256(f))


def validate_tautan(tautan: str) -> str:
    """An http(s) link, stripped; anything else (javascript:, file:, ftp:, data:, ...) is refused."""
    tautan = (tautan or "").strip()
    if not tautan:
        raise ValidationError("Isi tautan bukti dukung.")
    if len(tautan) > PANJANG_TAUTAN:
        raise ValidationError(f"Tautan terlalu panjang ({len(tautan)} karakter; maksimal {PANJANG_TAUTAN}).")
    skema = urlsplit(tautan).scheme.lower()
    if skema not in ("http", "https"):
        raise ValidationError(
            "Tautan harus diawali http:// atau https:// (misalnya https://drive.example.go.id/...)"
            + (f"; skema \u201c{skema}:\u201d tidak diizinkan." if skema else ".")
        )
    try:
        URLValidator(schemes=["http", "https"])(tautan)
    except ValidationError:
        raise ValidationError("Tautan tidak valid. Salin alamat lengkapnya dari peramban.") from None
    return tautan
