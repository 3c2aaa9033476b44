"""Realisasi pages: who may see and write, the lock shown, htmx saves (including the stale-tab refusal),
rencana aksi editing, the admin's unlock page, navigation links and flat query counts.

Time is frozen at 24 November 2026 10:00 (TW I–III locked, TW IV open) by patching timezone.now.

Cast (tests/pelaksanaan/conftest.py): the bawahan (pelaksana, kualitatif SKP) rated by the atasan; the
kepala (JPT, kuantitatif SKP, no penilai); a colleague of the bawahan; the instansi's admin;
`other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


def skp_of(pegawai: Pegawai) -> Skp:
    return Skp.objects.filter(pegawai=pegawai).order_by("-mulai").first()  # type: ignore[return-value]


def first_indikator(skp: Skp) -> Indikator:
    return Indikator.objects.filter(rhk__skp=skp).order_by(
        "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk"
    )[0]


def simpan_url(skp: Skp, ind: Indikator, nomor: int) -> str:
    return reverse("pelaksanaan:realisasi_simpan", args=[skp.pk, ind.pk, nomor])


# --- pages and permissions --------------------------------------------------------------------------------


def test_pegawai_melihat_halamannya_dengan_periode_berjalan_terbuka(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    r = client_of(pemilik).get(reverse("pelaksanaan:realisasi"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Realisasi Triwulan IV 2026" in html
    assert "Pengisian Triwulan IV terbuka sampai 5 Januari 2027." in html
    assert "Simpan realisasi" in html and 'name="i' in html and 'type="hidden" name="i' in html
    skp = skp_of(tim.bawahan)
    assert Rhk.objects.filter(skp=skp).first().teks in html  # type: ignore[union-attr]
    assert ">Realisasi</a>" in html  # nav item


def test_periode_lewat_batas_terkunci_dengan_alasan(pemilik) -> None:  # type: ignore[no-untyped-def]
    r = client_of(pemilik).get(reverse("pelaksanaan:realisasi") + "?periode=2")
    html = r.content.decode()
    assert "Realisasi Triwulan II 2026" in html
    assert (
        "Batas pengisian Triwulan II (5 Juli 2026) sudah lewat. Minta admin kepegawaian membuka kunci."
        in html
    )
    assert "Simpan realisasi" not in html


def test_periode_tidak_dikenal_memakai_bawaan(pemilik) -> None:  # type: ignore[no-untyped-def]
    r = client_of(pemilik).get(reverse("pelaksanaan:realisasi") + "?periode=abc")
    assert "Realisasi Triwulan IV 2026" in r.content.decode()


def test_penilai_dan_admin_hanya_membaca(tim, penilai) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    url = reverse("pelaksanaan:realisasi_skp", args=[skp.pk])
    for who in (penilai, tim.admin):
        r = client_of(who).get(url)
        assert r.status_code == 200
        html = r.content.decode()
        assert "(hanya baca)" in html and "Simpan realisasi" not in html and "Tambah" not in html
    ind = first_indikator(skp)
    r = client_of(penilai).post(simpan_url(skp, ind, 4), {f"i{ind.pk}-nilai_teks": "x"}, **HTMX)
    assert r.status_code == 403
    assert not Realisasi.objects.filter(indikator=ind).exists()


def test_pegawai_lain_dan_admin_instansi_lain_403(tim, rekan, other_instansi) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    ind = first_indikator(skp)
    rhk = ind.rhk
    for who in (rekan, "admin-lain"):
        c = client_of(who)
        assert c.get(reverse("pelaksanaan:realisasi_skp", args=[skp.pk])).status_code == 403
        assert c.post(simpan_url(skp, ind, 4), {f"i{ind.pk}-nilai_teks": "x"}, **HTMX).status_code == 403
        assert (
            c.post(
                reverse("pelaksanaan:rencana_aksi", args=[skp.pk, rhk.pk, 4]), {"teks": "x"}, **HTMX
            ).status_code
            == 403
        )
    assert not Realisasi.objects.exists() and not RencanaAksi.objects.exists()
    assert client_of(rekan).get(reverse("pelaksanaan:realisasi_skp", args=[999999])).status_code == 404


def test_halaman_skp_menautkan_isi_realisasi(tim, pemilik, penilai) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    html = client_of(pemilik).get(reverse("skp:detail", args=[skp.pk])).content.decode()
    assert "Isi realisasi" in html and reverse("pelaksanaan:realisasi_skp", args=[skp.pk]) in html
    assert "Lihat realisasi" in client_of(penilai).get(reverse("skp:detail", args=[skp.pk])).content.decode()


def test_tanpa_skp_disetujui(tim) -> None:  # type: ignore[no-untyped-def]
    baru = b.pegawai_di(tim.bawahan.penempatan.get().jabatan)
    b.SkpFactory(pegawai=baru, periode=tim.periode)  # a draft SKP
    r = client_of(baru.user).get(reverse("pelaksanaan:realisasi"))
    assert r.status_code == 200
    assert "setelah SKP Anda disetujui" in r.content.decode()


# --- htmx saves -------------------------------------------------------------------------------------------


def test_simpan_realisasi_htmx_dan_tab_lama_ditolak(tim) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.kepala)
    ind = first_indikator(skp)
    IndikatorTargetPeriode.objects.filter(indikator=ind, nomor=4).update(target_angka=80)
    Indikator.objects.filter(pk=ind.pk).update(polaritas="maximize")
    c = client_of(tim.kepala.user)
    p = f"i{ind.pk}-"
    r = c.post(
        simpan_url(skp, ind, 4), {p + "nilai_angka": "72", p + "narasi": "Survei", p + "versi": "0"}, **HTMX
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tersimpan" in html and "90%" in html and "text-bg-warning" in html  # 72 / 80
    assert 'value="1"' in html  # the new versi for the next save
    # A second tab still holding versi 0 is refused in place; nothing is overwritten.
    r = c.post(simpan_url(skp, ind, 4), {p + "nilai_angka": "10", p + "versi": "0"}, **HTMX)
    html = r.content.decode()
    assert "sudah diubah di tab/perangkat lain" in html and "Muat ulang halaman" in html
    assert Realisasi.objects.get(indikator=ind).nilai_angka == Decimal(72)
    # Decimal comma, and a bad number shown at the field.
    r = c.post(simpan_url(skp, ind, 4), {p + "nilai_angka": "81,5", p + "versi": "1"}, **HTMX)
    assert "Tersimpan" in r.content.decode()
    assert Realisasi.objects.get(indikator=ind).nilai_angka == Decimal("81.5")
    r = c.post(simpan_url(skp, ind, 4), {p + "nilai_angka": "banyak", p + "versi": "2"}, **HTMX)
    assert "Isi dengan angka" in r.content.decode()


def test_simpan_ditolak_setelah_batas(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    ind = first_indikator(skp)
    r = client_of(pemilik).post(
        simpan_url(skp, ind, 3), {f"i{ind.pk}-nilai_teks": "Selesai", f"i{ind.pk}-versi": "0"}, **HTMX
    )
    assert "Batas pengisian Triwulan III (5 Oktober 2026) sudah lewat" in r.content.decode()
    assert not Realisasi.objects.exists()


def test_rencana_aksi_tambah_ubah_hapus(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    rhk = Rhk.objects.filter(skp=skp).first()
    assert rhk is not None
    c = client_of(pemilik)
    url = reverse("pelaksanaan:rencana_aksi", args=[skp.pk, rhk.pk, 4])
    assert "Rencana aksi baru" in c.get(url + "?tambah=1", **HTMX).content.decode()
    r = c.post(url, {"teks": "Mendigitalkan arsip 2025"}, **HTMX)
    assert r.status_code == 200 and "Mendigitalkan arsip 2025" in r.content.decode()
    aksi = RencanaAksi.objects.get(rhk=rhk)
    assert aksi.periode_penilaian.nomor == 4
    ubah = reverse("pelaksanaan:rencana_aksi_ubah", args=[aksi.pk])
    hapus = reverse("pelaksanaan:rencana_aksi_hapus", args=[aksi.pk])
    for blok in (
        r.content.decode(),
        c.get(url, **HTMX).content.decode(),
    ):  # the block's links, set by the view
        assert (
            f'hx-get="{url}?tambah=1"' in blok and f'hx-get="{ubah}"' in blok and f'hx-post="{hapus}"' in blok
        )
    assert 'name="versi" value="1"' in c.get(ubah, **HTMX).content.decode()
    c.post(ubah, {"teks": "Mendigitalkan arsip 2024–2025", "versi": "1"}, **HTMX)
    r = c.post(ubah, {"teks": "Tab lama", "versi": "1"}, **HTMX)
    assert "sudah diubah" in r.content.decode()
    assert RencanaAksi.objects.get(pk=aksi.pk).teks == "Mendigitalkan arsip 2024–2025"
    r = c.post(url, {"teks": ""}, **HTMX)
    assert "wajib diisi" in r.content.decode().lower()
    c.post(reverse("pelaksanaan:rencana_aksi_hapus", args=[aksi.pk]), {"versi": "2"}, **HTMX)
    assert not RencanaAksi.objects.filter(pk=aksi.pk).exists()


# --- admin unlock page ------------------------------------------------------------------------------------


def test_admin_membuka_kunci_lalu_pegawai_dapat_mengisi(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    tw3 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=3)
    admin = client_of(tim.admin)
    page = admin.get(reverse("pelaksanaan:buka_kunci"))
    assert page.status_code == 200 and "Tidak ada kunci yang sedang dibuka" in page.content.decode()
    r = admin.post(
        reverse("pelaksanaan:buka_kunci"),
        {"pegawai": skp.pegawai_id, "periode_penilaian": tw3.pk, "alasan": "Cuti sakit"},
        follow=True,
    )
    html = r.content.decode()
    assert "dibuka sampai 1 Desember 2026 pukul 10.00" in html and "Cuti sakit" in html
    kunci = BukaKunci.objects.get()
    assert kunci.history.first().history_user == tim.admin  # type: ignore[union-attr]
    page = client_of(pemilik).get(reverse("pelaksanaan:realisasi") + "?periode=3").content.decode()
    assert "dibuka kembali oleh admin kepegawaian" in page and "Simpan realisasi" in page
    ind = first_indikator(skp)
    client_of(pemilik).post(
        simpan_url(skp, ind, 3), {f"i{ind.pk}-nilai_teks": "Selesai", f"i{ind.pk}-versi": "0"}, **HTMX
    )
    assert Realisasi.objects.get(indikator=ind).terlambat is True


def test_buka_kunci_tanpa_alasan_dan_bukan_admin(tim, penilai, other_instansi) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    tw3 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=3)
    r = client_of(tim.admin).post(
        reverse("pelaksanaan:buka_kunci"),
        {"pegawai": skp.pegawai_id, "periode_penilaian": tw3.pk, "alasan": ""},
    )
    assert r.status_code == 200 and "wajib" in r.content.decode().lower()
    assert client_of(penilai).get(reverse("pelaksanaan:buka_kunci")).status_code == 403
    # Another instansi's admin cannot pick this instansi's pegawai (not in their list).
    r = client_of("admin-lain").post(
        reverse("pelaksanaan:buka_kunci"),
        {"pegawai": skp.pegawai_id, "periode_penilaian": tw3.pk, "alasan": "x"},
    )
    assert r.status_code == 200
    assert not BukaKunci.objects.exists()
    assert "Buka kunci realisasi" in client_of(tim.admin).get("/").content.decode()  # admin menu


# --- query counts -----------------------------------------------------------------------------------------


def _tambah_indikator(skp: Skp, jumlah_rhk: int, per_rhk: int) -> None:
    periode = list(PeriodePenilaian.objects.filter(periode=skp.periode))
    for n in range(jumlah_rhk):
        rhk = Rhk.objects.create(skp=skp, teks=f"RHK uji {n}", jenis="utama", urutan=50 + n)
        for k in range(per_rhk):
            ind = Indikator.objects.create(
                rhk=rhk, teks=f"Indikator {n}.{k}", target_angka=10, satuan="laporan", konsolidasi="sum"
            )
            for p in periode:
                IndikatorTargetPeriode.objects.create(indikator=ind, nomor=p.nomor, target_angka=Decimal(3))
                Realisasi.objects.create(indikator=ind, periode_penilaian=p, nilai_angka=2)
            RencanaAksi.objects.create(rhk=rhk, periode_penilaian=periode[-1], teks="aksi")


def _queries(username: str, url: str) -> int:
    c = client_of(username)
    c.get(url)  # warm up session/user caches
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_jumlah_query_datar(tim) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.kepala)
    Indikator.objects.filter(rhk__skp=skp).delete()
    url = reverse("pelaksanaan:realisasi") + "?periode=4"
    _tambah_indikator(skp, 1, 5)
    sedikit = _queries(tim.kepala.user, url)
    _tambah_indikator(skp, 5, 5)
    banyak = _queries(tim.kepala.user, url)
    assert Indikator.objects.filter(rhk__skp=skp).count() == 30
    assert banyak == sedikit, (sedikit, banyak)
    penilai_url = reverse("pelaksanaan:realisasi_skp", args=[skp.pk]) + "?periode=4"
    assert _queries(tim.admin, penilai_url) < 40


def test_pegawai_tanpa_data_pegawai(tim) -> None:  # type: ignore[no-untyped-def]
    assert client_of(tim.admin).get(reverse("pelaksanaan:realisasi")).status_code == 403
    assert Pegawai.objects.exists()


# --- "Diubah ... oleh ..." under each rencana aksi ---------------------------------------------------------


def test_rencana_aksi_menampilkan_terakhir_diubah_oleh(tim, pemilik, penilai, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.bawahan)
    rhk = Rhk.objects.filter(skp=skp).first()
    assert rhk is not None
    c = client_of(pemilik)
    nama = tim.bawahan.nama_lengkap
    r = c.post(
        reverse("pelaksanaan:rencana_aksi", args=[skp.pk, rhk.pk, 4]), {"teks": "Mendigitalkan arsip"}, **HTMX
    )
    assert f"Diubah 24 November 2026 10.00 oleh {nama}" in r.content.decode()
    halaman = reverse("pelaksanaan:realisasi") + "?periode=4"
    assert f"Diubah 24 November 2026 10.00 oleh {nama}" in c.get(halaman).content.decode()
    # The line follows the latest history record: a later change by someone else names them.
    later = NOW + datetime.timedelta(hours=2, minutes=5)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    aksi = RencanaAksi.objects.get(rhk=rhk, teks="Mendigitalkan arsip")
    kabid = penilai
    aksi._history_user = kabid  # type: ignore[attr-defined]
    aksi.save()
    html = client_of(tim.admin).get(reverse("pelaksanaan:realisasi_skp", args=[skp.pk]) + "?periode=4")
    assert f"Diubah 24 November 2026 12.05 oleh {kabid.pegawai.nama_lengkap}" in html.content.decode()
    # Without an author in its history (written by a script) it says so.
    RencanaAksi.history.filter(id=aksi.pk).update(history_user=None)
    assert "Diubah 24 November 2026 12.05 oleh sistem" in c.get(halaman).content.decode()


def _aksi_oleh_banyak_pengguna(skp: Skp, jumlah_rhk: int, mulai: int = 0) -> None:
    """RHK with two rencana aksi in TW IV each, written by different users (the history's authors)."""
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    penulis = list(User.objects.filter(pegawai__instansi=skp.instansi_id).order_by("pk")[:4])
    for n in range(mulai, mulai + jumlah_rhk):
        rhk = Rhk.objects.create(skp=skp, teks=f"RHK aksi {n}", jenis="utama", urutan=80 + n)
        for k in range(2):
            aksi = RencanaAksi(rhk=rhk, periode_penilaian=tw4, teks=f"Aksi {n}.{k}", urutan=k)
            aksi._history_user = penulis[(n + k) % len(penulis)]  # type: ignore[attr-defined]
            aksi.save()


def test_baris_diubah_rencana_aksi_tanpa_query_per_baris(tim) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(tim.kepala)
    url = reverse("pelaksanaan:realisasi") + "?periode=4"
    _aksi_oleh_banyak_pengguna(skp, 1)
    sedikit = _queries(tim.kepala.user, url)
    _aksi_oleh_banyak_pengguna(skp, 6, mulai=1)
    banyak = _queries(tim.kepala.user, url)
    assert banyak == sedikit, (sedikit, banyak)
    html = client_of(tim.kepala.user).get(url).content.decode()
    jumlah = RencanaAksi.objects.filter(rhk__skp=skp, periode_penilaian__nomor=4).count()
    assert jumlah >= 14 and html.count("Diubah 24 November 2026 10.00 oleh") == jumlah
    assert "oleh sistem" not in html
    for u in User.objects.filter(pegawai__instansi=skp.instansi_id).order_by("pk")[:4]:
        assert f"oleh {u.pegawai.nama_lengkap}" in html
