"""The capaian kinerja organisasi page: who sees which units and may set them, the suggestion fragment
(no thresholds → no suggestion, with a hint for the admin), the re-run notice after ratings exist, the
bulk "who sets it" against the service's rule, and a flat query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import UnitKerja, User
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi
from kinerja.permissions.penilaian import may_set_capaian_unit
from kinerja.rules.types import Rating
from tests.penilaian.conftest import (
    BAWAHAN_KABID,
    FUNGSIONAL,
    KABID,
    KBMP,
    KEPALA,
    nilai_semua,
    skp_of,
    tw,
    user_of,
)

pytestmark = pytest.mark.django_db

URL = "/penilaian/capaian-organisasi/"
SARAN = "/penilaian/capaian-organisasi/saran/"
AMBANG = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}


def client_of(nip: str) -> Client:
    c = Client()
    c.force_login(user_of(nip))
    return c


def admin_client(username: str = "admin") -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def unit(instansi, kode: str) -> UnitKerja:  # type: ignore[no-untyped-def]
    return UnitKerja.objects.get(instansi=instansi, kode=kode)


def clients() -> dict[str, object]:
    return {
        "kepala": lambda: client_of(KEPALA),
        "penilai": lambda: client_of(KABID),
        "penilai_lain": lambda: client_of(KBMP),
        "pegawai": lambda: client_of(FUNGSIONAL),
        "admin": admin_client,
        "admin_lain": lambda: admin_client("admin-lain"),
        "anonim": Client,
    }


def test_the_head_sees_the_units_below_with_a_form(demo_instansi):
    r = client_of(KEPALA).get(URL, {"periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    for kode in ("SEKR", "BMP", "BPK", "BPKP"):
        assert f'id="unit-{unit(demo_instansi, kode).pk}"' in html
    # Not the top unit he heads (its capaian becomes his own rating), nor those the Sekretaris sets.
    for kode in ("BKPSDM", "SUBUM", "SUBPK"):
        assert f'id="unit-{unit(demo_instansi, kode).pk}"' not in html
    assert html.count('name="nilai"') == 4 and 'name="ppk_nomor"' not in html
    assert "Akhir (tahunan)" in html
    assert "Instansi belum menetapkan ambang saran capaian organisasi" in html


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("kepala", 200),
        ("penilai", 200),  # the kabid heads a unit without units below: an empty state
        ("penilai_lain", 200),
        ("pegawai", 403),
        ("admin", 200),
        ("admin_lain", 200),  # their own instansi (no periode yet), nothing of the demo
        ("anonim", 302),
    ],
)
def test_page_permissions(demo_instansi, other_instansi, siapa, status):
    r = clients()[siapa]().get(URL, {"periode": "1"})
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        bpkp = f'id="unit-{unit(demo_instansi, "BPKP").pk}"'
        assert (bpkp in html) is (siapa in ("kepala", "admin"))
    if siapa == "penilai":
        assert "Tidak ada unit kerja yang capaian organisasinya Anda tetapkan" in r.content.decode()


def test_admin_sees_every_unit_with_the_form_only_for_the_top_unit(demo_instansi):
    html = admin_client().get(URL, {"periode": "1"}).content.decode()
    assert all(f'id="unit-{u.pk}"' in html for u in UnitKerja.objects.filter(instansi=demo_instansi))
    assert html.count('name="nilai"') == 1  # every other unit has a head above it
    assert "Ditetapkan oleh Dr. Hendra Gunawan" in html
    assert 'href="/organisasi/pengaturan/"' in html  # the hint for the thresholds


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("kepala", 302),
        ("penilai", 403),
        ("penilai_lain", 403),
        ("pegawai", 403),
        ("admin", 403),
        ("admin_lain", 404),
        ("anonim", 302),
    ],
)
def test_setting_permissions(demo_instansi, other_instansi, siapa, status):
    bpkp = unit(demo_instansi, "BPKP")
    r = clients()[siapa]().post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "baik", "catatan": "TW I"})
    assert r.status_code == status
    assert CapaianOrganisasiUnit.objects.filter(unit=bpkp).exists() is (siapa == "kepala")


def test_setting_records_value_note_who_and_when(demo_instansi):
    c = client_of(KEPALA)
    bpkp = unit(demo_instansi, "BPKP")
    r = c.post(
        URL, {"unit": bpkp.pk, "periode": "akhir", "nilai": "istimewa", "catatan": "Semua IKU tercapai"}
    )
    assert r.status_code == 302 and "periode=akhir" in r["Location"]
    obj = CapaianOrganisasiUnit.objects.get(unit=bpkp)
    assert obj.periode_penilaian is None and obj.nilai == "istimewa" and obj.catatan == "Semua IKU tercapai"
    html = c.get(r["Location"]).content.decode()
    assert "Istimewa" in html and "Semua IKU tercapai" in html and "Ditetapkan Dr. Hendra Gunawan" in html
    assert "Pemeriksaan dijalankan ulang" not in html  # nobody rated yet


def test_the_admin_sets_the_top_unit_recording_the_ppks_decision(demo_instansi):
    top = unit(demo_instansi, "BKPSDM")
    c = admin_client()
    html = c.get(URL, {"periode": "1"}).content.decode()
    assert html.count('name="ppk_nomor"') == 1  # only on the top unit's form
    data = {"unit": top.pk, "periode": "1", "nilai": "baik", "catatan": ""}
    r = c.post(URL, {**data, "ppk_pejabat": "Bupati Contoh", "ppk_nomor": "800/7", "ppk_tanggal": ""})
    assert r.status_code == 400 and "Isi tanggal keputusan PPK." in r.content.decode()
    assert 'value="800/7"' in r.content.decode()  # what was typed is kept
    assert not CapaianOrganisasiUnit.objects.filter(unit=top).exists()
    r = c.post(
        URL, {**data, "ppk_pejabat": "Bupati Contoh", "ppk_nomor": "800/7", "ppk_tanggal": "2026-01-05"}
    )
    assert r.status_code == 302
    obj = CapaianOrganisasiUnit.objects.get(unit=top)
    assert (obj.nilai, obj.ppk_nomor, obj.ppk_tanggal) == ("baik", "800/7", datetime.date(2026, 1, 5))
    html = c.get(r["Location"]).content.decode()
    assert "Atas keputusan PPK Bupati Contoh nomor 800/7 tanggal 5 Januari 2026" in html


def test_the_instansi_head_cannot_post_his_own_top_unit(demo_instansi):
    top = unit(demo_instansi, "BKPSDM")
    r = client_of(KEPALA).post(URL, {"unit": top.pk, "periode": "1", "nilai": "istimewa", "catatan": ""})
    assert r.status_code == 403
    assert not CapaianOrganisasiUnit.objects.filter(unit=top).exists()


def test_a_bad_value_is_refused_on_the_row(demo_instansi):
    bpkp = unit(demo_instansi, "BPKP")
    r = client_of(KEPALA).post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "luar_biasa", "catatan": "x"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Capaian kinerja organisasi tidak dikenal" in html
    assert ">x</textarea>" in html  # the note typed is kept
    assert not CapaianOrganisasiUnit.objects.exists()


def test_changing_after_ratings_links_the_affected_groups(demo_instansi, siap):
    kabid = user_of(KABID)
    for nip in BAWAHAN_KABID[:2]:
        services.set_rating(nilai_semua(siap(nip), kabid, Rating.SESUAI, Rating.SESUAI), kabid)
    c = client_of(KEPALA)
    bpkp = unit(demo_instansi, "BPKP")
    c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "baik", "catatan": ""})
    r = c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "istimewa", "catatan": "Direvisi"})
    html = c.get(r["Location"]).content.decode()
    assert "Pemeriksaan dijalankan ulang" in html
    penilai = skp_of(KABID).pegawai
    assert f"/penilaian/kelompok/?periode=1&amp;unit={bpkp.pk}&amp;penilai={penilai.pk}" in html
    assert "2 pegawai dinilai; pola distribusi" in html


def test_changing_a_heads_unit_links_the_heads_group(demo_instansi, siap):
    """The kabid heads BPKP: her rating hasil kerja follows its capaian, so her group (the kepala's) is
    listed too."""
    ev = siap(KABID)  # opened by the kepala, her penilai
    assert ev.unit_dipimpin_id == unit(demo_instansi, "BPKP").pk
    kepala = user_of(KEPALA)
    bpkp = unit(demo_instansi, "BPKP")
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "baik", "", kepala)
    services.set_rating(nilai_semua(Evaluasi.objects.get(pk=ev.pk), kepala, "sesuai", "sesuai"), kepala)
    c = client_of(KEPALA)
    r = c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "istimewa", "catatan": ""})
    html = c.get(r["Location"]).content.decode()
    assert "rating hasil kerja pimpinan unit" in html
    assert Evaluasi.objects.get(pk=ev.pk).rating_hasil == "diatas"  # Istimewa → Diatas Ekspektasi


# --- the suggestion -------------------------------------------------------------------------------------


def test_no_thresholds_no_suggestion_and_a_hint_for_the_admin(demo_instansi):
    top = unit(demo_instansi, "BKPSDM")
    r = admin_client().get(SARAN, {"unit": top.pk, "periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tidak ada saran" in html and "Pengaturan instansi" in html
    r = client_of(KEPALA).get(SARAN, {"unit": unit(demo_instansi, "BPKP").pk, "periode": "1"})
    assert "Tidak ada saran" in r.content.decode() and "Pengaturan instansi" not in r.content.decode()


def test_with_thresholds_the_rows_load_a_suggestion(demo_instansi):
    demo_instansi.ambang_capaian_organisasi = AMBANG
    demo_instansi.save()
    c = client_of(KEPALA)
    bpkp = unit(demo_instansi, "BPKP")
    html = c.get(URL, {"periode": "1"}).content.decode()
    assert f'hx-get="{SARAN}?unit={bpkp.pk}&amp;periode=1"' in html
    r = c.get(SARAN, {"unit": bpkp.pk, "periode": "1"})
    assert r.status_code == 200
    saran = services.saran_capaian_organisasi(bpkp, tw(skp_of(KABID), 1))
    assert saran.alasan in r.content.decode()


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("kepala", 200),
        ("penilai", 403),
        ("pegawai", 403),
        ("admin", 200),
        ("admin_lain", 403),
        ("anonim", 302),
    ],
)
def test_suggestion_permissions(demo_instansi, other_instansi, siapa, status):
    r = clients()[siapa]().get(SARAN, {"unit": unit(demo_instansi, "BPKP").pk, "periode": "1"})
    assert r.status_code == status


# --- who sets it, in bulk -------------------------------------------------------------------------------


def test_bulk_rule_matches_the_service_for_every_user_and_unit(demo_instansi, other_instansi):
    pilihan = sk.select_periode(demo_instansi, "1")
    units = list(UnitKerja.objects.filter(instansi=demo_instansi).order_by("path"))
    penetap = sk.penetap_capaian(units, sk.pimpinan_semua_unit(demo_instansi, pilihan.tanggal))
    users = list(User.objects.select_related("pegawai").all())
    assert len(users) > 30
    for u in units:
        for user in users:
            assert penetap[u.pk].boleh(user, demo_instansi.pk) == may_set_capaian_unit(
                user, u, pilihan.tanggal
            ), (u.kode, user.username)


def test_query_count_is_flat_in_the_number_of_units(demo_instansi):
    from kinerja.organisasi import services as org_services

    c = admin_client()

    def hitung() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL, {"periode": "1"}).status_code == 200
        return len(ctx.captured_queries)

    sedikit = hitung()
    induk = unit(demo_instansi, "BMP")
    for i in range(8):
        org_services.save_unit_kerja(
            UnitKerja(instansi=demo_instansi),
            instansi=demo_instansi,
            kode=f"X{i}",
            nama=f"Seksi {i}",
            parent=induk,
        )
    banyak = hitung()
    assert banyak == sedikit
