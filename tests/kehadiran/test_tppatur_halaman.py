"""The TPP settings pages (docs/rules.md §28): Aturan TPP, Tabel pagu TPP, Kelas jabatan — who may open
them, the forms' messages, versions saved, flat query counts."""

from __future__ import annotations

import datetime

import pytest

from kinerja.kehadiran.models import AturanTppInstansi, PaguTpp, TabelPaguTpp
from kinerja.kehadiran.tpp import forms_atur, services
from kinerja.organisasi.models import Jabatan
from kinerja.rules import tpp
from tests.builders import (
    InstansiFactory,
    JabatanFactory,
    admin_instansi,
    atasan_dan_bawahan,
    klien,
    pegawai_di,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
HALAMAN = [
    "/kehadiran/tpp/aturan/",
    "/kehadiran/tpp/aturan/baru/",
    "/kehadiran/tpp/pagu/",
    "/kehadiran/tpp/kelas/",
]


@pytest.fixture
def tim():
    return atasan_dan_bawahan()


@pytest.mark.parametrize("url", HALAMAN + ["/kehadiran/tpp/pagu/?baru=1"])
def test_pages_per_role(tim, url):
    assert klien(tim.admin).get(url).status_code == 200
    assert klien(tim.bawahan.user).get(url).status_code == 403
    assert klien(tim.atasan.user).get(url).status_code == 403
    assert klien(tim.kepala.user).get(url).status_code == 403


def test_other_instansi_admin_sees_only_their_own(tim):
    services.simpan_aturan(tim.instansi, tpp.PRESET["kejaksaan"], JAN, "Perkada", tim.admin)
    lain = admin_instansi(InstansiFactory(), "admin-lain")
    c = klien(lain)
    assert c.get("/kehadiran/tpp/aturan/1/").status_code == 404
    assert "Belum ada aturan TPP" in c.get("/kehadiran/tpp/aturan/").content.decode()
    assert c.get("/kehadiran/tpp/aturan/baru/?dari=versi:1").status_code == 404


def _isian(aturan: tpp.AturanTpp, **lain: str) -> dict:
    isian = forms_atur.isian_dari_aturan(aturan)
    data = {k: v for k, v in isian.items() if isinstance(v, str)}
    data["dibayar"] = isian["dibayar"]
    if isian["hukuman_mulai_bulan_berikut"]:
        data["hukuman_mulai_bulan_berikut"] = "1"
    return {**data, **lain}


def test_preset_copy_then_save_is_the_version_in_force(tim):
    c = klien(tim.admin)
    r = c.get("/kehadiran/tpp/aturan/baru/?dari=preset:per_titik")
    assert 'value="Per titik rekam' in r.content.decode()
    data = _isian(tpp.PRESET["per_titik"], berlaku_mulai="2026-01-01", alasan="Perkada 12/2025")
    r = c.post("/kehadiran/tpp/aturan/baru/", data)
    assert r.status_code == 302, r.content.decode()
    a = AturanTppInstansi.objects.get(instansi=tim.instansi)
    assert a.versi == 1 and tpp.dari_dict(a.aturan) == tpp.PRESET["per_titik"]
    r = c.get("/kehadiran/tpp/aturan/")
    assert "berlaku" in r.content.decode() and "Salin versi berlaku" in r.content.decode()
    r = c.get("/kehadiran/tpp/aturan/1/")
    assert "Terlambat 1–15 menit: dipotong 1 % dari pagu per kejadian" in r.content.decode()
    # "Salin versi berlaku" prefills with the version in force; a second save is version 2.
    r = c.get("/kehadiran/tpp/aturan/baru/?dari=versi:1")
    assert 'name="braket_tl[3].persen" value="2,5"' in r.content.decode()
    c.post("/kehadiran/tpp/aturan/baru/", {**data, "alasan": "Perubahan"})
    assert AturanTppInstansi.objects.filter(instansi=tim.instansi).count() == 2


def test_rule_form_errors_at_their_field(tim):
    c = klien(tim.admin)
    data = _isian(
        tpp.PRESET["kementerian"],
        **{"braket_tl[2].dari": "35", "tk.persen": "150", "berlaku_mulai": "", "alasan": ""},
    )
    r = c.post("/kehadiran/tpp/aturan/baru/", data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "Terlambat (TL) baris 2: harus mulai dari menit ke-31." in html
    assert "Tanpa keterangan (TK) harus antara 0 dan 100 %." in html
    assert "Tanggal berlaku mulai wajib diisi." in html
    assert "Alasan perubahan wajib diisi." in html
    assert 'name="tk.persen" id="f-tk.persen" value="150"' in html  # what was typed stays
    assert not AturanTppInstansi.objects.exists()


def test_pagu_new_version_prefilled_and_saved(tim):
    j = Jabatan.objects.get(nama="Kepala Badan Uji")
    services.simpan_tabel_pagu(
        tim.instansi, [(None, 7, "2200000"), (j.pk, None, 9000000)], JAN, "Awal", tim.admin
    )
    c = klien(tim.admin)
    html = c.get("/kehadiran/tpp/pagu/?baru=1").content.decode()
    assert 'name="kelas[7]" id="f-kelas-7" value="2200000"' in html
    assert f'<option value="{j.pk}" selected>' in html
    r = c.post(
        "/kehadiran/tpp/pagu/",
        {
            "kelas[7]": "2.300.000",
            "kelas[9]": "3000000",
            "jabatan[1].id": str(j.pk),
            "jabatan[1].pagu": "9500000",
            "jabatan[2].id": "",
            "jabatan[2].pagu": "",
            "berlaku_mulai": "2026-04-01",
            "alasan": "Perkada baru",
        },
    )
    assert r.status_code == 302
    t = TabelPaguTpp.objects.get(instansi=tim.instansi, versi=2)
    assert {(b.jabatan_id, b.kelas_jabatan, int(b.pagu)) for b in PaguTpp.objects.filter(tabel=t)} == {
        (None, 7, 2300000),
        (None, 9, 3000000),
        (j.pk, None, 9500000),
    }


def test_pagu_errors_at_their_row(tim):
    asing = JabatanFactory(instansi=InstansiFactory())
    r = klien(tim.admin).post(
        "/kehadiran/tpp/pagu/",
        {
            "kelas[5]": "sejuta",
            "jabatan[1].id": str(asing.pk),
            "jabatan[1].pagu": "100",
            "jabatan[2].id": "",
            "jabatan[2].pagu": "5000",
            "berlaku_mulai": "2026-04-01",
            "alasan": "",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "Baris jabatan 2: pilih jabatannya." in html
    assert not TabelPaguTpp.objects.exists()
    r = klien(tim.admin).post(
        "/kehadiran/tpp/pagu/",
        {"kelas[5]": "sejuta", "jabatan[1].id": str(asing.pk), "jabatan[1].pagu": "100", "alasan": ""},
    )
    html = r.content.decode()
    assert "pagu harus berupa angka rupiah" in html
    assert "jabatan yang dipilih bukan jabatan instansi ini" in html
    assert "Alasan perubahan wajib diisi." in html
    assert "Tanggal berlaku mulai wajib diisi." in html
    assert not TabelPaguTpp.objects.exists()


def test_jabatan_tanpa_pagu_listed(tim):
    Jabatan.objects.filter(instansi=tim.instansi, nama="Pengolah Data Uji").update(kelas_jabatan=7)
    services.simpan_tabel_pagu(tim.instansi, [(None, 7, "2200000")], JAN, "Awal", tim.admin)
    html = klien(tim.admin).get("/kehadiran/tpp/pagu/").content.decode()
    assert "Kepala Badan Uji" in html and "Kepala Bidang Uji" in html
    assert 'text-bg-warning">2</span>' in html


def test_kelas_saved_audited_and_validated(tim):
    c = klien(tim.admin)
    jab = {j.nama: j for j in Jabatan.objects.filter(instansi=tim.instansi)}
    data = {f"kelas[{j.pk}]": "" for j in jab.values()}
    data[f"kelas[{jab['Kepala Bidang Uji'].pk}]"] = "12"
    r = c.post("/kehadiran/tpp/kelas/", {**data, f"kelas[{jab['Kepala Badan Uji'].pk}]": "18"})
    assert r.status_code == 422
    assert "Kepala Badan Uji: kelas jabatan harus bilangan bulat 1–17 atau kosong." in r.content.decode()
    assert not Jabatan.objects.filter(kelas_jabatan__isnull=False).exists()
    assert c.post("/kehadiran/tpp/kelas/", data).status_code == 302
    j = Jabatan.objects.get(pk=jab["Kepala Bidang Uji"].pk)
    assert j.kelas_jabatan == 12
    assert j.history.first().history_user == tim.admin


def test_kelas_field_on_the_jabatan_form(tim):
    j = Jabatan.objects.get(nama="Pengolah Data Uji")
    html = klien(tim.admin).get(f"/organisasi/jabatan/{j.pk}/ubah/").content.decode()
    assert 'name="kelas_jabatan"' in html


def _tambah(tim, n):
    induk = Jabatan.objects.get(nama="Kepala Badan Uji")
    for _ in range(n):
        pegawai_di(JabatanFactory(instansi=tim.instansi, unit=tim.bidang, parent=induk))


@pytest.mark.parametrize("url", HALAMAN + ["/kehadiran/tpp/pagu/?baru=1", "/kehadiran/tpp/aturan/1/"])
def test_queries_flat_in_rows(tim, url, django_assert_max_num_queries):
    services.simpan_aturan(tim.instansi, tpp.PRESET["kementerian"], JAN, "Awal", tim.admin)
    services.simpan_tabel_pagu(tim.instansi, [(None, 7, "2200000")], JAN, "Awal", tim.admin)
    c = klien(tim.admin)
    c.get(url)
    with django_assert_max_num_queries(12):
        assert c.get(url).status_code == 200
    _tambah(tim, 12)
    services.simpan_aturan(tim.instansi, tpp.PRESET["per_titik"], JAN, "Lagi", tim.admin)
    with django_assert_max_num_queries(12):
        assert c.get(url).status_code == 200
