"""Loose ends of the background jobs (docs/architecture.md "Background jobs"): finished jobs and their files
removed after the retention, the worker's heartbeat and the page saying when no worker runs, the
deployment check against a process-local cache with several processes, and the shared progress answer of
pages that show a job's outcome themselves."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from kinerja.common import checks
from kinerja.pekerjaan import services
from kinerja.pekerjaan.management.commands import db_worker
from kinerja.pekerjaan.models import DetakPekerja, Pekerjaan, Status
from kinerja.pekerjaan.services import mulai
from kinerja.pekerjaan.views import progres_atau_muat_ulang
from tests import builders as b
from tests.pekerjaan import fungsi_uji

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


def _selesai(tim: b.Tim, kunci: str, hari_lalu: int, status: str = Status.SELESAI) -> Pekerjaan:
    p = mulai("uji", kunci, tim.admin, tim.instansi, f"Uji {kunci}", fungsi_uji.tulis_berkas, teks=kunci)
    services.jalankan(p.pk)
    Pekerjaan.objects.filter(pk=p.pk).update(
        status=status, selesai_pada=timezone.now() - datetime.timedelta(days=hari_lalu)
    )
    return b.segar(p)


def test_finished_jobs_and_their_files_go_after_the_retention(tim, capsys) -> None:  # type: ignore[no-untyped-def]
    lama = _selesai(tim, "lama", 8)
    gagal_lama = _selesai(tim, "gagal-lama", 10, Status.GAGAL)
    baru = _selesai(tim, "baru", 6)
    antre = mulai("uji", "antre", tim.admin, tim.instansi, "Antre", fungsi_uji.tulis_berkas, teks="x")
    Pekerjaan.objects.filter(pk=antre.pk).update(dibuat_pada=timezone.now() - datetime.timedelta(days=30))
    berkas_lama = lama.berkas.path
    DetakPekerja.objects.create(nama="mati:1", detak_pada=timezone.now() - datetime.timedelta(days=2))
    DetakPekerja.objects.create(nama="hidup:1")

    call_command("bersihkan_pekerjaan")

    assert "2 pekerjaan dan 2 berkas hasil dihapus; 1 detak pekerja lama dihapus." in capsys.readouterr().out
    assert set(Pekerjaan.objects.values_list("pk", flat=True)) == {baru.pk, antre.pk}
    assert not lama.berkas.storage.exists(berkas_lama) and baru.berkas.storage.exists(baru.berkas.name)
    assert list(DetakPekerja.objects.values_list("nama", flat=True)) == ["hidup:1"]
    # Who started the removed jobs stays in their history.
    assert Pekerjaan.history.filter(id=gagal_lama.pk, history_type="+").exists()
    # A shorter retention by the setting.
    with override_settings(PEKERJAAN_SIMPAN_HARI=5):
        assert services.bersihkan().pekerjaan == 1
    assert Pekerjaan.objects.get().pk == antre.pk


def test_a_queued_job_says_when_no_worker_is_alive(tim, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = mulai("uji", "k", tim.admin, tim.instansi, "Uji", fungsi_uji.tulis_berkas, teks="x")
    c = b.klien(tim.admin)
    url = f"/pekerjaan/{p.pk}/progres/"
    # Fresh in the queue: just waiting.
    html = c.get(url).content.decode()
    assert "menunggu giliran" in html and "Tidak ada pekerja latar" not in html
    # Queued longer than PEKERJAAN_TANPA_PEKERJA_DETIK and no heartbeat: the page says so, and keeps polling.
    Pekerjaan.objects.filter(pk=p.pk).update(dibuat_pada=timezone.now() - datetime.timedelta(seconds=31))
    html = c.get(url).content.decode()
    assert "Tidak ada pekerja latar yang sedang berjalan" in html and 'hx-trigger="every 1s"' in html
    # A heartbeat older than a minute is no worker either; a fresh one is.
    DetakPekerja.objects.create(nama="w:1", detak_pada=timezone.now() - datetime.timedelta(seconds=90))
    assert "Tidak ada pekerja latar" in c.get(url).content.decode()
    services.detak("w:1")
    assert "Tidak ada pekerja latar" not in c.get(url).content.decode()
    with override_settings(PEKERJAAN_TANPA_PEKERJA_DETIK=60):
        DetakPekerja.objects.all().delete()
        assert "Tidak ada pekerja latar" not in c.get(url).content.decode()


def test_the_worker_beats_cleans_and_removes_its_row(tim) -> None:  # type: ignore[no-untyped-def]
    lama = _selesai(tim, "lama", 8)
    henti = threading.Event()
    with (
        mock.patch.object(db_worker, "close_old_connections"),
        mock.patch.object(db_worker, "connections"),
        mock.patch.object(henti, "wait", side_effect=lambda _t: henti.set()),
    ):
        db_worker._jaga("mesin:42", henti)
    assert DetakPekerja.objects.get().nama == "mesin:42"
    assert not Pekerjaan.objects.filter(pk=lama.pk).exists()
    services.berhenti("mesin:42")
    assert not DetakPekerja.objects.exists()


@pytest.mark.parametrize(
    ("env", "proses"),
    [
        ({}, 1),
        ({"WEB_CONCURRENCY": "5"}, 5),
        ({"WEB_CONCURRENCY": "x"}, 1),
        ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers 3"}, 3),
        ({"GUNICORN_CMD_ARGS": "-w 4 --timeout 60"}, 4),
        ({"GUNICORN_CMD_ARGS": "--workers=2"}, 2),
        ({"GUNICORN_CMD_ARGS": "-w3"}, 3),
    ],
)
def test_web_processes_read_from_the_environment(env: dict[str, str], proses: int) -> None:
    assert checks.proses_web(env) == proses


LOKAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
BERKAS = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"}}
REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.mark.parametrize(
    ("caches", "env", "peringatan"),
    [
        (LOKAL, {}, False),
        (LOKAL, {"WEB_CONCURRENCY": "1"}, False),
        (LOKAL, {"WEB_CONCURRENCY": "4"}, True),
        (LOKAL, {"GUNICORN_CMD_ARGS": "-w 2"}, True),
        (LOKAL, {"JUMLAH_NODE": "2"}, True),
        (BERKAS, {"WEB_CONCURRENCY": "4"}, False),
        (BERKAS, {"JUMLAH_NODE": "2"}, True),
        (REDIS, {"WEB_CONCURRENCY": "4", "JUMLAH_NODE": "2"}, False),
    ],
)
def test_deploy_check_warns_of_a_process_local_cache_with_several_processes(
    caches: dict, env: dict[str, str], peringatan: bool
) -> None:
    with override_settings(CACHES=caches):
        hasil = checks.cache_bersama(env=env)
    assert [m.id for m in hasil] == (["kinerja.W001"] if peringatan else [])
    if peringatan:
        assert "REDIS_URL" in (hasil[0].hint or "")


def test_deploy_check_is_registered_as_deploy_only() -> None:
    from django.core.checks import registry

    assert checks.cache_bersama in registry.registry.get_checks(include_deployment_checks=True)
    assert checks.cache_bersama not in registry.registry.get_checks(include_deployment_checks=False)


def test_progress_of_a_page_that_shows_the_outcome_reloads_it_when_done(tim, antrean) -> None:  # type: ignore[no-untyped-def]
    p = mulai("uji", "k", tim.admin, tim.instansi, "Uji", fungsi_uji.tulis_berkas, teks="x")
    request = RequestFactory().get("/x/")
    request.user = tim.admin
    r = progres_atau_muat_ulang(p, "/halaman/progres/", request)
    assert r.status_code == 200 and 'hx-get="/halaman/progres/"' in r.content.decode()
    services.jalankan(p.pk)
    r = progres_atau_muat_ulang(b.segar(p), "/halaman/progres/", request)
    assert r.status_code == 204 and r["HX-Refresh"] == "true"
