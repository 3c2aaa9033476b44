"""Pages per role: who sees what, what the page says, and that nobody crosses into another instansi."""

import pytest
from django.urls import reverse

from kinerja.organisasi.models import Jabatan, Pegawai, Periode, UnitKerja

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "unit_tree",
    "unit_create",
    "jabatan_list",
    "jabatan_create",
    "pegawai_list",
    "pegawai_create",
    "periode_list",
    "periode_create",
    "impor",
]


def test_anonymous_is_sent_to_login(client, demo_instansi):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_with_nip_typed_with_spaces(client, demo_instansi):
    response = client.post("/login/", {"username": "19720514 199803 1 003", "password": "kinerja-demo"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_says_so_in_indonesian(client, demo_instansi):
    response = client.post("/login/", {"username": "admin", "password": "salah"})
    assert "kata sandi salah" in response.content.decode()


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_open_for_admin(client_for, name):
    assert client_for("admin").get(reverse(f"organisasi:{name}")).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
def test_admin_pages_are_forbidden_for_pegawai(client_for, role, name):
    assert client_for(role).get(reverse(f"organisasi:{name}")).status_code == 403


def test_dashboard_of_pelaksana_shows_penilai_and_no_admin_menu(client_for):
    html = client_for("pelaksana").get("/").content.decode()
    assert "Ratna Sari Dewi" in html  # pejabat penilai (Kabid)
    assert "Hendra Gunawan" in html  # atasan pejabat penilai (Kepala Badan)
    assert "Kepegawaian" not in html
    assert "tidak menjadi pejabat penilai" in html


def test_dashboard_of_kabid_lists_bawahan(client_for):
    html = client_for("kabid").get("/").content.decode()
    assert "Bawahan yang saya nilai" in html
    assert "Rahmat Hidayat" in html


def test_dashboard_of_admin_shows_org_summary(client_for):
    html = client_for("admin").get("/").content.decode()
    assert "Admin kepegawaian" in html
    assert "pegawai aktif" in html
    assert "jabatan kosong" in html  # Kepala Bidang Pengembangan Kompetensi has only a PLT


def test_pegawai_sees_own_page_but_not_a_colleagues(client_for):
    me = Pegawai.objects.get(nip="199108162015031001")
    colleague = Pegawai.objects.get(nip="199406222019032009")
    client = client_for("pelaksana")
    assert client.get(reverse("organisasi:pegawai_detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("organisasi:pegawai_detail", args=[colleague.pk])).status_code == 403


def test_atasan_sees_bawahan_down_the_chain_but_not_sideways(client_for):
    kepala, kabid = client_for("kepala"), client_for("kabid")
    pelaksana_bpkp = Pegawai.objects.get(nip="199108162015031001")
    pelaksana_bmp = Pegawai.objects.get(nip="199010102014031004")
    assert kepala.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bpkp.pk])).status_code == 200
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bpkp.pk])).status_code == 200
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bmp.pk])).status_code == 403
    kepala_pegawai = Pegawai.objects.get(nip="197205141998031003")
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[kepala_pegawai.pk])).status_code == 403


def test_admin_of_another_instansi_can_do_nothing_here(client, demo_instansi, other_instansi):
    from kinerja.organisasi.models import User

    client.force_login(User.objects.get(username="admin-lain"))
    peg = Pegawai.objects.get(nip="199108162015031001")
    unit = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    jab = Jabatan.objects.get(kode="KBPKP")
    assert client.get(reverse("organisasi:pegawai_detail", args=[peg.pk])).status_code == 403
    assert client.get(reverse("organisasi:pegawai_edit", args=[peg.pk])).status_code == 404
    assert client.get(reverse("organisasi:unit_edit", args=[unit.pk])).status_code == 404
    assert client.get(reverse("organisasi:jabatan_edit", args=[jab.pk])).status_code == 404
    response = client.post(
        reverse("organisasi:pegawai_edit", args=[peg.pk]), {"nip": peg.nip, "nama": "Diretas"}
    )
    assert response.status_code == 404
    assert Pegawai.objects.get(pk=peg.pk).nama == "Rahmat Hidayat"
    html = client.get(reverse("organisasi:pegawai_list")).content.decode()
    assert "Rahmat Hidayat" not in html and "Pegawai Lain" in html


def test_pegawai_list_search_by_name_and_nip(client_for):
    client = client_for("admin")
    html = client.get(reverse("organisasi:pegawai_list"), {"q": "wulan"}).content.decode()
    assert "Tri Wulandari" in html and "Wulan Sari" in html and "Rahmat Hidayat" not in html
    html = client.get(reverse("organisasi:pegawai_list"), {"q": "19910816"}).content.decode()
    assert "Rahmat Hidayat" in html and "1 pegawai ditemukan" in html


def test_pegawai_list_filters_by_unit_including_subunits(client_for, demo_instansi):
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    html = client_for("admin").get(reverse("organisasi:pegawai_list"), {"unit": sekr.pk}).content.decode()
    assert "Fitri Handayani" in html  # in a subbagian below the Sekretariat
    assert "Rahmat Hidayat" not in html


def test_pegawai_list_htmx_returns_only_the_results(client_for):
    response = client_for("admin").get(
        reverse("organisasi:pegawai_list"), {"q": "wulan"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Tri Wulandari" in html and '<nav class="navbar' not in html


def test_create_pegawai_with_bad_nip_shows_the_reason(client_for):
    response = client_for("admin").post(
        reverse("organisasi:pegawai_create"),
        {"nip": "19850315201001300", "nama": "Coba", "jenis_asn": "pns", "aktif": "on"},
    )
    assert response.status_code == 200
    assert "18 digit" in response.content.decode()
    assert not Pegawai.objects.filter(nama="Coba").exists()


def test_create_and_edit_pegawai_is_audited(client_for):
    client = client_for("admin")
    response = client.post(
        reverse("organisasi:pegawai_create"),
        {
            "nip": "19850315 201001 2 001",
            "nama": "Siti Baru",
            "jenis_asn": "pns",
            "pangkat_golongan": "III/a",
            "aktif": "on",
        },
    )
    assert response.status_code == 302
    peg = Pegawai.objects.get(nip="198503152010012001")
    client.post(
        reverse("organisasi:pegawai_edit", args=[peg.pk]),
        {
            "nip": peg.nip,
            "nama": "Siti Baru Sekali",
            "jenis_asn": "pns",
            "pangkat_golongan": "III/b",
            "aktif": "on",
        },
    )
    history = list(peg.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].history_user.username == "admin"
    assert history[-1].nama == "Siti Baru Sekali"


def test_create_jabatan_fungsional_requires_jenjang(client_for, demo_instansi):
    unit = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    response = client_for("admin").post(
        reverse("organisasi:jabatan_create"),
        {"kode": "BARU", "nama": "Analis Baru", "jenis": "fungsional", "jenjang": "", "unit": unit.pk},
    )
    assert "harus memiliki jenjang" in response.content.decode()
    assert not Jabatan.objects.filter(kode="BARU").exists()


def test_penempatan_form_refuses_second_definitif_holder(client_for):
    peg = Pegawai.objects.get(nip="199406222019032009")
    response = client_for("admin").post(
        reverse("organisasi:penempatan_create", args=[peg.pk]),
        {"jabatan": Jabatan.objects.get(kode="KABAN").pk, "jenis": "definitif", "mulai": "2026-07-01"},
    )
    assert response.status_code == 200
    assert "sudah memegang jabatan definitif" in response.content.decode()


def test_periode_create_prefills_deadlines_and_edit_validates(client_for, demo_instansi):
    client = client_for("admin")
    response = client.post(reverse("organisasi:periode_create"), {"tahun": 2027, "skema": "semesteran"})
    periode = Periode.objects.get(instansi=demo_instansi, tahun=2027)
    assert response.status_code == 302
    assert [pp.nama for pp in periode.periode_penilaian.all()] == ["Semester I", "Semester II"]
    assert str(periode.batas_skp) == "2027-01-31"
    assert str(periode.batas_evaluasi_tahunan) == "2028-01-15"
    again = client.post(reverse("organisasi:periode_create"), {"tahun": 2027, "skema": "triwulanan"})
    assert "sudah ada" in again.content.decode()
    pp = periode.periode_penilaian.first()
    data = {"batas_skp": "2027-02-15", "batas_evaluasi_tahunan": "2028-01-20"}
    for x in periode.periode_penilaian.all():
        data[f"realisasi_{x.pk}"] = str(x.batas_realisasi)
        data[f"evaluasi_{x.pk}"] = str(x.batas_evaluasi)
    data[f"realisasi_{pp.pk}"] = "2027-03-01"  # before the semester ends
    bad = client.post(reverse("organisasi:periode_detail", args=[periode.pk]), data)
    assert "Semester I: batas realisasi (1 Maret 2027) harus antara akhir periode" in bad.content.decode()
    periode.refresh_from_db()
    assert str(periode.batas_skp) == "2027-01-31"  # nothing half-saved
    data[f"realisasi_{pp.pk}"] = "2027-07-06"
    assert client.post(reverse("organisasi:periode_detail", args=[periode.pk]), data).status_code == 302
    periode.refresh_from_db()
    assert str(periode.batas_skp) == "2027-02-15"


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_new_pegawai_gets_a_login_the_admin_can_set_a_password_for(client_for, client):
    admin = client_for("admin")
    admin.post(
        reverse("organisasi:pegawai_create"),
        {"nip": "198503152010012001", "nama": "Siti Baru", "jenis_asn": "pns", "aktif": "on"},
    )
    peg = Pegawai.objects.get(nip="198503152010012001")
    assert not client.login(username=peg.nip, password="rahasia-baru-123")
    weak = admin.post(
        reverse("organisasi:pegawai_set_password", args=[peg.pk]), {"password1": "123", "password2": "123"}
    )
    assert weak.status_code == 200
    ok = admin.post(
        reverse("organisasi:pegawai_set_password", args=[peg.pk]),
        {"password1": "rahasia-baru-123", "password2": "rahasia-baru-123"},
    )
    assert ok.status_code == 302
    assert client.login(username=peg.nip, password="rahasia-baru-123")


def test_pegawai_cannot_set_another_pegawais_password(client_for):
    peg = Pegawai.objects.get(nip="199406222019032009")
    response = client_for("kabid").post(
        reverse("organisasi:pegawai_set_password", args=[peg.pk]),
        {"password1": "rahasia-baru-123", "password2": "rahasia-baru-123"},
    )
    assert response.status_code == 403


def test_user_changes_own_password(client_for):
    client = client_for("pelaksana")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "kinerja-demo",
            "new_password1": "sandi-baru-rahasia",
            "new_password2": "sandi-baru-rahasia",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import authenticate

    assert authenticate(username="199108162015031001", password="sandi-baru-rahasia") is not None


def test_deactivated_pegawai_cannot_log_in(client_for, client):
    peg = Pegawai.objects.get(nip="199406222019032009")
    client_for("admin").post(
        reverse("organisasi:pegawai_edit", args=[peg.pk]),
        {"nip": peg.nip, "nama": peg.nama, "jenis_asn": "pns", "pangkat_golongan": "III/a"},
    )  # aktif unchecked
    assert not client.login(username=peg.nip, password="kinerja-demo")


def test_superuser_switches_instansi(client, demo_instansi, other_instansi):
    from kinerja.organisasi.models import User

    su = User.objects.create(username="root", is_superuser=True)
    client.force_login(su)
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": other_instansi.pk})
    html = client.get(reverse("organisasi:pegawai_list")).content.decode()
    assert "Pegawai Lain" in html and "Rahmat Hidayat" not in html
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": demo_instansi.pk})
    assert "Rahmat Hidayat" in client.get(reverse("organisasi:pegawai_list"), {"page": 2}).content.decode()


def test_only_superuser_may_switch_instansi(client_for, other_instansi):
    assert (
        client_for("admin")
        .post(reverse("organisasi:pilih_instansi"), {"instansi": other_instansi.pk})
        .status_code
        == 403
    )


@pytest.mark.parametrize("name", ["pegawai_list", "jabatan_list"])
def test_unit_filter_lists_units_indented_and_keeps_the_choice(client_for, demo_instansi, name):
    sub = UnitKerja.objects.get(instansi=demo_instansi, kode="SUBUM")
    html = client_for("admin").get(reverse(f"organisasi:{name}"), {"unit": sub.pk}).content.decode()
    assert f'<option value="{sub.pk}" selected>\u2014 \u2014 Subbagian Umum dan Kepegawaian</option>' in html
    assert ">\u2014 Bidang Mutasi dan Promosi</option>" in html
