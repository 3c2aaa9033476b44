"""Catatan kegiatan: quick add (htmx), week totals, edit/delete by the owner only, read-only view for the
penilai chain, locks and date checks, and the suggested realisasi on the realisasi page.

Cast (tests/builders.py `atasan_dan_bawahan`): the bawahan owns an approved, kualitatif SKP 2026 rated
by the atasan (penilai); a colleague of the bawahan (same penilai) has no right to the log; the admin is the
instansi's admin; `other_instansi` brings a foreign admin.

Time is frozen at Tuesday 24 November 2026 10:00 (week 2026-W48; TW IV open, TW III locked).
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

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import CatatanKegiatan, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Skp

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


def skp_of(user: User) -> Skp:
    return Skp.objects.filter(pegawai=user.pegawai).order_by("-mulai").first()  # type: ignore[return-value]


def numeric_indikator(skp: Skp) -> Indikator:
    """The SKP's first indikator made numeric (the bawahan's SKP is qualitative)."""
    ind = Indikator.objects.filter(rhk__skp=skp).order_by(
        "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk"
    )[0]
    Indikator.objects.filter(pk=ind.pk).update(
        target_angka=12, satuan="dokumen", target_teks="", konsolidasi="sum"
    )
    for nomor in range(1, 5):
        IndikatorTargetPeriode.objects.update_or_create(
            indikator=ind, nomor=nomor, defaults={"target_angka": 3}
        )
    ind.refresh_from_db()
    return ind


def aksi_tw4(skp: Skp, ind: Indikator) -> RencanaAksi:
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    return RencanaAksi.objects.create(rhk=ind.rhk, periode_penilaian=tw4, teks="Menyusun laporan mingguan")


def post_data(**kw: str) -> dict[str, str]:
    data = {
        "tanggal": "2026-11-24",
        "jam_mulai": "08:00",
        "jam_selesai": "09:30",
        "kegiatan": "Menyusun draf laporan",
        "jumlah_output": "2",
        "satuan_output": "dokumen",
        "untuk": "",
        "tautan": "",
    }
    data.update(kw)
    return data


def test_tambah_cepat_htmx_dan_rencana_aksi_diingat(pemilik) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(pemilik)
    ind = numeric_indikator(skp)
    aksi = aksi_tw4(skp, ind)
    c = client_of(pemilik)
    r = c.get(reverse("pelaksanaan:catatan"))
    html = r.content.decode()
    assert r.status_code == 200 and "Catat kegiatan" in html and 'value="2026-11-24"' in html
    assert "23 – 29 November 2026" in html and "Senin, 23 November" in html and "Minggu, 29 November" in html
    assert f'value="ra:{aksi.pk}"' in html and f'value="ind:{ind.pk}"' in html
    r = c.post(reverse("pelaksanaan:catatan") + "?minggu=2026-W48", post_data(untuk=f"ra:{aksi.pk}"), **HTMX)
    assert r.status_code == 200
    catatan = CatatanKegiatan.objects.get(pegawai=pemilik.pegawai)
    assert catatan.rencana_aksi == aksi and catatan.skp == skp and catatan.jumlah_output == Decimal(2)
    assert catatan.history.first().history_user.username == pemilik.username  # type: ignore[union-attr]
    html = r.content.decode()
    assert "Menyusun draf laporan" in html and "Tersimpan" in html
    # the rencana aksi just used is preselected for the next entry
    assert f'<option value="ra:{aksi.pk}" selected>' in html


def test_total_minggu_per_hari_dan_satuan(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    c.post(url, post_data())
    c.post(url, post_data(jam_mulai="10:00", jam_selesai="11:00", kegiatan="Rapat", jumlah_output="3"))
    c.post(url, post_data(tanggal="2026-11-23", jam_mulai="13:00", jam_selesai="13:45", jumlah_output=""))
    assert CatatanKegiatan.objects.count() == 3
    html = c.get(url + "?minggu=2026-W48").content.decode()
    assert "<strong>3</strong> kegiatan" in html
    assert "<strong>3 j 15 m</strong>" in html  # 1 j 30 + 1 j + 45 m
    assert "<strong>5 dokumen</strong>" in html
    assert "2 kegiatan · 2 j 30 m · 5 dokumen" in html  # Tuesday's header
    # another week is empty, and there is no "next week" beyond this one
    html = c.get(url + "?minggu=2026-W47").content.decode()
    assert "<strong>0</strong> kegiatan" in html and "Minggu berikutnya" in html
    assert "Minggu berikutnya" not in c.get(url).content.decode()


def test_tanggal_jam_dan_kunci_ditolak(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    html = c.post(url, post_data(tanggal="2026-11-25"), **HTMX).content.decode()
    assert "Tanggal kegiatan tidak boleh setelah hari ini." in html
    html = c.post(url, post_data(jam_mulai="10:00", jam_selesai="09:00"), **HTMX).content.decode()
    assert "Jam selesai tidak boleh sebelum jam mulai." in html
    html = c.post(url, post_data(jumlah_output="abc"), **HTMX).content.decode()
    assert "Isi jumlah output dengan angka" in html
    html = c.post(url, post_data(tanggal="2026-09-10"), **HTMX).content.decode()
    assert "Batas pengisian Triwulan III (5 Oktober 2026) sudah lewat." in html
    html = c.post(url, post_data(tautan="javascript:alert(1)"), **HTMX).content.decode()
    assert "Tautan harus diawali http://" in html
    assert not CatatanKegiatan.objects.exists()


def test_ubah_dan_hapus_hanya_pemilik(pemilik, penilai, rekan, tim, other_instansi) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    c.post(reverse("pelaksanaan:catatan"), post_data())
    catatan = CatatanKegiatan.objects.get()
    ubah = reverse("pelaksanaan:catatan_ubah", args=[catatan.pk])
    hapus = reverse("pelaksanaan:catatan_hapus", args=[catatan.pk])
    for who in (penilai, rekan, tim.admin, "admin-lain"):
        other = client_of(who)
        assert other.get(ubah).status_code == 403
        assert other.post(ubah, post_data(kegiatan="diubah")).status_code == 403
        assert other.post(hapus).status_code == 403
    assert c.get(ubah).status_code == 200
    r = c.post(ubah, post_data(kegiatan="Menyusun laporan final", jumlah_output="4"))
    assert r.status_code == 302 and r["Location"].endswith("?minggu=2026-W48")
    catatan.refresh_from_db()
    assert catatan.kegiatan == "Menyusun laporan final" and catatan.jumlah_output == 4
    assert c.post(hapus).status_code == 302
    assert not CatatanKegiatan.objects.exists()


def test_penilai_dan_admin_melihat_hanya_baca(pemilik, penilai, rekan, tim, other_instansi) -> None:  # type: ignore[no-untyped-def]
    client_of(pemilik).post(reverse("pelaksanaan:catatan"), post_data())
    skp = skp_of(pemilik)
    url = reverse("pelaksanaan:catatan_skp", args=[skp.pk]) + "?minggu=2026-W48"
    for who in (penilai, tim.admin):
        r = client_of(who).get(url)
        html = r.content.decode()
        assert r.status_code == 200 and "Menyusun draf laporan" in html and "hanya baca" in html
        assert "Catat kegiatan" not in html and ">Ubah<" not in html and "Hapus" not in html
    for who in (rekan, "admin-lain"):
        assert client_of(who).get(url).status_code == 403
    # a user without a pegawai cannot open the own-log page
    assert client_of(tim.admin).get(reverse("pelaksanaan:catatan")).status_code == 403


def test_berkas_bukti_divalidasi_dan_diunduh_dengan_izin(pemilik, penilai, rekan, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    palsu = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00program", content_type="application/pdf")
    html = c.post(url, {**post_data(), "berkas": palsu}, **HTMX).content.decode()
    assert "program (executable)" in html and not CatatanKegiatan.objects.exists()
    pdf = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    c.post(url, {**post_data(), "berkas": pdf}, **HTMX)
    catatan = CatatanKegiatan.objects.get()
    unduh = reverse("pelaksanaan:catatan_berkas", args=[catatan.pk])
    r = c.get(unduh)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client_of(penilai).get(unduh).status_code == 200
    assert client_of(rekan).get(unduh).status_code == 403


def test_saran_realisasi_dari_catatan(pemilik, penilai) -> None:  # type: ignore[no-untyped-def]
    skp = skp_of(pemilik)
    ind = numeric_indikator(skp)
    aksi = aksi_tw4(skp, ind)
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    satuan = ind.satuan
    c.post(url, post_data(untuk=f"ind:{ind.pk}", jumlah_output="5", satuan_output=satuan))
    c.post(
        url, post_data(tanggal="2026-10-05", untuk=f"ind:{ind.pk}", jumlah_output="7", satuan_output=satuan)
    )
    # via the rencana aksi of the RHK: counted when the RHK's indikator can be told
    c.post(
        url, post_data(tanggal="2026-11-02", untuk=f"ra:{aksi.pk}", jumlah_output="2,5", satuan_output=satuan)
    )
    # outside TW IV (TW III is locked, so put it in directly) and without output: not counted
    CatatanKegiatan.objects.create(
        pegawai=skp.pegawai,
        skp=skp,
        indikator=ind,
        tanggal=datetime.date(2026, 9, 1),
        kegiatan="x",
        jumlah_output=100,
    )
    from kinerja.pelaksanaan.catatan.selectors import saran_realisasi

    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    saran = saran_realisasi(skp, tw4)[ind.pk]
    assert saran.jumlah == Decimal("14.5") and saran.banyak == 3
    # given the SKP's loaded indikator (as the realisasi page does): the same suggestions without joining
    # them, and no read at all when none of them can have one
    semua = list(Indikator.objects.filter(rhk__skp=skp))
    assert saran_realisasi(skp, tw4, semua) == saran_realisasi(skp, tw4)
    for i in semua:
        i.konsolidasi = "average" if i.pk == ind.pk else i.konsolidasi
    assert ind.pk not in saran_realisasi(skp, tw4, semua)
    with CaptureQueriesContext(connection) as kueri:
        assert saran_realisasi(skp, tw4, [i for i in semua if i.pk == ind.pk]) == {}
    assert len(kueri) == 0
    html = c.get(reverse("pelaksanaan:realisasi") + "?periode=4").content.decode()
    assert f"Saran dari catatan kegiatan: <strong>14,5 {satuan}</strong>" in html
    assert f"Pakai 14,5 {satuan} sebagai realisasi" in html
    # the button submits the suggested value through the normal save
    r = c.post(
        reverse("pelaksanaan:realisasi_simpan", args=[skp.pk, ind.pk, 4]),
        {f"i{ind.pk}-nilai_angka": "14,5", f"i{ind.pk}-narasi": "", f"i{ind.pk}-versi": "0"},
    )
    assert r.status_code == 302
    assert Realisasi.objects.get(indikator=ind, periode_penilaian=tw4).nilai_angka == Decimal("14.5")
    html = c.get(reverse("pelaksanaan:realisasi") + "?periode=4").content.decode()
    assert "sama dengan realisasi" in html and "sebagai realisasi</button>" not in html
    # the penilai sees the suggestion without the button
    html = (
        client_of(penilai)
        .get(reverse("pelaksanaan:realisasi_skp", args=[skp.pk]) + "?periode=4")
        .content.decode()
    )
    assert "Saran dari catatan kegiatan" in html
