#!/usr/bin/env python
"""Benchmark of Kinerja on a generated instansi (`make bench`; `--pegawai 2000` for a quick run).

Uses its own database: a fresh SQLite file in a temporary directory, or `BENCH_DATABASE_URL` when set
(e.g. a PostgreSQL database; an earlier generated instansi there is replaced). Steps, each bounded:

1. `migrate`, then `generate_instansi --pegawai N --seed 1` (timed);
2. penilai of every pegawai: load jabatan (id, parent) and active penempatan in bulk, then
   `kinerja.rules.penilai.resolve_all`; plus `selectors.rantai_penilai` for 200 random pegawai (mean time
   and query count), cross-checked against `resolve_all`;
3. `distribusi.check` for every unit (group = the pegawai in the unit's subtree except its head; each pegawai
   gets a deterministic pseudo-random predikat, each unit a capaian organisasi);
4. admin pages through Django's test client (median server time, query count);
5. penilaian: the whole instansi evaluated in bulk (`kinerja.demo.bench.penilaian`) and the group page;
6. crafted xlsx uploads (`kinerja.demo.bench.spreadsheet`): refusal time and peak memory;
7. throughput with gunicorn (2 workers, loopback only, fixed duration): /healthz and the pegawai list.

Prints a table and writes `bench-results/bench.json`.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results" / "bench.json"
SEED = 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pegawai", type=int, default=20000, help="size of the generated instansi")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per URL")
    parser.add_argument("--threads", type=int, default=4, help="client threads of the load loop")
    parser.add_argument("--runs", type=int, default=20, help="requests per page for the median server time")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, logs)")
    parser.add_argument(
        "--hot-only",
        metavar="KODE",
        help="only the hot requests per role, on the --lengkap instansi KODE already in BENCH_DATABASE_URL "
        "(e.g. a copy of a database where `generate_instansi --lengkap` ran; measured in a rolled-back "
        "transaction)",
    )
    parser.add_argument(
        "--tpp-only",
        metavar="KODE",
        help="only the TPP month job (kinerja.demo.bench.tpp) on the instansi KODE already in "
        "BENCH_DATABASE_URL (its kelas, pagu, rule set and a month of taps are added when missing)",
    )
    parser.add_argument(
        "--ttd-only",
        action="store_true",
        help="only the electronic-signing bench (kinerja.demo.bench.ttd) on a fresh database",
    )
    parser.add_argument(
        "--profil", metavar="BERKAS", help="with --tpp-only: write a cProfile of the job here"
    )
    return parser.parse_args()


def setup_django(tmp: Path) -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kinerja.settings",
        DATABASE_URL=url,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="ERROR",
        MEDIA_ROOT=str(tmp / "media"),
    )
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    return url


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# --- 1. generate ----------------------------------------------------------------------------------


def step_generate(n: int, replace: bool) -> dict[str, Any]:
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t
    out = io.StringIO()
    t = time.perf_counter()
    call_command("generate_instansi", pegawai=n, seed=SEED, replace=replace, stdout=out)
    generate_s = time.perf_counter() - t
    print(out.getvalue().strip())
    from kinerja.demo.generate import default_kode
    from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, UnitKerja

    kode = default_kode(SEED, n)
    return {
        "kode": kode,
        "migrate_s": round(migrate_s, 2),
        "generate_s": round(generate_s, 2),
        "units": UnitKerja.objects.filter(instansi__kode=kode).count(),
        "jabatan": Jabatan.objects.filter(instansi__kode=kode).count(),
        "pegawai": Pegawai.objects.filter(instansi__kode=kode).count(),
        "penempatan": Penempatan.objects.filter(pegawai__instansi__kode=kode).count(),
    }


# --- 2. penilai -----------------------------------------------------------------------------------


def step_penilai(instansi: Any, today: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.organisasi import selectors
    from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan
    from kinerja.rules import JenisPenempatan
    from kinerja.rules.penilai import Holder, resolve_all

    t0 = time.perf_counter()
    parent_of = dict(Jabatan.objects.filter(instansi=instansi).values_list("id", "parent_id"))
    holders: dict[int, list[Holder]] = defaultdict(list)
    definitif: dict[int, int] = {}  # pegawai → definitif jabatan
    rows = (
        Penempatan.objects.aktif_pada(today)
        .filter(jabatan__instansi=instansi, pegawai__aktif=True)
        .order_by("jenis", "mulai", "pk")
        .values_list("jabatan_id", "pegawai_id", "jenis")
    )
    for jabatan_id, pegawai_id, jenis in rows:
        holders[jabatan_id].append(Holder(pegawai_id, JenisPenempatan(jenis)))
        if jenis == JenisPenempatan.DEFINITIF.value:
            definitif[pegawai_id] = jabatan_id
    t1 = time.perf_counter()
    chains = resolve_all(parent_of, holders)
    t2 = time.perf_counter()
    without = sum(1 for pid, jid in definitif.items() if chains[(jid, pid)].penilai is None)

    rng = random.Random(SEED)
    sample_ids = rng.sample(sorted(definitif), min(200, len(definitif)))
    pegawai = Pegawai.objects.in_bulk(sample_ids)
    times, counts, mismatches = [], [], 0
    for pid in sample_ids:
        t = time.perf_counter()
        selectors.rantai_penilai(pegawai[pid], today)
        times.append(time.perf_counter() - t)
    for pid in sample_ids:
        with CaptureQueriesContext(connection) as ctx:
            rantai = selectors.rantai_penilai(pegawai[pid], today)
        counts.append(len(ctx.captured_queries))
        expected = chains[(definitif[pid], pid)].penilai
        got = rantai.penilai
        if (expected and expected.pegawai_id) != (got and got.pegawai.pk):
            mismatches += 1
    return {
        "jabatan": len(parent_of),
        "chains": len(chains),
        "pegawai_without_penilai": without,
        "load_ms": ms(t1 - t0),
        "resolve_all_ms": ms(t2 - t1),
        "total_ms": ms(t2 - t0),
        "rantai_penilai_sample": len(sample_ids),
        "rantai_penilai_mean_ms": ms(statistics.mean(times)),
        "rantai_penilai_p95_ms": ms(sorted(times)[int(len(times) * 0.95) - 1]),
        "rantai_penilai_queries_min": min(counts),
        "rantai_penilai_queries_max": max(counts),
        "rantai_penilai_mismatches_vs_resolve_all": mismatches,
    }


# --- 3. distribusi --------------------------------------------------------------------------------


def step_distribusi(instansi: Any, today: Any) -> dict[str, Any]:
    from kinerja.organisasi.models import Jabatan, Penempatan, UnitKerja
    from kinerja.rules import CapaianOrganisasi, JenisPenempatan, Predikat
    from kinerja.rules.distribusi import check

    t0 = time.perf_counter()
    unit_path = dict(UnitKerja.objects.filter(instansi=instansi).values_list("id", "path"))
    jabatan = {
        jid: (unit_id, head)
        for jid, unit_id, head in Jabatan.objects.filter(instansi=instansi).values_list(
            "id", "unit_id", "pimpinan_unit"
        )
    }
    placements = sorted(
        Penempatan.objects.aktif_pada(today)
        .filter(jabatan__instansi=instansi, jenis=JenisPenempatan.DEFINITIF.value, pegawai__aktif=True)
        .values_list("pegawai_id", "jabatan_id")
    )
    rng = random.Random(SEED)
    predikat_list = list(Predikat)
    weights = [10, 65, 15, 7, 3]  # sangat baik … sangat kurang
    counts: dict[int, Counter[Predikat]] = {uid: Counter() for uid in unit_path}
    for _pegawai_id, jabatan_id in placements:
        predikat = rng.choices(predikat_list, weights)[0]
        unit_id, head = jabatan[jabatan_id]
        for part in unit_path[unit_id].strip("/").split("/"):
            uid = int(part)
            if head and uid == unit_id:
                continue  # the head of a unit is rated by the atasan, not inside the unit's own group
            counts[uid][predikat] += 1
    capaian_list = list(CapaianOrganisasi)
    capaian = {uid: rng.choices(capaian_list, [15, 55, 20, 7, 3])[0] for uid in sorted(unit_path)}
    t1 = time.perf_counter()
    results = [check(capaian[uid], counts[uid]) for uid in sorted(unit_path)]
    t2 = time.perf_counter()
    return {
        "groups": len(results),
        "applicable": sum(r.applicable for r in results),
        "not_applicable": sum(not r.applicable for r in results),
        "groups_with_violations": sum(bool(r.violations) for r in results),
        "violations": sum(len(r.violations) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
        "largest_group": max(sum(c.values()) for c in counts.values()),
        "grouping_ms": ms(t1 - t0),
        "check_ms": ms(t2 - t1),
        "total_ms": ms(t2 - t0),
    }


# --- 4. pages -------------------------------------------------------------------------------------


def step_pages(admin: Any, instansi: Any, runs: int) -> dict[str, Any]:
    """Admin pages on the generated instansi (`kinerja.demo.bench.ukur`: median CPU, wall time, queries)."""
    from django.test import Client

    from kinerja.demo.bench.ukur import ukur
    from kinerja.organisasi.models import Pegawai, UnitKerja

    client = Client()
    client.force_login(admin)
    sample = Pegawai.objects.filter(instansi=instansi).order_by("pk")[7]
    first_name = sample.nama.split()[0]
    top = UnitKerja.objects.filter(instansi=instansi, parent=None).order_by("pk").first()
    bidang = UnitKerja.objects.filter(parent=top).order_by("pk").first() if top else None
    pages = {
        "pegawai_list": ("/organisasi/pegawai/", runs),
        "pegawai_list_page2": ("/organisasi/pegawai/?page=2", runs),
        "pegawai_search_nama": (f"/organisasi/pegawai/?q={first_name}", runs),
        "pegawai_search_nip": (f"/organisasi/pegawai/?q={sample.nip[:8]}", runs),
        "jabatan_list": ("/organisasi/jabatan/", runs),
        "jabatan_list_kosong": ("/organisasi/jabatan/?status=kosong", runs),
        "periode_list": ("/organisasi/periode/", runs),
        "unit_tree": ("/organisasi/unit/", max(3, runs // 4)),
        "unit_tree_search": ("/organisasi/unit/?q=umum", max(3, runs // 4)),
    }
    if top is not None and bidang is not None:
        pages["unit_children_top"] = (f"/organisasi/unit/{top.pk}/anak/", runs)
        pages["unit_children_bidang"] = (f"/organisasi/unit/{bidang.pk}/anak/", runs)
    return {name: {**ukur(client, url, runs=n), "runs": n} for name, (url, n) in pages.items()}


# --- 5. throughput --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str], timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(port: int, path: str, headers: dict[str, str], threads: int, duration: float) -> dict[str, Any]:
    """`threads` clients each sending requests back to back (keep-alive when the server allows) for
    `duration` seconds."""
    deadline = time.perf_counter() + duration
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    ok = False
                latencies[i].append(time.perf_counter() - t)
                if not ok:
                    errors[i] += 1
        finally:
            conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(duration + 60)
    elapsed = time.perf_counter() - started
    flat = sorted(x for rows in latencies for x in rows)
    return {
        "path": path,
        "requests": len(flat),
        "errors": sum(errors),
        "seconds": round(elapsed, 2),
        "rps": round(len(flat) / elapsed, 1),
        "p50_ms": ms(flat[len(flat) // 2]) if flat else None,
        "p95_ms": ms(flat[int(len(flat) * 0.95)]) if flat else None,
    }


def step_throughput(admin: Any, tmp: Path, threads: int, duration: float) -> dict[str, Any]:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connections

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(admin.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    store.save()
    connections.close_all()
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}", "Host": "127.0.0.1"}

    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
    port = free_port()
    log_path = tmp / "gunicorn.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(  # noqa: S603 — a fixed command line, loopback only
            [*command, "kinerja.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, "/healthz", {}, timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not become healthy; log:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        status, body = get(port, "/organisasi/pegawai/", headers)
        if status != 200 or b"pegawai ditemukan" not in body:
            raise RuntimeError(f"pegawai list through gunicorn answered {status}, not the logged-in page")
        result: dict[str, Any] = {"workers": 2, "client_threads": threads, "duration_s": duration}
        for name, path in (("healthz", "/healthz"), ("pegawai_list", "/organisasi/pegawai/")):
            load(port, path, headers, threads, min(1.0, duration))  # warm-up of both workers
            result[name] = load(port, path, headers, threads, duration)
        result["ratio_pegawai_list_to_healthz"] = round(
            result["pegawai_list"]["rps"] / result["healthz"]["rps"], 3
        )
        return result
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# --- report ---------------------------------------------------------------------------------------


def print_table(results: dict[str, Any]) -> None:
    rows: list[tuple[str, str]] = []

    def section(title: str) -> None:
        rows.append(("", ""))
        rows.append((f"== {title}", ""))

    g = results["generate"]
    section(f"generate_instansi --pegawai {results['meta']['pegawai']} --seed {SEED}")
    rows += [
        ("migrate", f"{g['migrate_s']} s"),
        ("generate", f"{g['generate_s']} s"),
        (
            "units / jabatan / pegawai / penempatan",
            f"{g['units']} / {g['jabatan']} / {g['pegawai']} / {g['penempatan']}",
        ),
    ]
    p = results["penilai"]
    section("penilai")
    rows += [
        ("load jabatan + penempatan (bulk)", f"{p['load_ms']} ms"),
        (f"resolve_all ({p['chains']} chains)", f"{p['resolve_all_ms']} ms"),
        ("total, all pegawai", f"{p['total_ms']} ms"),
        ("pegawai without penilai", str(p["pegawai_without_penilai"])),
        (
            f"rantai_penilai, one pegawai (mean of {p['rantai_penilai_sample']})",
            f"{p['rantai_penilai_mean_ms']} ms",
        ),
        ("rantai_penilai p95", f"{p['rantai_penilai_p95_ms']} ms"),
        (
            "rantai_penilai queries (min–max)",
            f"{p['rantai_penilai_queries_min']}–{p['rantai_penilai_queries_max']}",
        ),
        ("rantai_penilai ≠ resolve_all", str(p["rantai_penilai_mismatches_vs_resolve_all"])),
    ]
    d = results["distribusi"]
    section("distribusi.check per unit")
    rows += [
        (
            "groups / applicable / not applicable",
            f"{d['groups']} / {d['applicable']} / {d['not_applicable']}",
        ),
        ("groups with violations / violations", f"{d['groups_with_violations']} / {d['violations']}"),
        ("grouping (load + predikat)", f"{d['grouping_ms']} ms"),
        ("check, all groups", f"{d['check_ms']} ms"),
    ]
    section("pages (test client, median CPU · wall · queries)")
    for name, page in results["pages"].items():
        rows.append(
            (
                f"{name} {page['url']}",
                f"{page['cpu_ms']} ms CPU · {page['wall_ms']} ms · {page['queries']} queries",
            )
        )
    r = results["perencanaan"]
    section("perencanaan (median server time · queries)")
    page = r["skp_page"]
    rows.append(
        (f"SKP page, {page['rhk']} RHK × 3 indikator", f"{page['median_ms']} ms · {page['queries']} queries")
    )
    rows.append(
        (
            f"matriks selector, {r['matriks_bawahan']} bawahan × {r['matriks_rows']} RHK",
            f"{r['matriks_selector_ms']} ms",
        )
    )
    for name in ("matriks_page", "matriks_xlsx", "matriks_pdf"):
        rows.append((name.replace("_", " "), f"{r[name]['median_ms']} ms · {r[name]['queries']} queries"))
    p = results["skp_pdf"]
    rows.append(("SKP PDF, first render in the process", f"{p['first_render_ms']} ms"))
    rows.append(("SKP PDF, warm render (HTML → PDF, uncached)", f"{p['warm_render_median_ms']} ms"))
    rows.append(
        (
            f"SKP PDF view /skp/<id>/pdf/ ({p['pages']} pages), repeat download (cached)",
            f"{p['view_median_ms']} ms · {p['view_queries']} queries (goal ≤ {p['goal_ms']} ms)",
        )
    )
    pl = results["pelaksanaan"]
    section("pelaksanaan (median server time · queries)")
    board = pl["papan_penilai"]["papan_penilai"]
    rows.append(
        (
            f"penilai board, {pl['papan_penilai']['bawahan']} bawahan",
            f"{board['median_ms']} ms · {board['queries']} queries",
        )
    )
    for key in ("papan_unit", "progres", "progres_xlsx"):
        page = pl["papan_unit"][key]
        rows.append(
            (f"{key.replace('_', ' ')}, 500 pegawai", f"{page['median_ms']} ms · {page['queries']} queries")
        )
    pi = pl["progres_instansi"]
    for key, label in (
        ("halaman", "progres page, whole instansi"),
        ("unit_dibuka", "progres, an opened unit"),
    ):
        if key in pi:
            m = pi[key]
            rows.append(
                (
                    f"{label} ({pi['unit']} units)",
                    f"{m['cpu_ms']} ms CPU · {m['wall_ms']} ms · {m['queries']} q",
                )
            )
    ex = pl["excel"]
    rows.append(
        (
            f"xlsx import of {ex['rows']} realisasi rows",
            f"{ex['import_s']} s · {ex['import_queries']} queries",
        )
    )
    rows.append(
        ("xlsx re-upload of the same file", f"{ex['reupload_s']} s · {ex['reupload_changed']} rows changed")
    )
    section("deadline day (median CPU · wall · queries, of which the layout's; goal ≤ 15 ms CPU, ≤ 12 q)")
    for ukuran, ht in results["hari_tenggat"].items():
        for key, m in ht.items() if ukuran != "runs" else ():
            if isinstance(m, dict):
                lay = 2 if key == "simpan" else ht[f"tata_letak_{key.rsplit('_', 1)[1]}"]
                rows.append(
                    (
                        f"{key} {ukuran} {m['method']} {m['url']}",
                        f"{m['cpu_ms']} ms · {m['wall_ms']} ms · {m['queries']} q ({lay} layout)"
                        + ("" if m["within_goal"] else " MISS"),
                    )
                )
    section("crafted xlsx uploads (time · peak memory allocated; realisasi upload | organisation import)")
    for key, label in (
        ("shared_strings", "shared strings inflating to 300 MB"),
        ("baris_kosong", "a million empty rows"),
        ("dimensi", "dimension A1:XFD1048576, 4 000 rows per sheet"),
    ):
        b = results["spreadsheet_bombs"][key]
        rows.append(
            (
                f"{label} ({b['kb'][0]} | {b['kb'][1]} KB)",
                f"{b['realisasi_s']} s · {b['realisasi_peak_mb']} MB | "
                f"{b['impor_s']} s · {b['impor_peak_mb']} MB",
            )
        )
    pn = results["penilaian"]
    ev = pn["evaluasi_instansi"]
    section("penilaian")
    rows.append(
        (
            f"build: {ev['evaluasi']} rated TW I evaluations, {ev['rating_rhk']} RHK + "
            f"{ev['rating_perilaku']} value ratings",
            f"{ev['build_s']} s",
        )
    )
    rows.append(
        (
            f"evaluate whole instansi (suggestions + predikat + check of {ev['kelompok']} groups)",
            f"{ev['evaluasi_s']} s · {ev['evaluasi_queries']} queries (goal ≤ {ev['goal_s']} s)",
        )
    )
    rows.append(
        (
            "groups checked / advice only / in violation",
            f"{ev['kelompok_diperiksa']} / {ev.get('kelompok_saran', 0)} / {ev['kelompok_melanggar']}",
        )
    )
    lay = ev["layanan"]
    rows.append(
        (
            f"per-evaluation service (open_evaluasi), {lay['sampel']} sampled",
            f"{lay['per_evaluasi_ms']} ms each (≈ {lay['perkiraan_semua_s']} s for all) · "
            f"{lay['berbeda']} differ from bulk",
        )
    )
    hk = pn["halaman_kelompok"]
    label = "group page" if hk["diukur"] == "halaman" else "selectors.kelompok (page not available)"
    rows.append((f"{label}, {hk['anggota']} bawahan", f"{hk['median_ms']} ms · {hk['queries']} queries"))
    hp = pn["halaman_penilai"]
    for key in ("papan", "daftar", "kelompok", "evaluasi_penilai", "evaluasi_pegawai", "simpan_rating"):
        u = hp[key]
        miss = "" if u["within_goal"] else "  (miss)"
        rows.append(
            (f"penilai, {hp['bawahan']} bawahan: {key}", f"{u['cpu_ms']} ms CPU · {u['queries']} q{miss}")
        )

    section("dashboard (median CPU · queries; cold: right after the cache is emptied)")
    for role in ("admin", "superuser", "pimpinan", "penilai_30", "pelaksana"):
        d = results["dashboard"][role]
        goal = "" if d["within_goal"] else "  MISS"
        cold = d["cold"]["queries"]
        rows.append((f"/ as {role}", f"{d['cpu_ms']} ms · {d['queries']} q · cold {cold} q{goal}"))
    rk = results["tindak_lanjut"]["rekap"]
    section("tindak lanjut: rekap (median server time · queries)")
    rows.append(
        (
            f"build: {rk['evaluasi']} TW I evaluations ({rk['final']} final, {rk['keberatan']} keberatan), "
            f"{rk['unit']} units",
            f"{rk['build_s']} s",
        )
    )
    for key, label in (
        ("halaman", "rekap page, whole instansi (two levels)"),
        ("halaman_buka_unit", "rekap rows opened: the top unit"),
        ("halaman_buka_bidang", "rekap rows opened: a unit below it"),
    ):
        page = rk[key]
        cpu = f"{page['cpu_ms']} ms CPU · " if "cpu_ms" in page else ""
        rows.append(
            (label, f"{cpu}{page['median_ms']} ms · {page['queries']} queries · {page['bytes']} bytes")
        )
    from kinerja.demo.bench.pekerjaan import baris

    rows += baris("rekap xlsx", rk["xlsx"])

    section("kehadiran dan TPP (the month job of the whole instansi, run as the worker would)")
    from kinerja.demo.bench.tpp import baris as baris_tpp

    rows += baris_tpp(results["tpp"])
    from kinerja.demo.bench.massal import baris_tabel

    section("background jobs: zip of a unit's documents, organisation import")
    rows += baris_tabel(results["latar"])
    if "kehadiran" in results:
        from kinerja.demo.bench.kehadiran import baris as baris_kehadiran

        section("kehadiran: a month of attlog for every pegawai")
        rows += baris_kehadiran(results["kehadiran"])
    if "ttd" in results:
        from kinerja.demo.bench.ttd import baris as baris_ttd

        section("electronic signing (local certificates)")
        rows += baris_ttd(results["ttd"])
    t = results["throughput"]
    section(f"gunicorn -w 2, {t['client_threads']} client threads × {t['duration_s']} s")
    for name in ("healthz", "pegawai_list"):
        r = t[name]
        rows.append(
            (
                f"{name} {r['path']}",
                f"{r['rps']} req/s (p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, {r['errors']} err)",
            )
        )
    rows.append(("ratio pegawai_list / healthz", str(t["ratio_pegawai_list_to_healthz"])))
    section("total")
    rows.append(("bench runtime", f"{results['meta']['runtime_s']} s"))
    width = max(len(a) for a, _ in rows) + 2
    for a, b in rows:
        print(f"{a:<{width}}{b}" if b else a)


def hot_only(kode: str, runs: int, where: object) -> int:
    """`--hot-only KODE`: only the hot requests per role, on an existing instansi; nothing generated."""
    if where != "BENCH_DATABASE_URL":
        print("--hot-only perlu BENCH_DATABASE_URL (basis data berisi instansi --lengkap)", file=sys.stderr)
        return 2
    from django.db import DatabaseError

    from kinerja.demo.bench.hot import bench_hot, table
    from kinerja.organisasi.models import Instansi

    try:
        ada = Instansi.objects.filter(kode=kode).exists()
    except DatabaseError as exc:
        print(f"BENCH_DATABASE_URL tidak dapat dibaca (sudah di-migrate?): {exc}", file=sys.stderr)
        return 2
    if not ada:
        print(f"Instansi {kode} tidak ada di BENCH_DATABASE_URL", file=sys.stderr)
        return 2
    result = bench_hot(0, runs, existing=kode)
    print("\n".join(table(result)))
    return 1 if result["missed"] else 0


def tpp_only(kode: str, profil: str | None, where: object) -> int:
    """`--tpp-only KODE`: only the TPP month job, on an existing instansi (data added when missing)."""
    if where != "BENCH_DATABASE_URL":
        print("--tpp-only perlu BENCH_DATABASE_URL (basis data berisi instansi KODE)", file=sys.stderr)
        return 2
    from django.utils import timezone

    from kinerja.demo.bench.tpp import bench_bulan, siapkan
    from kinerja.organisasi.models import Instansi, User

    instansi = Instansi.objects.filter(kode=kode).first()
    if instansi is None:
        print(f"Instansi {kode} tidak ada di BENCH_DATABASE_URL", file=sys.stderr)
        return 2
    admin = User.objects.filter(admin_instansi=instansi).first()
    today = timezone.localdate()
    tahun, bulan = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    siap = siapkan(instansi, admin, tahun, bulan)
    print(json.dumps(siap), flush=True)
    hasil = bench_bulan(instansi, admin, tahun, bulan, profil or "")
    print(json.dumps(hasil, ensure_ascii=False, indent=2))
    return 0 if hasil["status"] == "selesai" and hasil["wall_s"] < hasil["goal_s"] else 1


def ttd_only() -> int:
    """`--ttd-only`: only the signing bench (its own unit, rolled back) after `migrate`."""
    from django.core.management import call_command

    from kinerja.demo.bench.ttd import baris, bench_ttd

    call_command("migrate", verbosity=0, interactive=False)
    hasil = bench_ttd(100)
    print(json.dumps(hasil, ensure_ascii=False, indent=2))
    width = max(len(a) for a, _ in baris(hasil)) + 2
    for a, b in baris(hasil):
        print(f"{a:<{width}}{b}")
    return 0


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    try:
        url = setup_django(tmp)
        from django.db import connection
        from django.utils import timezone

        from kinerja.organisasi.models import Instansi, User

        where = "BENCH_DATABASE_URL" if "BENCH_DATABASE_URL" in os.environ else tmp
        print(f"Database: {connection.vendor} ({where})")
        if args.hot_only:
            return hot_only(args.hot_only, args.runs, where)
        if args.tpp_only:
            return tpp_only(args.tpp_only, args.profil, where)
        if args.ttd_only:
            return ttd_only()
        results: dict[str, Any] = {"meta": {"pegawai": args.pegawai, "database": connection.vendor}}
        results["generate"] = step_generate(args.pegawai, replace="BENCH_DATABASE_URL" in os.environ)
        instansi = Instansi.objects.get(kode=results["generate"]["kode"])
        admin = User.objects.get(admin_instansi=instansi)
        today = timezone.localdate()
        print("penilai …", flush=True)
        results["penilai"] = step_penilai(instansi, today)
        print("distribusi …", flush=True)
        results["distribusi"] = step_distribusi(instansi, today)
        print("pages …", flush=True)
        results["pages"] = step_pages(admin, instansi, args.runs)
        print("dashboard, every role …", flush=True)
        from kinerja.demo.bench.dashboard import bench_dashboard

        results["dashboard"] = bench_dashboard(instansi, admin, today, args.runs)
        print("perencanaan (SKP page, SKP PDF, matriks) …", flush=True)
        from kinerja.demo.bench.dokumen import bench_skp_pdf
        from kinerja.demo.bench.perencanaan import bench_perencanaan

        results["perencanaan"] = bench_perencanaan(args.runs)
        results["skp_pdf"] = bench_skp_pdf(args.runs)
        print("pelaksanaan (boards, Excel import) …", flush=True)
        from kinerja.demo.bench.excel import bench_excel_realisasi
        from kinerja.demo.bench.pelaksanaan import (
            bench_papan_penilai,
            bench_papan_unit,
            bench_progres_instansi,
        )

        results["pelaksanaan"] = {
            "papan_penilai": bench_papan_penilai(30, args.runs),
            "papan_unit": bench_papan_unit(500, max(3, args.runs // 4)),
            "excel": bench_excel_realisasi(1000),
            "progres_instansi": bench_progres_instansi(admin, max(3, args.runs // 4)),
        }
        print("deadline day (SKP page, realisasi page, realisasi save) …", flush=True)
        from kinerja.demo.bench.pelaksanaan import bench_hari_tenggat

        results["hari_tenggat"] = bench_hari_tenggat(args.runs)
        print("crafted spreadsheet uploads (zip bomb, a million empty rows, huge dimension) …", flush=True)
        from kinerja.demo.bench.spreadsheet import bench_spreadsheet_bombs

        results["spreadsheet_bombs"] = bench_spreadsheet_bombs()
        print("penilaian (whole-instansi evaluation, group page) …", flush=True)
        from kinerja.demo.bench.penilaian import (
            bench_evaluasi_instansi,
            bench_halaman_kelompok,
            bench_halaman_penilai,
        )

        results["penilaian"] = {
            "evaluasi_instansi": bench_evaluasi_instansi(instansi, today),
            "halaman_kelompok": bench_halaman_kelompok(30, args.runs),
            "halaman_penilai": bench_halaman_penilai(30, args.runs),
        }
        print("tindak lanjut (rekap page and xlsx of the whole instansi) …", flush=True)
        from kinerja.demo.bench.tindak_lanjut import bench_rekap

        results["tindak_lanjut"] = {"rekap": bench_rekap(instansi, today, max(3, args.runs // 4))}
        print("kehadiran dan TPP (a month of taps, the month job) …", flush=True)
        from kinerja.demo.bench.tpp import bench_tpp

        results["tpp"] = bench_tpp(instansi, admin, today)
        print("hot requests per role (its own --lengkap instansi) …", flush=True)
        from kinerja.demo.bench.hot import bench_hot, table

        results["hot"] = bench_hot(args.pegawai, args.runs)
        print("\n".join(table(results["hot"])))

        print(
            "background jobs (a unit's zip of documents, an organisation import of 3 000 rows) …", flush=True
        )
        from kinerja.demo.bench.massal import bench_impor_organisasi, bench_zip_unit

        results["latar"] = {"zip_unit": bench_zip_unit(50), "impor_organisasi": bench_impor_organisasi(3000)}
        print("kehadiran: a month of attlog for every pegawai …", flush=True)
        from kinerja.demo.bench.kehadiran import bench_impor_attlog

        results["kehadiran"] = bench_impor_attlog(instansi, admin)
        print("electronic signing: one SKP, 100 documents in the background …", flush=True)
        from kinerja.demo.bench.ttd import bench_ttd

        results["ttd"] = bench_ttd(100)
        print("throughput …", flush=True)
        results["throughput"] = step_throughput(admin, tmp, args.threads, args.duration)
        import django

        results["meta"].update(
            runtime_s=round(time.perf_counter() - started, 1),
            date=timezone.now().isoformat(timespec="seconds"),
            python=platform.python_version(),
            django=django.get_version(),
            cpus=os.cpu_count(),
            database_url=url if "BENCH_DATABASE_URL" not in os.environ else "(BENCH_DATABASE_URL)",
        )
        print_table(results)
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nResults written to {RESULTS.relative_to(ROOT)}")
        return 0
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
