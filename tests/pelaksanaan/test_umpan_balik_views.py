"""Umpan balik: the thread flow between penilai and pegawai, who may write, the phrase library, the
dashboard card and nav badge, and flat query counts on both feedback pages.

Cast (tests/pelaksanaan/conftest.py), by role: the kabid (atasan) is the penilai of the pelaksana
(bawahan, approved SKP 2026); the kepala is the pelaksana's atasan penilai; the fungsional is a colleague
of the pelaksana (a peer); the admin is the instansi's; `other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import PustakaUmpanBalik, Realisasi, UmpanBalik
from kinerja.pelaksanaan.umpan_balik.pustaka import PUSTAKA_AWAL, load_pustaka_awal
from kinerja.perencanaan.models import Indikator, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

PELAKSANA = "pelaksana"
KABID = "kabid"
KEPALA = "kepala"
FUNGSIONAL = "fungsional"
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


@pytest.fixture
def skp(tim: b.Tim) -> Skp:
    load_pustaka_awal()
    return Skp.objects.get(pegawai=tim.bawahan, status="disetujui")


@pytest.fixture
def realisasi(skp: Skp) -> Realisasi:
    indikator = Indikator.objects.filter(rhk__skp=skp).order_by("pk").first()
    return Realisasi.objects.create(
        indikator=indikator,
        periode_penilaian=skp.periode.periode_penilaian.get(nomor=3),
        nilai_teks="Selesai",
    )


def frasa(teks: str) -> PustakaUmpanBalik:
    return PustakaUmpanBalik.objects.get(instansi=None, teks=teks)


def kirim(who: User, skp: Skp, **data):  # type: ignore[no-untyped-def]
    return client_of(who).post(reverse("pelaksanaan:umpan_balik_kirim", args=[skp.pk]), data, **HTMX)


def test_starter_library_is_loaded_idempotently(db) -> None:  # type: ignore[no-untyped-def]
    jumlah = sum(len(v) for v in PUSTAKA_AWAL.values())
    load_pustaka_awal()
    assert load_pustaka_awal() == 0
    assert PustakaUmpanBalik.objects.filter(instansi=None).count() == jumlah >= 25
    assert set(PustakaUmpanBalik.objects.values_list("nada", flat=True)) == {
        "apresiasi",
        "perbaikan",
        "arahan",
    }


def test_thread_flow_penilai_posts_pegawai_reads_and_replies(
    orang: dict[str, User], skp: Skp, realisasi: Realisasi
) -> None:
    kabid, pelaksana = client_of(orang[KABID]), client_of(orang[PELAKSANA])
    page = kabid.get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Beri umpan balik" in html and "Lengkapi bukti dukung untuk realisasi ini." in html

    f = frasa("Lengkapi bukti dukung untuk realisasi ini.")
    response = kirim(
        orang[KABID], skp, item=f"realisasi:{realisasi.pk}", frasa=[f.pk], teks="Unggah notulen rapatnya."
    )
    assert response.status_code == 200
    assert f"Umpan balik untuk {skp.pegawai_nama} terkirim." in response.content.decode()
    utas = UmpanBalik.objects.get()
    assert utas.realisasi == realisasi and utas.periode_penilaian_id == realisasi.periode_penilaian_id
    assert utas.rhk_id == realisasi.indikator.rhk_id
    assert utas.teks == "Lengkapi bukti dukung untuk realisasi ini.\n\nUnggah notulen rapatnya."

    # The pegawai sees it, unread, on the dashboard and in the nav badge.
    beranda = pelaksana.get(reverse("dashboard:home")).content.decode()
    assert "Umpan balik terbaru" in beranda and "1 belum dibaca" in beranda
    assert "Unggah notulen rapatnya." in beranda

    # Opening the feedback page shows it as new, then marks it read.
    html = pelaksana.get(reverse("pelaksanaan:umpan_balik")).content.decode()
    assert "Lengkapi bukti dukung untuk realisasi ini." in html and ">baru<" in html
    assert "Realisasi Triwulan III" in html
    utas.refresh_from_db()
    assert utas.dibaca_pada is not None
    assert "belum dibaca" not in pelaksana.get(reverse("dashboard:home")).content.decode()

    # The pegawai replies; the reply stays on the same item and periode.
    response = pelaksana.post(
        reverse("pelaksanaan:umpan_balik_balas", args=[utas.pk]), {"teks": "Baik, sudah saya unggah."}, **HTMX
    )
    assert response.status_code == 200 and "Baik, sudah saya unggah." in response.content.decode()
    balasan = UmpanBalik.objects.get(induk=utas)
    assert balasan.realisasi_id == realisasi.pk
    assert balasan.periode_penilaian_id == utas.periode_penilaian_id

    # The penilai sees the reply as new (nav badge + page), then it is read.
    beranda = kabid.get(reverse("dashboard:home")).content.decode()
    assert "belum dibaca</span></span>" in beranda  # nav badge
    html = kabid.get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])).content.decode()
    assert "Baik, sudah saya unggah." in html and ">baru<" in html
    balasan.refresh_from_db()
    assert balasan.dibaca_pada is not None


def test_feedback_on_rhk_and_perilaku_with_periode(orang: dict[str, User], skp: Skp) -> None:
    rhk = skp.rhk.order_by("pk").first()
    tw2 = skp.periode.periode_penilaian.get(nomor=2)
    kirim(orang[KABID], skp, item=f"rhk:{rhk.pk}", periode=str(tw2.pk), teks="Fokus pada RHK ini.")
    kirim(
        orang[KEPALA], skp, item="perilaku:BP", teks="Pelayanan sangat baik."
    )  # atasan penilai may write too
    assert UmpanBalik.objects.filter(rhk=rhk, periode_penilaian=tw2).exists()
    assert UmpanBalik.objects.filter(perilaku_kode="BP", periode_penilaian=None).exists()
    html = client_of(orang[PELAKSANA]).get(reverse("pelaksanaan:umpan_balik")).content.decode()
    assert "Berorientasi Pelayanan" in html and "Sepanjang tahun 2026" in html and "Triwulan II 2026" in html


@pytest.mark.parametrize(
    ("data", "pesan"),
    [
        ({"item": "", "teks": "x"}, "Pilih RHK, realisasi, atau nilai perilaku"),
        ({"item": "perilaku:BP", "teks": "  "}, "Pilih frasa dari pustaka atau tulis umpan balik."),
        ({"item": "rhk:999999", "teks": "x"}, "RHK tidak ditemukan pada SKP ini."),
    ],
)
def test_invalid_feedback_gets_a_message(orang: dict[str, User], skp: Skp, data, pesan) -> None:  # type: ignore[no-untyped-def]
    response = kirim(orang[KABID], skp, **data)
    assert pesan in response.content.decode()
    assert not UmpanBalik.objects.exists()


def test_rhk_of_another_skp_refused(orang: dict[str, User], skp: Skp) -> None:
    lain = Skp.objects.exclude(pk=skp.pk).filter(rhk__isnull=False).first()
    rhk = lain.rhk.first()
    assert "RHK tidak ditemukan" in kirim(orang[KABID], skp, item=f"rhk:{rhk.pk}", teks="x").content.decode()
    assert not UmpanBalik.objects.exists()


@pytest.mark.parametrize("who", [PELAKSANA, FUNGSIONAL, "admin"])
def test_only_penilai_and_atasan_penilai_post_feedback(orang: dict[str, User], skp: Skp, who: str) -> None:
    response = kirim(orang[who], skp, item="perilaku:AK", teks="Saya mau menilai.")
    assert response.status_code == 403
    assert not UmpanBalik.objects.exists()


def test_who_may_read_and_reply(orang: dict[str, User], skp: Skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    url = reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])
    assert client_of(orang[FUNGSIONAL]).get(url).status_code == 403
    assert client_of("admin-lain").get(url).status_code == 403
    admin = client_of(orang["admin"]).get(url)  # the instansi's admin reads, without the form
    assert admin.status_code == 200 and "Kirim umpan balik" not in admin.content.decode()
    owner = client_of(orang[PELAKSANA]).get(url)
    assert owner.status_code == 200 and "Kirim umpan balik" not in owner.content.decode()

    kirim(orang[KABID], skp, item="perilaku:AK", teks="Akuntabel.")
    utas = UmpanBalik.objects.get()
    balas = reverse("pelaksanaan:umpan_balik_balas", args=[utas.pk])
    assert client_of(orang[FUNGSIONAL]).post(balas, {"teks": "x"}, **HTMX).status_code == 403
    assert client_of("admin-lain").post(balas, {"teks": "x"}, **HTMX).status_code == 403
    assert client_of(orang["admin"]).post(balas, {"teks": "x"}, **HTMX).status_code == 403
    assert UmpanBalik.objects.count() == 1


def test_penilai_saves_own_phrase_to_the_instansi_library(orang: dict[str, User], skp: Skp) -> None:
    kirim(
        orang[KABID], skp, item="perilaku:KO", teks="Aktif berbagi data antarbidang.", simpan_nada="apresiasi"
    )
    f = PustakaUmpanBalik.objects.get(teks="Aktif berbagi data antarbidang.")
    assert f.instansi_id == skp.instansi_id and f.nada == "apresiasi"
    # It appears in the picker next time, marked as the instansi's.
    html = client_of(orang[KABID]).get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])).content.decode()
    assert "Aktif berbagi data antarbidang." in html


def _utas(skp: Skp, realisasi: Realisasi, n: int, kabid: User, pelaksana: User) -> None:
    for i in range(n):
        root = UmpanBalik.objects.create(
            skp=skp,
            realisasi=realisasi,
            rhk_id=realisasi.indikator.rhk_id,
            periode_penilaian=realisasi.periode_penilaian,
            teks=f"Umpan balik {i}",
            oleh=kabid,
        )
        UmpanBalik.objects.create(
            skp=skp,
            induk=root,
            realisasi=realisasi,
            periode_penilaian=realisasi.periode_penilaian,
            teks="Balasan",
            oleh=pelaksana,
        )
        UmpanBalik.objects.create(skp=skp, perilaku_kode="HA", teks=f"Perilaku {i}", oleh=kabid)


@pytest.mark.parametrize(("who", "url_name"), [(KABID, "skp"), (PELAKSANA, "saya")])
def test_query_count_flat_in_number_of_threads(
    orang: dict[str, User], skp: Skp, realisasi: Realisasi, who: str, url_name: str
) -> None:
    c = client_of(orang[who])
    url = (
        reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])
        if url_name == "skp"
        else reverse("pelaksanaan:umpan_balik")
    )

    def hitung() -> int:
        cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    _utas(skp, realisasi, 2, orang[KABID], orang[PELAKSANA])
    c.get(url)
    sedikit = hitung()
    _utas(skp, realisasi, 15, orang[KABID], orang[PELAKSANA])
    banyak = hitung()
    assert banyak == sedikit, f"{sedikit} queries for 4 threads, {banyak} for 34"


def test_admin_reads_feedback_without_a_dead_link(tim: b.Tim) -> None:
    """The admin (no pegawai) reads an SKP's feedback page; its breadcrumb leads to the pegawai, not to the
    pegawai-only "my feedback" page (403 for them)."""
    from kinerja.perencanaan.models import Skp

    skp = Skp.objects.get(pegawai=tim.bawahan, status="disetujui")  # has a penilai
    admin = Client()
    admin.force_login(tim.admin)
    r = admin.get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert reverse("organisasi:pegawai_detail", args=[skp.pegawai_id]) in html
    assert admin.get(reverse("pelaksanaan:umpan_balik")).status_code == 403
    assert f'<li class="breadcrumb-item"><a href="{reverse("pelaksanaan:umpan_balik")}"' not in html
