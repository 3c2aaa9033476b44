"""Registering the signers' certificates (docs/rules.md §29.2): each bad upload is refused with its own
message, the passphrase is never stored, and only the instansi's admin may."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.dokumen.models import SertifikatTtd
from kinerja.dokumen.ttd import ca_demo
from kinerja.dokumen.ttd.pengaturan import services
from kinerja.organisasi.models import Instansi, User

URL = reverse("dokumen:ttd_sertifikat")
FRASA = "frasa-Rahasia-9"
NIP_KABID = "197904182005012005"
NIP_LAIN = "198001012005011001"  # other_instansi's pegawai

pytestmark = pytest.mark.django_db


def _mulai() -> datetime.datetime:
    """Two days before the suite's clock (tests/conftest.py runs Django's clock from WAKTU_UJI)."""
    return timezone.now() - datetime.timedelta(days=2)


@pytest.fixture(scope="module")
def ca() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Uji Atur")


@pytest.fixture(scope="module")
def p12(ca: ca_demo.Ca) -> bytes:
    return ca_demo.buat_p12(ca, "Kabid Uji", FRASA, nomor=NIP_KABID, mulai=_mulai())


def _unggah(client: Client, data: bytes, nip: str = NIP_KABID, frasa: str = FRASA, nama: str = "a.p12"):  # type: ignore[no-untyped-def]
    return client.post(URL, {"nip": nip, "passphrase": frasa, "berkas": SimpleUploadedFile(nama, data)})


def test_unggah_dan_nonaktifkan(client_for, p12: bytes, demo_instansi: Instansi) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    resp = _unggah(admin, p12, nip="1979 0418 2005 012005")
    assert resp.status_code == 302
    sert = SertifikatTtd.objects.get()
    assert sert.instansi == demo_instansi and sert.pengguna.username == NIP_KABID and sert.aktif
    assert "Kabid Uji" in sert.subjek and "CA Uji Atur" in sert.penerbit and len(sert.sidik_jari) == 64
    assert bytes(sert.p12) == p12
    # the passphrase is in no column of the row nor its history
    for nilai in [*SertifikatTtd.objects.values_list().get(), *sert.history.values_list().get()]:
        assert FRASA not in str(nilai)
    halaman = admin.get(URL).content.decode()
    assert "Kabid Uji" in halaman and "CA Uji Atur" in halaman and FRASA not in halaman
    assert admin.post(reverse("dokumen:ttd_sertifikat_nonaktif", args=[sert.pk])).status_code == 302
    sert.refresh_from_db()
    assert not sert.aktif and sert.history.count() == 2


@pytest.fixture
def ca_lain() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Lain")


@pytest.mark.parametrize(
    ("kasus", "bidang", "pesan"),
    [
        ("frasa_salah", "passphrase", "Passphrase salah"),
        ("bukan_p12", "berkas", "bukan sertifikat PKCS#12"),
        ("kedaluwarsa", "berkas", "sudah kedaluwarsa sejak"),
        ("belum_berlaku", "berkas", "baru berlaku mulai"),
        ("instansi_lain", "nip", "Tidak ada pegawai dengan NIP 198001012005011001 di"),
        ("nip_tak_dikenal", "nip", "Tidak ada pegawai dengan NIP 123"),
        ("terlalu_besar", "berkas", "terlalu besar"),
    ],
)
def test_unggahan_salah(  # type: ignore[no-untyped-def]
    client_for, ca: ca_demo.Ca, p12: bytes, other_instansi: Instansi, kasus: str, bidang: str, pesan: str
) -> None:
    sekarang = timezone.now()
    data, nip, frasa = p12, NIP_KABID, FRASA
    if kasus == "frasa_salah":
        frasa = "frasa-Keliru-7"
    elif kasus == "bukan_p12":
        data = b"%PDF-1.7 bukan sertifikat"
    elif kasus == "kedaluwarsa":
        data = ca_demo.buat_p12(ca, "Lama", FRASA, mulai=sekarang - datetime.timedelta(days=400), hari=30)
    elif kasus == "belum_berlaku":
        data = ca_demo.buat_p12(ca, "Nanti", FRASA, mulai=sekarang + datetime.timedelta(days=5))
    elif kasus == "instansi_lain":
        nip = NIP_LAIN
    elif kasus == "nip_tak_dikenal":
        nip = "123"
    else:
        data = p12 + b"\0" * services.UKURAN_P12_MAKS
    resp = _unggah(client_for("admin"), data, nip=nip, frasa=frasa)
    assert resp.status_code == 422
    galat = resp.context["form"].errors[bidang]
    assert any(pesan in e for e in galat), galat
    assert frasa not in resp.content.decode().replace('name="passphrase"', "")
    assert not SertifikatTtd.objects.exists()


def test_duplikat_ditolak(client_for, p12: bytes) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    assert _unggah(admin, p12).status_code == 302
    resp = _unggah(admin, p12)
    assert resp.status_code == 422
    assert "sudah terdaftar untuk" in resp.context["form"].errors["berkas"][0]
    assert SertifikatTtd.objects.count() == 1


@pytest.mark.parametrize("peran", ["kabid", "pelaksana"])
def test_pegawai_ditolak(client_for, p12: bytes, peran: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(peran)
    assert client.get(URL).status_code == 403
    assert _unggah(client, p12).status_code == 403
    assert not SertifikatTtd.objects.exists()


def test_admin_instansi_lain(
    client_for, p12: bytes, demo_instansi: Instansi, other_instansi: Instansi
) -> None:  # type: ignore[no-untyped-def]
    lain = User.objects.get(username="admin-lain")
    with pytest.raises(PermissionDenied):
        services.daftarkan_sertifikat(lain, demo_instansi, NIP_KABID, p12, FRASA)
    assert _unggah(client_for("admin"), p12).status_code == 302
    sert = SertifikatTtd.objects.get()
    with pytest.raises(PermissionDenied):
        services.nonaktifkan_sertifikat(lain, sert)
    client = Client()
    client.force_login(lain)
    assert NIP_KABID not in client.get(URL).content.decode()
    # his own instansi's page: the demo's pegawai is not his to register, the demo's certificate not his
    assert "Tidak ada pegawai" in _unggah(client, p12).context["form"].errors["nip"][0]
    assert client.post(reverse("dokumen:ttd_sertifikat_nonaktif", args=[sert.pk])).status_code == 404
    sert.refresh_from_db()
    assert sert.aktif


def test_daftar_datar_dan_akar(  # type: ignore[no-untyped-def]
    client_for, ca: ca_demo.Ca, demo_instansi: Instansi, settings, tmp_path, django_assert_max_num_queries
) -> None:
    settings.TTD_AKAR_DIR = tmp_path
    (tmp_path / "akar.pem").write_bytes(ca.sertifikat.public_bytes(serialization.Encoding.PEM))
    admin = User.objects.get(username="admin")
    pengguna = list(User.objects.filter(pegawai__instansi=demo_instansi).select_related("pegawai")[:6])
    for i, u in enumerate(pengguna):
        assert u.pegawai is not None
        data = ca_demo.buat_p12(ca, f"Penanda {i}", FRASA, nomor=u.pegawai.nip, mulai=_mulai())
        services.daftarkan_sertifikat(admin, demo_instansi, u.pegawai.nip, data, FRASA)
    client = client_for("admin")
    client.get(URL)  # the navigation bar is cached on the first page
    with django_assert_max_num_queries(12) as hitung:
        resp = client.get(URL)
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert teks.count("Nonaktifkan</button>") == 6 and "CA Uji Atur" in teks and "KINERJA_TTD_AKAR" in teks
    banyak = len(hitung.captured_queries)
    SertifikatTtd.objects.filter(pk=SertifikatTtd.objects.first().pk).delete()  # type: ignore[union-attr]
    with django_assert_max_num_queries(banyak) as lagi:
        client.get(URL)
    assert len(lagi.captured_queries) == banyak  # flat in its rows
