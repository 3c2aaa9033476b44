"""The user guide, the Bantuan link and the first-run checklist (docs/rules.md §36)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, resolve, reverse

from kinerja.dashboard.panduan import isi, selectors
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, User
from tests import builders

PERAN_DEMO = ["admin", "kepala", "kabid", "fungsional", "pelaksana"]


# --- the guide's content --------------------------------------------------------------------------------


def test_setiap_langkah_bertautan_dan_bergambar() -> None:
    kode = [langkah.kode for p in isi.PERAN.values() for langkah in p.langkah]
    assert len(kode) == len(set(kode))
    for peran in isi.PERAN.values():
        assert peran.langkah
        for langkah in peran.langkah:
            assert langkah.url.startswith("/"), langkah.kode
            assert finders.find(langkah.gambar), f"gambar {langkah.gambar} belum dibuat"
            assert 1 <= len(langkah.teks) <= 4


def test_peta_bantuan_menunjuk_halaman_dan_langkah_yang_ada() -> None:
    nama_url = {nama for nama in get_resolver().reverse_dict if isinstance(nama, str)}
    for ns, (_, resolver) in get_resolver().namespace_dict.items():
        nama_url |= {f"{ns}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    for halaman, tujuan in isi.BANTUAN.items():
        assert halaman in nama_url, halaman
        for kode in (tujuan,) if isinstance(tujuan, str) else tujuan:
            assert kode in isi.LANGKAH, (halaman, kode)


def test_tautan_bantuan_memilih_peran_pengguna() -> None:
    assert isi.tautan_bantuan("skp:saya", []) == "/panduan/pegawai/#pegawai-skp"
    menilai = "/panduan/penilai/#penilai-menilai"
    assert isi.tautan_bantuan("penilaian:index", ["penilai", "pegawai"]) == menilai
    assert isi.tautan_bantuan("penilaian:index", ["pegawai"]) == "/panduan/pegawai/#pegawai-predikat"
    assert isi.tautan_bantuan("kehadiran:saya", ["pegawai"]) == "/panduan/pegawai/"
    assert isi.tautan_bantuan("kehadiran:saya", ["admin"]) == "/panduan/admin/"
    assert isi.tautan_bantuan("panduan:mulai", ["admin"]) == "/panduan/"
    assert isi.tautan_bantuan("", []) == "/panduan/"
    # a page mapped to one step never asks for the user's roles
    tanya = lambda: pytest.fail("peran ditanya")  # noqa: E731
    assert isi.tautan_bantuan("skp:saya", tanya) == "/panduan/pegawai/#pegawai-skp"


# --- pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PERAN_DEMO)
def test_halaman_panduan_tampil_untuk_setiap_peran(client_for, role) -> None:
    client = client_for(role)
    html = client.get("/panduan/").content.decode()
    for peran in isi.PERAN.values():
        assert reverse("panduan:peran", args=[peran.kode]) in html
        halaman = client.get(reverse("panduan:peran", args=[peran.kode]))
        assert halaman.status_code == 200
        isi_halaman = halaman.content.decode()
        for langkah in peran.langkah:
            assert f'id="{langkah.kode}"' in isi_halaman
            assert f'href="{langkah.url}"' in isi_halaman
            assert langkah.gambar in isi_halaman
    assert client.get("/panduan/tidak-ada/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/panduan/", "/panduan/pegawai/", "/panduan/mulai/"])
def test_tanpa_masuk_diarahkan_ke_login(url) -> None:
    jawab = Client().get(url)
    assert jawab.status_code == 302
    assert jawab["Location"].startswith("/login/")


HALAMAN_UTAMA = [
    ("pelaksana", "skp:saya"),
    ("pelaksana", "pelaksanaan:realisasi"),
    ("pelaksana", "pelaksanaan:catatan"),
    ("pelaksana", "pelaksanaan:umpan_balik"),
    ("pelaksana", "penilaian:index"),
    ("pelaksana", "tindak_lanjut:keberatan"),
    ("pelaksana", "ttd_menunggu"),
    ("pelaksana", "dashboard:home"),
    ("kabid", "skp:persetujuan"),
    ("kabid", "pelaksanaan:papan"),
    ("kabid", "penilaian:index"),
    ("kabid", "penilaian:kelompok"),
    ("kepala", "rencana:pk_list"),
    ("kepala", "penilaian:capaian"),
    ("admin", "organisasi:unit_tree"),
    ("admin", "organisasi:impor"),
    ("admin", "organisasi:periode_list"),
    ("admin", "organisasi:pegawai_list"),
    ("admin", "tindak_lanjut:rekap"),
    ("admin", "dokumen:ttd_pengaturan"),
    ("admin", "dashboard:home"),
    ("admin", "kehadiran:kalender_kerja"),
]


@pytest.mark.parametrize(("role", "nama"), HALAMAN_UTAMA)
def test_tautan_bantuan_halaman_utama_menunjuk_bagian_yang_ada(client_for, role, nama) -> None:
    client = client_for(role)
    html = client.get(reverse(nama)).content.decode()
    cocok = re.search(r'<a [^>]*id="tautan-bantuan" href="([^"]+)"', html)
    assert cocok, f"{nama}: tanpa tautan Bantuan"
    path, _, jangkar = cocok.group(1).partition("#")
    assert resolve(path).view_name in ("panduan:peran", "panduan:index")
    panduan = client.get(path)
    assert panduan.status_code == 200
    if jangkar:
        assert f'id="{jangkar}"' in panduan.content.decode()
    elif nama in isi.BANTUAN:
        pytest.fail(f"{nama} dipetakan tetapi tautannya tanpa langkah")


@pytest.mark.django_db
def test_halaman_tanpa_masuk_tanpa_tautan_bantuan() -> None:
    assert 'id="tautan-bantuan"' not in Client().get("/login/").content.decode()


# --- the first-run checklist ----------------------------------------------------------------------------


def _keadaan(client: Client) -> dict[str, bool]:
    html = client.get("/panduan/mulai/").content.decode()
    return {k: v == "ya" for k, v in re.findall(r'id="mulai-([a-z]+)" data-selesai="(ya|tidak)"', html)}


@pytest.mark.django_db
def test_langkah_awal_berubah_dari_belum_menjadi_selesai(django_assert_max_num_queries) -> None:
    instansi = builders.InstansiFactory(kota="", alamat="")
    admin = builders.admin_instansi(instansi)
    client = builders.klien(admin)
    assert _keadaan(client) == dict.fromkeys(["kop", "organisasi", "periode", "akun", "skp"], False)
    assert 'href="/panduan/mulai/"' in client.get("/").content.decode()

    Instansi.objects.filter(pk=instansi.pk).update(alamat="Jl. Uji 1", kota="Kota Uji")
    assert _keadaan(client)["kop"] is True

    unit = builders.UnitKerjaFactory(instansi=instansi)
    jabatan = builders.JabatanFactory(unit=unit, instansi=instansi, pimpinan_unit=True)
    pegawai = builders.pegawai_di(jabatan)
    assert _keadaan(client)["organisasi"] is True

    periode = builders.PeriodeFactory(instansi=instansi, tahun=2026)
    assert _keadaan(client)["periode"] is True

    assert _keadaan(client)["akun"] is False  # a new login has no usable password
    org_services.set_password_pegawai(pegawai, "kata-sandi-uji-2026")
    assert _keadaan(client)["akun"] is True

    builders.SkpFactory(pegawai=pegawai, periode=periode)
    assert _keadaan(client) == dict.fromkeys(["kop", "organisasi", "periode", "akun", "skp"], True)
    with django_assert_max_num_queries(12):
        assert client.get("/panduan/mulai/").status_code == 200
    assert 'href="/panduan/mulai/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_superuser_melihat_langkah_nol(demo_instansi) -> None:
    # Before any instansi exists only step 0 is shown, and the dashboard links the checklist.
    assert [(lk.kode, lk.selesai) for lk in selectors.langkah_mulai(None, superuser=True)] == [
        ("instansi", False)
    ]
    assert selectors.masih_terbuka(None, None, None) is True
    su = User.objects.create(username="su", is_superuser=True, is_staff=True)
    keadaan = _keadaan(builders.klien(su))
    assert list(keadaan)[0] == "instansi"
    assert keadaan["instansi"] is True


def test_langkah_awal_hanya_untuk_admin(client_for, other_instansi) -> None:
    assert client_for("pelaksana").get("/panduan/mulai/").status_code == 403
    assert client_for("kepala").get("/panduan/mulai/").status_code == 403
    # another instansi's admin sees their own instansi, never the demo's
    lain = builders.klien(User.objects.get(username="admin-lain"))
    html = lain.get("/panduan/mulai/").content.decode()
    assert other_instansi.nama in html
    assert "Sukamaju" not in html
    demo = client_for("admin").get("/panduan/mulai/").content.decode()
    assert demo.count('data-selesai="ya"') == 5


def test_nama_url_langkah_tanpa_argumen() -> None:
    for peran in isi.PERAN.values():
        for langkah in peran.langkah:
            try:
                reverse(langkah.url_nama)
            except NoReverseMatch:  # pragma: no cover - the message names the step
                pytest.fail(f"{langkah.kode}: {langkah.url_nama} memerlukan argumen")
