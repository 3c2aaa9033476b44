"""PAdES with pyHanko: signature fields at the document's signature blocks, a local signature with a
PKCS#12, and the validation of every signature embedded in a PDF (docs/rules.md §29).

The templates mark each signature block with an element whose id is ``ttd-<peran>``; WeasyPrint reports
where it laid that element out (``Page.anchors``, CSS pixels from the top left), and the field is created
there in PDF points from the lower left. Every signature is an incremental update: the earlier revisions,
and the earlier signatures over them, stay byte for byte.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from weasyprint.document import Document

from kinerja.dokumen.ttd.penyedia import GagalTtd, Hasil, Kotak

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Element ids of the signature blocks in the document templates start with this.
AWALAN_ID = "ttd-"
#: CSS pixel → PDF point.
_PT = 0.75

GAYA_TAMPILAN = TextStampStyle(
    stamp_text="Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s",
    text_box_style=TextBoxStyle(font_size=7),
    border_width=1,
    timestamp_format="%d-%m-%Y %H:%M:%S %Z",
)


def _di_luar_loop(fungsi: Callable[[], T]) -> T:
    """pyHanko runs its coroutines with ``asyncio.run()``, which refuses to start inside a running event
    loop (an ASGI server; a process also driving a browser): there it runs on a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fungsi()
    with ThreadPoolExecutor(max_workers=1) as pelaksana:
        return pelaksana.submit(fungsi).result()


def kotak_tanda_tangan(dokumen: Document) -> dict[str, Kotak]:
    """The signature blocks WeasyPrint laid out: field name (the element id) → page and box."""
    hasil: dict[str, Kotak] = {}
    for indeks, halaman in enumerate(dokumen.pages):
        for nama, (x1, y1, x2, y2) in halaman.anchors.items():
            if nama.startswith(AWALAN_ID) and nama not in hasil:
                tinggi = halaman.height
                hasil[nama] = Kotak(
                    indeks,
                    (
                        round(x1 * _PT),
                        round((tinggi - y2) * _PT),
                        round(x2 * _PT),
                        round((tinggi - y1) * _PT),
                    ),
                )
    return hasil


def siapkan_field(pdf: bytes, kotak: Mapping[str, Kotak]) -> bytes:
    """The PDF with an empty signature field per block (one incremental update before any signature)."""
    penulis = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for nama, k in kotak.items():
        fields.append_signature_field(penulis, fields.SigFieldSpec(nama, on_page=k.halaman, box=k.kotak))
    keluar = io.BytesIO()
    penulis.write(keluar)
    return keluar.getvalue()


def nama_subjek(cert: asn1_x509.Certificate) -> str:
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def nama_penerbit(cert: asn1_x509.Certificate) -> str:
    return str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly)


def _cek_masa_berlaku(cert: asn1_x509.Certificate, sekarang: datetime.datetime) -> None:
    mulai, sampai = (
        cert["tbs_certificate"]["validity"]["not_before"].native,
        cert["tbs_certificate"]["validity"]["not_after"].native,
    )
    if sekarang > sampai:
        raise GagalTtd(
            f"Sertifikat elektronik Anda kedaluwarsa sejak {sampai:%d-%m-%Y}. "
            "Minta sertifikat baru kepada admin kepegawaian."
        )
    if sekarang < mulai:
        raise GagalTtd(f"Sertifikat elektronik Anda baru berlaku mulai {mulai:%d-%m-%Y}.")


def muat_p12(p12: bytes, passphrase: str) -> signers.SimpleSigner:
    """The signer in a PKCS#12; GagalTtd when the passphrase does not open it."""
    if not passphrase:
        raise GagalTtd("Passphrase wajib diisi.")
    try:
        penanda = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=passphrase.encode())
    except (ValueError, TypeError) as exc:
        raise GagalTtd("Passphrase salah: sertifikat elektronik tidak dapat dibuka.") from exc
    if penanda.signing_cert is None:
        raise GagalTtd("Berkas sertifikat tidak berisi sertifikat penanda tangan.")
    return penanda


def tanda_tangani_p12(
    pdf: bytes,
    penanda: signers.SimpleSigner,
    field: str,
    alasan: str,
    lokasi: str,
    tsa_url: str = "",
    sekarang: datetime.datetime | None = None,
    kotak: Kotak | None = None,
) -> Hasil:
    """Sign ``field`` of ``pdf`` with a loaded PKCS#12 signer (PAdES baseline; a timestamp when a TSA is
    configured). A field missing from the PDF is created at ``kotak``."""
    cert = penanda.signing_cert
    assert cert is not None
    _cek_masa_berlaku(cert, sekarang or datetime.datetime.now(datetime.UTC))
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        reason=alasan,
        location=lokasi or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = HTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None
    keluar = io.BytesIO()
    try:
        baru = fields.SigFieldSpec(field, on_page=kotak.halaman, box=kotak.kotak) if kotak else None
        penanda_pdf = signers.PdfSigner(
            meta, signer=penanda, stamp_style=GAYA_TAMPILAN, timestamper=timestamper, new_field_spec=baru
        )
        _di_luar_loop(lambda: penanda_pdf.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=keluar))
    except PdfReadError as exc:
        raise GagalTtd("Berkas PDF dokumen tidak dapat dibaca untuk ditandatangani.") from exc
    except (OSError, TimeoutError) as exc:  # the TSA did not answer
        raise GagalTtd(
            "Layanan stempel waktu (TSA) tidak dapat dihubungi; coba lagi.", sementara=True
        ) from exc
    return Hasil(keluar.getvalue(), nama_subjek(cert), nama_penerbit(cert), str(cert.serial_number))


# --- validation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilPeriksa:
    """One embedded signature as a reader should see it."""

    field: str
    nama: str
    penerbit: str
    nomor_seri: str
    waktu: datetime.datetime | None
    alasan: str
    #: The signed bytes are unchanged and the signature matches them.
    utuh: bool
    #: The certificate chains to a trusted root (docs/rules.md §29.4).
    terpercaya: bool
    #: Nothing but later signatures (form filling) was added after this signature.
    tanpa_perubahan_lain: bool
    bertanda_waktu: bool

    @property
    def sah(self) -> bool:
        return self.utuh and self.terpercaya and self.tanpa_perubahan_lain

    @property
    def keterangan(self) -> str:
        if not self.utuh:
            return "Tidak sah: isi dokumen telah diubah setelah ditandatangani"
        if not self.tanpa_perubahan_lain:
            return "Tidak sah: ada perubahan selain tanda tangan setelah tanda tangan ini"
        if not self.terpercaya:
            return "Utuh, tetapi sertifikat penanda tangan tidak berasal dari penerbit tepercaya"
        return "Sah: dokumen utuh sejak ditandatangani"


@dataclass(frozen=True)
class Pemeriksaan:
    tanda_tangan: tuple[HasilPeriksa, ...]
    #: Set when the file is not a readable PDF (the other fields are then empty).
    galat: str = ""

    @property
    def semua_sah(self) -> bool:
        return bool(self.tanda_tangan) and not self.galat and all(t.sah for t in self.tanda_tangan)


def _baca_akar(jalur: Iterable[Path]) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem

    akar: list[asn1_x509.Certificate] = []
    for berkas in jalur:
        try:
            data = berkas.read_bytes()
        except OSError:
            continue
        if pem.detect(data):
            akar.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
        else:
            akar.append(asn1_x509.Certificate.load(data))
    return akar


def akar_tepercaya() -> list[asn1_x509.Certificate]:
    """The trusted roots: every .pem/.crt/.cer in ``settings.TTD_AKAR_DIR`` (the BSrE roots an instansi
    installs, the demo CA that ``buat_ca_demo`` writes)."""
    folder = Path(settings.TTD_AKAR_DIR)
    if not folder.is_dir():
        return []
    return _baca_akar(sorted(p for p in folder.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer"}))


def periksa(pdf: bytes, akar: list[asn1_x509.Certificate] | None = None) -> Pemeriksaan:
    """Validate every signature embedded in ``pdf`` against ``akar`` (default: akar_tepercaya()). Offline:
    no revocation fetching (docs/rules.md §29.4)."""
    konteks = ValidationContext(
        trust_roots=akar if akar is not None else akar_tepercaya(), allow_fetching=False
    )
    try:
        pembaca = PdfFileReader(io.BytesIO(pdf), strict=False)
        tertanam = list(pembaca.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.info("PDF tidak terbaca saat pemeriksaan tanda tangan: %s", type(exc).__name__)
        return Pemeriksaan((), "Berkas bukan PDF yang dapat dibaca.")
    hasil = []
    for ttd in tertanam:
        try:
            status = _di_luar_loop(lambda ttd=ttd: validate_pdf_signature(ttd, konteks))
        except Exception as exc:  # noqa: BLE001 — a malformed signature is a finding, not a crash
            log.info("Tanda tangan %s tidak dapat diperiksa: %s", ttd.field_name, type(exc).__name__)
            hasil.append(HasilPeriksa(ttd.field_name or "", "", "", "", None, "", False, False, False, False))
            continue
        cert = status.signing_cert
        tambahan = status.modification_level is None or status.modification_level.name in {
            "NONE",
            "LTA_UPDATES",
            "FORM_FILLING",
        }
        alasan = ttd.sig_object.get("/Reason")
        hasil.append(
            HasilPeriksa(
                field=ttd.field_name or "",
                nama=nama_subjek(cert),
                penerbit=nama_penerbit(cert),
                nomor_seri=str(cert.serial_number),
                waktu=status.timestamp_validity.timestamp
                if status.timestamp_validity
                else status.signer_reported_dt,
                alasan=str(alasan) if alasan is not None else "",
                utuh=bool(status.intact and status.valid),
                terpercaya=bool(status.trusted),
                tanpa_perubahan_lain=bool(tambahan and status.docmdp_ok is not False),
                bertanda_waktu=status.timestamp_validity is not None,
            )
        )
    return Pemeriksaan(tuple(hasil))
