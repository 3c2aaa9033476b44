"""A real kabupaten structure into a new instansi: create it, preview the import, apply it, and the penilai
derived from it are right for every kind of jabatan (docs/rules.md §8.1, §26)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.organisasi import selectors
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import ImporTertunda, Instansi, Jabatan, Pegawai, Penempatan, UnitKerja, User
from tests.organisasi.sotk import SHEETS, kabupaten

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:impor")
TANGGAL = datetime.date(2025, 6, 30)


def post_job(client: Client, url: str, data: Any = None) -> Any:
    """POST, run the background job it starts at once (its task is enqueued on commit), and open the page
    it redirects to (the job's progress, then its outcome)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code == 302:
        response = client.get(response.url)
    return response


def xlsx(rows: dict[str, list[list[Any]]], name: str = "sotk.xlsx") -> SimpleUploadedFile:
    wb = load_workbook(io.BytesIO(impor.build_template()))
    for sheet in SHEETS:
        for row in rows.get(sheet, []):
            wb[sheet].append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def test_kabupaten_into_a_new_instansi_after_a_preview_with_right_penilai(
    monkeypatch: pytest.MonkeyPatch, demo_instansi: Instansi
) -> None:
    sotk = kabupaten()
    assert len(sotk.rows["Unit Kerja"]) == 152

    # The installer creates the instansi and its first admin kepegawaian.
    monkeypatch.setenv("KINERJA_ADMIN_PASSWORD", "Rahasia-Kab-2025!")
    out = io.StringIO()
    call_command(
        "buat_instansi", kode="PEMKAB-CONTOH", nama="Pemerintah Kabupaten Contoh", admin="bkpsdm",
        no_input=True, stdout=out,
    )  # fmt: skip
    assert "Instansi PEMKAB-CONTOH" in out.getvalue()
    instansi = Instansi.objects.get(kode="PEMKAB-CONTOH")
    admin = User.objects.get(username="bkpsdm")
    assert admin.admin_instansi == instansi and admin.check_password("Rahasia-Kab-2025!")

    client = Client()
    client.force_login(admin)
    response = post_job(client, URL, {"berkas": xlsx(sotk.rows)})
    assert response.status_code == 200
    assert not response.context.get("kesalahan"), response.context.get("kesalahan")[:5]
    pratinjau = response.context["pratinjau"]
    counts = {sheet: (c.created, c.updated) for sheet, c in pratinjau.rows()}
    assert counts == {
        "Unit Kerja": (152, 0),
        "Jabatan": (len(sotk.rows["Jabatan"]), 0),
        "Pegawai": (len(sotk.rows["Pegawai"]), 0),
        "Penempatan": (len(sotk.rows["Penempatan"]), 0),
    }
    page = response.content.decode()
    assert "Pratinjau impor" in page and "Terapkan impor" in page
    # Warnings, not errors: the formasi exceeded in one dinas, an Ahli Madya under a Kepala Bidang.
    warnings = {(w.column, w.message.split(" ")[0]) for w in response.context["peringatan"]}
    assert ("formasi", "jabatan") in warnings and ("kode_atasan", "Jabatan") in warnings
    assert "DINAS01-PP" in page and "DINAS03-B2-MADYA" in page
    # Nothing written yet; the demo instansi untouched.
    assert not UnitKerja.objects.filter(instansi=instansi).exists()
    assert not Pegawai.objects.filter(instansi=instansi).exists()
    demo_units = UnitKerja.objects.filter(instansi=demo_instansi).count()

    tertunda = response.context["tertunda"]
    response = post_job(client, reverse("organisasi:impor_terapkan", args=[tertunda.kode]))
    assert "Impor berhasil" in response.content.decode()
    assert not ImporTertunda.objects.filter(pk=tertunda.pk).exists()
    assert UnitKerja.objects.filter(instansi=instansi).count() == 152
    assert UnitKerja.objects.filter(instansi=demo_instansi).count() == demo_units
    assert UnitKerja.objects.filter(instansi=instansi, parent__isnull=True).count() == 1
    assert Jabatan.objects.filter(instansi=instansi, parent__isnull=True).get().kode == "SEKDA"

    # Jenis read from SIASN spellings, pangkat from the golongan in brackets.
    jenis = dict(Jabatan.objects.filter(instansi=instansi).values_list("kode", "jenis"))
    assert jenis["SEKDA"] == "jpt_pratama"  # Struktural, eselon II.a
    assert jenis["DINAS01-KA"] == "jpt_pratama"  # Struktural, "Kepala Dinas …"
    assert jenis["DINAS01-SEK"] == "administrator"  # Struktural, eselon III.a
    assert jenis["DINAS01-KSB"] == "pengawas"  # Struktural, "Kepala Subbagian …"
    assert jenis["KEC01-CAMAT"] == jenis["KEC01-SEKCAM"] == "administrator"
    assert jenis["KEC01-S1-KA"] == "pengawas"  # eselon IV.a
    assert jenis["DINAS01-PP"] == "pelaksana"  # Fungsional Umum
    madya = Jabatan.objects.get(instansi=instansi, kode="DINAS01-MADYA")
    assert (madya.jenis, madya.jenjang) == ("fungsional", "ahli_madya")  # jenjang from the name
    assert Jabatan.objects.get(instansi=instansi, kode="DINAS01-PP").formasi == 4
    assert Pegawai.objects.get(nip=sotk.peran["sekcam"][0]).pangkat_golongan == "III/d"
    assert Pegawai.objects.get(nip=sotk.peran["staf_kecamatan"][0]).pangkat_golongan == "II/b"

    def penilai(nip: str) -> tuple[str | None, str | None]:
        rantai = selectors.rantai_penilai(Pegawai.objects.get(nip=nip), TANGGAL)
        return (
            rantai.penilai.jabatan.kode if rantai.penilai else None,
            rantai.atasan_penilai.jabatan.kode if rantai.atasan_penilai else None,
        )

    def holder(kode: str) -> str:
        return sotk.holders[kode][0]

    assert penilai(sotk.peran["sekda"][0]) == (None, None)
    assert penilai(holder("AS2")) == ("SEKDA", None)
    assert penilai(holder("BAG23")) == ("AS2", "SEKDA")
    assert penilai(holder("BAG23-PLK")) == ("BAG23", "AS2")
    assert penilai(holder("DINAS05-KA")) == ("SEKDA", None)
    assert penilai(holder("BADAN2-KA")) == ("SEKDA", None)
    assert penilai(holder("DINAS05-SEK")) == ("DINAS05-KA", "SEKDA")
    assert penilai(holder("DINAS05-KSB")) == ("DINAS05-SEK", "DINAS05-KA")
    assert penilai(holder("DINAS05-MADYA")) == ("DINAS05-KA", "SEKDA")
    assert penilai(holder("DINAS05-B3-KA")) == ("DINAS05-KA", "SEKDA")
    assert penilai(holder("DINAS05-B1-MUDA")) == ("DINAS05-B1-KA", "DINAS05-KA")
    assert penilai(holder("DINAS03-B2-MADYA")) == ("DINAS03-B2-KA", "DINAS03-KA")
    assert penilai(holder("KEC07-SEKCAM")) == ("KEC07-CAMAT", "SEKDA")
    assert penilai(holder("KEC07-S2-KA")) == ("KEC07-CAMAT", "SEKDA")
    # Every holder of one formasi row has the same penilai (the five of the first dinas too) …
    for kode in ("DINAS01-PP", "DINAS09-PP", "KEC04-PP", "DINAS05-B2-PD"):
        parent = Jabatan.objects.get(instansi=instansi, kode=kode).parent
        expected = (parent.kode, parent.parent.kode)
        assert {penilai(nip) for nip in sotk.holders[kode]} == {expected}
    # … and under the vacant Kasubbag of the second dinas the Sekretaris rates them.
    assert {penilai(nip) for nip in sotk.peran["staf_vakan"]} == {("DINAS02-SEK", "DINAS02-KA")}
    # The Kasubbag's bawahan langsung list all holders of the formasi row.
    kasubbag = Pegawai.objects.get(nip=holder("DINAS01-KSB"))
    bawahan = {m.pegawai.nip for m in selectors.bawahan_langsung(kasubbag, TANGGAL)}
    assert bawahan == set(sotk.holders["DINAS01-PP"])


def test_importing_the_same_kabupaten_twice_changes_nothing(demo_instansi: Instansi) -> None:
    instansi = Instansi.objects.create(kode="KAB-KECIL", nama="Kabupaten Kecil")
    sotk = kabupaten(dinas=2, badan=1, kecamatan=1)
    plan = impor.parse_workbook(xlsx(sotk.rows), instansi)
    assert plan.ok, plan.errors[:5]
    assert impor.apply(plan, None).ok
    again = impor.parse_workbook(xlsx(sotk.rows), instansi)
    assert again.ok
    assert impor.preview(again, None).changed == 0
    assert Penempatan.objects.filter(jabatan__instansi=instansi).count() == len(sotk.rows["Penempatan"])
