"""Benchmark of the TPP month job (docs/rules.md §28, docs/benchmarks.md "Kehadiran dan TPP"), run by
`make bench` (scripts/bench.py) and on its own with `scripts/bench.py --tpp-only KODE`.

`siapkan(instansi, admin, tahun, bulan)` gives the generated instansi what a real one would have before its
first month: kelas jabatan on every jabatan (as the demo's, `kinerja.demo.tpp.kelas_jabatan`), a pagu table
and the ministry rule set (through the services), and a month of machine taps written with one raw
``executemany`` per 20 000 rows (~880 000 for 20 000 pegawai): on 95 % of the working days on time, 3 %
late by 5–100 minutes, 1 % without the pulang tap, 1 % absent. Each piece is skipped when already there.

`bench_bulan(...)` starts the job as the page does (the task is not enqueued) and runs it here as the worker
would (`pekerjaan.services.jalankan`): wall and CPU time, queries, pegawai per second, and the machine's load
average at the end (the figures are only comparable at a similar load).
"""

from __future__ import annotations

import datetime
import os
import random
import time
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.demo.bench.pekerjaan import DUMMY
from kinerja.demo.tpp import PAGU_KELAS, kelas_jabatan
from kinerja.kehadiran.models import AturanTppInstansi, BulanTpp, Rekaman, TabelPaguTpp, TppPegawai
from kinerja.kehadiran.selectors import kalender
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.organisasi.models import Instansi, Jabatan, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import jalankan
from kinerja.rules import JenisJabatan, Jenjang, tpp
from kinerja.rules.kehadiran import jam_berlaku

BARIS_PER_INSERT = 20_000


def _kelas(instansi: Instansi) -> None:
    kelompok = Jabatan.objects.filter(instansi=instansi).order_by().values_list("jenis", "jenjang").distinct()
    for jenis, jenjang in list(kelompok):
        k = kelas_jabatan("", JenisJabatan(jenis), Jenjang(jenjang) if jenjang else None)
        Jabatan.objects.filter(instansi=instansi, jenis=jenis, jenjang=jenjang).update(kelas_jabatan=k)


def _rekaman(instansi: Instansi, tahun: int, bulan: int, seed: int = 1) -> int:
    awal, akhir = sel.rentang_bulan(tahun, bulan)
    tempat = sel.penempatan_bulan(instansi.pk, tahun, bulan)
    if Rekaman.objects.filter(pegawai_id__in=list(tempat)[:100], waktu__date__range=(awal, akhir)).exists():
        return 0
    kal = kalender(instansi.pk, awal, akhir)
    acak = random.Random(seed)
    adapt = connection.ops.adapt_datetimefield_value
    assert Rekaman._meta.db_table == "kehadiran_rekaman"
    sql = "INSERT INTO kehadiran_rekaman (pegawai_id, waktu, sumber) VALUES (%s, %s, %s)"
    baris: list[tuple[int, Any, str]] = []
    n = 0

    def tulis() -> None:
        with connection.cursor() as c:
            c.executemany(sql, baris)
        baris.clear()

    hari = [awal + datetime.timedelta(days=i) for i in range((akhir - awal).days + 1)]
    for pid, daftar in tempat.items():
        unit = daftar[-1].unit_id
        jadwal, varian = kal.jadwal_unit(unit), kal.varian_unit(unit)
        for t in hari:
            jam = jam_berlaku(t, jadwal=jadwal, varian=varian)
            if jam is None or t in kal.libur:
                continue
            r = acak.random()
            if r < 0.01:
                continue  # absent
            masuk = acak.randint(5, 100) if r < 0.04 else -acak.randint(1, 30)
            waktu = [datetime.datetime.combine(t, jam.masuk) + datetime.timedelta(minutes=masuk)]
            if r >= 0.05:
                waktu.append(
                    datetime.datetime.combine(t, jam.pulang) + datetime.timedelta(minutes=acak.randint(1, 40))
                )
            for w in waktu:
                baris.append((pid, adapt(timezone.make_aware(w.replace(second=pid % 60))), "mesin"))
            if len(baris) >= BARIS_PER_INSERT:
                n += len(baris)
                tulis()
    n += len(baris)
    tulis()
    return n


def siapkan(instansi: Instansi, admin: User, tahun: int, bulan: int) -> dict[str, Any]:
    """Kelas, pagu table, rule set and the month's taps (each skipped when there); seconds it took."""
    t = time.perf_counter()
    _kelas(instansi)
    awal = datetime.date(tahun, 1, 1)
    if not TabelPaguTpp.objects.filter(instansi=instansi).exists():
        services.simpan_tabel_pagu(
            instansi, [(None, k, v) for k, v in PAGU_KELAS.items()], awal, "Bench", admin
        )
    if not AturanTppInstansi.objects.filter(instansi=instansi).exists():
        services.simpan_aturan(instansi, tpp.PRESET["kementerian"], awal, "Bench", admin)
    kelas_s = time.perf_counter() - t
    t = time.perf_counter()
    n = _rekaman(instansi, tahun, bulan)
    return {
        "kelas_pagu_aturan_s": round(kelas_s, 2),
        "rekaman": n,
        "rekaman_s": round(time.perf_counter() - t, 1),
    }


def bench_bulan(instansi: Instansi, admin: User, tahun: int, bulan: int, profil: str = "") -> dict[str, Any]:
    """Start the month's job and run it here; ``profil``: a path to write a cProfile of the run to."""
    b = sel.bulan_tpp(instansi.pk, tahun, bulan)
    if b is not None and b.ditutup:
        services.buka_bulan(b, "Bench", admin)
    with override_settings(TASKS=DUMMY):
        p = services.hitung_bulan(instansi, tahun, bulan, admin)
    with CaptureQueriesContext(connection) as ctx:
        c, w = time.process_time(), time.perf_counter()
        if profil:
            import cProfile

            cProfile.runctx("jalankan(p.pk)", globals(), {"jalankan": jalankan, "p": p}, profil)
        else:
            jalankan(p.pk)
        cpu, wall = time.process_time() - c, time.perf_counter() - w
    p = Pekerjaan.objects.get(pk=p.pk)
    b = BulanTpp.objects.get(instansi=instansi, tahun=tahun, bulan=bulan)
    n = TppPegawai.objects.filter(bulan=b).count()
    return {
        "bulan": f"{bulan:02d}/{tahun}",
        "status": p.status,
        "ringkasan": (p.ringkasan or p.alasan)[:200],
        "pegawai": n,
        "rekaman": Rekaman.objects.filter(pegawai__instansi=instansi).count(),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "pegawai_per_s": round(n / wall) if wall else 0,
        "queries": len(ctx.captured_queries),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "goal_s": 60,
    }


def bench_tpp(instansi: Instansi, admin: User, today: datetime.date) -> dict[str, Any]:
    """The last full month before ``today``: prepare, then compute it."""
    tahun, bulan = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    siap = siapkan(instansi, admin, tahun, bulan)
    return {"siapkan": siap, "hitung": bench_bulan(instansi, admin, tahun, bulan)}


def baris(hasil: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows for the bench table."""
    s, h = hasil["siapkan"], hasil["hitung"]
    return [
        ("taps of the month written (raw executemany)", f"{s['rekaman']} rows · {s['rekaman_s']} s"),
        (
            f"TPP month job {h['bulan']}, {h['pegawai']} pegawai ({h['status']})",
            f"{h['wall_s']} s wall · {h['cpu_s']} s CPU · {h['pegawai_per_s']} pegawai/s · "
            f"{h['queries']} queries (goal < {h['goal_s']} s; load {h['load']})",
        ),
    ]
