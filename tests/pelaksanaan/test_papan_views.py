"""Monitoring boards: the penilai's board (content, filters, sort, flat query count), the unit roll-up
with drill-down, the admin's progress pengisian and its xlsx, the RHK roll-up, and who may see what.

Time is frozen at 24 November 2026 10:00 (TW I–III past their deadlines, TW IV running).

Cast: the bench builders' teams for counts and flags; otherwise tests/pelaksanaan/conftest.py (`orang`):
the kepala heads the instansi, the kabid heads a bidang and rates the pelaksana, the fungsional is the
pelaksana's colleague; `other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi.models import Instansi, Pegawai, Periode, UnitKerja, User
from kinerja.pelaksanaan import selectors, services
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp

pytestmark = pytest.mark.django_db

# Roles of the cast (keys of `orang`).
KEPALA = "kepala"
KABID = "kabid"
FUNGSIONAL = "fungsional"
PELAKSANA = "pelaksana"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PAPAN = reverse("pelaksanaan:papan")
PROGRES = reverse("pelaksanaan:papan_progres")
ROLLUP = reverse("pelaksanaan:papan_rollup")


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


def tim_bench(n: int, kode: str) -> bench.Tim:
    instansi, periode = bench.create_instansi(kode, 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, n)
    return t


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- penilai board ----------------------------------------------------------------------------------------


def test_jumlah_query_papan_penilai_tidak_bertambah_dengan_jumlah_bawahan(db) -> None:  # type: ignore[no-untyped-def]
    kecil, besar = tim_bench(10, "PAPAN-10"), tim_bench(100, "PAPAN-100")
    c_kecil, c_besar = client_of(kecil.user), client_of(besar.user)
    queries(c_kecil, PAPAN), queries(c_besar, PAPAN)  # warm per-user caches alike
    n_kecil, n_besar = queries(c_kecil, PAPAN), queries(c_besar, PAPAN)
    assert n_kecil == n_besar
    assert n_besar < 30
    html = c_besar.get(PAPAN).content.decode()
    assert html.count('aria-label="Realisasi Pegawai Uji') == 25  # a page
    assert queries(c_besar, PAPAN + "?page=4") == n_besar


def test_papan_penilai_per_halaman_saringan_atas_semua_bawahan(db) -> None:  # type: ignore[no-untyped-def]
    t = tim_bench(30, "PAPAN-HAL")
    c = client_of(t.user)
    satu = c.get(PAPAN + "?periode=4&urut=capaian").content.decode()
    assert satu.count('aria-label="Realisasi Pegawai Uji') == 25
    assert 'Semua <span class="badge text-bg-light">30</span>' in satu  # counts over every bawahan
    assert "Halaman 1 dari 2" in satu and 'href="?periode=4&amp;urut=capaian&page=2"' in satu
    dua = c.get(PAPAN + "?periode=4&urut=capaian&page=2").content.decode()
    assert dua.count('aria-label="Realisasi Pegawai Uji') == 5 and "Halaman 2 dari 2" in dua
    assert 'href="?periode=4&amp;urut=capaian&page=1"' in dua
    nama = lambda html: set(re.findall(r'aria-label="Realisasi (Pegawai Uji \d+)"', html))  # noqa: E731
    assert len(nama(satu) | nama(dua)) == 30  # every row once
    saring = c.get(PAPAN + "?periode=4&saring=belum").content.decode()
    assert "Halaman 1 dari" not in saring  # fewer than a page: no pager
    for salah in ("abc", "99", "-1"):  # a bad page number shows the first or the last, never an error
        r = c.get(PAPAN + f"?periode=4&page={salah}")
        assert r.status_code == 200 and "Halaman " in r.content.decode()


def test_jumlah_query_papan_unit_tidak_bertambah(db) -> None:  # type: ignore[no-untyped-def]
    kecil, besar = tim_bench(10, "UNIT-10"), tim_bench(100, "UNIT-100")
    urls = [reverse("pelaksanaan:papan_unit", args=[t.unit.pk]) for t in (kecil, besar)]
    c_kecil, c_besar = client_of(kecil.user), client_of(besar.user)
    queries(c_kecil, urls[0]), queries(c_besar, urls[1])
    assert queries(c_kecil, urls[0]) == queries(c_besar, urls[1])


def test_papan_menandai_terlambat_belum_isi_dan_di_bawah_target(db) -> None:  # type: ignore[no-untyped-def]
    t = tim_bench(30, "PAPAN-FLAG")
    periode = t.periode
    daftar = selectors.periode_list(periode)
    tw4 = daftar[3]
    rows = {r.pegawai.nama: r for r in selectors_papan.papan_penilai(t.kepala, periode, tw4, daftar)}
    assert len(rows) == 30
    # pegawai index 3 (4th) skipped TW IV (running): not complete, but not late
    r = rows["Pegawai Uji 0004"]
    assert r.terisi == 0 and r.jumlah_indikator == 4 and r.belum_isi and not r.tunggakan
    # index 5 left TW III empty (deadline 5 Oktober passed): late
    assert rows["Pegawai Uji 0006"].tunggakan == ["Triwulan III"]
    # index 4 entered TW I–III under an unlock
    assert rows["Pegawai Uji 0005"].diisi_terlambat == 12  # 4 indikator × 3 periods
    lengkap = rows["Pegawai Uji 0001"]
    assert lengkap.lengkap and lengkap.terisi == 4 and lengkap.bukti >= 1
    assert lengkap.rhk_beraksi == 1 and lengkap.jumlah_rhk == 2  # every 5th RHK has no rencana aksi
    assert lengkap.umpan_balik_terakhir is None  # index 0: no feedback in the builder
    assert rows["Pegawai Uji 0002"].umpan_balik_periode == 1

    c = client_of(t.user)
    terlambat = c.get(PAPAN + "?periode=4&saring=terlambat").content.decode()
    assert "Pegawai Uji 0006" in terlambat and "Pegawai Uji 0001<" not in terlambat
    assert "Belum diisi: Triwulan III" in terlambat
    belum = c.get(PAPAN + "?periode=4&saring=belum").content.decode()
    assert "Pegawai Uji 0004" in belum and "Pegawai Uji 0002<" not in belum
    bawah = selectors_papan.filter_and_sort(list(rows.values()), "bawah", "capaian")
    assert bawah and all(x.capaian is not None and x.capaian < 100 for x in bawah)
    assert [x.capaian for x in bawah] == sorted(x.capaian for x in bawah)  # type: ignore[type-var]
    terakhir = selectors_papan.filter_and_sort(list(rows.values()), "", "terakhir")
    waktu = [x.terakhir_diisi for x in terakhir if x.terakhir_diisi]
    assert waktu == sorted(waktu, reverse=True)


def test_capaian_papan_sama_dengan_halaman_realisasi(tim) -> None:  # type: ignore[no-untyped-def]
    skp = Skp.objects.filter(pegawai=tim.bawahan, status="disetujui").order_by("-mulai").first()
    assert skp is not None and skp.penilai is not None
    rhk = skp.rhk.first()
    numerik = Indikator.objects.create(
        rhk=rhk, teks="Berkas diverifikasi", target_angka=Decimal(100), satuan="berkas", konsolidasi="sum"
    )
    for nomor in (1, 2, 3, 4):
        IndikatorTargetPeriode.objects.create(indikator=numerik, nomor=nomor, target_angka=Decimal(25))
    daftar = selectors.periode_list(skp.periode)
    user = User.objects.get(pegawai=skp.pegawai)
    # TW IV is open today; enter it through the service
    services.save_realisasi(numerik, daftar[3], user, nilai_angka=Decimal(1), versi=0, sekarang=NOW)
    rows = selectors_papan.papan_penilai(skp.penilai, skp.periode, daftar[3], daftar)
    row = next(r for r in rows if r.pegawai.pk == skp.pegawai_id)
    halaman = selectors.halaman_realisasi(skp, daftar[3], daftar, NOW)
    kumulatif = [b.kumulatif.capaian for r in halaman.rhk for b in r.indikator if b.kumulatif]
    assert kumulatif
    assert row.capaian == selectors_papan.rata_rata(kumulatif)
    assert row.terisi == halaman.jumlah_terisi
    assert row.jumlah_indikator == halaman.jumlah_indikator
    html = client_of(User.objects.get(pegawai=skp.penilai)).get(PAPAN).content.decode()
    assert f'href="/realisasi/skp/{skp.pk}/?periode=4"' in html


def test_pegawai_tanpa_bawahan_melihat_keadaan_kosong(orang) -> None:  # type: ignore[no-untyped-def]
    r = client_of(orang[FUNGSIONAL]).get(PAPAN)
    assert r.status_code == 200
    assert "Belum ada bawahan yang Anda nilai" in r.content.decode()


def test_admin_tanpa_pegawai_diarahkan_ke_progres(orang) -> None:  # type: ignore[no-untyped-def]
    r = client_of(orang["admin"]).get(PAPAN)
    assert r.status_code == 302 and r["Location"] == PROGRES


def test_rollup_rhk_atasan_menampilkan_rhk_bawahan(tim, orang) -> None:  # type: ignore[no-untyped-def]
    kabid = tim.atasan
    skp = Skp.objects.filter(pegawai=kabid, status="disetujui").order_by("-mulai").first()
    assert skp is not None
    daftar = selectors.periode_list(skp.periode)
    with CaptureQueriesContext(connection) as ctx:
        skp_saya, rollup = selectors_papan.rollup_penilai(kabid, skp.periode, daftar[3], daftar)
    assert skp_saya == skp and len(ctx.captured_queries) <= 5
    bawahan = [b for g in rollup for b in g.bawahan]
    assert bawahan, "the bawahan's RHK intervene the kabid's"
    assert all(
        Rhk.objects.get(pk=b.rhk.pk).intervensi_id == g.rhk.pk and g.rhk.skp_id == skp.pk
        for g in rollup
        for b in g.bawahan
    )
    assert all(b.rhk.skp.pegawai_id != kabid.pk for b in bawahan)
    assert bawahan[0].ringkasan.endswith("indikator terisi") or bawahan[0].ringkasan.endswith("%")
    c = client_of(orang[KABID])
    html = c.get(PAPAN).content.decode()
    assert "Capaian RHK saya dari RHK bawahan" in html
    assert bawahan[0].rhk.teks not in html  # loaded when the section comes into view
    assert f'hx-get="{ROLLUP}?periode=4" hx-trigger="revealed"' in html
    assert f'<noscript><p class="small mb-0"><a href="{ROLLUP}?periode=4">' in html
    potongan = c.get(ROLLUP + "?periode=4", HTTP_HX_REQUEST="true").content.decode()
    assert bawahan[0].rhk.teks in potongan and "<html" not in potongan
    assert f'href="/realisasi/skp/{bawahan[0].rhk.skp_id}/?periode=4"' in potongan
    halaman = c.get(ROLLUP + "?periode=4").content.decode()
    assert "<html" in halaman and bawahan[0].rhk.teks in halaman and "Pemantauan bawahan" in halaman


def test_rollup_tanpa_skp_dan_tanpa_pegawai(orang) -> None:  # type: ignore[no-untyped-def]
    fungsional = client_of(orang[FUNGSIONAL])
    Skp.objects.filter(pegawai=orang[FUNGSIONAL].pegawai).update(status="diajukan")  # none agreed
    html = fungsional.get(ROLLUP).content.decode()
    assert "Anda belum memiliki SKP yang disetujui untuk tahun ini." in html
    assert client_of(orang["admin"]).get(ROLLUP).status_code == 403


# --- unit board ----------------------------------------------------------------------------------------


def _unit_kabid(kabid: Pegawai) -> UnitKerja:
    return selectors_papan.unit_teratas(kabid)[0]


def test_unit_board_untuk_pimpinan_dan_admin(tim, orang) -> None:  # type: ignore[no-untyped-def]
    unit = _unit_kabid(tim.atasan)
    url = reverse("pelaksanaan:papan_unit", args=[unit.pk])
    r = client_of(orang[KABID]).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Pemantauan {unit.nama}" in html and "Rekap per unit" in html
    assert tim.bawahan.nama in html or "Tidak ada pegawai" in html
    akar = UnitKerja.objects.get(instansi=tim.instansi, parent=None)
    akar_url = reverse("pelaksanaan:papan_unit", args=[akar.pk])
    assert client_of(orang[KABID]).get(akar_url).status_code == 403  # above the kabid's own unit
    kepala = client_of(orang[KEPALA]).get(akar_url)
    assert kepala.status_code == 200
    assert f'href="{url}?periode=4"' in kepala.content.decode()  # drill-down to the bidang
    assert client_of(orang["admin"]).get(akar_url).status_code == 200
    assert client_of(orang[FUNGSIONAL]).get(url).status_code == 403
    assert client_of(orang[PELAKSANA]).get(akar_url).status_code == 403


def test_unit_awal_mengarahkan_ke_unit_yang_dipimpin(tim, orang) -> None:  # type: ignore[no-untyped-def]
    r = client_of(orang[KABID]).get(reverse("pelaksanaan:papan_unit_awal"))
    assert r.status_code == 302 and r["Location"] == reverse(
        "pelaksanaan:papan_unit", args=[_unit_kabid(tim.atasan).pk]
    )
    r = client_of(orang[FUNGSIONAL]).get(reverse("pelaksanaan:papan_unit_awal"))
    assert r.status_code == 302 and r["Location"] == PAPAN
    # the chosen periode goes along
    r = client_of(orang[KABID]).get(reverse("pelaksanaan:papan_unit_awal") + "?periode=3")
    assert (
        r["Location"] == reverse("pelaksanaan:papan_unit", args=[_unit_kabid(tim.atasan).pk]) + "?periode=3"
    )
    r = client_of(orang[FUNGSIONAL]).get(reverse("pelaksanaan:papan_unit_awal") + "?periode=2")
    assert r["Location"] == PAPAN + "?periode=2"


def test_instansi_lain_tidak_dapat_melihat(tim, other_instansi) -> None:  # type: ignore[no-untyped-def]
    lain = client_of("admin-lain")
    akar = UnitKerja.objects.get(instansi=tim.instansi, parent=None)
    assert lain.get(reverse("pelaksanaan:papan_unit", args=[akar.pk])).status_code == 403
    html = lain.get(PROGRES).content.decode()
    assert tim.instansi.nama not in html and akar.nama not in html
    assert "Dinas Lain" in html


# --- admin progress --------------------------------------------------------------------------------------


def test_progres_hanya_untuk_admin(orang) -> None:  # type: ignore[no-untyped-def]
    for who in (KABID, PELAKSANA):
        assert client_of(orang[who]).get(PROGRES).status_code == 403
        assert client_of(orang[who]).get(reverse("pelaksanaan:papan_progres_xlsx")).status_code == 403
    r = client_of(orang["admin"]).get(PROGRES + "?periode=3")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Progres pengisian · Triwulan III 2026" in html and "Seluruh instansi" in html


def test_progres_xlsx_sama_dengan_halaman(db) -> None:  # type: ignore[no-untyped-def]
    t = tim_bench(20, "PAPAN-XLSX")
    admin = User.objects.create(username="admin-papan", admin_instansi=t.instansi)
    daftar = selectors.periode_list(t.periode)
    data = selectors_papan.progres_pengisian(t.instansi, t.periode, daftar[3], daftar)
    total = data.total
    assert total.pegawai == 21 and total.skp_disetujui == 20 and total.indikator == 80
    c = client_of(admin)
    html = c.get(PROGRES + "?periode=4").content.decode()
    assert f"{total.persen_terisi}%" in html and f"{total.persen_umpan_balik}%" in html
    r = c.get(reverse("pelaksanaan:papan_progres_xlsx") + "?periode=4")
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="progres-pengisian-2026-4.xlsx"'
    ws = load_workbook(io.BytesIO(r.content)).active
    baris = [row for row in ws.iter_rows(values_only=True) if row and row[0] == "Seluruh instansi"]
    assert baris, "total row"
    nilai = baris[0]
    assert nilai[1:8] == (
        total.pegawai,
        total.skp_disetujui,
        total.persen_skp,
        total.indikator,
        total.terisi,
        total.persen_terisi,
        total.lengkap,
    )
    assert nilai[9:12] == (total.umpan_balik, total.persen_umpan_balik, total.terlambat)
    assert Decimal(str(nilai[8])) == total.capaian


def test_periode_penilaian_belum_dibuat_tidak_error(db) -> None:  # type: ignore[no-untyped-def]
    instansi = Instansi.objects.create(kode="PAPAN-KOSONG", nama="Dinas Tanpa Jadwal")
    periode = Periode.objects.create(
        instansi=instansi,
        tahun=2026,
        skema="triwulanan",
        batas_skp=datetime.date(2026, 1, 31),
        batas_evaluasi_tahunan=datetime.date(2027, 1, 15),
    )
    t = bench.create_kepala(instansi, periode)
    r = client_of(t.user).get(PAPAN)
    assert r.status_code == 200 and "belum dibuat" in r.content.decode()
