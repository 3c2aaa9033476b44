"""The admin's writes on the instansi's electronic-signature settings and its signers' certificates
(docs/rules.md §29.2). Secrets: the gateway password is stored encrypted only; a certificate's passphrase
opens the PKCS#12 once, here, and is never stored, logged or put in a message."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.common.rahasia import sandikan
from kinerja.dokumen.models import PengaturanTtd, SertifikatTtd
from kinerja.dokumen.ttd import pdf
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.permissions import require

#: A PKCS#12 is a few KB; anything much larger is not one.
UKURAN_P12_MAKS = 64 * 1024
_HOST_LOKAL = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class IsianPengaturan:
    penyedia: str
    bsre_url: str = ""
    bsre_versi: str = PengaturanTtd.VersiBsre.V2
    bsre_pengguna: str = ""
    #: Empty keeps the stored password.
    bsre_sandi: str = ""
    tsa_url: str = ""
    lokasi: str = ""


def _wajib_https(url: str, bidang: str, label: str) -> dict[str, str]:
    """https is required for a gateway or TSA (secrets and signed hashes travel there), except a local
    test service."""
    if not url:
        return {}
    bagian = urlsplit(url)
    if bagian.scheme == "https" or (bagian.scheme == "http" and bagian.hostname in _HOST_LOKAL):
        return {}
    return {bidang: f"{label} harus memakai https:// (kecuali layanan uji di 127.0.0.1/localhost)."}


def simpan_pengaturan(oleh: User, instansi: Instansi, isian: IsianPengaturan) -> PengaturanTtd:
    """Save the instansi's signing settings (audited in the model's history; the password is excluded
    from the history and stored encrypted)."""
    require(oleh, "dokumen.manage_ttd", instansi)
    with transaction.atomic():
        atur = PengaturanTtd.objects.select_for_update().filter(instansi=instansi).first()
        atur = atur or PengaturanTtd(instansi=instansi)
        if isian.penyedia not in PengaturanTtd.Penyedia.values:
            raise ValidationError({"penyedia": "Pilih penyedia tanda tangan yang tersedia."})
        if isian.bsre_versi not in PengaturanTtd.VersiBsre.values:
            raise ValidationError({"bsre_versi": "Pilih versi API BSrE v1 atau v2."})
        galat = {
            **_wajib_https(isian.bsre_url, "bsre_url", "Alamat layanan BSrE"),
            **_wajib_https(isian.tsa_url, "tsa_url", "Alamat TSA"),
        }
        if isian.penyedia == PengaturanTtd.Penyedia.BSRE:
            if not isian.bsre_url:
                galat.setdefault("bsre_url", "Alamat layanan BSrE wajib diisi bila penyedia BSrE dipilih.")
            if not isian.bsre_pengguna:
                galat["bsre_pengguna"] = "Pengguna aplikasi BSrE wajib diisi bila penyedia BSrE dipilih."
            if not isian.bsre_sandi and not atur.bsre_sandi:
                galat["bsre_sandi"] = "Kata sandi aplikasi BSrE wajib diisi bila penyedia BSrE dipilih."
        if galat:
            raise ValidationError(galat)
        atur.penyedia = isian.penyedia
        atur.bsre_url = isian.bsre_url
        atur.bsre_versi = isian.bsre_versi
        atur.bsre_pengguna = isian.bsre_pengguna
        if isian.bsre_sandi:
            atur.bsre_sandi = sandikan(isian.bsre_sandi)
        atur.tsa_url = isian.tsa_url
        atur.lokasi = isian.lokasi or instansi.kota
        atur.diubah_oleh = oleh
        atur._history_user = oleh  # type: ignore[attr-defined]
        atur.save()
    return atur


def subjek_penerbit(sert: x509.Certificate) -> tuple[str, str]:
    """How a certificate is shown: its full subject in words (name, organisation, NIP in serialNumber)
    and its issuer's common name, as the verification names it (`pdf.nama_penerbit`)."""
    asn1 = asn1_x509.Certificate.load(sert.public_bytes(serialization.Encoding.DER))
    return asn1.subject.human_friendly[:300], pdf.nama_penerbit(asn1)[:300]


def daftarkan_sertifikat(
    oleh: User, instansi: Instansi, nip: str, p12: bytes, passphrase: str
) -> SertifikatTtd:
    """Register a signer's PKCS#12 for a pegawai of the instansi. The passphrase only checks that the
    file opens; the certificate must be valid today and not registered already for that pegawai."""
    require(oleh, "dokumen.manage_ttd", instansi)
    nip = "".join(nip.split())
    if len(p12) > UKURAN_P12_MAKS:
        raise ValidationError({"berkas": f"Berkas terlalu besar (maksimal {UKURAN_P12_MAKS // 1024} KB)."})
    pegawai = Pegawai.objects.filter(nip=nip).select_related("user").first()
    if pegawai is None or pegawai.instansi_id != instansi.pk:
        raise ValidationError({"nip": f"Tidak ada pegawai dengan NIP {nip} di {instansi.nama}."})
    pengguna = getattr(pegawai, "user", None)
    if pengguna is None:
        raise ValidationError({"nip": f"{pegawai.nama_lengkap} belum memiliki akun untuk masuk ke Kinerja."})
    if not p12:
        raise ValidationError({"berkas": "Pilih berkas sertifikat .p12 atau .pfx."})
    sert = _buka_p12(p12, passphrase)
    sekarang = timezone.now()
    mulai, sampai = sert.not_valid_before_utc, sert.not_valid_after_utc
    if sampai <= sekarang:
        raise ValidationError(
            {"berkas": f"Sertifikat sudah kedaluwarsa sejak {timezone.localtime(sampai):%d-%m-%Y}."}
        )
    if mulai > sekarang:
        raise ValidationError(
            {"berkas": f"Sertifikat baru berlaku mulai {timezone.localtime(mulai):%d-%m-%Y %H.%M}."}
        )
    sidik = sert.fingerprint(hashes.SHA256()).hex()
    subjek, penerbit = subjek_penerbit(sert)
    with transaction.atomic():
        if SertifikatTtd.objects.filter(pengguna=pengguna, sidik_jari=sidik).exists():
            raise ValidationError({"berkas": f"Sertifikat ini sudah terdaftar untuk {pegawai.nama_lengkap}."})
        obj = SertifikatTtd(
            instansi=instansi,
            pengguna=pengguna,
            p12=p12,
            subjek=subjek,
            penerbit=penerbit,
            nomor_seri=format(sert.serial_number, "x")[:64],
            sidik_jari=sidik,
            berlaku_mulai=mulai,
            berlaku_sampai=sampai,
            dibuat_oleh=oleh,
        )
        obj._history_user = oleh  # type: ignore[attr-defined]
        obj.save()
    return obj


def _buka_p12(p12: bytes, passphrase: str) -> x509.Certificate:
    """The signer's certificate, after checking the key opens with the passphrase. Messages name the
    problem, never the passphrase."""
    try:
        kunci, sert, _ = pkcs12.load_key_and_certificates(p12, passphrase.encode())
    except ValueError:
        if not _tampak_p12(p12):
            raise ValidationError({"berkas": "Berkas bukan sertifikat PKCS#12 (.p12/.pfx)."}) from None
        pesan = "Passphrase salah: berkas sertifikat tidak dapat dibuka."
        raise ValidationError({"passphrase": pesan}) from None
    if sert is None or kunci is None:
        raise ValidationError({"berkas": "Berkas PKCS#12 tidak berisi sertifikat dan kunci penanda tangan."})
    return sert


def _tampak_p12(data: bytes) -> bool:
    """Whether the bytes parse as a PKCS#12 structure at all (so a wrong passphrase is told apart from a
    file that is not a PKCS#12)."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        pfx["version"].native  # noqa: B018 — forces the parse
        pfx["auth_safe"]["content_type"].native  # noqa: B018
    except (ValueError, TypeError, KeyError):
        return False
    return True


def nonaktifkan_sertifikat(oleh: User, sertifikat: SertifikatTtd) -> SertifikatTtd:
    """Stop a certificate from being used for new signatures (signatures already made stay valid)."""
    require(oleh, "dokumen.manage_ttd", sertifikat.instansi_id)
    with transaction.atomic():
        obj = SertifikatTtd.objects.select_for_update().get(pk=sertifikat.pk)
        if obj.aktif:
            obj.aktif = False
            obj._history_user = oleh  # type: ignore[attr-defined]
            obj.save(update_fields=["aktif"])
    return obj
