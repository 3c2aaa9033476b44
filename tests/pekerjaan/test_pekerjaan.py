"""The background job (docs/architecture.md "Background jobs"): one job per key at a time, progress, the
result file only for its owner and the instansi's admin, failures with their reason, stalled jobs restarted,
and a real `db_worker` process running one to its end."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from kinerja.pekerjaan import services
from kinerja.pekerjaan.models import Pekerjaan, Status
from kinerja.pekerjaan.services import PESAN_TERHENTI, Laporan, PekerjaanDiambilAlih, mulai
from tests import builders as b
from tests.pekerjaan import fungsi_uji

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


def _mulai(tim: b.Tim, fungsi=fungsi_uji.tulis_berkas, kunci: str = "uji:1", **param):  # type: ignore[no-untyped-def]
    return mulai("uji", kunci, tim.admin, tim.instansi, "Berkas uji", fungsi, **param)


def test_double_press_gives_one_job_and_one_task(tim, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        a = _mulai(tim, teks="x")
    with django_capture_on_commit_callbacks(execute=True):
        kedua = _mulai(tim, teks="x")
    assert a.baru and not kedua.baru and kedua.pk == a.pk
    assert Pekerjaan.objects.count() == 1 and len(antrean.results) == 1
    assert antrean.results[0].args == [a.pk]
    assert b.segar(a).task_id == str(antrean.results[0].id)


def test_the_database_refuses_a_second_active_job_of_the_same_key(tim) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    _mulai(tim, teks="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pekerjaan.objects.create(
            jenis="uji", kunci="uji:1", pemilik=tim.admin, instansi=tim.instansi, judul="x", fungsi="a:b"
        )


def test_a_job_runs_writes_progress_and_its_file(tim, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, teks="isi berkas", langkah=3)
    p.refresh_from_db()
    assert (p.status, p.selesai, p.jumlah, p.langkah, p.persen) == ("selesai", 3, 3, "Menulis bagian 3", 100)
    assert p.ringkasan == "3 bagian ditulis." and p.nama_berkas == "hasil_uji.txt"
    assert p.dimulai_pada and p.selesai_pada and p.detak_pada and p.task_id
    with p.berkas.open("rb") as f:
        assert f.read() == b"isi berkas"
    # a finished job may be started again: a new one
    with django_capture_on_commit_callbacks(execute=True):
        lagi = _mulai(tim, teks="kedua")
    assert lagi.baru and lagi.pk != p.pk and b.segar(lagi).status == "selesai"


def test_progress_is_written_at_most_every_half_second(tim) -> None:  # type: ignore[no-untyped-def]
    p = Pekerjaan.objects.create(
        jenis="uji",
        kunci="k",
        pemilik=tim.admin,
        instansi=tim.instansi,
        judul="x",
        fungsi="a:b",
        status=Status.BERJALAN,
    )
    laporan = Laporan(p)
    jam = iter([100.0, 100.1, 100.2, 100.3, 100.7, 100.8, 100.9])
    with (
        mock.patch("kinerja.pekerjaan.services.monotonic", lambda: next(jam)),
        mock.patch.object(Laporan, "_tulis", wraps=laporan._tulis) as tulis,
    ):
        for i in range(1, 7):
            laporan.langkah(i, 10)
        laporan.langkah(10, 10)  # the last step always
    assert [c.kwargs["selesai"] for c in tulis.call_args_list] == [1, 5, 10]
    assert b.segar(p).selesai == 10


def test_the_page_polls_while_running_and_stops_when_done(
    tim, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, teks="x")
    c = b.klien(tim.admin)
    html = c.get(f"/pekerjaan/{p.pk}/progres/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "menunggu giliran" in html and 'role="progressbar"' in html
    Pekerjaan.objects.filter(pk=p.pk).update(
        status="berjalan", selesai=2, jumlah=8, detak_pada=timezone.now()
    )
    html = c.get(f"/pekerjaan/{p.pk}/progres/").content.decode()
    assert 'aria-valuenow="25"' in html and "2 dari 8" in html
    Pekerjaan.objects.filter(pk=p.pk).update(status="antre")
    services.jalankan(p.pk)
    html = c.get(f"/pekerjaan/{p.pk}/progres/").content.decode()
    assert "hx-trigger" not in html and 'hx-swap-oob="true"' in html and "Berkas siap diunduh" in html
    assert f"/pekerjaan/{p.pk}/unduh/" in html


def test_the_file_is_downloaded_only_by_its_owner_and_the_instansi_admin(
    tim, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.organisasi.models import User

    pemilik = User.objects.get(pegawai=tim.atasan)
    with django_capture_on_commit_callbacks(execute=True):
        p = mulai("uji", "uji:u", pemilik, tim.instansi, "Berkas", fungsi_uji.tulis_berkas, teks="rahasia")
    url = f"/pekerjaan/{p.pk}/unduh/"
    for user in (pemilik, tim.admin):
        r = b.klien(user).get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"rahasia"
        assert r["Content-Disposition"] == 'attachment; filename="hasil_uji.txt"'
    lain = b.atasan_dan_bawahan()
    bawahan = User.objects.get(pegawai=tim.bawahan)
    for user in (lain.admin, bawahan):
        c = b.klien(user)
        for u in (url, f"/pekerjaan/{p.pk}/", f"/pekerjaan/{p.pk}/progres/"):
            assert c.get(u).status_code == 404
        assert c.post(f"/pekerjaan/{p.pk}/ulang/").status_code == 404
    assert b.klien(pemilik).get("/pekerjaan/").content.decode().count("hasil_uji.txt") == 1
    assert "hasil_uji.txt" not in b.klien(bawahan).get("/pekerjaan/").content.decode()


def test_a_refused_job_shows_its_reason(tim, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, fungsi_uji.tolak)
    p.refresh_from_db()
    assert p.status == "gagal" and p.alasan == "Periode penilaian 2026 belum dibuat; buat periodenya dahulu."
    html = b.klien(tim.admin).get(f"/pekerjaan/{p.pk}/").content.decode()
    assert "Periode penilaian 2026 belum dibuat" in html and "Coba lagi" in html
    assert b.klien(tim.admin).get(f"/pekerjaan/{p.pk}/unduh/").status_code == 404


def test_an_unexpected_error_shows_a_general_reason_and_logs_the_traceback(
    tim, caplog, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, fungsi_uji.rusak)
    p.refresh_from_db()
    assert p.status == "gagal" and f"#{p.pk}" in p.alasan and "rahasia" not in p.alasan
    assert "kunci rahasia bocor" in caplog.text


def test_a_stalled_job_is_shown_and_restarted(tim, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, teks="x")
    lama = timezone.now() - datetime.timedelta(minutes=6)
    Pekerjaan.objects.filter(pk=p.pk).update(status="berjalan", dimulai_pada=lama, detak_pada=lama)
    c = b.klien(tim.admin)
    html = c.get(f"/pekerjaan/{p.pk}/progres/").content.decode()
    assert "terhenti" in html and "hx-trigger" not in html and "Mulai ulang" in html
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/pekerjaan/{p.pk}/ulang/", {"kembali": "/tindak-lanjut/rekap/"})
    assert r.status_code == 302 and r["Location"] == "/tindak-lanjut/rekap/"
    p.refresh_from_db()
    assert p.status == "gagal" and p.alasan == PESAN_TERHENTI
    baru = Pekerjaan.objects.exclude(pk=p.pk).get()
    assert baru.status == "antre" and baru.parameter == {"teks": "x"} and len(antrean.results) == 2
    # the old run, if its worker comes back, stops at its next report
    with pytest.raises(PekerjaanDiambilAlih):
        Laporan(p).langkah(0, 1)
    # a job still running is not restarted
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/pekerjaan/{baru.pk}/ulang/")
    assert Pekerjaan.objects.count() == 2


def test_a_task_delivered_twice_runs_once(tim, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        p = _mulai(tim, teks="x")
    with mock.patch.object(fungsi_uji, "tulis_berkas", wraps=fungsi_uji.tulis_berkas) as f:
        services.jalankan(p.pk)
        services.jalankan(p.pk)
    assert f.call_count == 1


def test_only_module_level_functions_are_accepted(tim) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        _mulai(tim, lambda laporan: None)


@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_runs_a_job_to_the_end(tmp_path: Path) -> None:
    """A worker process on a SQLite file: the tables made from the models (no migrations, for speed)."""
    (tmp_path / "pengaturan_uji.py").write_text(
        "from kinerja.settings import *  # noqa\n"
        "MIGRATION_MODULES = {a.rsplit('.', 1)[-1]: None for a in INSTALLED_APPS}  # noqa\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "pengaturan_uji",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }

    def jalan(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    jalan("manage.py", "migrate", "--run-syncdb", "-v0")
    buat = textwrap.dedent("""
        import django; django.setup()
        from kinerja.organisasi.models import Instansi, User
        from kinerja.pekerjaan.services import mulai
        i = Instansi.objects.create(kode="W", nama="Instansi Pekerja")
        u = User.objects.create(username="w", admin_instansi=i)
        fungsi = "tests.pekerjaan.fungsi_uji:tulis_berkas"
        print(mulai("uji", "w:1", u, i, "Uji pekerja", fungsi, teks="dari pekerja").pk)
    """)
    pk = jalan("-c", buat).strip()
    jalan("manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1")
    baca = textwrap.dedent(f"""
        import django; django.setup()
        from kinerja.pekerjaan.models import Pekerjaan
        p = Pekerjaan.objects.get(pk={pk})
        print(p.status, p.selesai, p.jumlah, p.berkas.open("rb").read().decode())
    """)
    assert jalan("-c", baca).split() == ["selesai", "3", "3", "dari", "pekerja"]
