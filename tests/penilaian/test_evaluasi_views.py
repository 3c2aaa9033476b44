"""Evaluation pages (docs/rules.md §15): the penilai's list, the pegawai's own evaluations, the admin's list
of the instansi, the page of one evaluation with its htmx rows, deciding, adjusting and reopening.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module): the kabid rates Ika (fungsional),
Rahmat (pelaksana) and five more; the kepala is their atasan penilai and the kabid's penilai; the Kepala
Bidang Mutasi (kbmp) heads a sibling bidang; "admin-lain" administers another instansi. The two list
query counts measure many rows and stay on the demo instansi.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi.models import Pegawai, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules import kuadran
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import Rating
from tests import builders as b
from tests.penilaian.conftest import (
    FUNGSIONAL,
    KABID,
    KBMP,
    Tujuh,
    buka,
    isi_realisasi,
    nilai_semua,
    skp_of,
    tw,
    user_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

HX = {"HTTP_HX_REQUEST": "true"}
DIUBAH = 'badge text-bg-warning">diubah dari saran<'


def klien(user: User | None) -> Client:
    return Client() if user is None else b.klien(user)


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


@pytest.fixture
def aktor(p, other_instansi):  # type: ignore[no-untyped-def]
    """name -> the User acting (None: anonymous)."""
    return {
        "pemilik": p.fungsional.user,
        "penilai": p.kabid.user,
        "atasan": p.kepala.user,
        "penilai_lain": p.kbmp.user,
        "admin": p.tim.admin,
        "admin_lain": User.objects.get(username="admin-lain"),
        "anonim": None,
    }


def url(name: str, *args: object) -> str:
    return reverse(f"penilaian:{name}", args=args)


def skp_dari(pegawai: Pegawai) -> Skp:
    return Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)


def _dinilai(p: Tujuh) -> Evaluasi:
    """Ika's TW I evaluation, every RHK and value rated Sesuai, the suggestions accepted."""
    return b.evaluasi_dinilai(skp_dari(p.fungsional), p.tim.pp(1))


def _status(resp) -> str:  # type: ignore[no-untyped-def]
    if resp.status_code == 302 and "/login/" in resp["Location"]:
        return "login"
    if resp.status_code == 302:
        return "ok"
    return str(resp.status_code)


# --- permission matrix -----------------------------------------------------------------------------------

SEMUA = ["pemilik", "penilai", "atasan", "penilai_lain", "admin", "admin_lain", "anonim"]


@pytest.mark.parametrize(
    "siapa,harap",
    list(zip(SEMUA, ["200", "200", "200", "403", "200", "403", "login"], strict=True)),
)
def test_reading_the_evaluation_page(p, aktor, siapa, harap):
    ev = _dinilai(p)
    resp = klien(aktor[siapa]).get(url("evaluasi", ev.pk))
    assert _status(resp) == harap


def test_missing_evaluation_is_404(aktor):
    assert klien(aktor["penilai"]).get(url("evaluasi", 999999)).status_code == 404
    assert klien(aktor["penilai"]).post(url("evaluasi_tetapkan", 999999)).status_code == 404


@pytest.mark.parametrize(
    "aksi,boleh",
    [
        ("rhk", {"penilai"}),
        ("tanpa", {"penilai"}),
        ("perilaku", {"penilai"}),
        ("tetapkan", {"penilai"}),
        ("sesuaikan", {"atasan"}),
    ],
)
def test_writes_only_by_the_role_the_service_allows(p, aktor, aksi, boleh):
    ev = _dinilai(p)
    row = ev.rating_rhk.order_by("urutan").first()
    target, data = {
        "rhk": (url("evaluasi_rhk", ev.pk, row.pk), {"rating": "diatas"}),
        "tanpa": (
            url("evaluasi_tanpa_realisasi", ev.pk, row.pk),
            {"tanpa": "on", "alasan": "Kegiatan ditunda."},
        ),
        "perilaku": (url("evaluasi_perilaku", ev.pk, "BP"), {"rating": "diatas"}),
        "tetapkan": (url("evaluasi_tetapkan", ev.pk), {}),
        "sesuaikan": (
            url("evaluasi_sesuaikan", ev.pk),
            {"rating_perilaku": "diatas", "alasan": "Kalibrasi pola distribusi."},
        ),
    }[aksi]
    for siapa in SEMUA:
        ev.refresh_from_db()
        resp = klien(aktor[siapa]).post(target, {**data, "versi": ev.versi})
        if siapa == "anonim":
            assert _status(resp) == "login"
        elif siapa in boleh:
            assert _status(resp) == "ok", siapa
        else:
            assert resp.status_code == 403, siapa


def test_reopen_only_by_the_admin_of_the_instansi(p, aktor):
    ev = _dinilai(p)
    Evaluasi.objects.filter(pk=ev.pk).update(status="final")
    for siapa in SEMUA:
        resp = klien(aktor[siapa]).post(url("evaluasi_buka_kembali", ev.pk), {"alasan": "Salah input."})
        harap = {"anonim": "login", "admin": "ok"}.get(siapa, "403")
        assert _status(resp) == harap, siapa
        if siapa == "admin":
            assert Evaluasi.objects.get(pk=ev.pk).status == "dibuka_kembali"
            Evaluasi.objects.filter(pk=ev.pk).update(status="final")


def test_opening_an_evaluation_from_the_list(p, aktor):
    skp = skp_dari(p.fungsional)
    for siapa in SEMUA:
        resp = klien(aktor[siapa]).post(url("mulai_evaluasi", skp.pk), {"periode": "1"})
        harap = {"anonim": "login", "penilai": "ok", "atasan": "ok", "admin": "ok"}.get(siapa, "403")
        assert _status(resp) == harap, siapa
    ev = Evaluasi.objects.get(pegawai=skp.pegawai, periode_penilaian=tw(skp, 1))
    assert klien(aktor["penilai"]).post(url("mulai_evaluasi", skp.pk), {"periode": "1"})["Location"] == url(
        "evaluasi", ev.pk
    )
    assert klien(aktor["penilai"]).post(url("mulai_evaluasi", skp.pk), {"periode": "9"}).status_code == 404
    assert klien(aktor["penilai"]).post(url("mulai_evaluasi", 999999), {"periode": "1"}).status_code == 404
    assert klien(aktor["penilai"]).get(url("mulai_evaluasi", skp.pk)).status_code == 405


def test_list_pages_by_role(p, aktor):
    _dinilai(p)
    assert _status(klien(None).get(url("index"))) == "login"
    for siapa in ("pemilik", "penilai", "atasan", "penilai_lain", "admin", "admin_lain"):
        assert klien(aktor[siapa]).get(url("index")).status_code == 200, siapa
    for siapa, harap in (
        ("pemilik", 403),
        ("penilai", 403),
        ("atasan", 403),
        ("admin", 200),
        ("admin_lain", 200),
    ):
        assert klien(aktor[siapa]).get(url("instansi_evaluasi")).status_code == harap, siapa
    # The other instansi's admin sees only their own instansi.
    lain = klien(aktor["admin_lain"]).get(url("instansi_evaluasi"), {"periode": "1"}).content.decode()
    assert "Ika Puspitasari" not in lain


# --- the penilai's list ------------------------------------------------------------------------------------


def test_penilai_list_shows_status_ratings_predikat_and_the_gate(p, aktor):
    ev = _dinilai(p)
    c = klien(aktor["penilai"])
    html = c.get(url("index"), {"periode": "1"}).content.decode()
    assert "Bawahan saya · Triwulan I" in html
    bawahan = p.skp_bawahan()
    assert len(bawahan) == 7
    for skp in bawahan:
        assert skp.pegawai_nama in html
    assert url("evaluasi", ev.pk) in html and "Sangat Baik" not in html  # Sesuai/Sesuai -> Baik
    assert ">Baik<" in html and ">Dinilai<" in html and ">Belum dibuka<" in html
    # TW IV has no realisasi yet: every RHK is counted by the gate; the annual tab is there too.
    html4 = c.get(url("index"), {"periode": "4"}).content.decode()
    n = skp_dari(p.fungsional).rhk.count()
    assert f"{n} dari {n} RHK tanpa realisasi" in html4
    assert "Akhir (tahunan)" in html4
    # The pegawai sees their own evaluation (read-only), not a bawahan list.
    saya = klien(aktor["pemilik"]).get(url("index")).content.decode()
    assert "Evaluasi saya" in saya and "Bawahan saya" not in saya and ">Baik<" in saya


# --- the evaluation page, through the UI -----------------------------------------------------------------


def _versi_halaman(html: str) -> int:
    return int(re.search(r'id="ev-versi" name="versi_halaman" value="(\d+)"', html).group(1))


def test_penilai_rates_through_the_page_and_accepts_the_suggestion(p):
    kabid = p.kabid.user
    skp = skp_dari(p.fungsional)
    isi_realisasi(skp, tw(skp, 1))
    c = klien(kabid)
    resp = c.post(url("mulai_evaluasi", skp.pk), {"periode": "1"})
    ev = Evaluasi.objects.get(pegawai=skp.pegawai, periode_penilaian=tw(skp, 1))
    assert resp["Location"] == url("evaluasi", ev.pk)
    html = c.get(resp["Location"]).content.decode()
    assert "Simpan rating" in html and "Tetapkan rating" in html
    versi = _versi_halaman(html)
    for row in ev.rating_rhk.order_by("urutan"):
        r = c.post(url("evaluasi_rhk", ev.pk, row.pk), {"rating": "diatas", "versi_halaman": versi}, **HX)
        body = r.content.decode()
        assert r.status_code == 200 and "Tersimpan" in body and f'id="nilai-rhk-{row.pk}"' in body
        assert 'hx-swap-oob="true"' in body
        versi = _versi_halaman(body)  # the page-level versi moves on with every save
    for n in BERAKHLAK:
        r = c.post(
            url("evaluasi_perilaku", ev.pk, n.kode), {"rating": "sesuai", "versi_halaman": versi}, **HX
        )
        assert r.status_code == 200 and "Tersimpan" in r.content.decode()
        versi = _versi_halaman(r.content.decode())
    assert "Diatas Ekspektasi" in r.content.decode()  # the suggestion box was refreshed out of band
    resp = c.post(url("evaluasi_tetapkan", ev.pk), {"versi": versi})
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert (ev.status, ev.rating_hasil, ev.rating_perilaku, ev.predikat) == (
        "dinilai",
        "diatas",
        "sesuai",
        "baik",
    )
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Rating ditetapkan" in html and ">Baik<" in html and DIUBAH not in html
    assert "Riwayat perubahan" in html and "Predikat kinerja" in html


def test_override_without_reason_is_refused_with_a_message_then_accepted_with_one(p):
    kabid = p.kabid.user
    ev = nilai_semua(buka(p.fungsional), kabid, "sesuai", "sesuai")
    c = klien(kabid)
    resp = c.post(url("evaluasi_tetapkan", ev.pk), {"rating_hasil": "diatas", "versi": ev.versi})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "berbeda dari saran (Sesuai Ekspektasi); tuliskan alasannya" in html
    ev.refresh_from_db()
    assert ev.status == "draft" and not ev.rating_hasil
    resp = c.post(
        url("evaluasi_tetapkan", ev.pk),
        {
            "rating_hasil": "diatas",
            "alasan_hasil": "Menyelesaikan dua regulasi di luar target.",
            "versi": ev.versi,
        },
    )
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert (ev.rating_hasil, ev.alasan_ubah_hasil) == ("diatas", "Menyelesaikan dua regulasi di luar target.")
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert DIUBAH in html and "Menyelesaikan dua regulasi di luar target." in html
    assert ev.predikat == kuadran.predikat(Rating.DIATAS, Rating.SESUAI).value
    assert f">{ev.get_predikat_display()}<" in html


def test_gate_lists_the_rhk_without_realisasi_and_the_mark_needs_a_reason(p):
    kabid = p.kabid.user
    skp = skp_dari(p.fungsional)
    ev = services.open_evaluasi(skp, tw(skp, 3), kabid)  # TW III: no realisasi in the test data
    ev = nilai_semua(ev, kabid, "sesuai", "sesuai")
    c = klien(kabid)
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    rows = list(ev.rating_rhk.order_by("urutan"))
    assert f"Belum dapat dinilai: {len(rows)} RHK belum memiliki realisasi" in html
    for row in rows:
        assert f'href="#rhk-{row.pk}"' in html
    resp = c.post(url("evaluasi_tetapkan", ev.pk), {"versi": ev.versi})
    assert resp.status_code == 200
    pesan = resp.content.decode()
    assert "Belum dapat dinilai" in pesan and rows[0].rhk_teks[:40] in pesan
    # Marking without a reason is refused in the row; with a reason the gate opens.
    r = c.post(url("evaluasi_tanpa_realisasi", ev.pk, rows[0].pk), {"tanpa": "on", "alasan": ""}, **HX)
    assert "Tuliskan alasan mengapa RHK ini tidak memiliki realisasi." in r.content.decode()
    for row in rows:
        ev.refresh_from_db()
        r = c.post(
            url("evaluasi_tanpa_realisasi", ev.pk, row.pk),
            {"tanpa": "on", "alasan": "Kegiatan dijadwalkan ulang ke tahun depan.", "versi": ev.versi},
            **HX,
        )
        assert "Tersimpan" in r.content.decode()
    ev.refresh_from_db()
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Belum dapat dinilai" not in html and "tidak ada realisasi" in html
    assert c.post(url("evaluasi_tetapkan", ev.pk), {"versi": ev.versi}).status_code == 302


def test_stale_versi_is_refused_in_the_row(p):
    kabid = p.kabid.user
    ev = buka(p.fungsional)
    row = ev.rating_rhk.order_by("urutan").first()
    lama = ev.versi
    services.rate_rhk(ev, row.rhk, "sesuai", "", kabid)  # another tab saved meanwhile
    r = klien(kabid).post(
        url("evaluasi_rhk", ev.pk, row.pk), {"rating": "diatas", "versi_halaman": lama}, **HX
    )
    body = r.content.decode()
    assert "sudah diubah di tab/perangkat lain" in body and "Muat ulang halaman" in body
    assert ev.rating_rhk.get(pk=row.pk).rating == "sesuai"


def test_without_htmx_a_row_save_redirects_with_a_message(p):
    kabid = p.kabid.user
    ev = buka(p.fungsional)
    row = ev.rating_rhk.order_by("urutan").first()
    c = klien(kabid)
    resp = c.post(
        url("evaluasi_rhk", ev.pk, row.pk), {"rating": "dibawah", "catatan": "Terlambat", "versi": ev.versi}
    )
    assert resp.status_code == 302 and resp["Location"] == url("evaluasi", ev.pk)
    assert ev.rating_rhk.get(pk=row.pk).rating == "dibawah"
    resp = c.post(url("evaluasi_rhk", ev.pk, row.pk), {"rating": "luar-biasa"}, follow=True)
    assert "Pilih salah satu rating." in resp.content.decode()


def test_owner_reads_without_any_form(p):
    ev = _dinilai(p)
    html = klien(p.fungsional.user).get(url("evaluasi", ev.pk)).content.decode()
    assert "hanya baca" in html and ">Baik<" in html
    for teks in (
        "Simpan rating",
        "Tetapkan rating",
        "Sesuaikan rating",
        "Buka kembali</button>",
        "Simpan tanda",
    ):
        assert teks not in html
    assert ev.pegawai_nama in html and ev.penilai_nama in html and ev.atasan_nama in html  # the snapshot


def test_atasan_adjusts_with_a_reason(p):
    ev = _dinilai(p)
    c = klien(p.kepala.user)
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Sesuaikan rating" in html and "Tetapkan rating" not in html
    resp = c.post(
        url("evaluasi_sesuaikan", ev.pk), {"rating_hasil": "dibawah", "alasan": "", "versi": ev.versi}
    )
    assert resp.status_code == 200 and "wajib disertai alasan" in resp.content.decode()
    resp = c.post(
        url("evaluasi_sesuaikan", ev.pk),
        {"rating_hasil": "dibawah", "alasan": "Kalibrasi: target utama belum tercapai.", "versi": ev.versi},
    )
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert ev.rating_hasil == "dibawah" and ev.predikat == "butuh_perbaikan"
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Disesuaikan atasan pejabat penilai: Kalibrasi: target utama belum tercapai." in html


def test_final_is_read_only_and_the_admin_reopens_with_a_reason_in_the_history(p):
    ev = _dinilai(p)
    Evaluasi.objects.filter(pk=ev.pk).update(status="final")
    for u in (p.kabid.user, p.kepala.user, p.tim.admin):
        html = klien(u).get(url("evaluasi", ev.pk)).content.decode()
        assert "sudah final" in html and "Simpan rating" not in html and "Tetapkan rating" not in html
        assert "Sesuaikan rating" not in html
    admin = klien(p.tim.admin)
    assert "Buka kembali</button>" in admin.get(url("evaluasi", ev.pk)).content.decode()
    resp = admin.post(url("evaluasi_buka_kembali", ev.pk), {"alasan": " "})
    assert resp.status_code == 200 and "wajib disertai alasan" in resp.content.decode()
    assert Evaluasi.objects.get(pk=ev.pk).status == "final"
    # A final evaluation refuses the penilai's rating in place.
    row = ev.rating_rhk.first()
    r = klien(p.kabid.user).post(url("evaluasi_rhk", ev.pk, row.pk), {"rating": "diatas"}, **HX)
    assert "sudah final" in r.content.decode()
    resp = admin.post(url("evaluasi_buka_kembali", ev.pk), {"alasan": "Rating RHK salah input."})
    assert resp.status_code == 302
    html = klien(p.kabid.user).get(url("evaluasi", ev.pk)).content.decode()
    assert "Dibuka kembali" in html and "Rating RHK salah input." in html and "Simpan rating" in html
    riwayat = html[html.index("Riwayat perubahan") :]
    assert "Alasan dibuka kembali" in riwayat and "Rating RHK salah input." in riwayat


def test_history_names_who_changed_what(p):
    kabid = p.kabid.user
    ev = buka(p.fungsional)
    row = ev.rating_rhk.order_by("urutan").first()
    services.rate_rhk(ev, row.rhk, "dibawah", "Terlambat dua minggu", kabid)
    html = klien(kabid).get(url("evaluasi", ev.pk)).content.decode()
    riwayat = html[html.index("Riwayat perubahan") :]
    assert kabid.pegawai.nama_lengkap in riwayat
    assert 'Rating: <span class="text-muted">—</span> → Dibawah Ekspektasi' in riwayat
    assert "Terlambat dua minggu" in riwayat


def test_head_of_unit_page_explains_the_capaian_organisasi(p):
    kepala = p.kepala.user
    skp = skp_dari(p.kabid)
    isi_realisasi(skp, tw(skp, 1))
    ev = services.open_evaluasi(skp, tw(skp, 1), kepala)
    c = klien(kepala)
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Pimpinan unit kerja: rating hasil kerja = capaian kinerja organisasi" in html
    assert "belum ditetapkan" in html
    assert 'name="rating_hasil"' not in html.split("Saran dan penetapan rating")[1]
    services.set_capaian_organisasi(
        ev.unit_dipimpin, skp.periode, tw(skp, 1), "baik", "IKU tercapai.", kepala
    )
    html = c.get(url("evaluasi", ev.pk)).content.decode()
    assert "Capaian kinerja organisasi Triwulan I: <strong>Baik</strong>" in html and "IKU tercapai." in html


def test_annual_page_shows_every_periodic_result(p):
    kabid = p.kabid.user
    _dinilai(p)
    ev = services.open_evaluasi(skp_dari(p.fungsional), None, kabid)
    html = klien(kabid).get(url("evaluasi", ev.pk)).content.decode()
    assert "Hasil evaluasi periodik" in html and "Triwulan I" in html and ">Baik<" in html
    assert "Rating periodik:" in html and "Triwulan I: Sesuai Ekspektasi" in html
    assert "Triwulan IV" in html  # the indikator table has every periode of the year


def test_admin_list_searches_and_filters_by_status(p):
    ev = _dinilai(p)
    c = klien(p.tim.admin)
    html = c.get(url("instansi_evaluasi"), {"periode": "1"}).content.decode()
    assert ev.pegawai_nama in html and url("evaluasi", ev.pk) in html
    html = c.get(url("instansi_evaluasi"), {"periode": "1", "q": "Ika"}).content.decode()
    assert ev.pegawai_nama in html and "Rahmat" not in html
    html = c.get(url("instansi_evaluasi"), {"periode": "1", "status": "belum_dibuka"}).content.decode()
    assert ev.pegawai_nama not in html and "Rahmat" in html
    html = c.get(url("instansi_evaluasi"), {"periode": "1", "status": "dinilai"}).content.decode()
    assert ev.pegawai_nama in html and "Rahmat" not in html


# --- query counts ----------------------------------------------------------------------------------------


def _hitung(c: Client, path: str, data: dict | None = None) -> int:
    cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(path, data or {}).status_code == 200
    return len(ctx.captured_queries)


def _tambah_rhk(skp: Skp, n: int) -> None:
    pp = tw(skp, 1)
    for i in range(n):
        rhk = Rhk.objects.create(
            skp=skp, jenis="utama" if i % 2 else "tambahan", teks=f"RHK uji {i}", urutan=50 + i
        )
        ind = Indikator.objects.create(rhk=rhk, teks=f"Indikator uji {i}", target_teks="Tercapai")
        Realisasi.objects.create(indikator=ind, periode_penilaian=pp, nilai_teks="Tercapai")


@pytest.mark.parametrize("tahunan", [False, True])
def test_evaluation_page_queries_do_not_grow_with_rhk(p, tahunan):
    kabid = p.kabid.user
    c = klien(kabid)
    counts = []
    for pegawai, jumlah in ((p.fungsional, 3), (p.pelaksana, 12)):
        skp = skp_dari(pegawai)
        _tambah_rhk(skp, jumlah - skp.rhk.count())
        isi_realisasi(skp, tw(skp, 1))
        ev = nilai_semua(services.open_evaluasi(skp, tw(skp, 1), kabid), kabid, "sesuai", "sesuai")
        if tahunan:
            ev = services.open_evaluasi(skp, None, kabid)
        counts.append((ev.rating_rhk.count(), _hitung(c, url("evaluasi", ev.pk))))
    (n_kecil, q_kecil), (n_besar, q_besar) = counts
    assert (n_kecil, n_besar) == (3, 12)
    assert q_besar == q_kecil, counts


def test_penilai_list_queries_do_not_grow_with_bawahan(batas_evaluasi_terbuka):
    kabid = user_of(KABID)
    periode = skp_of(FUNGSIONAL).periode
    c = klien(kabid)
    pp = tw(skp_of(FUNGSIONAL), 1)
    mine = Skp.objects.filter(periode=periode, status="disetujui", penilai=kabid.pegawai)
    # 3 bawahan: the others are moved to another penilai for the first measure.
    keep = list(mine.order_by("pk").values_list("pk", flat=True)[:3])
    others = list(mine.exclude(pk__in=keep).values_list("pk", flat=True))
    Skp.objects.filter(pk__in=others).update(penilai=user_of(KBMP).pegawai)
    for pk in keep[:2]:
        services.open_evaluasi(Skp.objects.get(pk=pk), pp, kabid)
    kecil = _hitung(c, url("index"), {"periode": "1"})
    # 12 bawahan: the kabid also becomes penilai of SKP of other units.
    lain = (
        Skp.objects.filter(periode=periode, status="disetujui", penilai__isnull=False)
        .exclude(pk__in=keep)
        .exclude(pegawai=kabid.pegawai)
        .order_by("pk")
    )
    Skp.objects.filter(pk__in=list(lain.values_list("pk", flat=True)[:9])).update(penilai=kabid.pegawai)
    assert mine.count() == 12
    for s in mine.exclude(pk__in=keep).order_by("pk")[:5]:
        services.open_evaluasi(s, pp, kabid)
    besar = _hitung(c, url("index"), {"periode": "1"})
    assert besar == kecil


def test_admin_list_queries_do_not_grow_with_rows(batas_evaluasi_terbuka, siap):
    c = klien(User.objects.get(username="admin"))
    kabid = user_of(KABID)
    services.set_rating(nilai_semua(siap(FUNGSIONAL), kabid, "sesuai", "sesuai"), kabid)  # Ika's TW I
    kecil = _hitung(c, url("instansi_evaluasi"), {"periode": "1", "q": "Ika"})  # one row
    siap("199304112019031003")
    besar = _hitung(c, url("instansi_evaluasi"), {"periode": "1"})  # every approved SKP, 50 a page
    assert "Ika Puspitasari" in c.get(url("instansi_evaluasi"), {"periode": "1"}).content.decode()
    assert besar == kecil
