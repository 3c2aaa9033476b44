"""Peta strategi and Manual IKU/IKI pages: who reads, who writes, validation at the field, htmx fragments.

Cast (tests/builders.py), built once: the kepala (top unit, with a sasaran and a Manual IKU of target 85)
→ the kabid (Bidang Uji) → a fungsional and a pelaksana, and the admin.
"""

import pytest
from django.urls import reverse

from kinerja.organisasi.models import User
from kinerja.perencanaan.models import ManualIndikator, SasaranStrategis
from kinerja.perencanaan.rencana_organisasi.views import _doc_url
from tests import builders as b

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _bangun() -> tuple[b.Tim, User]:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional")
    pelaksana = b.pegawai_di(
        b.JabatanFactory(
            unit=tim.bidang, nama="Pengolah Data Uji", parent=tim.atasan.penempatan.get().jabatan
        )
    )
    b.sasaran_dan_manual(tim.unit, tim.kepala.user, target=85)
    return tim, pelaksana.user


_pemeran, tim = b.pemeran_modul(_bangun, "tim", modul="_pemeran", segarkan=lambda p: p[0].segar())


@pytest.fixture
def client_for(tim, _pemeran):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that member of the cast."""
    users = {
        "admin": tim.admin,
        "kepala": tim.kepala.user,
        "kabid": tim.atasan.user,
        "fungsional": tim.bawahan.user,
        "pelaksana": b.segar(_pemeran[1]),
    }
    return lambda role: b.klien(users[role])


def _manual_data(sasaran: SasaranStrategis, **kw: str) -> dict[str, object]:
    data: dict[str, object] = {
        "jenis": "iku",
        "sasaran": sasaran.pk,
        "kode": "IKU9",
        "nama": "Jumlah rekomendasi kebijakan kinerja",
        "deskripsi": "Rekomendasi yang disampaikan kepada pimpinan.",
        "formula": "Jumlah rekomendasi yang ditandatangani",
        "satuan": "rekomendasi",
        "polaritas": "maximize",
        "konsolidasi": "sum",
        "sumber_data": "Arsip bidang",
        "periode_pelaporan": "Triwulanan",
        "target_tahun": "12",
        "target_1": "3",
        "target_2": "3",
        "target_3": "3",
        "target_4": "3",
    }
    data.update(kw)
    return data


@pytest.fixture
def sasaran_bpkp(tim) -> SasaranStrategis:
    """A sasaran of the kabid's bidang."""
    return SasaranStrategis.objects.create(
        instansi=tim.instansi,
        unit=tim.bidang,
        tahun=2026,
        perspektif="anggaran",
        kode="SSX",
        nama="Terkelolanya anggaran bidang secara akuntabel",
    )


@pytest.mark.parametrize("role", ["admin", "kepala", "kabid", "fungsional", "pelaksana"])
def test_every_pegawai_reads_the_peta_strategi_and_manual(client_for, role, tim):
    client = client_for(role)
    unit = tim.unit
    html = client.get(reverse("rencana:peta_strategi", args=[unit.pk])).content.decode()
    labels = ["Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Perspektif Anggaran"]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)  # the four bands in order, anggaran last
    manual = ManualIndikator.objects.filter(unit=unit).first()
    assert manual.nama in html
    assert client.get(reverse("rencana:manual_list", args=[unit.pk])).status_code == 200
    detail = client.get(reverse("rencana:manual_detail", args=[manual.pk])).content.decode()
    assert "Manual Indikator Kinerja Utama" in detail and "Triwulan IV" in detail
    can_edit = reverse("rencana:manual_edit", args=[manual.pk]) in detail
    assert can_edit == (role in ("admin", "kepala"))


def test_index_lands_on_the_unit_the_user_heads(client_for, tim):
    r = client_for("kabid").get(reverse("rencana:index"))
    assert r["Location"] == reverse("rencana:peta_strategi", args=[tim.bidang.pk])
    r = client_for("pelaksana").get(reverse("rencana:index") + "?halaman=manual&tahun=2026")
    assert r["Location"] == reverse("rencana:manual_list", args=[tim.unit.pk]) + "?tahun=2026"
    url = reverse("rencana:peta_strategi", args=[tim.unit.pk])
    assert client_for("admin").get(url + "?tahun=1999").status_code == 404


def test_sum_of_quarters_not_equal_to_the_year_is_an_error_at_the_field(client_for, sasaran_bpkp):
    unit = sasaran_bpkp.unit
    url = reverse("rencana:manual_create", args=[unit.pk]) + "?tahun=2026"
    r = client_for("kabid").post(url, _manual_data(sasaran_bpkp, target_4="2"))
    assert r.status_code == 200
    form = r.context["form"]
    assert "jumlah target periode harus sama dengan 12" in " ".join(form.errors["target_tahun"])
    html = r.content.decode()
    assert 'id="id_target_tahun_errors"' in html and 'aria-invalid="true"' in html
    assert not ManualIndikator.objects.filter(unit=unit, kode="IKU9").exists()
    r = client_for("kabid").post(url, _manual_data(sasaran_bpkp))
    manual = ManualIndikator.objects.get(unit=unit, kode="IKU9")
    assert r["Location"] == reverse("rencana:manual_detail", args=[manual.pk])
    assert sorted(manual.target_periode.values_list("nomor", "target")) == [(n, 3) for n in range(1, 5)]
    assert manual.tahun == 2026 and manual.instansi_id == unit.instansi_id


def test_duplicate_kode_is_refused_at_the_field(client_for, sasaran_bpkp):
    unit = sasaran_bpkp.unit
    url = reverse("rencana:manual_create", args=[unit.pk]) + "?tahun=2026"
    client_for("kabid").post(url, _manual_data(sasaran_bpkp))
    r = client_for("kabid").post(url, _manual_data(sasaran_bpkp, nama="Lain"))
    assert "sudah dipakai" in " ".join(r.context["form"].errors["kode"])


def test_manual_edit_keeps_targets_and_shows_them_without_trailing_zeros(client_for, tim):
    manual = ManualIndikator.objects.filter(unit=tim.unit).order_by("kode").first()
    html = client_for("admin").get(reverse("rencana:manual_edit", args=[manual.pk])).content.decode()
    assert f'name="target_tahun" value="{manual.target_tahun.normalize():f}"' in html
    assert "85.0000" not in html


def test_sasaran_added_inline_with_htmx_redraws_the_map(client_for, tim):
    unit = tim.bidang
    kabid = client_for("kabid")
    url = reverse("rencana:sasaran_create", args=[unit.pk]) + "?tahun=2026&perspektif=proses_bisnis"
    form = kabid.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith("<form") and 'value="proses_bisnis" selected' in form
    assert "hx-post" in form
    page = kabid.get(url).content.decode()  # without htmx: a whole page whose form posts normally
    assert "<!doctype html>" in page and "hx-post" not in page
    r = kabid.post(
        url, {"perspektif": "proses_bisnis", "kode": "SS7", "nama": "Tertibnya penilaian kinerja"}, **HTMX
    )
    assert r.status_code == 200 and r["HX-Retarget"] == "#peta" and r["HX-Reswap"] == "outerHTML"
    assert '<div id="peta">' in r.content.decode() and "Tertibnya penilaian kinerja" in r.content.decode()
    sasaran = SasaranStrategis.objects.get(unit=unit, kode="SS7")
    # An invalid edit comes back as the form, in place.
    r = kabid.post(
        reverse("rencana:sasaran_edit", args=[sasaran.pk]),
        {"perspektif": "proses_bisnis", "kode": "", "nama": "x"},
        **HTMX,
    )
    assert r.status_code == 200 and "HX-Retarget" not in r and "errorlist" in r.content.decode()
    r = kabid.post(
        reverse("rencana:sasaran_edit", args=[sasaran.pk]),
        {"perspektif": "anggaran", "kode": "SS7", "nama": "Tertibnya penilaian kinerja pegawai"},
    )
    assert r.status_code == 302
    sasaran.refresh_from_db()
    assert sasaran.perspektif == "anggaran" and sasaran.history.count() == 2


def test_another_instansi_admin_cannot_write_the_plan(sasaran_bpkp):
    lain = b.klien(b.admin_instansi(b.InstansiFactory()))
    url = reverse("rencana:sasaran_create", args=[sasaran_bpkp.unit_id]) + "?tahun=2026"
    assert lain.post(url, {"perspektif": "anggaran", "kode": "Z", "nama": "Z"}).status_code == 403
    assert lain.get(reverse("rencana:sasaran_edit", args=[sasaran_bpkp.pk])).status_code == 403
    url = reverse("rencana:manual_create", args=[sasaran_bpkp.unit_id]) + "?tahun=2026"
    assert lain.post(url, _manual_data(sasaran_bpkp)).status_code == 403
    assert not ManualIndikator.objects.filter(kode="IKU9").exists()


def test_navigation_offers_the_planning_pages(client_for):
    for role in ("admin", "pelaksana"):
        html = client_for(role).get("/").content.decode()
        assert (
            "Perencanaan" in html and reverse("rencana:pohon") in html and reverse("rencana:pk_list") in html
        )


def test_document_links_only_when_their_url_exists():
    assert _doc_url("dokumen:tidak_ada", 1) is None
    assert _doc_url("rencana:pk_detail", 1) == "/rencana/pk/1/"
