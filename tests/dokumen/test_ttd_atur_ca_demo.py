"""`manage.py buat_ca_demo`: the demo CA written as a trusted root, a certificate per pegawai that opens
with the demo passphrase, signing switched on; running it again changes nothing (docs/rules.md §29.2)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kinerja.dokumen.management.commands.buat_ca_demo import BERKAS_CA, BERKAS_KUNCI, PASSPHRASE_DEMO
from kinerja.dokumen.models import PengaturanTtd, SertifikatTtd
from kinerja.dokumen.ttd import ca_demo, pdf
from kinerja.organisasi.models import Instansi

NIP = ["197904182005012005", "199108162015031001"]

pytestmark = pytest.mark.django_db


def _jalankan(*argumen: str) -> str:
    keluar = io.StringIO()
    call_command("buat_ca_demo", *argumen, stdout=keluar)
    return keluar.getvalue()


def test_ca_demo_idempoten(demo_instansi: Instansi, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.TTD_AKAR_DIR = tmp_path / "akar"
    keluar = _jalankan("--instansi", demo_instansi.kode, *NIP)
    assert "dibuat" in keluar and "2 sertifikat" in keluar and PASSPHRASE_DEMO in keluar
    pem = (tmp_path / "akar" / BERKAS_CA).read_bytes()
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    assert (tmp_path / "akar" / BERKAS_KUNCI).stat().st_mode & 0o077 == 0
    akar = pdf.akar_tepercaya()  # the CA only: its key, in the demo sub-folder, is never read as a root
    assert len(akar) == 1 and "Common Name: Kinerja Demo CA" in akar[0].subject.human_friendly
    sert = list(SertifikatTtd.objects.filter(instansi=demo_instansi).select_related("pengguna"))
    assert sorted(s.pengguna.username for s in sert) == NIP
    for s in sert:
        cert = ca_demo.baca_p12(bytes(s.p12), PASSPHRASE_DEMO)
        assert s.pengguna.username in cert.subject.rfc4514_string() and s.aktif
        assert s.penerbit == "Kinerja Demo CA" and s.pengguna.username in s.subjek
        assert cert.issuer.public_bytes() == ca_demo_subjek(pem)
        pdf.muat_p12(bytes(s.p12), PASSPHRASE_DEMO)  # the signer opens it with the demo passphrase
    atur = PengaturanTtd.objects.get(instansi=demo_instansi)
    assert atur.penyedia == "sertifikat" and atur.lokasi == demo_instansi.kota

    keluar = _jalankan("--instansi", demo_instansi.kode, *NIP)
    assert "dipakai lagi" in keluar and "0 sertifikat" in keluar
    assert (tmp_path / "akar" / BERKAS_CA).read_bytes() == pem
    assert SertifikatTtd.objects.count() == 2

    # the CA lost: a new one, and the certificates of the old one are no longer offered for signing
    (tmp_path / "akar" / BERKAS_KUNCI).unlink()
    _jalankan("--instansi", demo_instansi.kode, NIP[0])
    assert SertifikatTtd.objects.filter(aktif=True).count() == 1
    assert (tmp_path / "akar" / BERKAS_CA).read_bytes() != pem


def ca_demo_subjek(pem: bytes) -> bytes:
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem).subject.public_bytes()


def test_instansi_wajib_bila_lebih_dari_satu(
    demo_instansi: Instansi, other_instansi: Instansi, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.TTD_AKAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--instansi"):
        _jalankan()
    with pytest.raises(CommandError, match="Tidak ada instansi dengan kode X"):
        _jalankan("--instansi", "X")
    assert not SertifikatTtd.objects.exists()
