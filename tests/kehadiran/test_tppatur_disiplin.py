"""The Disiplin page (docs/rules.md §28): apel/atribut events of a month and hukuman disiplin, recorded
and deleted by the admin, each change announced to the TPP receiver; closed months stay untouched."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from kinerja.kehadiran.models import BulanTpp, HukumanDisiplinPegawai, PeristiwaDisiplin
from kinerja.kehadiran.signals import kehadiran_berubah
from kinerja.kehadiran.tpp import services
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

URL = "/kehadiran/tpp/disiplin/?bulan=2026-03"


@pytest.fixture
def tim():
    return atasan_dan_bawahan()


@pytest.fixture
def kabar():
    diterima: list[dict] = []

    def dengar(sender, **kw):
        diterima.append(kw)

    kehadiran_berubah.connect(dengar, dispatch_uid="uji-tppatur")
    yield diterima
    kehadiran_berubah.disconnect(dispatch_uid="uji-tppatur")


def test_page_per_role(tim):
    assert klien(tim.admin).get(URL).status_code == 200
    for p in (tim.bawahan, tim.atasan, tim.kepala):
        assert klien(p.user).get(URL).status_code == 403
    lain = admin_instansi(InstansiFactory(), "admin-lain")
    services.catat_peristiwa(tim.bawahan, datetime.date(2026, 3, 2), "apel", "", tim.admin)
    html = klien(lain).get(URL).content.decode()
    assert tim.bawahan.nama not in html
    p = PeristiwaDisiplin.objects.get()
    assert klien(lain).post(f"/kehadiran/tpp/disiplin/peristiwa/{p.pk}/hapus/").status_code == 404
    assert PeristiwaDisiplin.objects.exists()


def test_add_by_nip_then_delete_announced(tim, kabar, django_capture_on_commit_callbacks):
    c = klien(tim.admin)
    data = {"aksi": "peristiwa", "bulan": "2026-03", "pegawai": f"{tim.bawahan.nip} — {tim.bawahan.nama}"}
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(URL, {**data, "tanggal": "2026-03-02", "jenis": "apel", "keterangan": "Senin"})
    assert r.status_code == 302
    p = PeristiwaDisiplin.objects.get()
    assert (p.pegawai_id, p.jenis, p.dicatat_oleh_id) == (tim.bawahan.pk, "apel", tim.admin.pk)
    assert kabar[-1]["pegawai_ids"] == [tim.bawahan.pk]
    assert tim.bawahan.nama in c.get(URL).content.decode()
    r = c.post(URL, {**data, "tanggal": "2026-03-02", "jenis": "apel"})
    assert "sudah tercatat" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/kehadiran/tpp/disiplin/peristiwa/{p.pk}/hapus/")
    assert not PeristiwaDisiplin.objects.exists()
    assert len(kabar) == 2
    assert PeristiwaDisiplin.history.filter(history_type="-").get().history_user == tim.admin


def test_form_errors(tim):
    c = klien(tim.admin)
    asing = pegawai_di(JabatanFactory(instansi=InstansiFactory()))
    r = c.post(URL, {"aksi": "peristiwa", "pegawai": asing.nip, "tanggal": "", "jenis": "apel"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Pegawai tidak ditemukan di instansi ini" in html
    assert "Tanggal wajib diisi" in html
    r = c.post(
        URL, {"aksi": "hukuman", "pegawai": tim.bawahan.nama, "tanggal": "2026-03-01", "tingkat": "sedang"}
    )
    assert "Nomor keputusan wajib diisi." in r.content.decode()
    assert not PeristiwaDisiplin.objects.exists() and not HukumanDisiplinPegawai.objects.exists()


def test_closed_month_refused(tim):
    services.catat_peristiwa(tim.bawahan, datetime.date(2026, 3, 2), "apel", "", tim.admin)
    BulanTpp.objects.create(instansi=tim.instansi, tahun=2026, bulan=3, ditutup=True)
    c = klien(tim.admin)
    p = PeristiwaDisiplin.objects.get()
    r = c.post(f"/kehadiran/tpp/disiplin/peristiwa/{p.pk}/hapus/", follow=True)
    assert "sudah ditutup" in r.content.decode()
    assert PeristiwaDisiplin.objects.exists()
    r = c.post(
        URL, {"aksi": "peristiwa", "pegawai": tim.atasan.nip, "tanggal": "2026-03-03", "jenis": "atribut"}
    )
    assert "sudah ditutup" in r.content.decode()


def test_hukuman_active_first(tim):
    aturan = tpp.PRESET["kementerian"]
    hukuman = {**aturan.hukuman, tpp.TingkatHukuman.BERAT: tpp.AturanHukuman(Decimal(30), 12)}
    services.simpan_aturan(
        tim.instansi, dataclasses.replace(aturan, hukuman=hukuman), datetime.date(2020, 1, 1), "x", tim.admin
    )
    hari_ini = datetime.date.today()
    services.catat_hukuman(tim.atasan, datetime.date(2021, 1, 5), "berat", "SK/LAMA", tim.admin)
    services.catat_hukuman(tim.bawahan, hari_ini, "berat", "SK/BARU", tim.admin)
    html = klien(tim.admin).get(URL).content.decode()
    assert html.index("SK/BARU") < html.index("SK/LAMA")
    assert "memotong TPP bulan ini" in html


def test_queries_flat(tim, django_assert_max_num_queries):
    c = klien(tim.admin)
    induk = Jabatan.objects.get(nama="Kepala Badan Uji")

    def tambah(n):
        for i in range(n):
            p = pegawai_di(JabatanFactory(instansi=tim.instansi, unit=tim.bidang, parent=induk))
            services.catat_peristiwa(p, datetime.date(2026, 3, 2 + i % 20), "apel", "", tim.admin)
            services.catat_hukuman(p, datetime.date(2026, 3, 2), "ringan", f"SK/{i}", tim.admin)

    tambah(2)
    c.get(URL)
    with django_assert_max_num_queries(12):
        c.get(URL)
    tambah(12)
    with django_assert_max_num_queries(12):
        assert c.get(URL).status_code == 200
