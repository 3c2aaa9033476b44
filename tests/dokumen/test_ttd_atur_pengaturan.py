"""The admin's electronic-signature settings page (docs/rules.md §29.2): who may, the validation, and the
gateway password that is stored encrypted and never shown back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kinerja.common.rahasia import buka
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd.pengaturan import services
from kinerja.organisasi.models import Instansi, User

URL = reverse("dokumen:ttd_pengaturan")
SANDI = "rahasia-Gateway-123"

pytestmark = pytest.mark.django_db


def _bsre(**lain: str) -> dict[str, str]:
    return {
        "penyedia": "bsre",
        "bsre_url": "https://esign.contoh.go.id",
        "bsre_versi": "v2",
        "bsre_pengguna": "kinerja",
        "bsre_sandi": SANDI,
        "tsa_url": "",
        "lokasi": "",
        **lain,
    }


def test_admin_membuka_dengan_lokasi_bawaan_kota(
    client_for, demo_instansi: Instansi, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    with django_assert_max_num_queries(12):
        resp = admin.get(URL)
    assert resp.status_code == 200
    teks = resp.content.decode()
    assert "Tanda tangan elektronik" in teks and "belum ada" in teks
    assert f'value="{demo_instansi.kota}"' in teks
    assert reverse("dokumen:ttd_pengaturan") in admin.get(reverse("organisasi:pengaturan")).content.decode()


@pytest.mark.parametrize("peran", ["kepala", "pelaksana"])
def test_pegawai_ditolak(client_for, peran: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(peran).get(URL).status_code == 403
    assert client_for(peran).post(URL, _bsre()).status_code == 403
    assert not PengaturanTtd.objects.exists()


def test_admin_instansi_lain_hanya_mengatur_instansinya(
    demo_instansi: Instansi, other_instansi: Instansi
) -> None:
    lain = User.objects.get(username="admin-lain")
    with pytest.raises(PermissionDenied):
        services.simpan_pengaturan(lain, demo_instansi, services.IsianPengaturan(**_bsre()))
    client = Client()
    client.force_login(lain)
    assert client.post(URL, _bsre()).status_code == 302
    assert PengaturanTtd.objects.get().instansi == other_instansi


def test_sandi_tersandi_tidak_pernah_ditampilkan(client_for, demo_instansi: Instansi) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    resp = admin.post(URL, _bsre())
    assert resp.status_code == 302
    atur = PengaturanTtd.objects.get(instansi=demo_instansi)
    assert atur.penyedia == "bsre" and atur.lokasi == demo_instansi.kota
    assert atur.bsre_sandi and SANDI not in atur.bsre_sandi and buka(atur.bsre_sandi) == SANDI
    assert atur.history.count() == 1 and atur.history.get().history_user.username == "admin"
    halaman = admin.get(URL).content.decode()
    assert SANDI not in halaman and atur.bsre_sandi not in halaman and "tersimpan" in halaman
    # blank keeps the stored password; a new one replaces it
    assert admin.post(URL, _bsre(bsre_sandi="", tsa_url="https://tsa.contoh.go.id")).status_code == 302
    atur.refresh_from_db()
    assert buka(atur.bsre_sandi) == SANDI and atur.tsa_url == "https://tsa.contoh.go.id"
    admin.post(URL, _bsre(bsre_sandi="baru"))
    atur.refresh_from_db()
    assert buka(atur.bsre_sandi) == "baru"
    # a rejected post renders no password back either
    resp = admin.post(URL, _bsre(bsre_url="http://esign.contoh.go.id", bsre_sandi=SANDI))
    assert resp.status_code == 422 and SANDI not in resp.content.decode()


@pytest.mark.parametrize(
    ("isian", "bidang", "pesan"),
    [
        ({"bsre_url": ""}, "bsre_url", "Alamat layanan BSrE wajib diisi"),
        ({"bsre_pengguna": ""}, "bsre_pengguna", "Pengguna aplikasi BSrE wajib diisi"),
        ({"bsre_sandi": ""}, "bsre_sandi", "Kata sandi aplikasi BSrE wajib diisi"),
        ({"bsre_url": "http://esign.contoh.go.id"}, "bsre_url", "harus memakai https://"),
        ({"tsa_url": "http://tsa.contoh.go.id"}, "tsa_url", "Alamat TSA harus memakai https://"),
        ({"bsre_url": "bukan alamat"}, "bsre_url", "tidak valid"),
    ],
)
def test_isian_salah(client_for, isian: dict[str, str], bidang: str, pesan: str) -> None:  # type: ignore[no-untyped-def]
    resp = client_for("admin").post(URL, _bsre(**isian))
    assert resp.status_code == 422
    assert any(pesan in e for e in resp.context["form"].errors[bidang])
    assert not PengaturanTtd.objects.exists()


def test_layanan_uji_lokal_boleh_http(demo_instansi: Instansi) -> None:
    admin = User.objects.get(username="admin")
    atur = services.simpan_pengaturan(
        admin,
        demo_instansi,
        services.IsianPengaturan(**_bsre(bsre_url="http://127.0.0.1:9000", tsa_url="http://localhost:318")),
    )
    assert atur.bsre_url == "http://127.0.0.1:9000"


def test_sertifikat_tanpa_isian_bsre(demo_instansi: Instansi) -> None:
    admin = User.objects.get(username="admin")
    atur = services.simpan_pengaturan(
        admin, demo_instansi, services.IsianPengaturan("sertifikat", lokasi="Kota X")
    )
    assert atur.penyedia == "sertifikat" and atur.lokasi == "Kota X" and atur.bsre_sandi == ""
    with pytest.raises(ValidationError):
        services.simpan_pengaturan(admin, demo_instansi, services.IsianPengaturan("lain"))


def test_uji_koneksi_bsre_dengan_gateway_palsu(client_for, demo_instansi: Instansi) -> None:  # type: ignore[no-untyped-def]
    from tests import bsre_palsu

    admin = client_for("admin")
    uji = reverse("dokumen:ttd_uji_bsre")
    pesan = admin.post(uji, follow=True).content.decode()
    assert "Pilih dan simpan penyedia BSrE lebih dulu" in pesan
    with bsre_palsu.Server() as palsu:
        isian = _bsre(bsre_url=palsu.url, bsre_pengguna=bsre_palsu.PENGGUNA, bsre_sandi=bsre_palsu.SANDI)
        assert admin.post(URL, isian).status_code == 302
        assert "Uji koneksi BSrE (pengaturan tersimpan)" in admin.get(URL).content.decode()
        assert "akun aplikasi diterima" in admin.post(uji, follow=True).content.decode()
        assert admin.post(URL, {**isian, "bsre_sandi": "sandi-keliru"}).status_code == 302
        gagal = admin.post(uji, follow=True).content.decode()
        assert "Uji koneksi BSrE gagal" in gagal and "sandi-keliru" not in gagal
    assert client_for("pelaksana").post(uji).status_code == 403
