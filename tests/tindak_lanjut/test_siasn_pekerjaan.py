"""The SIASN data-utama refresh and the unor read run as background jobs (docs/architecture.md "Background
jobs"), against the strict fake SIASN: progress through the job's reporter, one job for a double press, the
reason of a failure on the page, and a record queued before reads ran as jobs shown and run as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.tindak_lanjut.models import PenyegaranDataUtama, TarikUnorSiasn
from kinerja.tindak_lanjut.siasn.data_utama import services
from kinerja.tindak_lanjut.siasn.data_utama.tasks import refresh_data_utama
from kinerja.tindak_lanjut.siasn.organisasi import services as unor
from kinerja.tindak_lanjut.siasn.organisasi.tasks import read_unor
from tests import builders as b
from tests.siasn_palsu import Server, SiasnPalsu

pytestmark = pytest.mark.django_db
SELISIH = reverse("tindak_lanjut:siasn_selisih")
KEMAJUAN = reverse("tindak_lanjut:siasn_selisih_kemajuan")
ORGANISASI = reverse("tindak_lanjut:siasn_organisasi")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[SiasnPalsu]:
    with Server() as state:
        for kunci, nilai in state.lingkungan().items():
            monkeypatch.setenv(kunci, nilai)
        yield state


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


def test_the_refresh_reports_its_progress_through_the_job(  # type: ignore[no-untyped-def]
    tim: b.Tim, env: SiasnPalsu, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    for peg in (tim.kepala, tim.atasan, tim.bawahan):
        env.tambah_pns(peg.nip)
    langkah: list[tuple[int, int]] = []
    asli = pekerjaan.Laporan.langkah

    def catat(self, selesai: int, jumlah: int, teks: str = "") -> None:  # type: ignore[no-untyped-def]
        langkah.append((selesai, jumlah))
        asli(self, selesai, jumlah, teks)

    monkeypatch.setattr(pekerjaan.Laporan, "langkah", catat)
    with django_capture_on_commit_callbacks(execute=True):
        p, baru = services.start_refresh(tim.instansi, tim.admin)
    assert baru
    p.refresh_from_db()
    job = Pekerjaan.objects.get()
    assert p.pekerjaan == job and job.pemilik == tim.admin and job.jenis == "siasn_data_utama"
    assert langkah == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert (job.status, job.selesai, job.jumlah) == ("selesai", 3, 3)
    assert (p.status, p.selesai, p.jumlah) == ("selesai", 3, 3)
    assert job.ringkasan == p.pesan == "3 dari 3 pegawai terbaca dari SIASN, 0 gagal."
    # The job is done: the poll reloads the page, which shows the record's outcome as before.
    r = b.klien(tim.admin).get(KEMAJUAN)
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
    html = b.klien(tim.admin).get(SELISIH).content.decode()
    assert "3 dari 3 pegawai terbaca dari SIASN" in html and 'role="progressbar"' not in html


def test_a_double_press_queues_one_job(tim: b.Tim, env: SiasnPalsu) -> None:
    c = b.klien(tim.admin)
    c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"))  # tests commit nothing: the job stays queued
    r = c.post(reverse("tindak_lanjut:siasn_selisih_segarkan"), follow=True)
    assert "masih berjalan" in r.content.decode()
    assert PenyegaranDataUtama.objects.count() == 1 and Pekerjaan.objects.count() == 1
    html = r.content.decode()
    assert 'role="progressbar"' in html and f'hx-get="{KEMAJUAN}"' in html
    # The bar polls this page's own progress view, which answers with the job's bar while it waits.
    bar = c.get(KEMAJUAN).content.decode()
    assert "Pembacaan data utama SIASN (3 pegawai)" in bar and "menunggu giliran" in bar
    # The unor read likewise.
    t1, baru1 = unor.start_tarik_unor(tim.instansi, tim.admin, "R")
    t2, baru2 = unor.start_tarik_unor(tim.instansi, tim.admin, "R")
    assert (t1.pk, baru1, baru2) == (t2.pk, True, False)
    assert TarikUnorSiasn.objects.count() == 1 and Pekerjaan.objects.filter(jenis="siasn_unor").count() == 1


def test_failures_are_shown_with_their_reason(  # type: ignore[no-untyped-def]
    tim: b.Tim, env: SiasnPalsu, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    env.tambah_pns(tim.kepala.nip)
    env.tambah_pns(tim.atasan.nip)  # the bawahan is unknown to SIASN: one row fails, the job ends
    with django_capture_on_commit_callbacks(execute=True):
        services.start_refresh(tim.instansi, tim.admin)
    html = b.klien(tim.admin).get(SELISIH).content.decode()
    assert "2 dari 3 pegawai terbaca dari SIASN, 1 gagal." in html
    assert "1 pegawai gagal dibaca" in html and tim.bawahan.nip in html and "HTTP 404" in html
    # SIASN unconfigured by the time the worker runs: the job and the record fail with the reason.
    PenyegaranDataUtama.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as tunda:
        p, _ = services.start_refresh(tim.instansi, tim.admin)
    monkeypatch.delenv("SIASN_GATEWAY_URL")
    for fungsi in tunda:
        fungsi()
    p.refresh_from_db()
    job = Pekerjaan.objects.get(pk=p.pekerjaan_id)
    assert job.status == "gagal" and "SIASN belum dikonfigurasi" in job.alasan
    assert (p.status, p.pesan) == ("gagal", job.alasan)
    html = b.klien(tim.admin).get(SELISIH).content.decode()
    assert "gagal: SIASN belum dikonfigurasi" in html
    # The unor read: SIASN refuses the reference, the reason is kept on both.
    env.gangguan = [403] * 5
    monkeypatch.setenv("SIASN_GATEWAY_URL", env.lingkungan()["SIASN_GATEWAY_URL"])
    with django_capture_on_commit_callbacks(execute=True):
        t, _ = unor.start_tarik_unor(tim.instansi, tim.admin, "R")
    t.refresh_from_db()
    assert t.status == "gagal" and t.pekerjaan is not None
    assert t.pekerjaan.status == "gagal" and t.pekerjaan.alasan == t.pesan
    html = b.klien(tim.admin).get(ORGANISASI).content.decode()
    assert "gagal: Referensi unor SIASN" in html


def test_a_record_queued_before_jobs_renders_and_runs_as_before(tim: b.Tim, env: SiasnPalsu) -> None:
    for peg in (tim.kepala, tim.atasan, tim.bawahan):
        env.tambah_pns(peg.nip)
    p = services.create_refresh(tim.instansi, tim.admin)  # no job: queued by the old task
    assert p.pekerjaan is None
    c = b.klien(tim.admin)
    html = c.get(SELISIH).content.decode()
    assert 'hx-trigger="every 2s"' in html and "0 / 3" in html and "pekerjaan-" not in html
    assert "0 / 3" in c.get(KEMAJUAN).content.decode()
    refresh_data_utama.call(p.pk)
    p.refresh_from_db()
    assert (p.status, p.selesai) == ("selesai", 3) and not Pekerjaan.objects.exists()
    assert "3 dari 3 pegawai terbaca" in c.get(KEMAJUAN).content.decode()
    t = TarikUnorSiasn.objects.create(instansi=tim.instansi, akar_id="R")
    env.tambah_unor("R", "Dinas Uji Coba")
    html = c.get(ORGANISASI).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Membaca referensi unor dari SIASN" in html
    read_unor.call(t.pk)
    t.refresh_from_db()
    assert (t.status, t.pesan) == ("selesai", "1 unor terbaca dari SIASN.")


def test_restarting_the_job_of_a_finished_read_reads_nothing_again(  # type: ignore[no-untyped-def]
    tim: b.Tim, env: SiasnPalsu, django_capture_on_commit_callbacks
) -> None:
    env.tambah_pns(tim.kepala.nip)
    with django_capture_on_commit_callbacks(execute=True):
        p, _ = services.start_refresh(tim.instansi, tim.admin)
    p.refresh_from_db()
    pesan, job = p.pesan, p.pekerjaan
    assert job is not None and pesan == "1 dari 3 pegawai terbaca dari SIASN, 2 gagal."
    with django_capture_on_commit_callbacks(execute=True):
        ulang = pekerjaan.mulai_ulang(job)
    ulang.refresh_from_db()
    p.refresh_from_db()
    assert ulang.status == "selesai" and "sudah berakhir" in ulang.ringkasan
    assert (p.pesan, p.pekerjaan) == (pesan, job) and PenyegaranDataUtama.objects.count() == 1
