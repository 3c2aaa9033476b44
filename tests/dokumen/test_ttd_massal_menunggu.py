"""What waits for the user's signature (docs/rules.md §29.6): the list for a pegawai and for a penilai,
signed items leaving it, flat query counts, the page and the dashboard card."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.dokumen import selectors, services
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.menunggu import menunggu_ttd
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.rules.ttd import Peran
from tests import builders as b
from tests.dokumen.test_ttd_alur_skp import SANDI, _berkas, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db

DASAR = "http://testserver/"


@pytest.fixture
def aktif(skp_kecil: Any) -> None:
    PengaturanTtd.objects.create(instansi_id=skp_kecil("kabid").instansi_id, penyedia="sertifikat")


def _kunci(skp: Any) -> str:
    return f"skp:{skp.pk}"


def test_the_penilai_sees_the_bawahan_skp_and_her_own(aktif: None, skp_kecil: Any, user_kecil: Any) -> None:
    daftar = menunggu_ttd(user_kecil("kabid"))
    assert {(i.kunci, i.peran) for i in daftar} == {
        (_kunci(skp_kecil("kabid")), Peran.PEGAWAI),
        (_kunci(skp_kecil("fungsional")), Peran.PENILAI),
        (_kunci(skp_kecil("pelaksana")), Peran.PENILAI),
    }  # the draft's SKP is not approved: not listed
    item = next(i for i in daftar if i.kunci == _kunci(skp_kecil("fungsional")))
    assert (item.jenis_label, item.pegawai) == ("Sasaran Kinerja Pegawai", "Ika Puspitasari, S.Psi., M.Psi.")
    assert item.periode == f"Tahun {b.TAHUN}" and item.dokumen_id is None  # never issued: still counts
    assert item.tautan == reverse("dokumen:ttd_skp", args=[skp_kecil("fungsional").pk])


def test_the_pegawai_sees_her_own_only(aktif: None, skp_kecil: Any, user_kecil: Any) -> None:
    daftar = menunggu_ttd(user_kecil("fungsional"))
    assert [(i.kunci, i.peran) for i in daftar] == [(_kunci(skp_kecil("fungsional")), Peran.PEGAWAI)]
    assert menunggu_ttd(user_kecil("admin")) == []  # no pegawai


def test_a_signed_item_leaves_the_signer_s_list_only(
    aktif: None,
    skp_kecil: Any,
    user_kecil: Any,
    ca: Any,  # noqa: F811
) -> None:
    skp = skp_kecil("fungsional")
    kabid = user_kecil("kabid")
    daftarkan_sertifikat(ca, kabid)
    dok = services.issue_skp(skp, selectors.fill_skp(skp), None)
    ttd_services.tanda_tangani(dok, kabid, Kredensial(passphrase=SANDI), DASAR)
    assert _kunci(skp) not in {i.kunci for i in menunggu_ttd(kabid)}
    (item,) = menunggu_ttd(user_kecil("fungsional"))
    assert item.kunci == _kunci(skp) and item.dokumen_id == dok.pk


def test_nothing_waits_while_the_instansi_signs_on_paper(skp_kecil: Any, user_kecil: Any) -> None:
    assert menunggu_ttd(user_kecil("kabid")) == []
    PengaturanTtd.objects.create(instansi_id=skp_kecil("kabid").instansi_id, penyedia="nonaktif")
    assert menunggu_ttd(user_kecil("kabid")) == []


def test_a_final_evaluation_waits_for_the_penilai_then_the_pegawai(ca: Any) -> None:  # noqa: F811
    from kinerja.dokumen.evaluasi import selectors as sumber
    from kinerja.dokumen.evaluasi import services as services_ev

    tim = b.atasan_dan_bawahan()
    skp = {p: b.skp_disetujui(getattr(tim, p)) for p in ("kepala", "atasan", "bawahan")}
    ev = b.evaluasi_final(skp["bawahan"], tim.pp(1))
    PengaturanTtd.objects.create(instansi_id=tim.instansi.pk, penyedia="sertifikat")
    kunci = f"evaluasi:{ev.pk}"
    penilai, pegawai = b.segar(tim.atasan.user), b.segar(tim.bawahan.user)
    item = next(i for i in menunggu_ttd(penilai) if i.kunci == kunci)
    assert item.peran == Peran.PENILAI and item.jenis_label == "Dokumen Evaluasi Kinerja Pegawai"
    assert item.tautan == reverse("dokumen:ttd_evaluasi", args=[ev.pk])
    assert kunci not in {i.kunci for i in menunggu_ttd(pegawai)}  # the penilai signs first
    daftarkan_sertifikat(ca, penilai)
    dok = services_ev.issue_evaluasi(ev, sumber.fill_evaluasi(ev), None)
    ttd_services.tanda_tangani(dok, penilai, Kredensial(passphrase=SANDI), DASAR)
    assert kunci not in {i.kunci for i in menunggu_ttd(penilai)}
    (milik,) = [i for i in menunggu_ttd(pegawai) if i.kunci == kunci]
    assert milik.peran == Peran.PEGAWAI


def _hitung(fungsi: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fungsi()
    return len(ctx.captured_queries)


def test_query_counts_are_flat(
    aktif: None, skp_kecil: Any, user_kecil: Any, login_kecil: Any, django_assert_max_num_queries: Any
) -> None:
    kabid = user_kecil("kabid")
    klien = login_kecil("kabid")
    url = reverse("ttd_menunggu")
    with django_assert_max_num_queries(12):
        klien.get(url)  # cold: also fills the navigation's cache
    kecil = _hitung(lambda: menunggu_ttd(b.segar(kabid)))
    halaman_kecil = _hitung(lambda: klien.get(url))
    j_kabid = kabid.pegawai.penempatan.get().jabatan
    for n in range(3):
        peg = b.pegawai_di(b.JabatanFactory(unit=j_kabid.unit, parent=j_kabid), nama=f"Bawahan {n}")
        b.skp_disetujui(peg)
    assert len(menunggu_ttd(kabid)) == 6
    assert _hitung(lambda: menunggu_ttd(b.segar(kabid))) == kecil <= 7
    with django_assert_max_num_queries(12):
        r = klien.get(url)
    assert r.status_code == 200 and r.content.decode().count('name="pilih"') == 6
    assert _hitung(lambda: klien.get(url)) == halaman_kecil


def test_the_page_lists_with_checkboxes_and_the_form(aktif: None, login_kecil: Any, skp_kecil: Any) -> None:
    html = login_kecil("kabid").get(reverse("ttd_menunggu")).content.decode()
    assert "Menunggu tanda tangan saya" in html and 'data-pilih-semua="pilih"' in html
    assert f'value="{_kunci(skp_kecil("pelaksana"))}"' in html and 'name="passphrase"' in html
    assert reverse("dokumen:ttd_skp", args=[skp_kecil("pelaksana").pk]) in html
    assert "sebagai Pejabat Penilai Kinerja" in html
    kosong = login_kecil("admin").get(reverse("ttd_menunggu")).content.decode()
    assert 'id="kosong"' in kosong


def test_bsre_v2_asks_the_nik_and_a_passphrase_or_totp(skp_kecil: Any, login_kecil: Any) -> None:
    PengaturanTtd.objects.create(instansi_id=skp_kecil("kabid").instansi_id, penyedia="bsre", bsre_versi="v2")
    html = login_kecil("kabid").get(reverse("ttd_menunggu")).content.decode()
    assert 'name="totp"' in html and 'name="passphrase"' in html and 'name="nik"' in html


def test_the_dashboard_loads_the_card(aktif: None, login_kecil: Any) -> None:
    klien = login_kecil("kabid")
    assert reverse("ttd_menunggu_kartu") in klien.get("/").content.decode()
    kartu = klien.get(reverse("ttd_menunggu_kartu")).content.decode()
    assert "Dokumen menunggu tanda tangan Anda:" in kartu and ">3<" in kartu
    assert reverse("ttd_menunggu") in kartu
    # the dashboard's to-do list asks for it as one of its items (docs/rules.md §32)
    tugas = klien.get(reverse("ttd_menunggu_kartu") + "?bentuk=tugas").content.decode()
    assert "<li" in tugas and "3 dokumen menunggu tanda tangan Anda" in tugas
    assert login_kecil("admin").get(reverse("ttd_menunggu_kartu")).content == b""
