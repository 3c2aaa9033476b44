"""Benchmark of the dashboard (`/`) for every role, run by `make bench` (scripts/bench.py).

On the generated instansi (its admin kepegawaian sees the whole-instansi summary), inside a transaction rolled
back at the end, it adds what the other roles need: a pimpinan heading a new unit, under them a penilai
with 30 bawahan (each with an agreed SKP, realisasi and umpan balik, `kinerja.demo.bench.pelaksanaan`), one
of those bawahan as the pegawai pelaksana, and a superuser. Each dashboard is measured with
`kinerja.demo.bench.ukur.ukur` (the steady state: median of `runs`), and once right after the cache was
emptied ("cold": what the first request after an invalidation pays).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo.bench.pelaksanaan import create_kepala, create_staf
from kinerja.demo.bench.ukur import ukur
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Periode, UnitKerja, User
from kinerja.rules.jadwal import Skema

JUMLAH_BAWAHAN = 30


class _Rollback(Exception):
    pass


def _periode(instansi: Instansi, tahun: int) -> Periode:
    found = Periode.objects.filter(instansi=instansi, tahun=tahun).first()
    return found or org_services.create_periode(instansi, tahun, Skema.TRIWULANAN)


def bench_dashboard(instansi: Instansi, admin: User, today: Any, runs: int = 20) -> dict[str, Any]:
    result: dict[str, Any] = {"runs": runs, "bawahan": JUMLAH_BAWAHAN}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            periode = _periode(instansi, today.year)
            root = UnitKerja.objects.get(instansi=instansi, parent=None)
            unit_p = org_services.save_unit_kerja(
                UnitKerja(instansi=instansi), instansi=instansi, kode="DASH-P", nama="Badan Uji", parent=root
            )
            top = Jabatan.objects.get(instansi=instansi, parent=None)
            pimpinan = create_kepala(instansi, periode, unit_p, kode="DASH-P", atasan=top)
            sub = org_services.save_unit_kerja(
                UnitKerja(instansi=instansi),
                instansi=instansi,
                kode="DASH-S",
                nama="Bidang Uji",
                parent=pimpinan.unit,
            )
            penilai = create_kepala(instansi, periode, sub, kode="DASH-S", atasan=pimpinan.jabatan)
            staf = create_staf(penilai, JUMLAH_BAWAHAN, mulai_nomor=9000)
            pelaksana = User.objects.create(username=staf[0].nip, pegawai=staf[0])
            superuser = User.objects.create(username="bench-dash-su", is_superuser=True, is_staff=True)
            result["build_s"] = round(time.perf_counter() - t, 2)
            roles = {
                "admin": admin,
                "superuser": superuser,
                "pimpinan": pimpinan.user,
                "penilai_30": penilai.user,
                "pelaksana": pelaksana,
            }
            for name, user in roles.items():
                client = Client()
                client.force_login(user)
                client.get("/")  # templates loaded, connection open
                cache.clear()
                c = time.process_time()
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get("/").status_code == 200
                cold = {
                    "cpu_ms": round((time.process_time() - c) * 1000, 2),
                    "queries": len(ctx.captured_queries),
                }
                result[name] = {**ukur(client, "/", runs=runs), "cold": cold}
            raise _Rollback
    except _Rollback:
        pass
    return result
