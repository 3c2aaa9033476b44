"""Signing an issued SKP in the workflow (docs/rules.md §29.5): the slots' signers, the permission, the
frozen base, both signatures valid, nothing saved on failure, the stored file served, superseding."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from kinerja.dokumen import selectors, services
from kinerja.dokumen.models import Dokumen, PengaturanTtd, SertifikatTtd, TandaTangan
from kinerja.dokumen.ttd import ca_demo, pdf, pihak
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import GagalTtd, Kredensial
from kinerja.organisasi.models import User
from kinerja.perencanaan.models import Skp
from kinerja.permissions import allowed
from kinerja.rules.ttd import Peran

pytestmark = pytest.mark.django_db

SANDI = "rahasia-123"
DASAR = "http://testserver/"


@pytest.fixture(scope="module")
def ca() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Uji Alur")


@pytest.fixture(autouse=True)
def _berkas(settings: Any, tmp_path: Path, ca: ca_demo.Ca) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    akar = tmp_path / "akar"
    akar.mkdir()
    (akar / "ca.pem").write_bytes(ca.pem)
    settings.TTD_AKAR_DIR = str(akar)


def daftarkan_sertifikat(ca: ca_demo.Ca, user: User) -> SertifikatTtd:
    nama = user.pegawai.nama_lengkap if user.pegawai else user.username
    p12 = ca_demo.buat_p12(ca, nama, SANDI, nomor=user.pegawai.nip if user.pegawai else "")
    cert = ca_demo.baca_p12(p12, SANDI)
    return SertifikatTtd.objects.create(
        instansi_id=user.pegawai.instansi_id,
        pengguna=user,
        p12=p12,
        subjek=nama,
        penerbit="CA Uji Alur",
        nomor_seri=str(cert.serial_number),
        sidik_jari=cert.fingerprint(hashes.SHA256()).hex(),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
    )


def akar(ca: ca_demo.Ca) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(ca.sertifikat.public_bytes(serialization.Encoding.DER))]


@pytest.fixture
def siap(skp_kecil: Any, user_kecil: Any, ca: ca_demo.Ca) -> tuple[Dokumen, User, User]:
    """The fungsional's approved SKP issued, signing by certificate on, both signers registered."""
    skp = skp_kecil("fungsional")
    pegawai, penilai = user_kecil("fungsional"), user_kecil("kabid")
    PengaturanTtd.objects.create(instansi_id=skp.instansi_id, penyedia="sertifikat", lokasi="Kota Uji")
    for u in (pegawai, penilai):
        daftarkan_sertifikat(ca, u)
    dok = services.issue_skp(skp, selectors.fill_skp(skp), None)
    return dok, pegawai, penilai


def test_slots_name_the_pegawai_and_the_penilai_printed_on_the_skp(siap: Any) -> None:
    dok, pegawai, penilai = siap
    assert pihak.penanda_slot(dok) == {Peran.PEGAWAI: pegawai, Peran.PENILAI: penilai}
    assert pihak.peran_pengguna(penilai, dok) == Peran.PENILAI


def test_both_sign_and_both_signatures_validate(siap: Any, ca: ca_demo.Ca, client: Any) -> None:
    dok, pegawai, penilai = siap
    t1 = ttd_services.tanda_tangani(dok, penilai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    assert dok.status_ttd == "sebagian" and t1.peran == "penilai" and t1.nip == penilai.pegawai.nip
    assert not allowed(penilai, "dokumen.sign_dokumen", dok)  # signed already
    t2 = ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    assert dok.status_ttd == "lengkap" and t2.sha256_berkas == dok.berkas_sha256
    with dok.berkas.open("rb") as f:
        isi = f.read()
    hasil = pdf.periksa(isi, akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-penilai", "ttd-pegawai"]
    assert hasil.semua_sah
    # Each signature made its own field at its block: no unsigned field is left in the document.
    assert set(dok.kotak_ttd) == {"ttd-pegawai", "ttd-penilai"}
    pembaca = PdfFileReader(io.BytesIO(isi))
    assert [n for n, _, _ in fields.enumerate_sig_fields(pembaca, filled_status=False)] == []
    # The download now serves the stored signed file, byte for byte.
    client.force_login(pegawai)
    url = reverse("dokumen:skp_pdf", args=[dok.objek_id])
    r = client.get(url)
    assert r.status_code == 200 and r.content == isi
    r = client.get(url + "?kertas=f4")
    assert r.content == isi


def test_stranger_and_other_instansi_admin_may_not_sign(
    siap: Any, user_kecil: Any, other_instansi: Any
) -> None:
    dok, _, _ = siap
    for orang in (user_kecil("pelaksana"), user_kecil("kepala"), user_kecil("admin")):
        assert not allowed(orang, "dokumen.sign_dokumen", dok)
        with pytest.raises(PermissionDenied):
            ttd_services.tanda_tangani(dok, orang, Kredensial(passphrase=SANDI), DASAR)
    assert not allowed(User.objects.get(username="admin-lain"), "dokumen.sign_dokumen", dok)
    assert not TandaTangan.objects.filter(dokumen=dok).exists()


def test_signing_off_for_the_instansi_nobody_signs(siap: Any) -> None:
    dok, pegawai, _ = siap
    atur = PengaturanTtd.objects.get(instansi_id=dok.instansi_id)
    atur.penyedia = "nonaktif"
    atur.save()
    assert not allowed(pegawai, "dokumen.sign_dokumen", dok)


def test_wrong_passphrase_saves_nothing(siap: Any) -> None:
    dok, pegawai, _ = siap
    with pytest.raises(GagalTtd) as exc:
        ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase="salah"), DASAR)
    assert "Passphrase salah" in exc.value.pesan and "salah" not in repr(Kredensial(passphrase="salah"))
    dok.refresh_from_db()
    assert not dok.berkas and dok.status_ttd == "belum"
    assert not TandaTangan.objects.filter(dokumen=dok).exists()


def test_changed_source_is_refused(siap: Any) -> None:
    dok, pegawai, _ = siap
    Dokumen.objects.filter(pk=dok.pk).update(sha256="0" * 64)
    dok.refresh_from_db()
    with pytest.raises(GagalTtd, match="cetak ulang"):
        ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase=SANDI), DASAR)


def test_an_approved_revision_supersedes_the_signed_document(siap: Any) -> None:
    dok, pegawai, penilai = siap
    ttd_services.tanda_tangani(dok, penilai, Kredensial(passphrase=SANDI), DASAR)
    skp = Skp.objects.get(pk=dok.objek_id)
    # A later approved revision of the same SKP (the workflow's own steps are tested in tests/perencanaan).
    isi = selectors.fill_skp(skp)
    baru_isi = selectors.Isi(
        isi.data, "f" * 64, isi.revisi + 1, isi.status, datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    )
    baru = services.issue_skp(skp, baru_isi, None)
    dok.refresh_from_db()
    assert dok.digantikan_oleh == baru
    assert dok.digantikan_alasan.startswith(f"SKP direvisi: revisi {baru.revisi} disetujui")
    assert not allowed(pegawai, "dokumen.sign_dokumen", dok)
