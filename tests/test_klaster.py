"""More than one machine, without the cluster: the replica router, a Redis that does not answer, the task
worker as a real process (docs/architecture.md "More than one machine")."""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from kinerja.common import replika
from kinerja.common.klaster import SekaliPerSelang, kunci_lintas_proses
from kinerja.common.replika import PrimerSetelahTulis, RouterReplika, dari_replika, di_primer
from kinerja.organisasi.models import Instansi, User

ROOT = Path(__file__).resolve().parent.parent


class _Catat(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def catat_log() -> Iterator[_Catat]:
    """Records of the `kinerja.cache` and `kinerja.replika` loggers (they do not propagate to the root)."""
    h = _Catat()
    loggers = [logging.getLogger("kinerja.cache"), logging.getLogger("kinerja.replika")]
    for lg in loggers:
        lg.addHandler(h)
    yield h
    for lg in loggers:
        lg.removeHandler(h)


@pytest.fixture
def replika_aktif() -> Iterator[None]:
    """A replica is configured (the test alias mirrors the primary)."""
    replika.kesehatan.reset()
    with override_settings(KINERJA_REPLIKA_AKTIF=True, KINERJA_REPLIKA_CEK_DETIK=60):
        yield
    replika.kesehatan.reset()


@pytest.fixture
def replika_sehat(replika_aktif: None) -> Iterator[None]:
    """... and answers its health check (tests that only ask the router where a read goes)."""
    with mock.patch.object(replika, "_periksa", return_value=(True, "")):
        yield


# --- the router --------------------------------------------------------------------------------------------


def test_replica_alias_mirrors_default_in_tests() -> None:
    assert connections["replica"].settings_dict["TEST"]["MIRROR"] == "default"


# transaction=True: a test wrapped in a transaction would read on the primary, by design
@pytest.mark.django_db(transaction=True)
def test_marked_reads_go_to_replica_others_to_default(replika_sehat: None) -> None:
    assert router.db_for_read(Instansi) == "default"
    with dari_replika():
        assert router.db_for_read(Instansi) == "replica"
        assert router.db_for_write(Instansi) == "default"
        with di_primer():  # pinned (the user just wrote)
            assert router.db_for_read(Instansi) == "default"
    assert router.db_for_read(Instansi) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_marked_reads_run_on_the_replica_connection_and_not_inside_a_transaction(replika_aktif: None) -> None:
    Instansi.objects.create(nama="Instansi Replika", kode="RPL")
    with CaptureQueriesContext(connections["replica"]) as di_replika, dari_replika():
        nama = list(Instansi.objects.filter(kode="RPL").values_list("nama", flat=True))
    assert nama == ["Instansi Replika"]
    assert any("organisasi_instansi" in q["sql"] for q in di_replika.captured_queries)
    with transaction.atomic(), dari_replika():  # a transaction reads its own rows on the primary
        assert router.db_for_read(Instansi) == "default"


@pytest.mark.django_db
def test_nothing_goes_to_replica_when_none_is_configured() -> None:
    with override_settings(KINERJA_REPLIKA_AKTIF=False), dari_replika():
        assert router.db_for_read(Instansi) == "default"
    assert RouterReplika().allow_migrate("replica", "organisasi") is False
    assert RouterReplika().allow_migrate("default", "organisasi") is True


@pytest.mark.django_db(transaction=True)
def test_replica_down_reads_go_to_primary_and_it_is_logged(replika_aktif: None, catat_log: _Catat) -> None:
    rusak = mock.patch.object(
        connections["replica"], "cursor", side_effect=OperationalError("connection refused")
    )
    with rusak, dari_replika():
        assert router.db_for_read(Instansi) == "default"
        assert Instansi.objects.filter(kode="TIDAK-ADA").count() == 0  # served by the primary
    pesan = [r.getMessage() for r in catat_log.records]
    assert any("REPLIKA TIDAK DIPAKAI" in m and "connection refused" in m for m in pesan), pesan
    # within the check interval the verdict is cached: no new connection attempt per read
    with mock.patch.object(replika, "_periksa") as periksa, dari_replika():
        router.db_for_read(Instansi)
    periksa.assert_not_called()
    # after it, a replica that answers again is used again (and that is logged too)
    sehat = mock.patch.object(replika, "_periksa", return_value=(True, ""))
    nanti = mock.patch.object(replika.time, "monotonic", return_value=time.monotonic() + 61)
    with sehat, nanti, dari_replika():
        assert router.db_for_read(Instansi) == "replica"
    assert any("kembali menjawab" in r.getMessage() for r in catat_log.records)


def _view_mencatat(hasil: dict[str, bool]):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        with dari_replika():
            hasil["replika"] = replika.pakai_replika()
        return HttpResponse("ok")

    return view


@pytest.mark.django_db(transaction=True)
def test_own_reads_stay_on_primary_after_a_write(replika_sehat: None) -> None:
    hasil: dict[str, bool] = {}
    mw = PrimerSetelahTulis(_view_mencatat(hasil))
    rf = RequestFactory()
    mw(rf.get("/"))
    assert hasil["replika"] is True  # nobody wrote: the board may come from the replica
    resp = mw(rf.post("/"))
    assert hasil["replika"] is False  # the write request itself
    cookie = resp.cookies[replika.COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    baca = rf.get("/")
    baca.COOKIES[replika.COOKIE] = cookie.value
    mw(baca)
    assert hasil["replika"] is False  # within N seconds of the write: the primary
    lama = rf.get("/")
    lama.COOKIES[replika.COOKIE] = f"{time.time() - 1:.1f}"
    mw(lama)
    assert hasil["replika"] is True  # later: the replica again
    rusak = rf.get("/")
    rusak.COOKIES[replika.COOKIE] = "bukan-angka"
    mw(rusak)
    assert hasil["replika"] is True


# --- the cache on a Redis that does not answer -------------------------------------------------------------


def _port_tertutup() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_mati() -> dict[str, object]:
    url = f"redis://127.0.0.1:{_port_tertutup()}/0"
    return {
        "REDIS_URL": url,
        "CACHES": {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
            }
        },
        "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS": True,
        "DJANGO_REDIS_LOGGER": "kinerja.cache",
        "SESSION_ENGINE": "kinerja.common.sesi",
    }


@pytest.mark.django_db
def test_redis_down_pages_still_served_and_logged(accounts: dict[str, str], catat_log: _Catat) -> None:
    from django.core.cache import cache

    with override_settings(**_redis_mati()):
        assert cache.get("apa-saja") is None  # a miss, not an exception
        cache.set("apa-saja", 1)
        client = Client()
        client.force_login(User.objects.get(username=accounts["pelaksana"]))  # session: database only
        resp = client.get("/")
        assert resp.status_code == 200
        assert client.get("/").status_code == 200  # the session came back from the database
    assert catat_log.records, "a degraded cache must be logged"
    assert all(r.name == "kinerja.cache" for r in catat_log.records)


def test_degraded_log_is_one_clear_line_per_interval() -> None:
    f = SekaliPerSelang(selang=30)
    try:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    except ConnectionError:
        exc_info = sys.exc_info()
    rec = logging.LogRecord("kinerja.cache", logging.ERROR, __file__, 1, "Exception ignored", None, exc_info)
    assert f.filter(rec) is True
    assert rec.getMessage().startswith("CACHE TERDEGRADASI: Redis tidak menjawab (Error 111")
    assert rec.exc_info is None
    rec2 = logging.LogRecord("kinerja.cache", logging.ERROR, __file__, 1, "Exception ignored", None, exc_info)
    assert f.filter(rec2) is False  # the next one within 30 s is dropped


@pytest.mark.django_db(transaction=True)
def test_lock_falls_back_to_the_database_when_redis_is_down(catat_log: _Catat) -> None:
    with override_settings(**_redis_mati()), kunci_lintas_proses("uji-kunci", batas_tunggu=1):
        assert connections["default"].in_atomic_block  # held by the database transaction
        Instansi.objects.create(nama="Di Dalam Kunci", kode="KNC")
    assert Instansi.objects.filter(kode="KNC").exists()
    assert any("memakai kunci database" in r.getMessage() for r in catat_log.records)


@pytest.mark.django_db(transaction=True)
def test_lock_rolls_back_the_block_on_error() -> None:
    with pytest.raises(RuntimeError), kunci_lintas_proses("uji-kunci-gagal"):
        Instansi.objects.create(nama="Batal", kode="BTL")
        raise RuntimeError("gagal")
    assert not Instansi.objects.filter(kode="BTL").exists()


# --- the task worker as a real process ---------------------------------------------------------------------


def test_db_worker_process_runs_an_enqueued_task(tmp_path: Path) -> None:
    db = tmp_path / "pekerja.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "false"}
    env.pop("TASKS_BACKEND", None)
    manage = [sys.executable, str(ROOT / "manage.py")]

    def jalan(*args: str) -> str:
        out = subprocess.run(
            [*manage, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    jalan("migrate", "django_tasks_database", "-v", "0")
    jalan(
        "shell",
        "-c",
        "from kinerja.common.tugas import periksa_pekerja; print(periksa_pekerja.enqueue(42).id)",
    )
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall() == [("READY",)]
    jalan("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    with sqlite3.connect(db) as c:
        hasil = c.execute("SELECT status, return_value FROM django_tasks_database_dbtaskresult").fetchall()
    assert hasil == [("SUCCESSFUL", "42")]


# --- which pages read from the replica ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_boards_and_rekap_read_their_rows_on_the_replica(replika_sehat: None) -> None:
    """The pages that tolerate a second of lag (docs/architecture.md "More than one machine") read the SKP
    and RHK they show on the replica: the penilai's board, its roll-up, the unit board and the rekap."""
    from django.urls import reverse

    from kinerja.demo.bench import pelaksanaan as bench

    instansi, periode = bench.create_instansi("REPLIKA-PAPAN")
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, 3, rhk_induk=bench.create_skp_kepala(t))
    client = Client()
    client.force_login(t.user)
    halaman = {
        "papan penilai": ("/pemantauan/", "perencanaan_skp"),
        "roll-up": ("/pemantauan/rhk-saya/", "perencanaan_rhk"),
        "papan unit": (reverse("pelaksanaan:papan_unit", args=[t.unit.pk]), "perencanaan_skp"),
        "rekap": (reverse("tindak_lanjut:rekap"), "penilaian_evaluasi"),
    }
    for nama, (url, tabel) in halaman.items():
        with CaptureQueriesContext(connections["replica"]) as di_replika:
            resp = client.get(url)
        assert resp.status_code == 200, nama
        assert any(tabel in q["sql"] for q in di_replika.captured_queries), nama
