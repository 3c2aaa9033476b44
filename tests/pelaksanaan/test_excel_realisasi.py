"""Bulk Excel: download → fill → upload round trip (realisasi and catatan kegiatan), an error row naming
sheet/row/column with nothing saved, idempotent re-upload, locked periode, someone else's SKP, and the
benchmark helper. Time is frozen at 24 November 2026 10:00 (TW IV open, TW III locked).

Cast (tests/pelaksanaan/conftest.py): the bawahan (pemilik) owns an approved SKP; a colleague (rekan) with
an SKP of their own; the instansi's admin; `other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import CatatanKegiatan, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
UNGGAH = "pelaksanaan:realisasi_excel_unggah"


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


@pytest.fixture
def skp(tim: b.Tim) -> Skp:
    """The pemilik's SKP with five indikator, the first two made numeric (the rest qualitative), and a
    rencana aksi for TW IV."""
    skp = Skp.objects.get(pegawai=tim.bawahan, status="disetujui")
    rhk = skp.rhk.get()
    for k in range(4):
        b.IndikatorFactory(rhk=rhk, urutan=10 + k, target_periode={n: "Tersedia" for n in range(1, 5)})
    ind = list(
        Indikator.objects.filter(rhk__skp=skp).order_by(
            "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk"
        )
    )
    for i, satuan in zip(ind[:2], ("dokumen", "laporan"), strict=True):
        Indikator.objects.filter(pk=i.pk).update(target_angka=12, satuan=satuan, target_teks="")
        for nomor in range(1, 5):
            IndikatorTargetPeriode.objects.update_or_create(
                indikator=i, nomor=nomor, defaults={"target_angka": 3}
            )
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    RencanaAksi.objects.create(rhk=ind[0].rhk, periode_penilaian=tw4, teks="Menyusun laporan mingguan")
    return skp


def unduh(c: Client, nomor: int = 4):  # type: ignore[no-untyped-def]
    r = c.get(reverse("pelaksanaan:realisasi_excel") + f"?periode={nomor}")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(r.content))


def unggah(c: Client, wb, nama: str = "realisasi.xlsx"):  # type: ignore[no-untyped-def]
    """Upload; the background job it starts runs at once (enqueued on commit), then its page is opened."""
    buf = io.BytesIO()
    wb.save(buf)
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = c.post(reverse(UNGGAH), {"berkas": SimpleUploadedFile(nama, buf.getvalue())})
    return c.get(r.url) if r.status_code == 302 else r


def hitungan(html: str, sheet: str) -> list[str]:
    """The created / updated / unchanged / empty counts of one sheet in the result table."""
    m = re.search(rf">{sheet}</th>((?:<td[^>]*>[^<]*</td>)+)", html)
    assert m, html
    return re.findall(r">([^<]*)</td>", m[1])


def kesalahan(html: str) -> list[list[str]]:
    """The rows of the error table: sheet, row, column, value, message."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows
    ]


def isi(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["Realisasi"]
    ws["F2"] = 7
    ws["G2"] = "Tujuh laporan selesai"
    ws["F3"] = "2,5"
    ws["F4"] = "Sudah dilaksanakan sesuai rencana"
    cat = wb["Catatan Kegiatan"]
    label = wb["Info"]["D1"].value
    cat.append(
        [
            datetime.date(2026, 11, 20),
            datetime.time(8, 0),
            datetime.time(9, 30),
            "Menyusun laporan",
            2,
            "dokumen",
            label,
        ]
    )
    cat.append(["21-11-2026", "13:00", "14.15", "Rapat koordinasi", None, None, None])


def test_unduh_berisi_sheet_dan_kolom(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    wb = unduh(client_of(pemilik))
    assert wb.sheetnames == ["Petunjuk", "Realisasi", "Catatan Kegiatan", "Info"]
    ws = wb["Realisasi"]
    assert [c.value for c in ws[1]] == [
        "kunci",
        "rhk",
        "indikator",
        "satuan",
        "target",
        "realisasi",
        "penjelasan",
    ]
    assert ws["A2"].value.startswith("IND-") and ws["D2"].value == "dokumen" and ws["E2"].value == "3 dokumen"
    assert ws.max_row - 1 == Indikator.objects.filter(rhk__skp=skp).count()
    cat = wb["Catatan Kegiatan"]
    assert [c.value for c in cat[1]] == [
        "tanggal",
        "jam_mulai",
        "jam_selesai",
        "kegiatan",
        "jumlah_output",
        "satuan",
        "rencana_aksi",
    ]
    assert wb["Info"]["D1"].value.endswith("Menyusun laporan mingguan") and wb["Info"].sheet_state == "hidden"
    assert cat.data_validations.dataValidation[0].formula1 == "'Info'!$D$1:$D$1"


def test_round_trip_dan_unggah_ulang_tidak_mengubah_apa_pun(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    wb = unduh(c)
    isi(wb)
    r = unggah(c, wb)
    html = r.content.decode()
    assert r.status_code == 200 and "Unggahan tersimpan" in html, html
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    ind = list(
        Indikator.objects.filter(rhk__skp=skp).order_by(
            "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk"
        )
    )
    r1 = Realisasi.objects.get(indikator=ind[0], periode_penilaian=tw4)
    assert r1.nilai_angka == 7 and r1.narasi == "Tujuh laporan selesai" and r1.diisi_oleh == pemilik
    assert Realisasi.objects.get(indikator=ind[1], periode_penilaian=tw4).nilai_angka == Decimal("2.5")
    assert Realisasi.objects.get(indikator=ind[2], periode_penilaian=tw4).nilai_teks.startswith("Sudah")
    assert Realisasi.objects.filter(periode_penilaian=tw4, indikator__rhk__skp=skp).count() == 3
    catatan = list(CatatanKegiatan.objects.filter(skp=skp).order_by("tanggal"))
    assert [(x.tanggal.day, x.kegiatan) for x in catatan] == [
        (20, "Menyusun laporan"),
        (21, "Rapat koordinasi"),
    ]
    assert catatan[0].rencana_aksi.teks == "Menyusun laporan mingguan" and catatan[0].indikator == ind[0]
    assert catatan[1].jam_selesai == datetime.time(14, 15)
    # counts: realisasi 3 created; catatan 2 created
    assert hitungan(html, "Realisasi")[:2] == ["3", "0"]
    assert hitungan(html, "Catatan Kegiatan")[:2] == ["2", "0"]

    history = Realisasi.history.count() + CatatanKegiatan.history.count()
    versi = {x.pk: x.versi for x in Realisasi.objects.all()}
    html = unggah(c, wb).content.decode()  # the same file again
    assert "Unggahan tersimpan" in html
    assert hitungan(html, "Realisasi")[:3] == ["0", "0", "3"]
    assert hitungan(html, "Catatan Kegiatan")[:3] == ["0", "0", "2"]
    assert Realisasi.history.count() + CatatanKegiatan.history.count() == history
    assert {x.pk: x.versi for x in Realisasi.objects.all()} == versi
    assert CatatanKegiatan.objects.count() == 2

    # a fresh download carries the saved data back, so uploading it also changes nothing
    html = unggah(c, unduh(c)).content.decode()
    assert (
        "Unggahan tersimpan" in html
        and Realisasi.history.count() + CatatanKegiatan.history.count() == history
    )


def test_baris_salah_tidak_ada_yang_disimpan(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    wb = unduh(c)
    isi(wb)
    wb["Realisasi"]["F3"] = "abc"
    cat = wb["Catatan Kegiatan"]
    cat.append(["01-09-2026", "08:00", "09:00", "Di luar periode", None, None, None])
    cat.append(["23-11-2026", "10:00", "09:00", "Jam terbalik", None, None, None])
    cat.append(["23-11-2026", "10:00", "11:00", "Rencana aksi asing", None, None, "Z.9 · tidak ada"])
    cat.append(["24-11-2026", "10:00", "11:00", "Jumlah bukan angka", "dua", None, None])
    r = unggah(c, wb)
    html = r.content.decode()
    assert r.status_code == 200 and "Unggahan ditolak" in html and "Tidak ada data yang disimpan" in html
    assert [
        "Realisasi",
        "3",
        "realisasi",
        "abc",
        "Realisasi harus berupa angka, mis. 12 atau 12,5.",
    ] in kesalahan(html)
    assert "Tanggal di luar Triwulan IV (1 Oktober 2026 – 31 Desember 2026)." in html
    assert "Jam selesai tidak boleh sebelum jam mulai." in html
    assert "Rencana aksi tidak dikenal untuk Triwulan IV" in html
    assert "Jumlah output harus berupa angka" in html
    assert "Perbaiki 5 kesalahan" in html
    assert (
        not Realisasi.objects.filter(indikator__rhk__skp=skp).exclude(periode_penilaian__nomor__lt=4).exists()
    )
    assert not CatatanKegiatan.objects.exists()


def test_periode_terkunci_ditolak_dengan_alasan(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    wb = unduh(c, nomor=3)
    wb["Realisasi"]["F2"] = 5
    wb["Catatan Kegiatan"].append(["10-09-2026", "08:00", "09:00", "Kegiatan TW III", None, None, None])
    html = unggah(c, wb).content.decode()
    pesan = (
        "Batas pengisian Triwulan III (5 Oktober 2026) sudah lewat. Minta admin kepegawaian membuka kunci."
    )
    assert "Unggahan ditolak" in html and html.count(pesan) == 2
    assert not Realisasi.objects.filter(indikator__rhk__skp=skp, periode_penilaian__nomor=3).exists()
    # an untouched file of a locked periode is fine: nothing changes
    html = unggah(c, unduh(c, nomor=3)).content.decode()
    assert "Unggahan tersimpan" in html


def test_pegawai_lain_tidak_dapat_mengunggah_ke_skp_orang_lain(skp, orang, rekan, other_instansi) -> None:  # type: ignore[no-untyped-def]
    b.skp_disetujui(rekan.pegawai, skp.periode)  # the colleague has an SKP of their own
    wb = unduh(client_of(orang["pelaksana"]))
    isi(wb)
    for who in ("fungsional", "admin"):
        r = unggah(client_of(orang[who]), wb) if who != "admin" else None
        if r is None:  # the admin has no pegawai: the page itself is refused
            assert client_of(orang["admin"]).post(reverse(UNGGAH)).status_code == 403
            continue
        assert r.status_code == 403
        assert "Berkas ini untuk SKP pegawai lain" in r.content.decode()
    assert not Realisasi.objects.filter(indikator__rhk__skp=skp, periode_penilaian__nomor=4).exists()
    assert not CatatanKegiatan.objects.exists()
    # nor download someone else's workbook
    url = reverse("pelaksanaan:realisasi_excel") + f"?periode=4&skp={skp.pk}"
    assert client_of(rekan).get(url).status_code == 403


def test_berkas_bukan_excel(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    r = c.post(reverse(UNGGAH), {"berkas": SimpleUploadedFile("x.xlsx", b"bukan excel")})
    assert "tidak dapat dibaca sebagai Excel" in r.content.decode()


def test_bench_excel_realisasi_berjalan_dan_bersih(db) -> None:  # type: ignore[no-untyped-def]
    from kinerja.demo.bench.excel import bench_excel_realisasi

    sebelum = Realisasi.objects.count(), Skp.objects.count()
    hasil = bench_excel_realisasi(rows=30)
    assert hasil["rows"] == 30 and hasil["saved"] == 30 and hasil["reupload_changed"] == 0
    assert (Realisasi.objects.count(), Skp.objects.count()) == sebelum


def test_unggah_mengubah_realisasi_yang_ada_dengan_versi_dan_riwayat(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    """A changed value in a later upload updates the row in bulk: version +1, a history record by the
    uploader, and a tab still holding the old version is refused afterwards."""
    from kinerja.pelaksanaan import services

    c = client_of(pemilik)
    wb = unduh(c)
    isi(wb)
    assert "Unggahan tersimpan" in unggah(c, wb).content.decode()
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    r1 = Realisasi.objects.get(periode_penilaian=tw4, indikator__rhk__skp=skp, nilai_angka=7)
    versi_lama, riwayat = r1.versi, r1.history.count()

    wb["Realisasi"]["F2"] = 9
    html = unggah(c, wb).content.decode()
    assert "Unggahan tersimpan" in html and hitungan(html, "Realisasi")[:3] == ["0", "1", "2"]
    r1.refresh_from_db()
    assert r1.nilai_angka == 9 and r1.versi == versi_lama + 1
    assert r1.history.count() == riwayat + 1
    assert r1.history.first().history_user == pemilik  # type: ignore[union-attr]

    with pytest.raises(Exception, match="sudah diubah di tab/perangkat lain"):
        services.save_realisasi(r1.indikator, tw4, pemilik, nilai_angka=3, versi=versi_lama)
    r1.refresh_from_db()
    assert r1.nilai_angka == 9


# ---------------------------------------------------------------------------------------------------------
# Spreadsheets in and out (docs/rules.md §23)
# ---------------------------------------------------------------------------------------------------------

RUMUS = '=HYPERLINK("http://contoh.test/x","klik")'


def _teks(cell, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type text into a cell the way a spreadsheet program stores typed text: as text, not a formula."""
    cell.value = value
    cell.data_type = "s"


def test_teks_berawalan_rumus_kembali_utuh_dan_unggah_ulang_tidak_mengubah_apa_pun(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    wb = unduh(c)
    ws = wb["Realisasi"]
    _teks(ws["F4"], RUMUS)  # the first qualitative indikator
    _teks(ws["G4"], "-5 dokumen belum selesai")
    ws["F2"], ws["G2"] = 7, "@tim: selesai"
    _teks(ws["G2"], "@tim: selesai")
    cat = wb["Catatan Kegiatan"]
    cat.append([datetime.date(2026, 11, 20), datetime.time(8, 0), datetime.time(9, 0), None, 2, "+dok", None])
    _teks(cat.cell(cat.max_row, 4), "=SUM(1,2) rapat")
    html = unggah(c, wb).content.decode()
    assert "Unggahan tersimpan" in html, html
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    saved = {r.nilai_teks or r.nilai_angka: r.narasi for r in Realisasi.objects.filter(periode_penilaian=tw4)}
    assert saved == {RUMUS: "-5 dokumen belum selesai", Decimal(7): "@tim: selesai"}
    assert CatatanKegiatan.objects.get().kegiatan == "=SUM(1,2) rapat"

    # the fresh download holds the texts as text (not formulas), and uploading it unchanged changes nothing
    wb = unduh(c)
    ws = wb["Realisasi"]
    assert (ws["F4"].value, ws["F4"].data_type) == (RUMUS, "s")
    assert (ws["G4"].value, ws["G4"].data_type) == ("-5 dokumen belum selesai", "s")
    assert ws["F2"].data_type == "n" and ws["F2"].value == 7
    assert wb["Catatan Kegiatan"]["D2"].value == "=SUM(1,2) rapat"
    assert not [
        x.coordinate for s in wb.worksheets for row in s.iter_rows() for x in row if x.data_type == "f"
    ]
    riwayat = Realisasi.history.count() + CatatanKegiatan.history.count()
    html = unggah(c, wb).content.decode()
    assert "Unggahan tersimpan" in html, html
    assert hitungan(html, "Realisasi")[:3] == ["0", "0", "2"]
    assert hitungan(html, "Catatan Kegiatan")[:3] == ["0", "0", "1"]
    assert Realisasi.history.count() + CatatanKegiatan.history.count() == riwayat


def test_semua_kesalahan_dilaporkan_dalam_satu_unggahan(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    """A row's every independent problem is reported at once, and so is every sheet's."""
    c = client_of(pemilik)
    wb = unduh(c)
    wb["Realisasi"]["F3"] = "abc"
    wb["Realisasi"]["A5"] = wb["Realisasi"]["A2"].value  # a numeric indikator twice, with a bad number
    wb["Realisasi"]["F5"] = "x"
    cat = wb["Catatan Kegiatan"]
    cat.append(["01-09-2026", "10:00", "09:00", "Tiga masalah", "dua", None, None])
    cat.append(["20-11-2026", "08:00", "09:00", "", None, None, None])
    cat.append(["25-12-2026", None, "09:00", "Besok-besok", -1, None, None])  # the service's checks
    html = unggah(c, wb).content.decode()
    rows = kesalahan(html)
    assert sorted(r[2] for r in rows if r[:2] == ["Catatan Kegiatan", "4"]) == [
        "jam_mulai",
        "jumlah_output",
        "tanggal",
    ], rows
    assert "Tanggal kegiatan tidak boleh setelah hari ini." in html
    assert "Jumlah output tidak boleh negatif." in html and "Isi jam mulai bila jam selesai diisi." in html
    catatan = [r for r in rows if r[:2] == ["Catatan Kegiatan", "2"]]
    assert sorted(r[2] for r in catatan) == ["jam_selesai", "jumlah_output", "tanggal"], rows
    assert ["Catatan Kegiatan", "3", "kegiatan", "", "Kegiatan wajib diisi."] in rows
    assert sorted(r[2] for r in rows if r[:2] == ["Realisasi", "5"]) == ["kunci", "realisasi"], rows
    assert "Perbaiki" in html and not CatatanKegiatan.objects.exists()

    # a sheet with a broken header is reported, and the other sheet is still checked row by row
    wb = unduh(c)
    wb["Realisasi"]["F3"] = "abc"
    wb["Catatan Kegiatan"]["B1"] = "mulai"
    rows = kesalahan(unggah(c, wb).content.decode())
    assert ["Catatan Kegiatan", "1", "jam_mulai"] in [r[:3] for r in rows], rows
    assert ["Realisasi", "3", "realisasi", "abc", "Realisasi harus berupa angka, mis. 12 atau 12,5."] in rows


def test_bom_shared_strings_ditolak_di_halaman_unggah(skp, pemilik) -> None:  # type: ignore[no-untyped-def]
    from kinerja.demo.bench.spreadsheet import bom_shared_strings
    from kinerja.pelaksanaan.excel import workbook as excel

    data = bom_shared_strings((excel.SHEET_INFO, excel.SHEET_REALISASI, excel.SHEET_CATATAN), mb=64)
    r = client_of(pemilik).post(reverse(UNGGAH), {"berkas": SimpleUploadedFile("bom.xlsx", data)})
    html = r.content.decode()
    assert "Unggahan ditolak" in html and "bagian xl/sharedStrings.xml berukuran 64 MB" in html, html


def test_unggah_berjalan_sebagai_pekerjaan_latar_dengan_kemajuan(skp, pemilik, rekan, antrean) -> None:  # type: ignore[no-untyped-def]
    """The request only checks size and format and queues a job (the same file pressed twice: one job);
    the page shows the job's progress until it ends, then what was saved."""
    from kinerja.pekerjaan import services as pekerjaan_services
    from kinerja.pekerjaan.models import Pekerjaan

    c = client_of(pemilik)
    wb = unduh(c)
    isi(wb)
    buf = io.BytesIO()
    wb.save(buf)
    berkas = buf.getvalue()
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = c.post(reverse(UNGGAH), {"berkas": SimpleUploadedFile("r.xlsx", berkas)})
        c.post(reverse(UNGGAH), {"berkas": SimpleUploadedFile("r.xlsx", berkas)})
    p = Pekerjaan.objects.get()
    assert r.status_code == 302 and r.url == reverse("pelaksanaan:realisasi_excel_pekerjaan", args=[p.pk])
    assert len(antrean.results) == 1
    assert not Realisasi.objects.filter(indikator__rhk__skp=skp, periode_penilaian__nomor=4).exists()
    html = c.get(r.url).content.decode()
    assert 'role="progressbar"' in html
    assert reverse("pelaksanaan:realisasi_excel_progres", args=[p.pk]) in html

    pekerjaan_services.jalankan(p.pk)  # the worker
    p.refresh_from_db()
    assert (p.status, p.selesai, p.jumlah) == ("selesai", 3, 3)
    assert c.get(reverse("pelaksanaan:realisasi_excel_progres", args=[p.pk]))["HX-Refresh"] == "true"
    html = c.get(r.url).content.decode()
    assert "Unggahan tersimpan" in html and hitungan(html, "Realisasi")[:2] == ["3", "0"]
    assert f'action="{reverse(UNGGAH)}"' in html  # the next file is a new upload, not a post to this job
    assert client_of(rekan).get(r.url).status_code == 404  # nobody else opens this upload's page
