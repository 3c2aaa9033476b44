"""Whole-instansi exports as background jobs: on a large instansi the page's button queues one job (a
double press gives the same one), the page shows its progress, a GET of the export goes back to the page;
the finished file holds what the direct download gives (the direct download stays on small instansi)."""

from __future__ import annotations

import datetime
import io
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.rules.types import Predikat
from tests import builders as b
from tests.tindak_lanjut._data_tukin_rekap import evaluasi, skp_disetujui

pytestmark = pytest.mark.django_db

REKAP, REKAP_XLSX = "/tindak-lanjut/rekap/", "/tindak-lanjut/rekap/xlsx/"


def _isi(xlsx: bytes) -> list[list[Any]]:
    """Every cell value of every sheet (the bytes differ: the file records when it was written)."""
    wb = load_workbook(io.BytesIO(xlsx))
    return [[ws.title, *[list(r) for r in ws.iter_rows(values_only=True)]] for ws in wb.worksheets]


def _unduh(client: Any, p: Pekerjaan) -> bytes:
    r = client.get(f"/pekerjaan/{p.pk}/unduh/")
    assert r.status_code == 200
    return b"".join(r.streaming_content)


besar = mock.patch("kinerja.organisasi.ukuran.BATAS_LANGSUNG", 3)


def test_rekap_xlsx_job_gives_the_direct_workbook(
    client_for, demo_instansi, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    pp = PeriodePenilaian.objects.get(periode__instansi=demo_instansi, periode__tahun=2026, nomor=1)
    skp = skp_disetujui(demo_instansi, "BPKP")
    evaluasi(skp[0], pp, Predikat.SANGAT_BAIK)
    evaluasi(skp[1], pp, Predikat.BAIK)
    c = client_for("admin")
    langsung = c.get(REKAP_XLSX, {"tahun": 2026, "periode": 1})
    assert langsung.status_code == 200  # a small instansi: direct
    html = c.get(REKAP, {"tahun": 2026, "periode": 1}).content.decode()
    assert 'href="/tindak-lanjut/rekap/xlsx/?tahun=2026&amp;periode=1"' in html
    with (
        besar,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(12),
    ):
        r = c.post(REKAP_XLSX, {"tahun": "2026", "periode": "1", "unit": ""})
    assert r.status_code == 302 and r["Location"] == "/tindak-lanjut/rekap/?tahun=2026&periode=1"
    p = Pekerjaan.objects.get(jenis="rekap_xlsx")
    assert p.status == "selesai" and p.nama_berkas == "rekap-kinerja-2026-1.xlsx"
    assert _isi(_unduh(c, p)) == _isi(langsung.content)


def test_rekap_of_a_large_instansi_is_a_job_shown_on_the_page(
    client_for, demo_instansi, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = client_for("admin")
    with besar:
        html = c.get(REKAP, {"tahun": 2026, "periode": 1}).content.decode()
        assert 'method="post" action="/tindak-lanjut/rekap/xlsx/"' in html and "pekerjaan-progres" not in html
        r = c.get(REKAP_XLSX, {"tahun": 2026, "periode": 1})
        assert r.status_code == 302 and r["Location"] == "/tindak-lanjut/rekap/?tahun=2026&periode=1"
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                c.post(REKAP_XLSX, {"tahun": "2026", "periode": "1", "unit": ""})
        assert Pekerjaan.objects.filter(jenis="rekap_xlsx").count() == 1 and len(antrean.results) == 1
        html = c.get(REKAP, {"tahun": 2026, "periode": 1}).content.decode()
    assert 'role="progressbar"' in html and "menunggu giliran" in html and 'hx-trigger="every 1s"' in html
    assert "disabled" in html.split('action="/tindak-lanjut/rekap/xlsx/"')[1].split("</form>")[0]


@pytest.mark.parametrize("role", ["fungsional", "pelaksana"])
def test_who_may_see_no_rekap_starts_no_job(role, client_for, demo_instansi) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).post(REKAP_XLSX, {"tahun": "2026"}).status_code == 403
    assert not Pekerjaan.objects.exists()


NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))


def test_progres_xlsx_job_gives_the_direct_workbook(
    monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    instansi, periode = bench.create_instansi("JOB-PROGRES", 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, 12)
    admin = User.objects.create(username="admin-job-progres", admin_instansi=instansi)
    c = b.klien(admin)
    url = reverse("pelaksanaan:papan_progres_xlsx") + "?periode=4"
    langsung = c.get(url)
    assert langsung.status_code == 200
    with besar:
        html = c.get(reverse("pelaksanaan:papan_progres") + "?periode=4").content.decode()
        assert f'method="post" action="{url}"' in html
        assert c.get(url).status_code == 302
        with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(12):
            r = c.post(url)
        assert r.status_code == 302 and r["Location"] == reverse("pelaksanaan:papan_progres") + "?periode=4"
        p = Pekerjaan.objects.get(jenis="progres_xlsx")
        assert p.status == "selesai" and p.nama_berkas == "progres-pengisian-2026-4.xlsx"
        assert _isi(_unduh(c, p)) == _isi(langsung.content)
        html = c.get(reverse("pelaksanaan:papan_progres") + "?periode=4").content.decode()
    assert f"/pekerjaan/{p.pk}/unduh/" in html
    # another admin of the instansi gets the same job back, the kepala may not start one
    lain = User.objects.create(username="admin-job-progres-2", admin_instansi=instansi)
    assert b.klien(lain).get(f"/pekerjaan/{p.pk}/unduh/").status_code == 200
    assert b.klien(t.user).post(url).status_code == 403
