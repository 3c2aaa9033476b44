"""The mismatch report between Kinerja and SIASN (docs/rules.md §21.11): the demo's one mismatch, the
pegawai never read, counts, the unit filter, xlsx, access, pagination and flat queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.common.tanggal import tanggal_panjang
from kinerja.demo import siasn as demo_siasn
from kinerja.organisasi.models import Instansi, UnitKerja, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.tindak_lanjut.models import DataUtamaSiasn, PenyegaranDataUtama
from kinerja.tindak_lanjut.siasn.data_utama import selectors as sel
from tests import builders as b
from tests.siasn_palsu import SiasnPalsu

URL = reverse("tindak_lanjut:siasn_selisih")
FAJAR = "199010102014031004"


@pytest.fixture
def inst(demo_instansi: Instansi) -> Instansi:
    demo_siasn.seed(demo_instansi)
    return demo_instansi


@pytest.fixture
def admin(inst: Instansi) -> User:
    return User.objects.get(username="admin")


def test_demo_has_exactly_one_mismatch_that_siasn_must_fix(inst: Instansi) -> None:
    lap = sel.laporan_selisih(inst)
    assert lap.jumlah_pegawai == 38 and lap.belum_dibaca == [] and lap.jumlah_sesuai == 37
    (baris,) = lap.berbeda
    assert baris.pegawai.nip == FAJAR and baris.pihak.value == "siasn"
    assert [(s.bidang, s.kinerja, s.siasn) for s in baris.selisih] == [
        ("unit", "Bidang Mutasi dan Promosi", "SUB BAGIAN UMUM DAN KEPEGAWAIAN"),
        ("jabatan", "Pengolah Data Mutasi", "PENGADMINISTRASI UMUM"),
    ]
    assert "belum tercatat di SIASN" in baris.alasan and "BKPSDM" in baris.alasan
    assert baris.atasan_kinerja.startswith("Bambang Sutrisno")
    assert baris.atasan_siasn.startswith("Agus Prasetyo")


def test_page_shows_both_values_side_by_side_and_the_side_to_fix(inst: Instansi, admin: User) -> None:
    r = b.klien(admin).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    for teks in (
        "Fajar Nugroho",
        "Bidang Mutasi dan Promosi",
        "SUB BAGIAN UMUM DAN KEPEGAWAIAN",
        "SIASN (melalui BKPSDM)",
        "TMT jabatan 1 Maret 2019",
        "Berbeda (1)",
        "Belum dibaca (0)",
    ):
        assert teks in html, teks


def test_never_read_pegawai_are_listed_separately(inst: Instansi, admin: User) -> None:
    DataUtamaSiasn.objects.filter(pegawai__nip__in=[FAJAR, "199108162015031001"]).delete()
    r = b.klien(admin).get(URL, {"tampil": "belum"})
    html = r.content.decode()
    assert "Belum dibaca (2)" in html and "Berbeda (0)" in html
    assert "Rahmat Hidayat" in html and "Pengolah Data Kinerja Pegawai" in html


def test_a_pegawai_siasn_no_longer_knows_is_not_counted_as_agreeing(inst: Instansi, admin: User) -> None:
    """§21.11: a 404 at the last refresh makes the older snapshot stale: the pegawai is listed with SIASN's
    answer among those without SIASN data, not compared (nor counted "sesuai") on data SIASN no longer has."""
    eko = "198912212012121002"
    PenyegaranDataUtama.objects.create(
        instansi=inst,
        status="selesai",
        jumlah=38,
        selesai=38,
        kegagalan=[
            {"nip": eko, "nama": "Eko", "alasan": "HTTP 404: tidak ditemukan", "tidak_dikenal": True},
            {"nip": FAJAR, "nama": "Fajar", "alasan": "SIASN tidak dapat dihubungi"},  # an outage: kept
        ],
    )
    lap = sel.laporan_selisih(inst)
    assert lap.jumlah_sesuai == 36 and [b.pegawai.nip for b in lap.berbeda] == [FAJAR]
    assert [p.nip for p, _, _ in lap.belum_dibaca] == [eko]
    html = b.klien(admin).get(URL, {"tampil": "belum"}).content.decode()
    assert "Belum dibaca (1)" in html and "Tidak dikenal SIASN pada pembacaan terakhir" in html
    # Read again successfully later: compared again.
    DataUtamaSiasn.objects.filter(pegawai__nip=eko).update(dibaca_pada=timezone.now())
    assert sel.laporan_selisih(inst).belum_dibaca == []


def test_filter_per_unit(inst: Instansi, admin: User) -> None:
    bpkp = UnitKerja.objects.get(instansi=inst, kode="BPKP")
    bmp = UnitKerja.objects.get(instansi=inst, kode="BMP")
    assert "Berbeda (0)" in b.klien(admin).get(URL, {"unit": bpkp.pk}).content.decode()
    assert "Fajar Nugroho" in b.klien(admin).get(URL, {"unit": bmp.pk}).content.decode()


def test_xlsx_lists_each_difference_and_the_never_read(inst: Instansi, admin: User) -> None:
    DataUtamaSiasn.objects.filter(pegawai__nip="199108162015031001").delete()
    r = b.klien(admin).get(reverse("tindak_lanjut:siasn_selisih_unduh"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["Selisih"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [(r[0], r[2], r[7]) for r in rows] == [
        (FAJAR, "Unit kerja", "SIASN (melalui BKPSDM)"),
        (FAJAR, "Jabatan", "SIASN (melalui BKPSDM)"),
    ]
    assert [c.value for c in wb["Belum dibaca"][5]][:2] == ["199108162015031001", "Rahmat Hidayat"]
    # §22: xlsx text (the title's "dibuat" line) reads dates in the long form.
    kini = timezone.localtime()
    assert ws["A2"].value.startswith(f"dibuat {tanggal_panjang(kini)} ")


@pytest.mark.parametrize("login", ["199108162015031001", "197205141998031003"])
def test_only_the_admin_sees_the_report(inst: Instansi, login: str) -> None:
    user = User.objects.get(username=login)
    assert b.klien(user).get(URL).status_code == 403
    assert b.klien(user).get(reverse("tindak_lanjut:siasn_selisih_unduh")).status_code == 403
    assert b.klien(user).post(reverse("tindak_lanjut:siasn_selisih_segarkan")).status_code == 403


def test_refresh_button_queues_one_refresh_and_shows_its_progress(
    inst: Instansi, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for kunci, nilai in SiasnPalsu(url="http://127.0.0.1:9").lingkungan().items():
        monkeypatch.setenv(kunci, nilai)  # configured; nothing is read (the task waits in the queue)
    c = b.klien(admin)
    r = c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"), follow=True)
    assert "Pembacaan data utama 38 pegawai dari SIASN dimulai" in r.content.decode()
    p = PenyegaranDataUtama.objects.get(instansi=inst)
    assert p.dimulai_oleh == admin
    # Tests commit nothing, so the job waits in the queue: the page shows its bar, polling its progress.
    html = r.content.decode()
    kemajuan = reverse("tindak_lanjut:siasn_selisih_kemajuan")
    assert p.pekerjaan is not None and p.pekerjaan.kunci == f"siasn-data-utama:{inst.pk}"
    assert f'hx-get="{kemajuan}" hx-trigger="every 1s"' in html and 'role="progressbar"' in html
    assert "Pembacaan data utama SIASN (38 pegawai)" in html and "every 2s" not in html
    r = c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"), follow=True)
    assert "masih berjalan" in r.content.decode()
    assert PenyegaranDataUtama.objects.filter(instansi=inst).count() == 1
    assert Pekerjaan.objects.count() == 1
    Pekerjaan.objects.update(status="selesai")
    PenyegaranDataUtama.objects.filter(pk=p.pk).update(
        status="selesai",
        selesai=38,
        pesan="37 dari 38 pegawai terbaca dari SIASN, 1 gagal.",
        kegagalan=[{"nip": FAJAR, "nama": "Fajar Nugroho", "alasan": "HTTP 404: Data PNS tidak ditemukan"}],
    )
    r = c.get(kemajuan)  # the job has ended: the page is loaded again to show the outcome
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    html = c.get(URL).content.decode()
    assert "every 1s" not in html and "1 pegawai gagal dibaca" in html and "HTTP 404" in html


def test_refresh_without_siasn_says_what_is_missing_and_queues_nothing(
    inst: Instansi, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§21.10: without SIASN the button is disabled with the reason, and a forged POST is refused with it,
    instead of a refresh that waits forever for a worker ("menunggu giliran")."""
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    c = b.klien(admin)
    html = c.get(URL).content.decode()
    assert 'id="belum-dikonfigurasi"' in html and "SIASN_GATEWAY_URL" in html
    assert 'disabled title="SIASN belum dikonfigurasi"' in html
    r = c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"), follow=True)
    html = r.content.decode()
    assert "SIASN belum dikonfigurasi untuk instansi ini" in html and "dimulai" not in html
    assert not PenyegaranDataUtama.objects.exists()
    # Half configured: the missing variables are named at once.
    monkeypatch.setenv("SIASN_GATEWAY_URL", "http://127.0.0.1:9/apisiasn/1.0/")
    r = c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"), follow=True)
    assert "Konfigurasi SIASN belum lengkap: SIASN_GATEWAY_TOKEN_URL" in r.content.decode()
    assert not PenyegaranDataUtama.objects.exists()


def test_export_page_links_to_the_report(inst: Instansi, admin: User) -> None:
    assert URL in b.klien(admin).get(reverse("tindak_lanjut:siasn_ekspor")).content.decode()


def test_pages_and_queries_stay_flat(inst: Instansi, admin: User, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # Every demo pegawai differs in jabatan: 38 rows, two pages.
    DataUtamaSiasn.objects.filter(pegawai__instansi=inst).update(jabatan_nama="JABATAN LAMA")
    c = b.klien(admin)
    with django_assert_max_num_queries(12):
        r = c.get(URL)
    html = r.content.decode()
    assert "Berbeda (38)" in html and "Halaman 1 dari 2" in html
    with django_assert_max_num_queries(12):
        r = c.get(URL, {"page": 2})
    assert "Halaman 2 dari 2" in r.content.decode()


def test_demo_seed_is_idempotent(inst: Instansi) -> None:
    sebelum = DataUtamaSiasn.objects.filter(pegawai__instansi=inst).count()
    demo_siasn.seed(inst)
    assert DataUtamaSiasn.objects.filter(pegawai__instansi=inst).count() == sebelum == 38


def test_finished_refresh_polled_by_htmx_offers_a_reload(inst: Instansi, admin: User) -> None:
    PenyegaranDataUtama.objects.create(
        instansi=inst, status="selesai", jumlah=38, selesai=38, pesan="Selesai."
    )
    url = reverse("tindak_lanjut:siasn_selisih_kemajuan")
    assert "Muat ulang laporan" in b.klien(admin).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Muat ulang laporan" not in b.klien(admin).get(URL).content.decode()


def test_units_holding_a_siasn_id_are_compared_by_it(inst: Instansi) -> None:
    UnitKerja.objects.filter(instansi=inst, kode="BMP").update(siasn_id="UNOR-BMP")
    DataUtamaSiasn.objects.filter(unor_nama="BIDANG MUTASI DAN PROMOSI").update(unor_id="UNOR-BMP")
    fajar = DataUtamaSiasn.objects.get(pegawai__nip=FAJAR)
    # SIASN names the unit differently, but it is the same unor: only the jabatan differs.
    DataUtamaSiasn.objects.filter(pk=fajar.pk).update(
        unor_id="UNOR-BMP", unor_nama="BIDANG MUTASI & PROMOSI ASN"
    )
    (baris,) = sel.laporan_selisih(inst).berbeda
    assert [s.bidang for s in baris.selisih] == ["jabatan"]
