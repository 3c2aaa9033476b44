"""A demo certificate authority and a signer certificate for each pegawai, so the demo can sign documents
(docs/rules.md §29.2). Never for production: an instansi signs with BSrE or its own CA's certificates."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kinerja.dokumen.models import PengaturanTtd, SertifikatTtd
from kinerja.dokumen.ttd import ca_demo
from kinerja.dokumen.ttd.pengaturan.services import subjek_penerbit
from kinerja.organisasi.models import Instansi, User

PASSPHRASE_DEMO = "kinerja-demo"
#: The CA certificate, trusted by the verification (every .pem in TTD_AKAR_DIR is a root).
BERKAS_CA = "kinerja-demo-ca.pem"
#: The CA's private key: in a sub-folder, which the trusted-roots reader does not look into. Demo only.
BERKAS_KUNCI = Path("demo-ca") / "kinerja-demo-ca-kunci.pem"


def _muat_atau_buat_ca(folder: Path) -> tuple[ca_demo.Ca, bool]:
    """The demo CA kept in ``folder`` (created when missing); True when it was created now."""
    jalur_ca, jalur_kunci = folder / BERKAS_CA, folder / BERKAS_KUNCI
    if jalur_ca.is_file() and jalur_kunci.is_file():
        sert = x509.load_pem_x509_certificate(jalur_ca.read_bytes())
        kunci = serialization.load_pem_private_key(jalur_kunci.read_bytes(), password=None)
        if isinstance(kunci, rsa.RSAPrivateKey) and sert.not_valid_after_utc > timezone.now():
            return ca_demo.Ca(sert, kunci), False
    ca = ca_demo.buat_ca()
    jalur_kunci.parent.mkdir(parents=True, exist_ok=True)
    jalur_kunci.write_bytes(
        ca.kunci.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    os.chmod(jalur_kunci, 0o600)
    jalur_ca.write_bytes(ca.pem)
    return ca, True


class Command(BaseCommand):
    help = (
        "KHUSUS DEMO: buat (atau pakai lagi) CA demo, tulis sertifikatnya ke KINERJA_TTD_AKAR (kunci CA "
        "disimpan di sub-folder demo-ca/ di sana, tanpa enkripsi: jangan dipakai di produksi), terbitkan "
        "sertifikat PKCS#12 untuk setiap pegawai aktif yang punya akun (atau NIP tertentu) dan aktifkan "
        "penyedia 'sertifikat' untuk instansi itu. Idempoten: pegawai yang sudah punya sertifikat demo yang "
        "berlaku dilewati."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--instansi", help="kode instansi (boleh kosong bila hanya ada satu instansi)")
        parser.add_argument("--passphrase", default=PASSPHRASE_DEMO, help="passphrase semua sertifikat demo")
        parser.add_argument("nip", nargs="*", help="hanya pegawai dengan NIP ini")

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = self._instansi(options["instansi"])
        folder = Path(settings.TTD_AKAR_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        ca, baru = _muat_atau_buat_ca(folder)
        _, penerbit = subjek_penerbit(ca.sertifikat)
        pengguna = User.objects.filter(
            pegawai__instansi=instansi, pegawai__aktif=True, is_active=True
        ).select_related("pegawai")
        if options["nip"]:
            pengguna = pengguna.filter(pegawai__nip__in=options["nip"])
        sekarang = timezone.now()
        with transaction.atomic():
            if baru:  # certificates of an earlier demo CA no longer chain to a trusted root
                SertifikatTtd.objects.filter(instansi=instansi, penerbit=penerbit, aktif=True).update(
                    aktif=False
                )
            sudah = set(
                SertifikatTtd.objects.filter(
                    instansi=instansi, penerbit=penerbit, aktif=True, berlaku_sampai__gt=sekarang
                ).values_list("pengguna_id", flat=True)
            )
            dibuat = 0
            for user in pengguna.order_by("pegawai__nip"):
                if user.pk in sudah:
                    continue
                peg = user.pegawai
                assert peg is not None
                p12 = ca_demo.buat_p12(
                    ca, peg.nama_lengkap, options["passphrase"], nomor=peg.nip, organisasi=instansi.nama
                )
                _, sert, _ = pkcs12.load_key_and_certificates(p12, options["passphrase"].encode())
                assert sert is not None
                subjek, _ = subjek_penerbit(sert)
                SertifikatTtd.objects.create(
                    instansi=instansi,
                    pengguna=user,
                    p12=p12,
                    subjek=subjek,
                    penerbit=penerbit,
                    nomor_seri=format(sert.serial_number, "x")[:64],
                    sidik_jari=sert.fingerprint(hashes.SHA256()).hex(),
                    berlaku_mulai=sert.not_valid_before_utc,
                    berlaku_sampai=sert.not_valid_after_utc,
                )
                dibuat += 1
            atur = PengaturanTtd.objects.filter(instansi=instansi).first() or PengaturanTtd(instansi=instansi)
            if atur.penyedia != PengaturanTtd.Penyedia.SERTIFIKAT or not atur.lokasi:
                atur.penyedia = PengaturanTtd.Penyedia.SERTIFIKAT
                atur.lokasi = atur.lokasi or instansi.kota
                atur.save()
        tampil = PASSPHRASE_DEMO if options["passphrase"] == PASSPHRASE_DEMO else "yang diberikan"
        self.stdout.write(
            f"CA demo {'dibuat' if baru else 'dipakai lagi'} ({folder / BERKAS_CA}); {dibuat} sertifikat "
            f"baru untuk {instansi.nama} (passphrase: {tampil})."
        )

    def _instansi(self, kode: str | None) -> Instansi:
        if kode:
            instansi = Instansi.objects.filter(kode=kode).first()
            if instansi is None:
                raise CommandError(f"Tidak ada instansi dengan kode {kode}.")
            return instansi
        semua = list(Instansi.objects.order_by("pk")[:2])
        if len(semua) != 1:
            raise CommandError("Sebutkan --instansi KODE (ada lebih dari satu instansi, atau belum ada).")
        return semua[0]
