"""Benchmarks of the planning pages, run by `make bench` (scripts/bench.py).

Self-contained like `kinerja.demo.bench.dokumen`: inside a transaction rolled back at the end it builds an SKP
with 15 RHK × 3 indikator (the same builder as the PDF bench) and a unit whose head has 30 bawahan, each
with an SKP intervening the head's RHK, then times the SKP page and the Matriks Pembagian Peran dan Hasil.
"""

from __future__ import annotations

import datetime
import statistics
import time
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo.bench.dokumen import create_skp_besar
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, User
from kinerja.perencanaan import selectors, services
from kinerja.rules import Aspek

JUMLAH_BAWAHAN = 30


class _Rollback(Exception):
    pass


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def time_page(client: Client, url: str, runs: int) -> dict[str, Any]:
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return {
        "url": url,
        "median_ms": _ms(statistics.median(times)),
        "max_ms": _ms(max(times)),
        "queries": len(ctx.captured_queries),
        "bytes": len(response.content),
    }


def _bawahan(skp_kepala: Any, admin: User) -> None:
    kepala = skp_kepala.pegawai
    head = skp_kepala.jabatan
    rhk_kepala = list(skp_kepala.rhk.all())
    used = set(Pegawai.objects.values_list("nip", flat=True))
    nips = (f"199001012015{m:02d}{s}{q:03d}" for m in range(1, 13) for s in (1, 2) for q in range(1, 1000))
    for i in range(JUMLAH_BAWAHAN):
        jabatan = org_services.save_jabatan(
            Jabatan(instansi=head.instansi),
            kode=f"B{i:02d}",
            nama=f"Analis Kebijakan Ahli Muda {i + 1}",
            jenis="fungsional",
            jenjang="ahli_muda",
            unit=head.unit,
            parent=head,
            pimpinan_unit=False,
            unit_kerja_mandiri=False,
        )
        nip = next(n for n in nips if n not in used)
        pegawai = org_services.save_pegawai(
            Pegawai(instansi=head.instansi), nip=nip, nama=f"Pegawai Bawahan {i + 1}"
        )
        org_services.save_penempatan(
            Penempatan(pegawai=pegawai, jabatan=jabatan), jenis="definitif", mulai=datetime.date(2020, 1, 1)
        )
        user = User.objects.get(pegawai=pegawai)
        skp = services.create_skp(pegawai, skp_kepala.periode, user, skp_kepala.mulai)
        for j in range(2):
            induk = rhk_kepala[(i + j) % len(rhk_kepala)]
            rhk, _ = services.save_rhk(
                skp, user, teks=f"Tersusunnya kajian kebijakan {i + 1}.{j + 1}", intervensi=induk
            )
            services.save_indikator(
                rhk,
                user,
                teks="Kajian selesai",
                aspek=Aspek.KUANTITAS.value,
                target_teks="Kajian selesai tepat waktu",
            )
        services.submit_skp(skp, user)
        services.approve_skp(skp, User.objects.get(pegawai=kepala))
    del admin


def bench_perencanaan(runs: int = 10, tahun: int | None = None) -> dict[str, Any]:
    tahun = tahun or datetime.date.today().year
    result: dict[str, Any] = {"runs": runs}
    try:
        with transaction.atomic():
            skp, admin = create_skp_besar(tahun)
            owner = Client()
            owner.force_login(User.objects.get(pegawai=skp.pegawai))
            result["skp_page"] = {"rhk": skp.rhk.count(), **time_page(owner, f"/skp/{skp.pk}/", runs)}

            t = time.perf_counter()
            _bawahan(skp, admin)
            result["build_30_bawahan_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            matriks = selectors.matriks_peran_hasil(skp.unit, skp.periode)
            result["matriks_selector_ms"] = _ms(time.perf_counter() - t)
            result["matriks_bawahan"] = len(matriks.bawahan)
            result["matriks_rows"] = len(matriks.baris)
            boss = Client()
            boss.force_login(admin)
            result["matriks_page"] = time_page(boss, f"/rencana/matriks/{skp.unit_id}/?tahun={tahun}", runs)
            result["matriks_xlsx"] = time_page(
                boss, f"/rencana/matriks/{skp.unit_id}/xlsx/?tahun={tahun}", runs
            )
            result["matriks_pdf"] = time_page(boss, f"/rencana/matriks/{skp.unit_id}/pdf/?tahun={tahun}", 3)
            raise _Rollback
    except _Rollback:
        pass
    return result
