"""The capaian kinerja organisasi page: who sees which units and may set them, the suggestion fragment
(no thresholds → no suggestion, with a hint for the admin), the re-run notice after ratings exist, the
bulk "who sets it" against the service's rule, and a flat query count.

Cast (tests/builders.py, built once for the module), under the names of the demo's units: the kepala (Dr.
Hendra Gunawan) heads the top unit (BKPSDM); below it four units with a head each: the Sekretariat (SEKR,
with the Subbagian Umum and Perencanaan under it), Mutasi (BMP, the Kepala Bidang Mutasi), BPK, and the
kabid's bidang (BPKP: Ika, fungsional, and a pelaksana, both with an approved SKP). The bulk rule against
every user and the query count stay on the demo instansi.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions.penilaian import may_set_capaian_unit
from kinerja.rules.types import Rating
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi
from tests.penilaian.conftest import nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

URL = "/penilaian/capaian-organisasi/"
SARAN = "/penilaian/capaian-organisasi/saran/"
AMBANG = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    pelaksana: Pegawai  # Ika's colleague, rated by the kabid too
    kbmp: Pegawai  # Kepala Bidang Mutasi
    sekr: UnitKerja
    bmp: UnitKerja
    bpk: UnitKerja
    subum: UnitKerja
    subpk: UnitKerja

    @property
    def fungsional(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(
        jenis_bawahan="fungsional",
        kepala={"nama": "Hendra Gunawan", "gelar_depan": "Dr."},
        bawahan={"nama": "Ika Puspitasari"},
    )
    j_kepala = tim.kepala.penempatan.get().jabatan

    def unit_dipimpin(kode: str, nama: str, parent: UnitKerja, atasan: object) -> tuple[UnitKerja, Pegawai]:
        unit = b.UnitKerjaFactory(instansi=tim.instansi, parent=parent, kode=kode, nama=nama)
        jenis = "administrator" if parent == tim.unit else "pengawas"
        jab = b.JabatanFactory(
            unit=unit, nama=f"Kepala {nama}", jenis=jenis, parent=atasan, pimpinan_unit=True
        )
        return unit, b.pegawai_di(jab)

    sekr, sekretaris = unit_dipimpin("SEKR", "Sekretariat", tim.unit, j_kepala)
    j_sekr = sekretaris.penempatan.get().jabatan
    subum, _ = unit_dipimpin("SUBUM", "Subbagian Umum", sekr, j_sekr)
    subpk, _ = unit_dipimpin("SUBPK", "Subbagian Perencanaan", sekr, j_sekr)
    bmp, kbmp = unit_dipimpin("BMP", "Bidang Mutasi", tim.unit, j_kepala)
    bpk, _ = unit_dipimpin("BPK", "Bidang Pengembangan", tim.unit, j_kepala)
    pelaksana = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, parent=tim.atasan.penempatan.get().jabatan))
    for peg in (tim.kepala, tim.atasan, tim.bawahan, pelaksana):
        b.skp_disetujui(peg)
    perpanjang_batas_evaluasi(tim.instansi)
    return Pemeran(tim, pelaksana, kbmp, sekr, bmp, bpk, subum, subpk)


_p, p = b.pemeran_modul(_bangun, "p")


def client_of(pegawai: Pegawai) -> Client:
    return b.klien(pegawai.user)


def admin_client(user: User) -> Client:
    return b.klien(user)


def unit(p: Pemeran, kode: str) -> UnitKerja:
    """The cast's unit by the demo's code."""
    if kode == "BKPSDM":
        return p.tim.unit
    if kode == "BPKP":
        return p.tim.bidang
    return getattr(p, kode.lower())  # type: ignore[no-any-return]


def siap(pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
    return b.evaluasi_dibuka(skp, b.periode_penilaian(skp.periode, 1))


def clients(p: Pemeran) -> dict[str, object]:
    return {
        "kepala": lambda: client_of(p.kepala),
        "penilai": lambda: client_of(p.kabid),
        "penilai_lain": lambda: client_of(p.kbmp),
        "pegawai": lambda: client_of(p.fungsional),
        "admin": lambda: admin_client(p.tim.admin),
        "admin_lain": lambda: admin_client(User.objects.get(username="admin-lain")),
        "anonim": Client,
    }


def test_the_head_sees_the_units_below_with_a_form(p):
    r = client_of(p.kepala).get(URL, {"periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    for kode in ("SEKR", "BMP", "BPK", "BPKP"):
        assert f'id="unit-{unit(p, kode).pk}"' in html
    # Not the top unit he heads (its capaian becomes his own rating), nor those the Sekretaris sets.
    for kode in ("BKPSDM", "SUBUM", "SUBPK"):
        assert f'id="unit-{unit(p, kode).pk}"' not in html
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
def test_page_permissions(p, other_instansi, siapa, status):
    r = clients(p)[siapa]().get(URL, {"periode": "1"})
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        bpkp = f'id="unit-{unit(p, "BPKP").pk}"'
        assert (bpkp in html) is (siapa in ("kepala", "admin"))
    if siapa == "penilai":
        assert "Tidak ada unit kerja yang capaian organisasinya Anda tetapkan" in r.content.decode()


def test_admin_sees_every_unit_with_the_form_only_for_the_top_unit(p):
    html = admin_client(p.tim.admin).get(URL, {"periode": "1"}).content.decode()
    assert all(f'id="unit-{u.pk}"' in html for u in UnitKerja.objects.filter(instansi=p.tim.instansi))
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
def test_setting_permissions(p, other_instansi, siapa, status):
    bpkp = unit(p, "BPKP")
    r = clients(p)[siapa]().post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "baik", "catatan": "TW I"})
    assert r.status_code == status
    assert CapaianOrganisasiUnit.objects.filter(unit=bpkp).exists() is (siapa == "kepala")


def test_setting_records_value_note_who_and_when(p):
    c = client_of(p.kepala)
    bpkp = unit(p, "BPKP")
    r = c.post(
        URL, {"unit": bpkp.pk, "periode": "akhir", "nilai": "istimewa", "catatan": "Semua IKU tercapai"}
    )
    assert r.status_code == 302 and "periode=akhir" in r["Location"]
    obj = CapaianOrganisasiUnit.objects.get(unit=bpkp)
    assert obj.periode_penilaian is None and obj.nilai == "istimewa" and obj.catatan == "Semua IKU tercapai"
    html = c.get(r["Location"]).content.decode()
    assert "Istimewa" in html and "Semua IKU tercapai" in html and "Ditetapkan Dr. Hendra Gunawan" in html
    assert "Pemeriksaan dijalankan ulang" not in html  # nobody rated yet


def test_the_admin_sets_the_top_unit_recording_the_ppks_decision(p):
    top = unit(p, "BKPSDM")
    c = admin_client(p.tim.admin)
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


def test_the_instansi_head_cannot_post_his_own_top_unit(p):
    top = unit(p, "BKPSDM")
    r = client_of(p.kepala).post(URL, {"unit": top.pk, "periode": "1", "nilai": "istimewa", "catatan": ""})
    assert r.status_code == 403
    assert not CapaianOrganisasiUnit.objects.filter(unit=top).exists()


def test_a_bad_value_is_refused_on_the_row(p):
    bpkp = unit(p, "BPKP")
    r = client_of(p.kepala).post(
        URL, {"unit": bpkp.pk, "periode": "1", "nilai": "luar_biasa", "catatan": "x"}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Capaian kinerja organisasi tidak dikenal" in html
    assert ">x</textarea>" in html  # the note typed is kept
    assert not CapaianOrganisasiUnit.objects.exists()


def test_changing_after_ratings_links_the_affected_groups(p):
    kabid = p.kabid.user
    for peg in (p.fungsional, p.pelaksana):
        services.set_rating(nilai_semua(siap(peg), kabid, Rating.SESUAI, Rating.SESUAI), kabid)
    c = client_of(p.kepala)
    bpkp = unit(p, "BPKP")
    c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "baik", "catatan": ""})
    r = c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "istimewa", "catatan": "Direvisi"})
    html = c.get(r["Location"]).content.decode()
    assert "Pemeriksaan dijalankan ulang" in html
    penilai = p.kabid
    assert f"/penilaian/kelompok/?periode=1&amp;unit={bpkp.pk}&amp;penilai={penilai.pk}" in html
    assert "2 pegawai dinilai; pola distribusi" in html


def test_changing_a_heads_unit_links_the_heads_group(p):
    """The kabid heads BPKP: her rating hasil kerja follows its capaian, so her group (the kepala's) is
    listed too."""
    ev = siap(p.kabid)  # opened by the kepala, her penilai
    assert ev.unit_dipimpin_id == unit(p, "BPKP").pk
    kepala = p.kepala.user
    bpkp = unit(p, "BPKP")
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "baik", "", kepala)
    services.set_rating(nilai_semua(Evaluasi.objects.get(pk=ev.pk), kepala, "sesuai", "sesuai"), kepala)
    c = client_of(p.kepala)
    r = c.post(URL, {"unit": bpkp.pk, "periode": "1", "nilai": "istimewa", "catatan": ""})
    html = c.get(r["Location"]).content.decode()
    assert "rating hasil kerja pimpinan unit" in html
    assert Evaluasi.objects.get(pk=ev.pk).rating_hasil == "diatas"  # Istimewa → Diatas Ekspektasi


# --- the suggestion -------------------------------------------------------------------------------------


def test_no_thresholds_no_suggestion_and_a_hint_for_the_admin(p):
    top = unit(p, "BKPSDM")
    r = admin_client(p.tim.admin).get(SARAN, {"unit": top.pk, "periode": "1"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tidak ada saran" in html and "Pengaturan instansi" in html
    r = client_of(p.kepala).get(SARAN, {"unit": unit(p, "BPKP").pk, "periode": "1"})
    assert "Tidak ada saran" in r.content.decode() and "Pengaturan instansi" not in r.content.decode()


def test_with_thresholds_the_rows_load_a_suggestion(p):
    p.tim.instansi.ambang_capaian_organisasi = AMBANG
    p.tim.instansi.save()
    c = client_of(p.kepala)
    bpkp = unit(p, "BPKP")
    html = c.get(URL, {"periode": "1"}).content.decode()
    assert f'hx-get="{SARAN}?unit={bpkp.pk}&amp;periode=1"' in html
    r = c.get(SARAN, {"unit": bpkp.pk, "periode": "1"})
    assert r.status_code == 200
    saran = services.saran_capaian_organisasi(b.segar(bpkp), p.tim.pp(1))
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
def test_suggestion_permissions(p, other_instansi, siapa, status):
    r = clients(p)[siapa]().get(SARAN, {"unit": unit(p, "BPKP").pk, "periode": "1"})
    assert r.status_code == status


# --- who sets it, in bulk -------------------------------------------------------------------------------


def test_bulk_rule_matches_the_service_for_every_user_and_unit(demo_instansi, other_instansi):
    """Every unit of the demo against every login: the bulk rule and the service's agree."""
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

    c = admin_client(User.objects.get(username="admin"))

    def hitung() -> int:
        cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL, {"periode": "1"}).status_code == 200
        return len(ctx.captured_queries)

    sedikit = hitung()
    induk = UnitKerja.objects.get(instansi=demo_instansi, kode="BMP")
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
