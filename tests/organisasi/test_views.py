"""Pages per role: who sees what, what the page says, and that nobody crosses into another instansi."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.organisasi.models import Jabatan, Pegawai, Periode, User
from tests import builders as b

pytestmark = pytest.mark.django_db

SANDI = "kinerja-demo"
PELAKSANA = "199108162099031001"  # Rahmat Hidayat


def _bangun() -> dict[str, Any]:
    """A small instansi, built once: the Kepala Badan (Hendra Gunawan) heads the root unit; the kabid (Ratna
    Sari Dewi) rates the pelaksana (Rahmat Hidayat), a colleague (Tri Wulandari) and a fungsional (Wulan
    Sari); another bidang (Mutasi dan Promosi) has its own pelaksana; a subbagian below the Sekretariat has
    Fitri Handayani (and a jabatan nobody holds). The pelaksana and the colleague sign in with `SANDI`."""
    tim = b.atasan_dan_bawahan(
        b.InstansiFactory(nama="Badan Kepegawaian Uji"),
        kepala={"nama": "Hendra Gunawan", "gelar_depan": "Dr."},
        atasan={"nama": "Ratna Sari Dewi"},
        bawahan={"nama": "Rahmat Hidayat", "nip": PELAKSANA},
    )
    j_kepala = tim.kepala.penempatan.get().jabatan
    j_atasan = tim.atasan.penempatan.get().jabatan
    rekan = b.pegawai_di(tim.bawahan.penempatan.get().jabatan, nama="Tri Wulandari")
    fungsional = b.pegawai_di(
        b.JabatanFactory(
            unit=tim.bidang, nama="Analis Uji", jenis="fungsional", jenjang="ahli_muda", parent=j_atasan
        ),
        nama="Wulan Sari",
    )
    bmp = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Mutasi dan Promosi")
    j_kabid_bmp = b.JabatanFactory(
        unit=bmp, nama="Kepala Bidang Mutasi", jenis="administrator", parent=j_kepala, pimpinan_unit=True
    )
    b.pegawai_di(j_kabid_bmp, nama="Kabid Mutasi")
    pelaksana_bmp = b.pegawai_di(b.JabatanFactory(unit=bmp, parent=j_kabid_bmp), nama="Pelaksana Mutasi")
    sekr = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Sekretariat")
    subum = b.UnitKerjaFactory(instansi=tim.instansi, parent=sekr, nama="Subbagian Umum dan Kepegawaian")
    b.pegawai_di(b.JabatanFactory(unit=subum, parent=j_kepala), nama="Fitri Handayani")
    b.JabatanFactory(unit=subum, parent=j_kepala, nama="Pengadministrasi Umum")  # nobody holds it
    for peg in (tim.bawahan, rekan):
        peg.user.set_password(SANDI)
        peg.user.save()
    return {
        "instansi": tim.instansi,
        "admin": tim.admin,
        "kepala": tim.kepala,
        "kabid": tim.atasan,
        "fungsional": fungsional,
        "pelaksana": tim.bawahan,
        "rekan": rekan,
        "pelaksana_bmp": pelaksana_bmp,
        "bidang": tim.bidang,
        "jabatan_kepala": j_kepala,
        "jabatan_kabid": j_atasan,
        "sekr": sekr,
        "subum": subum,
    }


# The cast of `_bangun`, fresh for each test.
_kantor, o = b.pemeran_modul(_bangun, "o", modul="_kantor")


@pytest.fixture
def masuk(o):  # type: ignore[no-untyped-def]
    """masuk("kabid") → a Client logged in as that member of the cast."""

    def klien(role: str) -> Client:
        return b.klien(o[role] if isinstance(o[role], User) else o[role].user)

    return klien


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


def test_anonymous_is_sent_to_login(client, o):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_with_nip_typed_with_spaces(client, o):
    response = client.post("/login/", {"username": "19910816 209903 1 001", "password": SANDI})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_says_so_in_indonesian(client, o):
    response = client.post("/login/", {"username": o["admin"].username, "password": "salah"})
    assert "kata sandi salah" in response.content.decode()


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_open_for_admin(masuk, name):
    assert masuk("admin").get(reverse(f"organisasi:{name}")).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
def test_admin_pages_are_forbidden_for_pegawai(masuk, role, name):
    assert masuk(role).get(reverse(f"organisasi:{name}")).status_code == 403


def test_dashboard_of_pelaksana_shows_penilai_and_no_admin_menu(masuk):
    html = masuk("pelaksana").get("/").content.decode()
    assert "Ratna Sari Dewi" in html  # pejabat penilai (Kabid)
    assert "Hendra Gunawan" in html  # atasan pejabat penilai (Kepala Badan)
    assert "Kepegawaian" not in html
    assert "tidak menjadi pejabat penilai" in html


def test_dashboard_of_kabid_lists_bawahan(masuk):
    html = masuk("kabid").get("/").content.decode()
    assert "Bawahan yang saya nilai" in html
    assert "Rahmat Hidayat" in html


def test_dashboard_of_admin_shows_org_summary(masuk):
    html = masuk("admin").get("/").content.decode()
    assert "Admin kepegawaian" in html
    assert "pegawai aktif" in html
    assert "jabatan kosong" in html  # the Pengadministrasi Umum of the subbagian


def test_pegawai_sees_own_page_but_not_a_colleagues(masuk, o):
    me, colleague = o["pelaksana"], o["rekan"]
    client = masuk("pelaksana")
    assert client.get(reverse("organisasi:pegawai_detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("organisasi:pegawai_detail", args=[colleague.pk])).status_code == 403


def test_atasan_sees_bawahan_down_the_chain_but_not_sideways(masuk, o):
    kepala, kabid = masuk("kepala"), masuk("kabid")
    pelaksana_bpkp, pelaksana_bmp = o["pelaksana"], o["pelaksana_bmp"]
    assert kepala.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bpkp.pk])).status_code == 200
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bpkp.pk])).status_code == 200
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[pelaksana_bmp.pk])).status_code == 403
    kepala_pegawai = o["kepala"]
    assert kabid.get(reverse("organisasi:pegawai_detail", args=[kepala_pegawai.pk])).status_code == 403


def test_admin_of_another_instansi_can_do_nothing_here(client, o, other_instansi):
    client.force_login(User.objects.get(username="admin-lain"))
    peg, unit, jab = o["pelaksana"], o["bidang"], o["jabatan_kabid"]
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


def test_pegawai_list_search_by_name_and_nip(masuk):
    client = masuk("admin")
    html = client.get(reverse("organisasi:pegawai_list"), {"q": "wulan"}).content.decode()
    assert "Tri Wulandari" in html and "Wulan Sari" in html and "Rahmat Hidayat" not in html
    html = client.get(reverse("organisasi:pegawai_list"), {"q": PELAKSANA[:8]}).content.decode()
    assert "Rahmat Hidayat" in html and "1 pegawai ditemukan" in html


def test_pegawai_list_filters_by_unit_including_subunits(masuk, o):
    sekr = o["sekr"]
    html = masuk("admin").get(reverse("organisasi:pegawai_list"), {"unit": sekr.pk}).content.decode()
    assert "Fitri Handayani" in html  # in a subbagian below the Sekretariat
    assert "Rahmat Hidayat" not in html


def test_pegawai_list_htmx_returns_only_the_results(masuk):
    response = masuk("admin").get(reverse("organisasi:pegawai_list"), {"q": "wulan"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Tri Wulandari" in html and '<nav class="navbar' not in html


def test_create_pegawai_with_bad_nip_shows_the_reason(masuk):
    response = masuk("admin").post(
        reverse("organisasi:pegawai_create"),
        {"nip": "19850315201001300", "nama": "Coba", "jenis_asn": "pns", "aktif": "on"},
    )
    assert response.status_code == 200
    assert "18 digit" in response.content.decode()
    assert not Pegawai.objects.filter(nama="Coba").exists()


def test_create_and_edit_pegawai_is_audited(masuk, o):
    client = masuk("admin")
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
    assert history[-1].history_user == o["admin"]
    assert history[-1].nama == "Siti Baru Sekali"


def test_create_jabatan_fungsional_requires_jenjang(masuk, o):
    unit = o["bidang"]
    response = masuk("admin").post(
        reverse("organisasi:jabatan_create"),
        {"kode": "BARU", "nama": "Analis Baru", "jenis": "fungsional", "jenjang": "", "unit": unit.pk},
    )
    assert "harus memiliki jenjang" in response.content.decode()
    assert not Jabatan.objects.filter(kode="BARU").exists()


def test_penempatan_form_refuses_second_definitif_holder(masuk, o):
    peg = o["rekan"]
    response = masuk("admin").post(
        reverse("organisasi:penempatan_create", args=[peg.pk]),
        {"jabatan": o["jabatan_kepala"].pk, "jenis": "definitif", "mulai": "2026-07-01"},
    )
    assert response.status_code == 200
    assert "sudah memegang jabatan definitif" in response.content.decode()


def test_periode_create_prefills_deadlines_and_edit_validates(masuk, o):
    client = masuk("admin")
    response = client.post(reverse("organisasi:periode_create"), {"tahun": 2027, "skema": "semesteran"})
    periode = Periode.objects.get(instansi=o["instansi"], tahun=2027)
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


def test_new_pegawai_gets_a_login_the_admin_can_set_a_password_for(masuk, client):
    admin = masuk("admin")
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


def test_pegawai_cannot_set_another_pegawais_password(masuk, o):
    peg = o["rekan"]
    response = masuk("kabid").post(
        reverse("organisasi:pegawai_set_password", args=[peg.pk]),
        {"password1": "rahasia-baru-123", "password2": "rahasia-baru-123"},
    )
    assert response.status_code == 403


def test_user_changes_own_password(masuk):
    client = masuk("pelaksana")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": SANDI,
            "new_password1": "sandi-baru-rahasia",
            "new_password2": "sandi-baru-rahasia",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import authenticate

    assert authenticate(username=PELAKSANA, password="sandi-baru-rahasia") is not None


def test_deactivated_pegawai_cannot_log_in(masuk, client, o):
    peg = o["rekan"]
    masuk("admin").post(
        reverse("organisasi:pegawai_edit", args=[peg.pk]),
        {"nip": peg.nip, "nama": peg.nama, "jenis_asn": "pns", "pangkat_golongan": "III/a"},
    )  # aktif unchecked
    assert not client.login(username=peg.nip, password=SANDI)


def test_superuser_switches_instansi(client, o, other_instansi):
    su = User.objects.create(username="root", is_superuser=True)
    client.force_login(su)
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": other_instansi.pk})
    html = client.get(reverse("organisasi:pegawai_list")).content.decode()
    assert "Pegawai Lain" in html and "Rahmat Hidayat" not in html
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": o["instansi"].pk})
    assert "Rahmat Hidayat" in client.get(reverse("organisasi:pegawai_list")).content.decode()


def test_only_superuser_may_switch_instansi(masuk, other_instansi):
    assert (
        masuk("admin").post(reverse("organisasi:pilih_instansi"), {"instansi": other_instansi.pk}).status_code
        == 403
    )


@pytest.mark.parametrize("name", ["pegawai_list", "jabatan_list"])
def test_unit_filter_lists_units_indented_and_keeps_the_choice(masuk, o, name):
    sub = o["subum"]
    html = masuk("admin").get(reverse(f"organisasi:{name}"), {"unit": sub.pk}).content.decode()
    assert f'<option value="{sub.pk}" selected>\u2014 \u2014 Subbagian Umum dan Kepegawaian</option>' in html
    assert ">\u2014 Bidang Mutasi dan Promosi</option>" in html


# --- the unit tree: first levels, sub-units on demand, search ---------------------------------------------


def test_unit_tree_opens_a_unit_with_its_children_rows_only(masuk, o, monkeypatch):
    from kinerja.organisasi import selectors

    monkeypatch.setattr(selectors, "POHON_BATAS", 1)  # the page renders only the top unit
    client = masuk("admin")
    html = client.get(reverse("organisasi:unit_tree")).content.decode()
    assert "Sekretariat" not in html and "Subbagian Umum dan Kepegawaian" not in html
    top = o["sekr"].parent
    assert f'hx-get="{reverse("organisasi:unit_children", args=[top.pk])}"' in html
    assert 'aria-expanded="false"' in html and 'aria-label="Sub-unit ' in html
    rows = client.get(reverse("organisasi:unit_children", args=[top.pk])).content.decode()
    assert "Sekretariat" in rows and "Bidang Mutasi dan Promosi" in rows
    assert "Subbagian Umum dan Kepegawaian" not in rows  # a grandchild: opened from the Sekretariat's row
    assert f'hx-get="{reverse("organisasi:unit_children", args=[o["sekr"].pk])}"' in rows
    assert "<html" not in rows and rows.count("<tr ") == 3  # the rows only: Bidang, BMP, Sekretariat
    rows = client.get(reverse("organisasi:unit_children", args=[o["sekr"].pk])).content.decode()
    assert "Subbagian Umum dan Kepegawaian" in rows and "Fitri Handayani" not in rows  # not its head
    assert rows.count("<tr ") == 1 and "data-pohon " not in rows  # a leaf: no button to open it


def test_unit_children_of_another_instansi_is_not_found(client, o, other_instansi):
    from kinerja.organisasi.models import UnitKerja

    client.force_login(User.objects.get(username="admin-lain"))
    assert client.get(reverse("organisasi:unit_children", args=[o["sekr"].pk])).status_code == 404
    own = UnitKerja.objects.get(instansi=other_instansi, parent=None)
    assert client.get(reverse("organisasi:unit_children", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("role", ["pelaksana", "kepala"])
def test_unit_children_is_for_the_admin_only(masuk, o, role):
    assert masuk(role).get(reverse("organisasi:unit_children", args=[o["sekr"].pk])).status_code == 403


def test_unit_tree_search_shows_matching_units_with_their_path(masuk, o):
    client = masuk("admin")
    html = client.get(reverse("organisasi:unit_tree"), {"q": "umum dan KEPEG"}).content.decode()
    top = o["sekr"].parent
    assert "1 unit cocok dengan" in html
    assert f"{top.nama} › Sekretariat</div>" in html
    assert f'href="{reverse("organisasi:unit_edit", args=[o["subum"].pk])}"' in html
    assert "Bidang Mutasi dan Promosi" not in html and "data-pohon " not in html
    html = client.get(reverse("organisasi:unit_tree"), {"q": o["subum"].kode}).content.decode()
    assert "Subbagian Umum dan Kepegawaian" in html
    html = client.get(reverse("organisasi:unit_tree"), {"q": "tidak ada unit begini"}).content.decode()
    assert "0 unit cocok" in html and "Tidak ada unit kerja yang cocok dengan pencarian." in html


def test_unit_tree_search_stays_in_the_instansi(client, o, other_instansi):
    client.force_login(User.objects.get(username="admin-lain"))
    html = client.get(reverse("organisasi:unit_tree"), {"q": "e"}).content.decode()
    assert "Dinas Lain" in html and "Sekretariat" not in html and "Bidang Mutasi" not in html


def test_pegawai_search_by_nip_prefix_keeps_to_the_prefix(masuk):
    client = masuk("admin")
    for q, found in (
        (PELAKSANA, True),
        (PELAKSANA[:16], True),
        (f"{PELAKSANA[:8]} {PELAKSANA[8:14]}", True),  # typed with a space, as printed
        (PELAKSANA[:17] + "2", False),  # the next NIP, not this one
        (PELAKSANA[:7] + "0", False),  # the prefix just before
        ("999", False),  # no upper bound: every NIP from 999…
    ):
        html = client.get(reverse("organisasi:pegawai_list"), {"q": q}).content.decode()
        assert ("Rahmat Hidayat" in html) is found, q
