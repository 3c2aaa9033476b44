"""SKP pages: who may see and do what, the workflow through the pages, htmx editing, history, query counts.

Cast (tests/builders.py, built once): the kabid Ratna Sari Dewi rates the pelaksana Rahmat Hidayat
(approved SKP), Wulan Sari (a filled draft) and a fungsional, the pelaksana's peer (approved SKP); the
kepala is the top (his kuantitatif SKP is approved by the admin). A few cases about the demo's story stay on
the demo (see kinerja/demo/perencanaan.py): its NIPs end in ``_DEMO``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from kinerja.organisasi.models import User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import (
    Indikator,
    IndikatorTargetPeriode,
    LogAlur,
    PustakaEkspektasi,
    Rhk,
    Skp,
    SkpLampiran,
    SkpVersi,
)
from tests import builders as b

pytestmark = pytest.mark.django_db

# The demo's NIPs, for the few cases about the demo's story (the Kepala's SKP linked to the Perjanjian
# Kinerja, the kabid's inbox of every state, the progress of a whole instansi).
KABID_DEMO = "197904182005012005"
KEPALA_DEMO = "197205141998031003"
PELAKSANA_DEMO = "199108162015031001"
FUNGSIONAL_DEMO = "198506282010012004"
WULAN_DEMO = "199406222019032009"  # draft, rated by the kabid
HTMX = {"HTTP_HX_REQUEST": "true"}


def skp_of(nip: str) -> Skp:
    return Skp.objects.filter(pegawai__nip=nip).order_by("-mulai").first()  # type: ignore[return-value]


def user_of(nip: str) -> User:
    return User.objects.get(pegawai__nip=nip)


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _bangun() -> SimpleNamespace:
    tim = b.atasan_dan_bawahan(atasan={"nama": "Ratna Sari Dewi"}, bawahan={"nama": "Rahmat Hidayat"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan, rhk=["Tersusunnya rekap predikat kinerja", "Terlaksananya penghargaan"])
    b.skp_disetujui(tim.bawahan)
    jabatan = tim.bawahan.penempatan.get().jabatan
    fungsional = b.pegawai_di(jabatan)
    b.skp_disetujui(fungsional)
    wulan = b.pegawai_di(jabatan, nama="Wulan Sari")
    skp = b.SkpFactory(pegawai=wulan)
    rhk, _ = services.save_rhk(
        skp,
        wulan.user,
        teks="Tersusunnya rekap usulan penghargaan pegawai",
        intervensi=services.pilihan_intervensi(skp).first(),
    )
    services.save_indikator(
        rhk,
        wulan.user,
        teks="Rekap usulan tersedia tepat waktu",
        aspek="kuantitas",
        target_teks="Tersedia setiap triwulan",
        target_periode={n: "Tersedia" for n in range(1, 5)},
    )
    PustakaEkspektasi.objects.create(
        instansi=tim.instansi, kode="AK", teks="Menyampaikan laporan capaian secara jujur dan tepat waktu"
    )
    return SimpleNamespace(
        instansi=tim.instansi,
        admin=tim.admin.username,
        kepala=tim.kepala.nip,
        kabid=tim.atasan.nip,
        pelaksana=tim.bawahan.nip,
        fungsional=fungsional.nip,
        wulan=wulan.nip,
    )


# The cast's logins (NIPs, the admin's username) and their instansi.
_p, p = b.pemeran_modul(
    _bangun, "p", segarkan=lambda c: SimpleNamespace(**{**vars(c), "instansi": b.segar(c.instansi)})
)


@pytest.fixture
def owner(p) -> Client:  # type: ignore[no-untyped-def]
    """Wulan Sari, owner of the draft SKP."""
    return client_of(p.wulan)


@pytest.fixture
def kabid(p) -> Client:  # type: ignore[no-untyped-def]
    return client_of(p.kabid)


def url(name: str, *args: object) -> str:
    return reverse(f"skp:{name}", args=args)


# --- who may see ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "login,status",
    [
        ("pelaksana", 200),
        ("kabid", 200),
        ("kepala", 200),
        ("admin", 200),
        ("fungsional", 403),
        ("wulan", 403),
    ],
)
def test_skp_page_visible_to_owner_penilai_chain_and_admin_only(login, status, p):
    response = client_of(getattr(p, login)).get(url("detail", skp_of(p.pelaksana).pk))
    assert response.status_code == status
    if status == 200:
        assert "Rahmat Hidayat" in response.content.decode()


def test_admin_of_another_instansi_gets_403_on_pages_and_actions(p):
    skp = skp_of(p.wulan)
    client = client_of(b.admin_instansi(b.InstansiFactory()).username)
    assert client.get(url("detail", skp.pk)).status_code == 403
    assert client.get(url("versi", skp_of(p.pelaksana).pk, 1)).status_code == 403
    assert client.post(url("aksi", skp.pk, "setujui")).status_code == 403
    assert client.post(url("rhk_tambah", skp.pk), {"teks": "Tersusunnya apa saja"}, **HTMX).status_code == 403
    # Progress pages work on their own instansi only.
    unit = skp.unit
    assert client.get(url("progres_unit", unit.pk)).status_code == 404


def test_unknown_skp_is_404(owner):
    assert owner.get(url("detail", 999_999)).status_code == 404


def test_other_pegawai_cannot_touch_content_through_htmx_endpoints(p):
    skp = skp_of(p.wulan)
    rhk = skp.rhk.first()
    indikator = rhk.indikator.first()
    peer = client_of(p.pelaksana)
    before = (Rhk.objects.count(), Indikator.objects.count(), SkpLampiran.objects.count())
    for path, data in [
        (url("rhk_tambah", skp.pk), {"teks": "Tersusunnya laporan", "jenis": "utama"}),
        (url("rhk_ubah", skp.pk, rhk.pk), {"teks": "Tersusunnya laporan", "jenis": "utama"}),
        (url("rhk_hapus", skp.pk, rhk.pk), {}),
        (url("indikator_hapus", skp.pk, indikator.pk), {}),
        (url("lampiran_tambah", skp.pk, "dukungan"), {"dukungan-teks": "Laptop"}),
        (url("ekspektasi", skp.pk, "BP"), {"eks-BP-teks": "Ramah"}),
        (url("aksi", skp.pk, "ajukan"), {}),
    ]:
        assert peer.post(path, data, **HTMX).status_code == 403, path
    assert (Rhk.objects.count(), Indikator.objects.count(), SkpLampiran.objects.count()) == before
    assert skp_of(p.wulan).status == "draft"


# --- workflow through the pages ---------------------------------------------------------------------------


def test_owner_submits_and_cannot_approve_own_skp(owner, p):
    skp = skp_of(p.wulan)
    response = owner.post(url("aksi", skp.pk, "ajukan"), follow=True)
    assert "SKP diajukan kepada Ratna Sari Dewi" in response.content.decode()
    assert "dicatat terlambat" in response.content.decode()  # demo deadline was 31 January
    assert owner.post(url("aksi", skp.pk, "setujui")).status_code == 403
    skp.refresh_from_db()
    assert skp.status == "diajukan"
    log = LogAlur.objects.filter(skp=skp, aksi="ajukan").get()
    assert log.terlambat and log.oleh == user_of(p.wulan)


def test_penilai_cannot_edit_content(owner, kabid, p):
    skp = skp_of(p.wulan)
    rhk = skp.rhk.first()
    indikator = rhk.indikator.first()
    for path in [
        url("rhk_tambah", skp.pk),
        url("rhk_ubah", skp.pk, rhk.pk),
        url("indikator_tambah", skp.pk, rhk.pk),
        url("indikator_ubah", skp.pk, indikator.pk),
    ]:
        assert kabid.get(path, **HTMX).status_code == 403, path
        assert kabid.post(path, {"teks": "Tersusunnya sesuatu", "jenis": "utama"}, **HTMX).status_code == 403
    assert kabid.post(url("indikator_hapus", skp.pk, indikator.pk), **HTMX).status_code == 403
    assert kabid.post(url("rhk_hapus", skp.pk, rhk.pk), **HTMX).status_code == 403
    assert kabid.post(url("aksi", skp.pk, "ajukan")).status_code == 403
    page = kabid.get(url("detail", skp.pk)).content.decode()
    assert "Tambah RHK" not in page and "Tambah indikator" not in page
    assert Indikator.objects.filter(pk=indikator.pk).exists()


def test_return_needs_a_note_then_owner_sees_it(owner, kabid, p):
    skp = skp_of(p.wulan)
    owner.post(url("aksi", skp.pk, "ajukan"))
    page = kabid.get(url("detail", skp.pk)).content.decode()
    assert "Keputusan pejabat penilai" in page and "RHK saya yang diintervensi" in page

    response = kabid.post(url("aksi", skp.pk, "kembalikan"), {"catatan": "  "}, follow=True)
    assert "wajib disertai catatan" in response.content.decode()
    assert skp_of(p.wulan).status == "diajukan"

    response = kabid.post(
        url("aksi", skp.pk, "kembalikan"), {"catatan": "Tambahkan target waktu."}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("persetujuan")
    assert "dikembalikan dengan catatan" in response.content.decode()
    assert skp_of(p.wulan).status == "dikembalikan"
    for path in (url("saya"), url("detail", skp.pk)):
        page = owner.get(path).content.decode()
        assert "Tambahkan target waktu." in page and "Dikembalikan" in page


def test_admin_approving_an_skp_without_penilai_stays_on_the_skp(p):
    """The Kepala's SKP has no pejabat penilai, so the admin agrees it (docs/rules.md §10, penyetuju).

    The admin has no persetujuan page (it needs a pegawai), so the step lands back on the SKP, not on a 403.
    """
    kepala = client_of(p.kepala)
    skp = skp_of(p.kepala)
    assert skp.penilai_id is None
    kepala.post(url("aksi", skp.pk, "ajukan_perubahan"))
    kepala.post(url("aksi", skp.pk, "ajukan"))
    assert skp_of(p.kepala).status == "diajukan"

    response = client_of(p.admin).post(url("aksi", skp.pk, "setujui"), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", skp.pk)
    assert response.status_code == 200
    assert "revisi 2 disetujui" in response.content.decode()
    assert skp_of(p.kepala).status == "disetujui"


def test_owner_withdraws_a_submission(owner, p):
    skp = skp_of(p.wulan)
    owner.post(url("aksi", skp.pk, "ajukan"))
    response = owner.post(url("aksi", skp.pk, "tarik"), follow=True)
    assert "kembali menjadi draft" in response.content.decode()
    assert skp_of(p.wulan).status == "draft"


def test_approved_skp_is_read_only(owner, kabid, p):
    skp = skp_of(p.wulan)
    owner.post(url("aksi", skp.pk, "ajukan"))
    kabid.post(url("aksi", skp.pk, "setujui"))
    assert skp_of(p.wulan).status == "disetujui"
    page = owner.get(url("detail", skp.pk)).content.decode()
    assert "Disetujui oleh Ratna Sari Dewi" in page
    for control in (
        "Tambah RHK",
        "Tambah indikator",
        "rhk/tambah",
        "/hapus/",
        "Tulis ekspektasi",
        "Ajukan ke",
    ):
        assert control not in page, control
    assert "Ajukan perubahan" in page
    count = Rhk.objects.filter(skp=skp).count()
    response = owner.post(
        url("rhk_tambah", skp.pk), {"teks": "Tersusunnya laporan baru", "jenis": "utama"}, **HTMX
    )
    assert response.status_code == 200 and "Tambah RHK" not in response.content.decode()
    assert Rhk.objects.filter(skp=skp).count() == count
    # The penilai can no longer write ekspektasi either.
    assert "Tulis ekspektasi" not in kabid.get(url("detail", skp.pk)).content.decode()


def test_unknown_action_is_404(owner, p):
    assert owner.post(url("aksi", skp_of(p.wulan).pk, "hapus")).status_code == 404


def test_submit_with_missing_items_is_refused_with_the_list(owner, p):
    skp = skp_of(p.wulan)
    rhk = skp.rhk.first()
    for i in rhk.indikator.all():
        owner.post(url("indikator_hapus", skp.pk, i.pk), **HTMX)
    assert "belum memiliki indikator" in owner.get(url("saya")).content.decode()
    response = owner.post(url("aksi", skp.pk, "ajukan"), follow=True)
    assert "SKP belum dapat diajukan" in response.content.decode()
    assert skp_of(p.wulan).status == "draft"


# --- cascade and JPT rules --------------------------------------------------------------------------------


def test_intervensi_offers_only_the_penilai_rhk_and_refuses_a_foreign_one(owner, p):
    skp = skp_of(p.wulan)
    penilai_rhk = set(Rhk.objects.filter(skp__pegawai__nip=p.kabid).values_list("pk", flat=True))
    form = owner.get(url("rhk_tambah", skp.pk), **HTMX).content.decode()
    for pk in penilai_rhk:
        assert f'value="{pk}"' in form
    foreign = Rhk.objects.filter(skp__pegawai__nip=p.kepala).first()
    assert f'value="{foreign.pk}"' not in form

    count = Rhk.objects.count()
    response = owner.post(
        url("rhk_tambah", skp.pk),
        {"teks": "Tersusunnya rekap penghargaan pegawai", "jenis": "utama", "intervensi": foreign.pk},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#rhk-baru"
    assert "RHK yang diintervensi harus salah satu RHK pejabat penilai Anda." in body
    assert 'aria-invalid="true"' in body
    assert Rhk.objects.count() == count

    # RHK utama without intervensi: refused at the field too.
    response = owner.post(
        url("rhk_tambah", skp.pk), {"teks": "Tersusunnya rekap lain", "jenis": "utama"}, **HTMX
    )
    assert "wajib menyebut RHK pimpinan yang diintervensi" in response.content.decode()
    assert Rhk.objects.count() == count


def test_add_rhk_returns_the_section_with_the_wording_warning(owner, p):
    skp = skp_of(p.wulan)
    induk = Rhk.objects.filter(skp__pegawai__nip=p.kabid).first()
    response = owner.post(
        url("rhk_tambah", skp.pk),
        {"teks": "Melaksanakan rapat koordinasi penghargaan", "jenis": "utama", "intervensi": induk.pk},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="hasil-kerja"' in body
    assert 'id="masalah" hx-swap-oob="true"' in body  # the checklist follows the change
    assert "kata kerja aktivitas" in body and "melaksanakan" in body
    rhk = Rhk.objects.get(skp=skp, teks="Melaksanakan rapat koordinasi penghargaan")
    assert rhk.intervensi == induk
    assert "belum memiliki indikator" in body  # new RHK has none yet


def test_jpt_submit_without_anggaran_is_refused_with_the_message(demo_instansi):
    kepala = client_of(KEPALA_DEMO)
    skp = skp_of(KEPALA_DEMO)
    kepala.post(url("aksi", skp.pk, "ajukan_perubahan"))
    skp.refresh_from_db()
    assert skp.status == "draft" and skp.revisi == 2
    anggaran = skp.rhk.get(perspektif="anggaran")
    form = kepala.get(url("rhk_ubah", skp.pk, anggaran.pk), **HTMX).content.decode()
    assert "IKU Perjanjian Kinerja" in form and "Perspektif" in form
    response = kepala.post(
        url("rhk_ubah", skp.pk, anggaran.pk),
        {
            "teks": anggaran.teks,
            "jenis": "utama",
            "pk_indikator": anggaran.pk_indikator_id,
            "perspektif": "proses_bisnis",
        },
        **HTMX,
    )
    assert "belum ada: Perspektif Anggaran" in response.content.decode()  # checklist out-of-band
    response = kepala.post(url("aksi", skp.pk, "ajukan"), follow=True)
    assert "SKP JPT harus mencakup keempat perspektif; belum ada: Perspektif Anggaran." in (
        response.content.decode()
    )
    assert skp_of(KEPALA_DEMO).status == "draft"


# --- indikator forms --------------------------------------------------------------------------------------


def test_kualitatif_indikator_form_and_save(owner, p):
    skp = skp_of(p.wulan)
    rhk = skp.rhk.first()
    form = owner.get(url("indikator_tambah", skp.pk, rhk.pk), **HTMX).content.decode()
    assert 'name="target_teks"' in form and 'name="target_angka"' not in form
    assert "Triwulan I" in form and 'name="periode_4"' in form
    response = owner.post(
        url("indikator_tambah", skp.pk, rhk.pk),
        {"aspek": "kualitas", "teks": "Rekap tanpa kesalahan", "target_teks": "", "periode_1": "x"},
        **HTMX,
    )
    assert "Tuliskan ukuran keberhasilan" in response.content.decode()
    assert response["HX-Retarget"] == f"#rhk-{rhk.pk}"
    assert not Indikator.objects.filter(teks="Rekap tanpa kesalahan").exists()
    owner.post(
        url("indikator_tambah", skp.pk, rhk.pk),
        {
            "aspek": "kualitas",
            "teks": "Rekap tanpa kesalahan",
            "target_teks": "Nol kesalahan",
            **{f"periode_{n}": "Nol kesalahan" for n in range(1, 5)},
        },
        **HTMX,
    )
    ind = Indikator.objects.get(teks="Rekap tanpa kesalahan")
    assert ind.target_teks == "Nol kesalahan" and ind.target_periode.count() == 4


def test_kuantitatif_indikator_form_adapts_and_checks_period_targets(p):
    kepala = client_of(p.kepala)
    skp = skp_of(p.kepala)
    kepala.post(url("aksi", skp.pk, "ajukan_perubahan"))
    rhk = skp.rhk.first()
    form = kepala.get(url("indikator_tambah", skp.pk, rhk.pk), **HTMX).content.decode()
    for name in ("target_angka", "satuan", "polaritas", "konsolidasi", "periode_1", "periode_4"):
        assert f'name="{name}"' in form, name
    assert 'name="target_teks"' not in form
    data = {
        "aspek": "kuantitas",
        "teks": "Jumlah dokumen analisis jabatan",
        "target_angka": "10",
        "satuan": "dokumen",
        "polaritas": "maximize",
        "konsolidasi": "sum",
        "periode_1": "2",
        "periode_2": "2",
        "periode_3": "2",
        "periode_4": "2",
    }
    response = kepala.post(url("indikator_tambah", skp.pk, rhk.pk), data, **HTMX)
    assert "jumlah target periode harus sama dengan 10" in response.content.decode()
    assert not Indikator.objects.filter(teks=data["teks"]).exists()
    data.update(periode_4="4", target_angka="10,0")  # Indonesian decimal comma accepted
    response = kepala.post(url("indikator_tambah", skp.pk, rhk.pk), data, **HTMX)
    assert 'id="hasil-kerja"' in response.content.decode()
    ind = Indikator.objects.get(teks=data["teks"])
    assert ind.target_angka == 10 and [t.target_angka for t in ind.target_periode.all()] == [2, 2, 2, 4]
    # The edit form shows the numbers as typed, not 10.0000.
    edit = kepala.get(url("indikator_ubah", skp.pk, ind.pk), **HTMX).content.decode()
    assert 'value="10"' in edit and "10,0000" not in edit


def test_range_target_refuses_sum_in_the_form_and_the_service(p):
    """A range target (80–90) is a level: its periods are never summed (docs/rules.md §4)."""
    kepala = client_of(p.kepala)
    skp = skp_of(p.kepala)
    kepala.post(url("aksi", skp.pk, "ajukan_perubahan"))
    rhk = skp.rhk.first()
    data = {
        "aspek": "kualitas",
        "teks": "Indeks kepuasan pengguna layanan data kinerja",
        "target_angka": "80",
        "target_angka_atas": "90",
        "satuan": "%",
        "polaritas": "maximize",
        "konsolidasi": "sum",
    }
    html = kepala.post(url("indikator_tambah", skp.pk, rhk.pk), data, **HTMX).content.decode()
    assert "Target rentang (mis. 80–90) tidak dapat dijumlahkan antarperiode" in html
    assert not Indikator.objects.filter(teks=data["teks"]).exists()
    rhk = Rhk.objects.get(pk=rhk.pk)  # the SKP is open for revision now
    with pytest.raises(ValidationError) as exc:
        services.save_indikator(rhk, user_of(p.kepala), **data)
    assert "tidak dapat dijumlahkan" in exc.value.message_dict["konsolidasi"][0]
    assert not Indikator.objects.filter(teks=data["teks"]).exists()
    data["konsolidasi"] = "average"
    html = kepala.post(url("indikator_tambah", skp.pk, rhk.pk), data, **HTMX).content.decode()
    assert 'id="hasil-kerja"' in html
    ind = Indikator.objects.get(teks=data["teks"])
    assert (ind.target_angka, ind.target_angka_atas, ind.konsolidasi) == (80, 90, "average")


def test_edit_and_delete_indikator(owner, p):
    skp = skp_of(p.wulan)
    ind = skp.rhk.first().indikator.first()
    response = owner.post(
        url("indikator_ubah", skp.pk, ind.pk),
        {"aspek": "waktu", "teks": "Rekap tepat waktu setiap triwulan", "target_teks": "Tanggal 10"},
        **HTMX,
    )
    assert "Rekap tepat waktu setiap triwulan" in response.content.decode()
    ind.refresh_from_db()
    assert ind.aspek == "waktu"
    owner.post(url("indikator_hapus", skp.pk, ind.pk), **HTMX)
    assert not Indikator.objects.filter(pk=ind.pk).exists()


def test_delete_rhk_intervened_by_a_bawahan_shows_the_reason(kabid, p):
    kabid_skp = skp_of(p.kabid)
    kabid.post(url("aksi", kabid_skp.pk, "ajukan_perubahan"))
    rhk = Rhk.objects.filter(skp=kabid_skp, intervensi_bawahan__isnull=False).first()
    response = kabid.post(url("rhk_hapus", kabid_skp.pk, rhk.pk), **HTMX)
    assert "diintervensi oleh RHK bawahan" in response.content.decode()
    assert Rhk.objects.filter(pk=rhk.pk).exists()


# --- htmx fragments, lampiran, perilaku ------------------------------------------------------------------


def test_htmx_endpoints_return_fragments_and_fall_back_without_htmx(owner, p):
    skp = skp_of(p.wulan)
    rhk = skp.rhk.first()
    for path in (
        url("rhk_tambah", skp.pk),
        url("rhk_ubah", skp.pk, rhk.pk),
        url("rhk_kartu", skp.pk, rhk.pk),
    ):
        body = owner.get(path, **HTMX).content.decode()
        assert "<html" not in body and "<form" in body or f'id="rhk-{rhk.pk}"' in body, path
    batal = owner.get(url("rhk_tambah", skp.pk) + "?batal=1", **HTMX).content.decode()
    assert "Tambah RHK" in batal and "<form" not in batal
    # Without htmx a successful write redirects to the SKP page.
    response = owner.post(url("indikator_hapus", skp.pk, rhk.indikator.first().pk))
    assert response.status_code == 302 and response["Location"] == url("detail", skp.pk)


def test_lampiran_add_and_delete(owner, p):
    skp = skp_of(p.wulan)
    response = owner.post(url("lampiran_tambah", skp.pk, "dukungan"), {"dukungan-kategori": "sdm"}, **HTMX)
    body = response.content.decode()
    assert 'id="lampiran"' in body and "<html" not in body and "is-invalid" in body
    response = owner.post(
        url("lampiran_tambah", skp.pk, "dukungan"),
        {"dukungan-kategori": "pendampingan", "dukungan-teks": "Pendampingan oleh analis SDM"},
        **HTMX,
    )
    lam = SkpLampiran.objects.get(skp=skp, teks="Pendampingan oleh analis SDM")
    assert lam.kategori == "pendampingan" and "Pendampingan oleh analis SDM" in response.content.decode()
    owner.post(url("lampiran_tambah", skp.pk, "konsekuensi"), {"konsekuensi-teks": "Dialog kinerja"}, **HTMX)
    assert SkpLampiran.objects.filter(skp=skp, jenis="konsekuensi", teks="Dialog kinerja").exists()
    owner.post(url("lampiran_hapus", skp.pk, lam.pk), **HTMX)
    assert not SkpLampiran.objects.filter(pk=lam.pk).exists()
    assert owner.post(url("lampiran_tambah", skp.pk, "lainnya"), {}, **HTMX).status_code == 404


def test_penilai_writes_ekspektasi_from_the_library_or_new(owner, kabid, p):
    skp = skp_of(p.wulan)
    form = kabid.get(url("ekspektasi", skp.pk, "AK"), **HTMX).content.decode()
    assert "<datalist" in form and "Menyampaikan laporan capaian secara jujur dan tepat waktu" in form
    response = kabid.post(
        url("ekspektasi", skp.pk, "BP"),
        {
            "eks-BP-teks": "Menjawab pertanyaan pegawai paling lambat satu hari kerja",
            "eks-BP-simpan_ke_pustaka": "on",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="perilaku-BP"') and "tersimpan" in body
    assert skp.perilaku.get(kode="BP").ekspektasi_khusus.startswith("Menjawab pertanyaan")
    assert PustakaEkspektasi.objects.filter(kode="BP", teks__startswith="Menjawab pertanyaan").exists()
    # The owner may not write ekspektasi; unknown values are 404.
    assert owner.get(url("ekspektasi", skp.pk, "BP"), **HTMX).status_code == 403
    assert kabid.get(url("ekspektasi", skp.pk, "XX"), **HTMX).status_code == 404


# --- revisions and history --------------------------------------------------------------------------------


def test_revision_history_approve_change_resubmit_approve_both_versions_viewable(kabid, p):
    pelaksana = client_of(p.pelaksana)
    skp = skp_of(p.pelaksana)
    rhk = skp.rhk.first()
    lama = rhk.teks
    pelaksana.post(url("aksi", skp.pk, "ajukan_perubahan"))
    skp.refresh_from_db()
    assert (skp.status, skp.revisi) == ("draft", 2)
    response = pelaksana.post(
        url("rhk_ubah", skp.pk, rhk.pk),
        {
            "teks": "Tersedianya data kinerja pegawai yang mutakhir",
            "jenis": "utama",
            "intervensi": rhk.intervensi_id,
        },
        **HTMX,
    )
    assert "RHK diubah" in response.content.decode()  # the history panel follows out-of-band
    pelaksana.post(url("aksi", skp.pk, "ajukan"))
    kabid.post(url("aksi", skp.pk, "setujui"))
    skp.refresh_from_db()
    assert (skp.status, skp.revisi) == ("disetujui", 2)
    assert list(SkpVersi.objects.filter(skp=skp).values_list("revisi", flat=True)) == [2, 1]

    v1 = pelaksana.get(url("versi", skp.pk, 1)).content.decode()
    v2 = pelaksana.get(url("versi", skp.pk, 2)).content.decode()
    assert lama in v1 and "Tersedianya data kinerja pegawai yang mutakhir" not in v1
    assert "Tersedianya data kinerja pegawai yang mutakhir" in v2
    assert pelaksana.get(url("versi", skp.pk, 3)).status_code == 404

    page = pelaksana.get(url("detail", skp.pk)).content.decode()
    assert url("riwayat", skp.pk) in page  # the history panel, read when it is opened
    panel = pelaksana.get(url("riwayat", skp.pk), **HTMX).content.decode()
    halaman = pelaksana.get(url("riwayat", skp.pk)).content.decode()  # without htmx: a page of its own
    assert "<html" not in panel and "<html" in halaman
    for riwayat in (panel, halaman):
        assert url("versi", skp.pk, 1) in riwayat and url("versi", skp.pk, 2) in riwayat
        assert "Ajukan perubahan" in riwayat and "Setujui" in riwayat  # log entries
        assert "rencana hasil kerja" in riwayat  # which field changed, in the "perubahan terakhir" list


def test_history_panel_only_for_who_may_see_the_skp(p):
    skp = skp_of(p.pelaksana)
    assert client_of(p.wulan).get(url("riwayat", skp.pk), **HTMX).status_code == 403
    assert client_of(p.kabid).get(url("riwayat", skp.pk), **HTMX).status_code == 200
    assert client_of(p.pelaksana).get(url("riwayat", 999999), **HTMX).status_code == 404


# --- query counts -----------------------------------------------------------------------------------------


def _isi_rhk(skp: Skp, jumlah: int, indikator: int) -> None:
    Rhk.objects.filter(skp=skp).delete()
    induk = Rhk.objects.filter(skp__pegawai_id=skp.penilai_id).first()
    rhk = Rhk.objects.bulk_create(
        [Rhk(skp=skp, teks=f"Tersusunnya dokumen ke-{n}", intervensi=induk, urutan=n) for n in range(jumlah)]
    )
    ind = Indikator.objects.bulk_create(
        [
            Indikator(rhk=r, teks=f"Dokumen {k}", aspek="kuantitas", target_teks="Lengkap")
            for r in rhk
            for k in range(indikator)
        ]
    )
    IndikatorTargetPeriode.objects.bulk_create(
        [
            IndikatorTargetPeriode(indikator=i, nomor=n, target_teks="Lengkap")
            for i in ind
            for n in range(1, 5)
        ]
    )


@pytest.mark.parametrize("viewer", ["wulan", "kabid"])
def test_skp_page_query_count_is_flat_in_rhk_and_indikator(viewer, p):
    skp = skp_of(p.wulan)
    client = client_of(getattr(p, viewer))
    counts = []
    for jumlah, indikator in ((10, 1), (100, 3)):
        _isi_rhk(skp, jumlah, indikator)
        client.get(url("detail", skp.pk))  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("detail", skp.pk))
        assert response.status_code == 200
        assert response.content.decode().count('class="rhk ') == jumlah
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_hasil_kerja_fragment_query_count_is_flat(owner, p):
    skp = skp_of(p.wulan)
    counts = []
    for jumlah in (10, 100):
        _isi_rhk(skp, jumlah, 2)
        ind = Indikator.objects.filter(rhk__skp=skp).first()
        with CaptureQueriesContext(connection) as ctx:
            response = owner.post(url("indikator_hapus", skp.pk, ind.pk), **HTMX)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- SKP saya, persetujuan, progres, navigation, dashboard ------------------------------------------------


def test_skp_saya_shows_status_deadline_and_missing_items(owner, p):
    page = owner.get(url("saya")).content.decode()
    assert "Draft" in page and "31 Januari 2026" in page and "terlambat" in page
    assert "Semua syarat pengajuan terpenuhi" in page and url("detail", skp_of(p.wulan).pk) in page


def test_create_skp_then_fill_from_the_atasan_rhk(p):
    skp = skp_of(p.pelaksana)
    LogAlur.objects.filter(skp=skp).delete()
    skp.delete()
    client = client_of(p.pelaksana)
    page = client.get(url("saya")).content.decode()
    assert "Anda belum memiliki SKP tahun" in page and "Buat SKP" in page
    response = client.post(url("buat"), follow=True)
    baru = skp_of(p.pelaksana)
    assert response.redirect_chain[-1][0] == url("detail", baru.pk)
    body = response.content.decode()
    assert "dibuat sebagai draft" in body and "Isi dari RHK atasan" in body
    assert "Isi dari RHK atasan" in client.get(url("saya")).content.decode()
    response = client.post(url("isi_atasan", baru.pk), follow=True)
    assert "masing-masing sudah terhubung" in response.content.decode()
    penilai_utama = Rhk.objects.filter(skp__pegawai__nip=p.kabid, jenis="utama").count()
    assert baru.rhk.filter(intervensi__skp__pegawai__nip=p.kabid).count() == penilai_utama
    # A second SKP for the same jabatan and penilai is refused with a message.
    response = client.post(url("buat"), follow=True)
    assert "sudah ada" in response.content.decode()


def test_copy_from_last_year_on_an_empty_draft(p):
    skp = skp_of(p.wulan)
    # Last year's SKP of the same pegawai: make one by moving a copy of the periode back a year.
    from kinerja.organisasi import services as org_services
    from kinerja.rules.jadwal import Skema

    lama_periode = org_services.create_periode(p.instansi, skp.periode.tahun - 1, Skema.TRIWULANAN)
    lama = Skp.objects.get(pk=skp.pk)
    lama.pk = None
    lama.periode = lama_periode
    lama.save()
    Rhk.objects.create(skp=lama, teks="Tersusunnya arsip penghargaan tahun lalu", urutan=1)
    Rhk.objects.filter(skp=skp).delete()
    client = client_of(p.wulan)
    assert "Salin dari SKP tahun lalu" in client.get(url("detail", skp.pk)).content.decode()
    response = client.post(url("salin", skp.pk), follow=True)
    assert "1 RHK beserta indikator dan lampiran disalin" in response.content.decode()
    assert skp.rhk.filter(teks="Tersusunnya arsip penghargaan tahun lalu").exists()


def test_persetujuan_lists_inbox_and_every_bawahan_status(demo_instansi):
    owner, kabid = client_of(WULAN_DEMO), client_of(KABID_DEMO)
    skp = skp_of(WULAN_DEMO)
    owner.post(url("aksi", skp.pk, "ajukan"))
    fungsional = skp_of(FUNGSIONAL_DEMO)
    LogAlur.objects.filter(skp=fungsional).delete()
    fungsional.delete()
    page = kabid.get(url("persetujuan")).content.decode()
    inbox = page[: page.index("SKP bawahan")]
    assert "Wulan Sari" in inbox and url("detail", skp.pk) in inbox and "terlambat" in inbox
    assert "Dimas Aditya" not in inbox
    bawahan = page[page.index("SKP bawahan") :]
    assert "Ika Puspitasari" in bawahan and "Belum dibuat" in bawahan
    assert "Dikembalikan" in bawahan and "Disetujui" in bawahan


def test_persetujuan_needs_a_pegawai(p):
    assert client_of(p.admin).get(url("persetujuan")).status_code == 403


def test_progres_for_admin_only(demo_instansi):
    admin = client_of("admin")
    page = admin.get(url("progres")).content.decode()
    assert "Progres SKP tahun" in page and "Bidang Penilaian Kinerja dan Penghargaan" in page
    assert "belum dibuat" in page and "progress-stacked" in page
    unit = skp_of(WULAN_DEMO).unit
    detail = admin.get(url("progres_unit", unit.pk)).content.decode()
    assert "Wulan Sari" in detail and "Draft" in detail and url("detail", skp_of(WULAN_DEMO).pk) in detail
    for login in (KABID_DEMO, PELAKSANA_DEMO):
        assert client_of(login).get(url("progres")).status_code == 403
        assert client_of(login).get(url("progres_unit", unit.pk)).status_code == 403


def test_navigation_shows_skp_items_by_role(p):
    pelaksana = client_of(p.pelaksana).get("/").content.decode()
    assert (
        'href="/skp/"' in pelaksana and "Persetujuan SKP" not in pelaksana and "Progres SKP" not in pelaksana
    )
    kabid = client_of(p.kabid).get("/").content.decode()
    assert "Persetujuan SKP" in kabid
    admin = client_of(p.admin).get("/").content.decode()
    assert "Progres SKP" in admin and 'href="/skp/"' not in admin


def test_nav_penilai_flag_costs_one_query_then_none(p):
    from kinerja.dashboard.context_processors import fakta_peran

    kabid, pelaksana = user_of(p.kabid), user_of(p.pelaksana)
    assert kabid.pegawai and pelaksana.pegawai  # loaded, as the navigation has them
    with CaptureQueriesContext(connection) as ctx:
        assert fakta_peran(kabid)["penilai"] is True
        assert fakta_peran(pelaksana)["penilai"] is False
    assert len(ctx.captured_queries) == 2  # one each
    with CaptureQueriesContext(connection) as ctx:
        assert fakta_peran(kabid)["penilai"] is True
    assert len(ctx.captured_queries) == 0  # cached


def test_dashboard_card_what_to_do_next(owner, kabid, p):
    home = owner.get("/").content.decode()
    assert "Yang perlu dikerjakan" in home and "masih draft" in home
    owner.post(url("aksi", skp_of(p.wulan).pk, "ajukan"))
    assert "1 SKP bawahan" in kabid.get("/").content.decode()
    admin = client_of(p.admin).get("/").content.decode()
    assert "Lihat progres SKP per unit" in admin and "belum dibuat dari" in admin


def test_pdf_link_only_when_the_url_exists(owner, p):
    skp = skp_of(p.wulan)
    page = owner.get(url("detail", skp.pk)).content.decode()
    try:
        pdf = reverse("dokumen:skp_pdf", args=[skp.pk])
    except NoReverseMatch:
        assert "PDF" not in page
    else:
        assert f'href="{pdf}"' in page
