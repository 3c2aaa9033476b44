"""Rating group page, what-if, finalisation through the page, calibration and "minta revisi": who may see
and do what, the instansi's distribution mode, nothing saved by a what-if, and flat query counts.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven. The
query counts (on many rows) and the calibration page listing the demo's penilai stay on the demo.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi, FinalisasiKelompok
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Rating
from tests import builders as b
from tests.penilaian.conftest import (
    BAWAHAN_KABID,
    FUNGSIONAL,
    KABID,
    KEPALA,
    Tujuh,
    buka,
    nilai_semua,
    skp_of,
    tw,
    user_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

D, S = Rating.DIATAS, Rating.SESUAI
URL = "/penilaian/kelompok/"
WHAT_IF = "/penilaian/kelompok/what-if/"
FINAL = "/penilaian/kelompok/finalisasi/"
KALIBRASI = "/penilaian/kalibrasi/"
REVISI = "/penilaian/kalibrasi/minta-revisi/"
SEKRETARIS = "197608222000122001"  # Sri Wahyuni: Sekretaris, Plt. Kepala BPK; above SUBUM and SUBPK


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def klien(pegawai_or_user: Pegawai | User) -> Client:
    return b.klien(pegawai_or_user if isinstance(pegawai_or_user, User) else pegawai_or_user.user)


def klien_dari(p: Tujuh, siapa: str) -> Client:
    """A client for a role: the kabid (penilai), the kepala (her atasan), the Kepala Bidang Mutasi (another
    unit's penilai), Ika (a rated pegawai), the admin, the other instansi's admin, or nobody."""
    return {
        "penilai": lambda: klien(p.kabid),
        "atasan": lambda: klien(p.kepala),
        "penilai_lain": lambda: klien(penilai_lain(p)),
        "pegawai": lambda: klien(p.fungsional),
        "admin": lambda: klien(p.tim.admin),
        "admin_lain": lambda: klien(User.objects.get(username="admin-lain")),
        "anonim": Client,
    }[siapa]()


def penilai_lain(p: Tujuh) -> Pegawai:
    """The Kepala Bidang Mutasi with a bawahan of his own: another unit's penilai."""
    jabatan = p.kbmp.penempatan.get().jabatan
    b.pegawai_di(b.JabatanFactory(unit=jabatan.unit, nama="Analis Mutasi", parent=jabatan))
    return p.kbmp


def set_capaian(p: Tujuh, nilai: str) -> None:
    services.set_capaian_organisasi(p.tim.bidang, p.tim.periode, p.tim.pp(1), nilai, "", p.kepala.user)


@pytest.fixture
def kelompok_kabid(p):  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan rated for TW I: three Sangat Baik (Ika first), four Baik; capaian Baik →
    one violation (nobody in Butuh Perbaikan / Kurang)."""
    kabid = p.kabid.user
    for i, skp in enumerate(p.skp_bawahan()):
        r = D if i < 3 else S
        services.set_rating(nilai_semua(buka(skp.pegawai), kabid, r, r), kabid)
    set_capaian(p, "baik")
    return p.kabid


def q(penilai: Pegawai | None = None, **extra: str) -> dict[str, str]:
    data = {"periode": "1"}
    if penilai is not None:
        data["penilai"] = str(penilai.pk)
    data.update(extra)
    return data


# --- the group page -------------------------------------------------------------------------------------


def test_group_page_shows_capaian_chart_ratings_and_violations_with_names(p, kelompok_kabid):
    r = klien(p.kabid).get(URL, {"periode": "1"})  # default: the logged-in penilai's own group
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Kelompok penilaian {p.kabid.nama_lengkap}" in html and "Triwulan I" in html
    assert 'class="grafik-distribusi"' in html  # the pola distribusi chart
    assert "Pegawai di luar kurva (1 pelanggaran)" in html
    assert "Harus ada paling sedikit 1 pegawai dengan predikat Butuh Perbaikan" in html
    assert "Ika Puspitasari, S.Psi., M.Psi." in html and "Sangat Baik" in html
    assert "Alasan finalisasi dengan 1 pelanggaran pola distribusi" in html  # warn mode: reason required
    ev = Evaluasi.objects.filter(pegawai=p.fungsional).first()
    assert f"/penilaian/evaluasi/{ev.pk}/" in html
    assert "Minta revisi" not in html  # the penilai does not ask themselves


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("penilai", 200),
        ("atasan", 200),
        ("penilai_lain", 403),
        ("pegawai", 403),
        ("admin", 200),
        ("admin_lain", 403),
        ("anonim", 302),
    ],
)
def test_group_page_and_what_if_permissions(p, kelompok_kabid, other_instansi, siapa, status):
    c = klien_dari(p, siapa)
    r = c.get(URL, q(kelompok_kabid))
    assert r.status_code == status
    if status == 302:
        assert "/login/" in r["Location"]
    r = c.get(WHAT_IF, q(kelompok_kabid, what_if="istimewa"))
    assert r.status_code == status
    if status == 200:
        assert "Ika Puspitasari" in klien(p.kabid).get(URL, q(kelompok_kabid)).content.decode()


def test_atasan_sees_sesuaikan_and_minta_revisi(p, kelompok_kabid):
    html = klien(p.kepala).get(URL, q(kelompok_kabid)).content.decode()
    assert "Sesuaikan" in html and "#judul-keputusan" in html
    assert "Kirim permintaan revisi" in html
    assert 'href="/penilaian/kalibrasi/?periode=1"' in html  # breadcrumb back to calibration


def test_unknown_group_is_404(p, kelompok_kabid):
    c = klien(p.kepala)
    assert c.get(URL, {"periode": "1", "penilai": "999999"}).status_code == 404
    assert c.get(URL, {"periode": "1", "unit": "abc"}).status_code == 404
    assert c.get(URL, {"periode": "1", "penilai": str(p.pelaksana.pk)}).status_code == 404  # rates nobody


def test_a_pegawai_without_bawahan_gets_an_empty_state(p):
    r = klien(p.fungsional).get(URL, {"periode": "1"})
    assert r.status_code == 200
    assert "Anda tidak menilai pegawai mana pun" in r.content.decode()


def test_the_admin_without_a_group_of_their_own_goes_to_kalibrasi(p):
    """The menu's "Kelompok" link (no parameters) sends the admin to the calibration overview."""
    for query in ({}, {"periode": "1"}):
        r = klien(p.tim.admin).get(URL, query)
        assert r.status_code == 302 and r["Location"].startswith("/penilaian/kalibrasi/"), query
    assert klien(p.tim.admin).get(URL, {"periode": "1", "penilai": "999999"}).status_code == 404


def test_the_group_without_a_penilai_is_the_admins(p):
    buka(p.kepala)  # opened by the admin (the kepala's SKP has no penilai)
    r = klien(p.tim.admin).get(URL, {"periode": "1", "penilai": "0"})
    assert r.status_code == 200
    assert "Kelompok tanpa pejabat penilai" in r.content.decode()
    assert p.kepala.nama in r.content.decode()
    # The head of the instansi heads the group's unit (he signs its penetapan): penilaian.view_kelompok.
    assert klien(p.kepala).get(URL, {"periode": "1", "penilai": "0"}).status_code == 200
    assert klien(p.kabid).get(URL, {"periode": "1", "penilai": "0"}).status_code == 403


def test_what_if_lists_who_would_be_outside_and_saves_nothing(p, kelompok_kabid):
    before = (
        CapaianOrganisasiUnit.objects.count(),
        CapaianOrganisasiUnit.history.count(),
        list(Evaluasi.objects.order_by("pk").values_list("pk", "versi", "predikat", "status")),
        Evaluasi.history.count(),
    )
    c = klien(p.kabid)
    r = c.get(WHAT_IF, q(kelompok_kabid, what_if="butuh_perbaikan"), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html  # a fragment
    assert "Bila capaian organisasi Butuh Perbaikan" in html
    assert "Sangat Baik melebihi batas: 3 pegawai" in html  # SB ≤ 10 % of 7 → 0
    assert "Ika Puspitasari, S.Psi., M.Psi." in html
    assert "Simulasi saja: tidak ada yang disimpan." in html
    r = c.get(WHAT_IF, q(kelompok_kabid, what_if="istimewa"))
    assert "tidak ada pegawai di luar kurva" in r.content.decode()
    # Without htmx the group page renders the same what-if inline.
    r = c.get(URL, q(kelompok_kabid, what_if="butuh_perbaikan"))
    assert "Bila capaian organisasi Butuh Perbaikan" in r.content.decode()
    after = (
        CapaianOrganisasiUnit.objects.count(),
        CapaianOrganisasiUnit.history.count(),
        list(Evaluasi.objects.order_by("pk").values_list("pk", "versi", "predikat", "status")),
        Evaluasi.history.count(),
    )
    assert after == before
    assert selectors.kelompok(kelompok_kabid, p.tim.pp(1)).capaian.nilai == "baik"


# --- finalisation through the page ----------------------------------------------------------------------


def test_warn_mode_needs_a_reason_then_finalises(p, kelompok_kabid):
    c = klien(p.kabid)
    r = c.post(FINAL, q(kelompok_kabid))
    assert r.status_code == 400
    assert "tuliskan alasan untuk tetap memfinalisasi" in r.content.decode()
    assert not Evaluasi.objects.filter(status="final").exists()
    r = c.post(FINAL, q(kelompok_kabid, alasan="Penilaian sudah dikalibrasi dengan atasan."))
    assert r.status_code == 302
    assert Evaluasi.objects.filter(penilai=kelompok_kabid, status="final").count() == 7
    fin = FinalisasiKelompok.objects.get()
    assert fin.alasan == "Penilaian sudah dikalibrasi dengan atasan." and len(fin.pelanggaran) == 1
    html = c.get(r["Location"]).content.decode()
    assert "Semua evaluasi kelompok ini sudah final" in html and "Kelompok difinalisasi" in html


def test_block_mode_disables_the_button_and_refuses(p, kelompok_kabid):
    p.tim.instansi.distribusi_mode = "blokir"
    p.tim.instansi.save()
    c = klien(p.kabid)
    html = c.get(URL, q(kelompok_kabid)).content.decode()
    assert "Finalisasi diblokir: masih ada 1 pelanggaran pola distribusi" in html
    assert 'type="button" disabled' in html and 'name="alasan"' not in html
    r = c.post(FINAL, q(kelompok_kabid, alasan="tetap"))
    assert r.status_code == 400 and "Finalisasi ditolak" in r.content.decode()
    assert not Evaluasi.objects.filter(status="final").exists()


def test_without_violations_it_finalises_without_a_reason(p, kelompok_kabid):
    set_capaian(p, "istimewa")
    p.tim.instansi.distribusi_mode = "blokir"
    p.tim.instansi.save()
    c = klien(p.kabid)
    html = c.get(URL, q(kelompok_kabid)).content.decode()
    assert "Distribusi predikat sesuai pola distribusi" in html
    assert c.post(FINAL, q(kelompok_kabid)).status_code == 302
    assert Evaluasi.objects.filter(penilai=kelompok_kabid, status="final").count() == 7
    assert FinalisasiKelompok.objects.get().alasan == ""


def test_not_ready_explains_why(p):
    kabid = p.kabid.user
    services.set_rating(nilai_semua(buka(p.fungsional), kabid, S, S), kabid)
    html = klien(p.kabid).get(URL, {"periode": "1"}).content.decode()
    assert "Belum dapat difinalisasi" in html
    assert "Evaluasi belum dibuka dan dinilai untuk:" in html
    assert "belum ditetapkan; pola" in html


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("atasan", 302),
        ("penilai_lain", 403),
        ("pegawai", 403),
        ("admin", 403),
        ("admin_lain", 403),
        ("anonim", 302),
    ],
)
def test_finalise_permissions(p, kelompok_kabid, other_instansi, siapa, status):
    c = klien_dari(p, siapa)
    r = c.post(FINAL, q(kelompok_kabid, alasan="Sudah dikalibrasi."))
    assert r.status_code == status
    final = Evaluasi.objects.filter(status="final").count()
    assert final == (7 if siapa == "atasan" else 0)
    if siapa == "anonim":
        assert "/login/" in r["Location"]


# --- calibration ----------------------------------------------------------------------------------------


def test_kalibrasi_lists_the_groups_under_the_atasan(p, kelompok_kabid):
    r = klien(p.kepala).get(KALIBRASI, {"periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    assert p.kabid.nama in html
    assert "1 pelanggaran" in html
    assert f"penilai={kelompok_kabid.pk}" in html


def test_kalibrasi_counts_match_the_group_selector(p, kelompok_kabid):
    instansi = p.tim.instansi
    pilihan = sk.select_periode(instansi, "1")
    baris = sk.kalibrasi(p.kepala.user, instansi, pilihan)
    assert baris
    for r in baris:
        kel = selectors.kelompok(r.penilai, pilihan.pp, periode=pilihan.periode, unit=r.unit)
        assert r.anggota == len(kel.evaluasi) + len(kel.belum_dibuka), r.nama_penilai
        assert r.dinilai == sum(1 for e in kel.evaluasi if e.predikat)
        assert r.jumlah == kel.jumlah
        assert (r.capaian and r.capaian.pk) == (kel.capaian and kel.capaian.pk)


@pytest.mark.parametrize(
    ("siapa", "status", "ada"),
    [
        ("atasan", 200, True),
        ("penilai", 200, False),  # the kabid has bawahan but no penilai below: an empty state
        ("penilai_lain", 200, False),
        ("pegawai", 403, False),
        ("admin", 200, True),
        ("admin_lain", 200, False),
        ("anonim", 302, False),
    ],
)
def test_kalibrasi_permissions(p, kelompok_kabid, other_instansi, siapa, status, ada):
    c = klien_dari(p, siapa)
    r = c.get(KALIBRASI, {"periode": "1"})
    assert r.status_code == status
    if status == 200:
        assert (f"penilai={kelompok_kabid.pk}" in r.content.decode()) is ada


def test_minta_revisi_sends_one_notification(p, kelompok_kabid):
    c = klien(p.kepala)
    data = q(kelompok_kabid, pesan="Tinjau kembali tiga Sangat Baik.", token="abc123")
    r = c.post(REVISI, data)
    assert r.status_code == 302 and r["Location"].startswith(KALIBRASI)
    assert c.post(REVISI, data).status_code == 302  # a double submit: the same token
    notif = Notifikasi.objects.get(jenis="minta_revisi")
    assert notif.penerima == p.kabid.user
    assert "Tinjau kembali tiga Sangat Baik." in notif.isi
    assert notif.tautan.startswith(URL) and f"penilai={kelompok_kabid.pk}" in notif.tautan
    # An empty message is refused.
    r = c.post(REVISI, q(kelompok_kabid, pesan="  ", token="lain"))
    assert r.status_code == 302
    assert Notifikasi.objects.filter(jenis="minta_revisi").count() == 1


@pytest.mark.parametrize(
    ("siapa", "status"),
    [
        ("penilai", 403),
        ("penilai_lain", 403),
        ("pegawai", 403),
        ("admin", 403),
        ("admin_lain", 403),
        ("anonim", 302),
    ],
)
def test_minta_revisi_permissions(p, kelompok_kabid, other_instansi, siapa, status):
    c = klien_dari(p, siapa)
    r = c.post(REVISI, q(kelompok_kabid, pesan="Revisi", token="x1"))
    assert r.status_code == status
    assert not Notifikasi.objects.filter(jenis="minta_revisi").exists()


# --- "unit" groups (CONFIG) -----------------------------------------------------------------------------


def test_unit_groups_page_calibration_and_finalisation(p, kelompok_kabid):
    p.tim.instansi.kelompok_distribusi = "unit"
    p.tim.instansi.save()
    bidang = p.tim.bidang
    data = {"periode": "1", "unit": str(bidang.pk)}
    r = klien(p.kabid).get(URL, data)  # the head of the unit
    assert r.status_code == 200
    assert f"Kelompok penilaian {bidang.nama}" in r.content.decode()
    assert klien(p.kabid).get(URL, {"periode": "1"}).status_code == 200  # her own group, by default
    assert klien(p.kepala).get(URL, data).status_code == 200  # above the head
    assert klien(penilai_lain(p)).get(URL, data).status_code == 403
    assert klien(p.fungsional).get(URL, data).status_code == 403
    html = klien(p.kepala).get(KALIBRASI, {"periode": "1"}).content.decode()
    assert f"unit={bidang.pk}" in html and "1 pelanggaran" in html
    assert "penilai=" not in html.split("Kelompok penilaian", 1)[1]  # unit groups are named by unit
    r = klien(p.kepala).post(REVISI, {**data, "pesan": "Mohon ditinjau.", "token": "u1"})
    assert r.status_code == 302
    assert Notifikasi.objects.get(jenis="minta_revisi").penerima == p.kabid.user
    r = klien(p.kabid).post(FINAL, {**data, "alasan": "Sudah dikalibrasi."})
    assert r.status_code == 302
    fin = FinalisasiKelompok.objects.get()
    assert fin.kelompok == "unit" and fin.penilai is None and fin.unit_kelompok == bidang
    assert Evaluasi.objects.filter(unit_kelompok=bidang, status="final").count() == 7


def test_group_page_links_to_the_penetapan_documents_that_open(p, kelompok_kabid):
    """The group page's PDF/xlsx buttons name the same group, and the documents open for the penilai."""
    import re

    kabid = klien(p.kabid)
    html = kabid.get(URL, {"periode": "1"}).content.decode()
    links = re.findall(r'href="(/penilaian/kelompok/penetapan/(?:pdf|xlsx)/\?[^"]+)"', html)
    assert len(links) == 2, links
    for link in links:
        r = kabid.get(link.replace("&amp;", "&"))
        assert r.status_code == 200, link
        assert r.content[:4] in (b"%PDF", b"PK\x03\x04")
    ev = Evaluasi.objects.filter(pegawai=p.fungsional).first()
    page = klien(p.fungsional).get(f"/penilaian/evaluasi/{ev.pk}/").content.decode()
    pdf = re.search(r'href="(/penilaian/evaluasi/\d+/pdf/)"', page)
    assert pdf and klien(p.fungsional).get(pdf[1]).content[:4] == b"%PDF"


def test_kelompok_of_a_new_instansi_without_periode_explains_instead_of_404(db):
    # A newly created instansi (e.g. a Pemkab just imported) has no periode yet: its admin follows the
    # menu "Kelompok & pola distribusi" and gets the calibration page saying so, not a 404.
    from kinerja.organisasi import services as org_services

    _, admin = org_services.create_instansi(
        None,
        kode="KAB-BARU",
        nama="Pemerintah Kabupaten Baru",
        admin_username="admin-baru",
        admin_password="Sukamaju-Barat-2026!",
    )
    client = Client()
    client.force_login(admin)
    response = client.get(URL, follow=True)
    assert response.status_code == 200
    assert "Periode penilaian tahun ini belum dibuat" in response.content.decode()
    assert client.get(WHAT_IF).status_code == 404  # a fragment still answers 404


def test_not_opened_list_ends_with_one_full_stop_after_a_gelar(db):
    # "…, Sri Wahyuni, S.H., M.H." and never "M.H.." (docs/rules.md §15 wording).
    import re

    tim = b.atasan_dan_bawahan(bawahan={"nama": "Sri Wahyuni", "gelar_belakang": "S.H., M.H."})
    for peg in (tim.kepala, tim.atasan, tim.bawahan):
        b.skp_disetujui(peg)
    html = klien(tim.atasan).get(URL).content.decode()
    kalimat = re.findall(r"Evaluasi belum dibuka dan dinilai untuk: [^<]*", html)
    assert kalimat, "the kabid's group has a pegawai without an opened evaluation"
    # Sri Wahyuni is the only one listed, so the sentence ends with her gelar.
    assert any("Sri Wahyuni, S.H., M.H." in k for k in kalimat), kalimat
    assert all(not k.rstrip().endswith("..") for k in kalimat), kalimat


# --- on the demo: query counts on many rows, and the calibration page of the demo's kepala ------------------


def client_of(nip: str) -> Client:
    return b.klien(user_of(nip))


def set_capaian_demo(demo_instansi, nilai, kode="BPKP", oleh=KEPALA):  # type: ignore[no-untyped-def]
    skp = skp_of(KABID)
    services.set_capaian_organisasi(
        UnitKerja.objects.get(instansi=demo_instansi, kode=kode),
        skp.periode,
        tw(skp, 1),
        nilai,
        "",
        user_of(oleh),
    )


def test_kalibrasi_lists_the_demo_groups_under_the_kepala(demo_instansi, batas_evaluasi_terbuka, siap):
    """The kepala's calibration page names the demo's penilai below him; the kabid's group, rated three
    Sangat Baik and four Baik under capaian Baik, shows its violation."""
    kabid = user_of(KABID)
    for i, nip in enumerate(BAWAHAN_KABID):
        r = D if i < 3 else S
        services.set_rating(nilai_semua(siap(nip), kabid, r, r), kabid)
    set_capaian_demo(demo_instansi, "baik")
    r = client_of(KEPALA).get(KALIBRASI, {"periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    for nama in ("Ratna Sari Dewi", "Bambang Sutrisno", "Sri Wahyuni", "Agus Prasetyo", "Dewi Lestari"):
        assert nama in html
    assert "1 pelanggaran" in html
    assert f"penilai={kabid.pegawai.pk}" in html


def _kelompok_sintetis(n: int) -> Pegawai:
    """A penilai with ``n`` rated evaluations in TW I (rows written directly: only the reads are measured)."""
    kabid = skp_of(KABID)
    penilai, tw1 = kabid.pegawai, tw(kabid, 1)
    unit = UnitKerja.objects.get(kode="BPKP", instansi=kabid.instansi_id)
    pegawai = list(
        Pegawai.objects.filter(instansi_id=kabid.instansi_id).exclude(pk=penilai.pk).order_by("pk")[:n]
    )
    for i, p in enumerate(pegawai):
        skp = Skp.objects.filter(pegawai=p).first()
        r = [D, S][i % 2]
        Evaluasi.objects.create(
            instansi_id=kabid.instansi_id,
            jenis="periodik",
            skp=skp,
            pegawai=p,
            periode=kabid.periode,
            periode_penilaian=tw1,
            status="dinilai",
            penilai=penilai,
            atasan_penilai_id=kabid.penilai_id,
            unit=unit,
            unit_kelompok=unit,
            pegawai_nama=p.nama,
            pegawai_nip=p.nip,
            pegawai_jabatan="Analis",
            pegawai_unit=unit.nama,
            penilai_nama=penilai.nama,
            rating_hasil=r,
            saran_hasil=r,
            rating_perilaku=S,
            saran_perilaku=S,
        )
    return penilai


def _jumlah_query(c: Client, url: str, data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url, data)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_group_page_query_count_3_vs_12(demo_instansi, batas_evaluasi_terbuka):
    set_capaian_demo(demo_instansi, "baik")
    penilai = _kelompok_sintetis(3)
    c = client_of(KEPALA)
    data = {"periode": "1", "penilai": str(penilai.pk)}
    c.get(URL, data)  # the navigation's cached facts (kinerja/common/cache.py) are read once, before both
    kecil = (_jumlah_query(c, URL, data), _jumlah_query(c, WHAT_IF, {**data, "what_if": "kurang"}))
    Evaluasi.objects.all().delete()
    _kelompok_sintetis(12)
    besar = (_jumlah_query(c, URL, data), _jumlah_query(c, WHAT_IF, {**data, "what_if": "kurang"}))
    assert kecil == besar


def test_kalibrasi_query_count_2_vs_6_groups(demo_instansi, batas_evaluasi_terbuka, siap):
    # Every group gets an evaluation, so each one is read with its evaluations, SKP and capaian.
    for nip in ("199205062019032010", "199307242019022004", "197706082002122003", "198306052010012007"):
        siap(nip)
    siap(FUNGSIONAL)
    siap("198103152006041002")  # Agus Prasetyo, in the Sekretaris's group
    set_capaian_demo(demo_instansi, "baik", "SUBUM", SEKRETARIS)
    sekretaris = client_of(SEKRETARIS)  # two groups below: SUBUM and SUBPK
    kepala = client_of(KEPALA)  # six groups below
    pilihan = sk.select_periode(demo_instansi, "1")
    assert len(sk.kalibrasi(user_of(SEKRETARIS), demo_instansi, pilihan)) == 2
    assert len(sk.kalibrasi(user_of(KEPALA), demo_instansi, pilihan)) == 6
    assert _jumlah_query(sekretaris, KALIBRASI, {"periode": "1"}) == _jumlah_query(
        kepala, KALIBRASI, {"periode": "1"}
    )
