"""A demo certificate authority and signer certificates, so the demo and the tests can sign (never for
production: an instansi signs with BSrE or with certificates from a real CA; docs/rules.md §29.2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

_KU_TTD = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
_KU_CA = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


@dataclass(frozen=True)
class Ca:
    sertifikat: x509.Certificate
    kunci: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.sertifikat.public_bytes(serialization.Encoding.PEM)


def _nama(cn: str, organisasi: str, serial: str = "") -> x509.Name:
    atribut = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisasi),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if serial:
        atribut.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(atribut)


def buat_ca(nama: str = "Kinerja Demo CA", organisasi: str = "Kinerja (demo, bukan untuk produksi)") -> Ca:
    kunci = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sekarang = datetime.datetime.now(datetime.UTC)
    subjek = _nama(nama, organisasi)
    sertifikat = (
        x509.CertificateBuilder()
        .subject_name(subjek)
        .issuer_name(subjek)
        .public_key(kunci.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(sekarang - datetime.timedelta(days=1))
        .not_valid_after(sekarang + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_KU_CA, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(kunci.public_key()), critical=False)
        .sign(kunci, hashes.SHA256())
    )
    return Ca(sertifikat, kunci)


def buat_p12(
    ca: Ca,
    nama: str,
    passphrase: str,
    *,
    nomor: str = "",
    organisasi: str = "Kinerja (demo)",
    mulai: datetime.datetime | None = None,
    hari: int = 365,
) -> bytes:
    """A signer's PKCS#12 (key, certificate, the CA) encrypted under ``passphrase``; ``nomor`` (NIP/NIK)
    goes in the subject's serialNumber as certificate services do."""
    kunci = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    mulai = mulai or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    sertifikat = (
        x509.CertificateBuilder()
        .subject_name(_nama(nama, organisasi, nomor))
        .issuer_name(ca.sertifikat.subject)
        .public_key(kunci.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(mulai)
        .not_valid_after(mulai + datetime.timedelta(days=hari))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_KU_TTD, critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.kunci.public_key()), critical=False
        )
        .sign(ca.kunci, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        nama.encode(),
        kunci,
        sertifikat,
        [ca.sertifikat],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def baca_p12(p12: bytes, passphrase: str) -> x509.Certificate:
    """The signer's certificate in a PKCS#12 (ValueError when the passphrase does not open it)."""
    _, sertifikat, _ = pkcs12.load_key_and_certificates(p12, passphrase.encode())
    if sertifikat is None:
        raise ValueError("PKCS#12 tanpa sertifikat")
    return sertifikat
