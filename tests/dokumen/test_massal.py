"""Every SKP or evaluation document of a unit as one zip, built by a background job (kinerja/dokumen/massal):
its contents (names, order, DAFTAR.csv, PDFs that open and equal the single downloads), who may ask for it,
and that a double press starts one job."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.dokumen.massal import selectors as massal
from kinerja.dokumen.massal import services as services_massal
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from tests import builders as b
from tests.dokumen.conftest import pdf_info

pytestmark = pytest.mark.django_db


def _bangun() -> dict[str, Any]:
    """kepala (root unit) → atasan (Bidang Uji) → bawahan, each with an approved SKP; in the bidang also a
    draft SKP and a pegawai without one; a Subbagian Umum under the root with its own head (no SKP); the
    bawahan's Triwulan I evaluation is final."""
    tim = b.atasan_dan_bawahan(bawahan={"nama": "Ika Puspitasari"})
    j_kepala = tim.kepala.penempatan.get().jabatan
    j_atasan = tim.atasan.penempatan.get().jabatan
    skp = {p: b.skp_disetujui(getattr(tim, p)) for p in ("kepala", "atasan", "bawahan")}
    draft = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, parent=j_atasan), nama="Tri Wulandari")
    skp["draft"] = b.SkpFactory(pegawai=draft, periode=tim.periode)
    tanpa = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, parent=j_atasan), nama="Yudi Pratama")
    umum = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Subbagian Umum")
    kasubag = b.pegawai_di(
        b.JabatanFactory(unit=umum, parent=j_kepala, jenis="pengawas", pimpinan_unit=True), nama="Kasubag"
    )
    ev = b.evaluasi_final(skp["bawahan"], tim.pp(1))
    lain = b.atasan_dan_bawahan()
    return {
        "tim": tim,
        "skp": skp,
        "draft": draft,
        "tanpa": tanpa,
        "umum": umum,
        "kasubag": kasubag,
        "ev": ev,
        "lain": lain,
    }


@pytest.fixture(scope="module")
def _dunia(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with b.sekali(django_db_blocker, _bangun) as dunia:
        yield dunia


@pytest.fixture
def dunia(_dunia: dict[str, Any]) -> dict[str, Any]:
    return {**_dunia, "tim": _dunia["tim"].segar()}


def _klien(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(unit: Any) -> str:
    return reverse("dokumen:arsip_unit", args=[unit.pk])


def _minta(client: Client, unit: Any, capture: Any, **data: Any) -> Any:
    form = {"jenis": "skp", "periode": unit.instansi.periode.get().pk, "bagian": "akhir", "sub_unit": "on"}
    form.update(data)
    with capture(execute=True):
        return client.post(_url(unit), {k: v for k, v in form.items() if v is not None})


def _zip(user: Any) -> zipfile.ZipFile:
    p = Pekerjaan.objects.filter(pemilik=user, jenis=massal.JENIS_PEKERJAAN).latest("pk")
    assert p.status == "selesai", p.alasan
    response = _klien(user).get(reverse("pekerjaan:unduh", args=[p.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _daftar(z: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(z.read("DAFTAR.csv").decode("utf-8-sig"))))


def test_the_zip_of_a_unit_holds_one_pdf_per_approved_skp_sorted_and_lists_the_rest(
    dunia: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    tim = dunia["tim"]
    response = _minta(_klien(tim.admin), tim.unit, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    z = _zip(tim.admin)
    pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
    nips = sorted(p.nip for p in (tim.kepala, tim.atasan, tim.bawahan))
    assert [n.split("_")[0] for n in pdfs] == nips  # sorted by NIP, one per pegawai
    assert pdfs == sorted(pdfs)
    bawahan = next(n for n in pdfs if n.startswith(tim.bawahan.nip))
    assert bawahan == f"{tim.bawahan.nip}_Ika_Puspitasari_SKP-{tim.periode.tahun}-r1.pdf"
    for n in pdfs:
        isi = z.read(n)
        assert isi.startswith(b"%PDF-")
        assert int(pdf_info(isi)["Pages"]) >= 1
    daftar = {row["nip"]: row for row in _daftar(z)}
    assert len(daftar) == 6  # every pegawai of the unit and its sub-units
    assert daftar[dunia["draft"].nip]["keterangan"] == "SKP belum disetujui (status: Draft)."
    assert daftar[dunia["tanpa"].nip]["berkas"] == ""
    assert daftar[dunia["tanpa"].nip]["keterangan"].startswith("Belum memiliki SKP tahun")
    assert daftar[dunia["kasubag"].nip]["keterangan"].startswith("Belum memiliki SKP tahun")
    assert daftar[tim.bawahan.nip]["berkas"] == bawahan


def test_a_pdf_in_the_zip_is_the_single_download(
    dunia: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    tim, skp = dunia["tim"], dunia["skp"]["bawahan"]
    _minta(_klien(tim.admin), tim.bidang, django_capture_on_commit_callbacks, sub_unit=None)
    z = _zip(tim.admin)
    tunggal = _klien(tim.admin).get(reverse("dokumen:skp_pdf", args=[skp.pk]))
    assert tunggal.status_code == 200
    nama = next(n for n in z.namelist() if n.startswith(tim.bawahan.nip))
    assert z.read(nama) == tunggal.content


def test_the_zip_of_evaluations_takes_final_ones_only(
    dunia: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    tim = dunia["tim"]
    assert dunia["ev"].status == StatusEvaluasi.FINAL.value
    _minta(
        _klien(tim.atasan.user), tim.bidang, django_capture_on_commit_callbacks, jenis="evaluasi", bagian="1"
    )
    z = _zip(tim.atasan.user)
    pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
    awal = f"{tim.bawahan.nip}_Ika_Puspitasari_"
    tahun = tim.periode.tahun
    # The form and the one-page Dokumen Evaluasi (docs/rules.md §31), each the single download's own.
    assert pdfs == [f"{awal}Dokumen-Evaluasi-{tahun}-P1.pdf", f"{awal}Evaluasi-{tahun}-P1.pdf"]
    klien = _klien(tim.atasan.user)
    assert z.read(pdfs[1]) == klien.get(reverse("dokumen:evaluasi_pdf", args=[dunia["ev"].pk])).content
    ringkas = klien.get(reverse("dokumen:evaluasi_ringkas_pdf", args=[dunia["ev"].pk])).content
    assert z.read(pdfs[0]) == ringkas
    daftar = {row["nip"]: row["keterangan"] for row in _daftar(z)}
    assert daftar[tim.atasan.nip].startswith("Belum ada evaluasi Triwulan I")


@pytest.mark.parametrize("peran", ["pimpinan_unit_lain", "admin_instansi_lain", "bawahan"])
def test_others_are_refused(dunia: dict[str, Any], peran: str) -> None:
    tim = dunia["tim"]
    user = {
        "pimpinan_unit_lain": dunia["kasubag"].user,  # heads the Subbagian Umum, not the Bidang Uji
        "admin_instansi_lain": dunia["lain"].admin,
        "bawahan": tim.bawahan.user,
    }[peran]
    client = _klien(user)
    assert client.get(_url(tim.bidang)).status_code == 403
    assert client.post(_url(tim.bidang), {"jenis": "skp", "periode": tim.periode.pk}).status_code == 403
    assert not Pekerjaan.objects.filter(jenis=massal.JENIS_PEKERJAAN).exists()


def test_the_head_of_the_unit_and_the_admin_see_the_page(dunia: dict[str, Any]) -> None:
    tim = dunia["tim"]
    for user in (tim.admin, tim.atasan.user, tim.kepala.user):
        response = _klien(user).get(_url(tim.bidang))
        assert response.status_code == 200
        assert "Siapkan zip" in response.content.decode()
    papan = _klien(tim.atasan.user).get(reverse("pelaksanaan:papan_unit", args=[tim.bidang.pk]))
    assert _url(tim.bidang) in papan.content.decode()


def test_a_double_press_starts_one_job(
    dunia: dict[str, Any], antrean: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tim = dunia["tim"]
    client = _klien(tim.admin)
    _minta(client, tim.bidang, django_capture_on_commit_callbacks)
    kedua = _minta(client, tim.bidang, django_capture_on_commit_callbacks)
    assert Pekerjaan.objects.filter(jenis=massal.JENIS_PEKERJAAN).count() == 1
    assert len(antrean.results) == 1
    assert "sedang disiapkan" in client.get(kedua.url).content.decode()


def test_the_job_checks_the_right_again_when_it_runs(
    dunia: dict[str, Any], antrean: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A head who moved away between the press and the run gets the reason, not the zip."""
    from kinerja.pekerjaan import services as pekerjaan_services

    tim = dunia["tim"]
    with django_capture_on_commit_callbacks(execute=True):
        p = services_massal.start_arsip(
            tim.atasan.user, tim.bidang, tim.periode, "skp", None, True, "http://testserver/"
        )
    tim.atasan.penempatan.update(selesai=b.TMT)  # no longer the head of the bidang
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert (p.status, p.alasan, p.berkas.name) == (
        "gagal",
        "Anda tidak berhak mengunduh dokumen unit ini.",
        "",
    )
