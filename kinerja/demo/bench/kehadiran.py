"""Kehadiran bench (docs/benchmarks.md "Kehadiran"): a month of ZKTeco attlog for every pegawai of the
instansi (22 working days × 2 taps, times spread around 07:30 and 16:00, some noise lines) on a machine with
PIN = NIP, imported by the job function as the worker runs it (`pekerjaan.services.jalankan`), timed end to
end. Everything it writes is removed afterwards (the taps, the import, the machine, the job).

Standalone on a copy of a generated database::

    DATABASE_URL=sqlite:////tmp/copy.sqlite3 python -m kinerja.demo.bench.kehadiran [--pegawai 20000]
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def attlog_bulan(nips: list[str], tahun: int, bulan: int, seed: int = 1) -> tuple[bytes, int]:
    """The attlog text of a month (weekdays) for ``nips`` and its line count: two taps a day, ~2 % of days
    with one tap missing, ~1 % noise lines (unknown PIN, unreadable time, too few fields), CRLF."""
    rnd = random.Random(seed)
    hari = [
        datetime.date(tahun, bulan, d)
        for d in range(1, 32)
        if _ada(tahun, bulan, d) and datetime.date(tahun, bulan, d).weekday() < 5
    ][:22]
    baris: list[str] = []
    for tanggal in hari:
        t = tanggal.isoformat()
        for nip in nips:
            pin = nip.rjust(24)
            if rnd.random() > 0.02:
                m = max(0, min(7 * 3600 + 1800 + int(rnd.gauss(-900, 900)), 86399))
                baris.append(f"{pin}\t{t} {m // 3600:02d}:{m // 60 % 60:02d}:{m % 60:02d}\t1\t0\t1\t0")
            if rnd.random() > 0.02:
                m = max(0, min(16 * 3600 + int(rnd.gauss(900, 1200)), 86399))
                baris.append(f"{pin}\t{t} {m // 3600:02d}:{m // 60 % 60:02d}:{m % 60:02d}\t1\t1\t1\t0")
            if rnd.random() < 0.01:
                baris.append(
                    rnd.choice([f"999999\t{t} 07:00:00\t1\t0\t1\t0", f"{pin}\t{t} 25:00\t1\t0", pin])
                )
    return ("\r\n".join(baris) + "\r\n").encode(), len(baris)


def _ada(tahun: int, bulan: int, d: int) -> bool:
    try:
        datetime.date(tahun, bulan, d)
    except ValueError:
        return False
    return True


def bench_impor_attlog(instansi: Any, admin: Any, pegawai: int | None = None) -> dict[str, Any]:
    from kinerja.kehadiran.models import ImporKehadiran, MesinPresensi, Rekaman
    from kinerja.kehadiran.rekaman import services
    from kinerja.organisasi.models import Pegawai
    from kinerja.pekerjaan.models import Pekerjaan
    from kinerja.pekerjaan.services import jalankan

    nips = list(Pegawai.objects.filter(instansi=instansi).order_by("pk").values_list("nip", flat=True))
    nips = nips[:pegawai] if pegawai else nips
    kini = timezone.localdate()
    awal = (kini.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # the month before
    g = time.perf_counter()
    isi, jumlah = attlog_bulan(nips, awal.year, awal.month)
    generate_s = time.perf_counter() - g
    mesin = MesinPresensi.objects.create(instansi=instansi, nama="Bench PIN=NIP", pin_adalah_nip=True)
    try:
        with override_settings(TASKS=DUMMY):
            impor = services.mulai_impor(
                admin, instansi, jenis="attlog", nama_berkas="BENCH_attlog.dat", isi=isi, mesin=mesin
            )
        assert impor.pekerjaan is not None
        with CaptureQueriesContext(connection) as ctx:
            c, w = time.process_time(), time.perf_counter()
            jalankan(impor.pekerjaan.pk)
            cpu, wall = time.process_time() - c, time.perf_counter() - w
        impor.refresh_from_db()
        p = Pekerjaan.objects.get(pk=impor.pekerjaan.pk)
        # a second run of the same file: nothing new, same safety
        with override_settings(TASKS=DUMMY):
            lagi = services.mulai_impor(
                admin, instansi, jenis="attlog", nama_berkas="BENCH_attlog.dat", isi=isi, mesin=mesin
            )
        assert lagi.pekerjaan is not None
        w2 = time.perf_counter()
        jalankan(lagi.pekerjaan.pk)
        wall2 = time.perf_counter() - w2
        lagi.refresh_from_db()
        return {
            "pegawai": len(nips),
            "baris": jumlah,
            "bytes": len(isi),
            "generate_s": round(generate_s, 1),
            "status": p.status,
            "alasan": p.alasan,
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "baris_per_s": round(jumlah / wall),
            "queries": len(ctx.captured_queries),
            "baru": impor.jumlah_baru,
            "sudah_ada": impor.jumlah_sudah_ada,
            "ditolak": impor.jumlah_ditolak,
            "ulang_wall_s": round(wall2, 1),
            "ulang_baru": lagi.jumlah_baru,
        }
    finally:
        ids = list(ImporKehadiran.objects.filter(mesin=mesin).values_list("pk", flat=True))
        Rekaman.objects.filter(impor_id__in=ids).delete()
        Pekerjaan.objects.filter(
            pk__in=ImporKehadiran.objects.filter(pk__in=ids).values("pekerjaan")
        ).delete()
        ImporKehadiran.objects.filter(pk__in=ids).delete()
        mesin.delete()


def baris(hasil: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            f"kehadiran: attlog import, {hasil['pegawai']} pegawai ({hasil['status']})",
            f"{hasil['baris']} lines in {hasil['wall_s']} s ({hasil['baris_per_s']} lines/s, "
            f"{hasil['cpu_s']} s CPU, {hasil['queries']} queries) · "
            f"again {hasil['ulang_wall_s']} s, {hasil['ulang_baru']} new",
        )
    ]


if __name__ == "__main__":
    import argparse
    import json
    import os

    import django

    parser = argparse.ArgumentParser(description="Attlog import bench on DATABASE_URL")
    parser.add_argument("--pegawai", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    django.setup()
    from django.db.models import Count

    from kinerja.organisasi.models import Instansi, User

    inst = Instansi.objects.annotate(n=Count("pegawai")).order_by("-n").first()  # the biggest instansi
    admin = User.objects.filter(admin_instansi=inst).order_by("pk").first()
    assert inst is not None and admin is not None, "no instansi with an admin kepegawaian in this database"
    print(json.dumps(bench_impor_attlog(inst, admin, args.pegawai), indent=2))
