"""Perjanjian Kinerja through the pages: create, add rows with htmx, the approval workflow per role.

Cast (tests/builders.py), built once: the kepala Hendra Gunawan (top unit, no penilai) → the kabid Ratna
Sari Dewi (Bidang Uji) → a pelaksana, the admin, and a sekretaris heading the Sekretariat and, as PLT, the
Bidang Pengembangan Kompetensi. Runs on a fresh 2027 periode (nothing planned in it yet).
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.organisasi.models import Pegawai, Periode, UnitKerja
from kinerja.perencanaan.models import LogAlur, ManualIndikator, PerjanjianKinerja, SasaranStrategis
from tests import builders as b

pytestmark = pytest.mark.django_db

TAHUN = 2027
HTMX = {"HTTP_HX_REQUEST": "true"}


def _bangun() -> tuple[b.Tim, Pegawai]:
    tim = b.atasan_dan_bawahan(kepala={"nama": "Hendra Gunawan"}, atasan={"nama": "Ratna Sari Dewi"})
    b.PeriodeFactory(instansi=tim.instansi, tahun=TAHUN)
    sekretaris = b.kabid_lain(tim, "Sekretariat")
    bidang = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Pengembangan Kompetensi")
    jabatan = b.JabatanFactory(
        unit=bidang,
        nama="Kepala Bidang Pengembangan Kompetensi",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    b.PenempatanFactory(pegawai=sekretaris, jabatan=jabatan, jenis="plt")
    return tim, sekretaris


_pemeran, tim = b.pemeran_modul(_bangun, "tim", modul="_pemeran", segarkan=lambda p: p[0].segar())


@pytest.fixture
def periode(tim) -> Periode:
    return Periode.objects.get(instansi=tim.instansi, tahun=TAHUN)


@pytest.fixture
def client_for(tim):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that member of the cast."""
    users = {
        "kepala": tim.kepala.user,
        "kabid": tim.atasan.user,
        "pelaksana": tim.bawahan.user,
        "admin": tim.admin,
    }
    return lambda role: b.klien(users[role])


def _rencana_unit(client: Client, unit: UnitKerja, n: int = 1) -> tuple[SasaranStrategis, ManualIndikator]:
    """Peta strategi and Manual IKU of a unit, written through the pages by `client` (head or admin)."""
    r = client.post(
        reverse("rencana:sasaran_create", args=[unit.pk]) + f"?tahun={TAHUN}",
        {"perspektif": "proses_bisnis", "kode": f"SS{n}", "nama": "Meningkatnya kualitas manajemen kinerja"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    sasaran = SasaranStrategis.objects.get(unit=unit, tahun=TAHUN, kode=f"SS{n}")
    r = client.post(
        reverse("rencana:manual_create", args=[unit.pk]) + f"?tahun={TAHUN}",
        {
            "jenis": "iku",
            "sasaran": sasaran.pk,
            "kode": f"IKU{n}",
            "nama": "Persentase SKP disetujui tepat waktu",
            "satuan": "%",
            "polaritas": "maximize",
            "konsolidasi": "last",
            "periode_pelaporan": "Triwulanan",
            "target_tahun": "95",
            "target_1": "95",
            "target_2": "95",
            "target_3": "95",
            "target_4": "95",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return sasaran, ManualIndikator.objects.get(unit=unit, tahun=TAHUN, kode=f"IKU{n}")


def _buat_pk(client: Client, unit: UnitKerja) -> PerjanjianKinerja:
    r = client.post(reverse("rencana:pk_create"), {"unit": unit.pk, "tahun": TAHUN})
    pk = PerjanjianKinerja.objects.get(unit=unit, periode__tahun=TAHUN)
    assert r.status_code == 302 and r["Location"] == reverse("rencana:pk_detail", args=[pk.pk])
    return pk


def _aksi(client: Client, pk: PerjanjianKinerja, aksi: str, catatan: str = "") -> PerjanjianKinerja:
    r = client.post(reverse("rencana:pk_aksi", args=[pk.pk]), {"aksi": aksi, "catatan": catatan})
    assert r.status_code in (302, 403)
    pk.refresh_from_db()
    pk._status_code = r.status_code
    return pk


def test_kepala_pk_is_approved_by_the_admin_since_the_kepala_has_no_penilai(client_for, periode, tim):
    kepala, admin = client_for("kepala"), client_for("admin")
    unit = tim.unit
    sasaran, manual = _rencana_unit(kepala, unit)
    pk = _buat_pk(kepala, unit)
    assert pk.penyetuju is None and pk.status == "draft"

    r = kepala.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran.pk, "manual": manual.pk, "target_tahun": "95"},
        **HTMX,
    )
    assert r.status_code == 200 and r["HX-Retarget"] == "#pk-isi"
    assert "Persentase SKP disetujui tepat waktu" in r.content.decode()
    assert pk.indikator.get().target_tahun == Decimal(95)

    html = kepala.get(reverse("rencana:pk_detail", args=[pk.pk])).content.decode()
    assert "PIHAK PERTAMA" in html and "PIHAK KEDUA" in html
    assert "Hendra Gunawan" in html and "dicatat oleh admin kepegawaian" in html
    assert 'value="ajukan"' in html and 'value="setujui"' not in html

    assert _aksi(kepala, pk, "ajukan").status == "diajukan"
    assert _aksi(kepala, pk, "setujui")._status_code == 403  # the owner does not approve himself
    html = admin.get(reverse("rencana:pk_detail", args=[pk.pk])).content.decode()
    assert 'value="setujui"' in html and 'value="kembalikan"' in html and 'value="ajukan"' not in html
    pk = _aksi(admin, pk, "setujui")
    assert pk.status == "disetujui" and pk.disetujui_oleh == tim.admin
    assert list(LogAlur.objects.filter(perjanjian=pk).order_by("pk").values_list("aksi", flat=True)) == [
        "buat",
        "ajukan",
        "setujui",
    ]
    html = kepala.get(reverse("rencana:pk_detail", args=[pk.pk])).content.decode()
    assert "Disetujui" in html and 'value="ajukan_perubahan"' in html
    assert 'id="pk-form"' not in html  # approved: read-only


def test_kabid_pk_is_approved_by_the_kepala_with_return_and_note(client_for, periode, tim):
    kabid, kepala, admin = client_for("kabid"), client_for("kepala"), client_for("admin")
    unit = tim.bidang
    sasaran, manual = _rencana_unit(kabid, unit)
    pk = _buat_pk(kabid, unit)
    assert pk.penyetuju == tim.kepala
    kabid.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran.pk, "manual": manual.pk, "target_tahun": "90"},
    )
    assert _aksi(kabid, pk, "ajukan").status == "diajukan"
    assert _aksi(admin, pk, "setujui")._status_code == 403  # the Kabid has a penilai: the admin is not it

    # Returning needs a note: without one nothing changes and the page says why.
    r = kepala.post(
        reverse("rencana:pk_aksi", args=[pk.pk]), {"aksi": "kembalikan", "catatan": " "}, follow=True
    )
    assert "wajib disertai catatan" in r.content.decode()
    pk.refresh_from_db()
    assert pk.status == "diajukan"
    pk = _aksi(kepala, pk, "kembalikan", "Target terlalu rendah.")
    assert pk.status == "dikembalikan" and pk.catatan_pengembalian == "Target terlalu rendah."
    html = kabid.get(reverse("rencana:pk_detail", args=[pk.pk])).content.decode()
    assert "Target terlalu rendah." in html and 'id="pk-form"' in html  # editable again

    item = pk.indikator.get()
    r = kabid.post(reverse("rencana:pk_indikator_delete", args=[item.pk]), **HTMX)
    assert r.status_code == 200 and not pk.indikator.exists()
    kabid.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran.pk, "manual": manual.pk, "target_tahun": "100"},
    )
    assert _aksi(kabid, pk, "ajukan").status == "diajukan"
    pk = _aksi(kepala, pk, "setujui")
    assert pk.status == "disetujui" and pk.disetujui_oleh == tim.kepala.user
    pk = _aksi(kabid, pk, "ajukan_perubahan")
    assert pk.status == "draft" and pk.revisi == 2


def test_only_the_head_or_the_admin_writes_the_plan_of_a_unit(client_for, periode, tim):
    kabid, pelaksana, kepala = client_for("kabid"), client_for("pelaksana"), client_for("kepala")
    unit = tim.bidang
    sasaran, manual = _rencana_unit(client_for("admin"), unit)
    url = reverse("rencana:sasaran_create", args=[unit.pk]) + f"?tahun={TAHUN}"
    assert pelaksana.get(url).status_code == 403
    assert pelaksana.post(url, {"perspektif": "anggaran", "kode": "X", "nama": "X"}).status_code == 403
    assert kepala.get(url).status_code == 403  # the head of the parent unit does not write this unit's plan
    assert pelaksana.get(reverse("rencana:manual_edit", args=[manual.pk])).status_code == 403
    assert pelaksana.post(reverse("rencana:pk_create"), {"unit": unit.pk, "tahun": TAHUN}).status_code == 403
    pk = _buat_pk(kabid, unit)
    add = reverse("rencana:pk_indikator_add", args=[pk.pk])
    data = {"sasaran": sasaran.pk, "manual": manual.pk, "target_tahun": "1"}
    assert pelaksana.post(add, data).status_code == 403
    assert pelaksana.get(reverse("rencana:pk_indikator_form", args=[pk.pk])).status_code == 403
    assert _aksi(pelaksana, pk, "ajukan")._status_code == 403
    # ...but every pegawai of the instansi reads it, without edit controls.
    html = pelaksana.get(reverse("rencana:pk_detail", args=[pk.pk])).content.decode()
    assert "Ratna Sari Dewi" in html and 'id="pk-form"' not in html and 'name="aksi"' not in html
    html = pelaksana.get(reverse("rencana:pk_list") + f"?tahun={TAHUN}").content.decode()
    assert "Bidang Uji" in html and "Buat Perjanjian Kinerja" not in html


def test_pk_list_offers_creation_to_the_head_of_each_unit_only(client_for, periode, _pemeran):
    url = reverse("rencana:pk_list") + f"?tahun={TAHUN}"
    admin_html = client_for("admin").get(url).content.decode()
    assert admin_html.count("Buat Perjanjian Kinerja") == 4  # every unit has a head (one PLT)
    kabid_html = client_for("kabid").get(url).content.decode()
    assert kabid_html.count("Buat Perjanjian Kinerja") == 1
    assert "Buat Perjanjian Kinerja Bidang Uji" in kabid_html
    # The Sekretaris heads the Sekretariat and, as PLT, the Bidang Pengembangan Kompetensi.
    sekretaris = b.klien(_pemeran[1].user)
    html = sekretaris.get(url).content.decode()
    assert html.count("Buat Perjanjian Kinerja") == 2
    assert "Buat Perjanjian Kinerja Bidang Pengembangan Kompetensi" in html


def test_pk_row_form_offers_the_iku_of_the_chosen_sasaran_with_its_target(client_for, periode, tim):
    kabid = client_for("kabid")
    unit = tim.bidang
    sasaran, manual = _rencana_unit(kabid, unit, 1)
    sasaran2, manual2 = _rencana_unit(kabid, unit, 2)
    pk = _buat_pk(kabid, unit)
    url = reverse("rencana:pk_indikator_form", args=[pk.pk])
    r = kabid.get(url, {"sasaran": sasaran2.pk}, HTTP_HX_TRIGGER_NAME="sasaran", **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith('<form id="pk-form"')
    pilihan_iku = html[html.index('name="manual"') : html.index("</select>", html.index('name="manual"'))]
    assert f'value="{manual2.pk}" selected' in pilihan_iku and f'value="{manual.pk}"' not in pilihan_iku
    assert 'name="target_tahun" value="95"' in html
    # No sasaran yet: no IKU to choose.
    html = kabid.get(url, **HTMX).content.decode()
    assert "pilih sasaran dahulu" in html
    # An IKU of another sasaran is refused at the field.
    r = kabid.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran.pk, "manual": manual2.pk, "target_tahun": "5"},
        **HTMX,
    )
    assert r.status_code == 200 and "errorlist" in r.content.decode() and not pk.indikator.exists()
    # Once in the Perjanjian Kinerja, an IKU is not offered again.
    kabid.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran2.pk, "manual": manual2.pk, "target_tahun": "95"},
    )
    html = kabid.get(url, {"sasaran": sasaran2.pk}, HTTP_HX_TRIGGER_NAME="sasaran", **HTMX).content.decode()
    pilihan_iku = html[html.index('name="manual"') : html.index("</select>", html.index('name="manual"'))]
    assert f'value="{manual2.pk}"' not in pilihan_iku


def test_another_instansi_cannot_read_or_touch_the_plan(client_for, periode, tim):
    unit = tim.unit
    sasaran, manual = _rencana_unit(client_for("kepala"), unit)
    pk = _buat_pk(client_for("kepala"), unit)
    lain = b.klien(b.admin_instansi(b.InstansiFactory()))
    assert lain.get(reverse("rencana:pk_detail", args=[pk.pk])).status_code == 403
    assert lain.get(reverse("rencana:peta_strategi", args=[unit.pk])).status_code == 403
    assert lain.get(reverse("rencana:manual_detail", args=[manual.pk])).status_code == 403
    assert lain.get(reverse("rencana:manual_list", args=[unit.pk])).status_code == 403
    assert lain.post(reverse("rencana:pk_aksi", args=[pk.pk]), {"aksi": "ajukan"}).status_code == 403
    assert lain.post(reverse("rencana:pk_create"), {"unit": unit.pk, "tahun": TAHUN}).status_code == 404
    r = lain.post(
        reverse("rencana:pk_indikator_add", args=[pk.pk]),
        {"sasaran": sasaran.pk, "manual": manual.pk, "target_tahun": "1"},
    )
    assert r.status_code == 403 and not pk.indikator.exists()
    assert lain.get(reverse("rencana:pohon") + f"?unit={unit.pk}").status_code == 404
    # Their own (empty) instansi still works: no periode yet.
    assert "Belum ada periode kinerja" in lain.get(reverse("rencana:pk_list")).content.decode()
