"""Is an instansi as fast on a database holding many instansi as on one holding only it? (docs/scale.md)

    python -m kinerja.demo.bench.banding SOLO_URL MULTI_URL [--rounds 4] [--runs 10] [--kode LENGKAP-1-20000]

Both DATABASE_URLs hold the same ``generate_instansi --lengkap`` instansi (``--kode``); the second holds
others beside it (``scripts/multi-instansi.sh``). Each round measures `kinerja.demo.bench.hot.bench_hot`
(every hot request of every role, DEBUG off, inside a transaction rolled back) in a fresh process per
database, the two databases interleaved and their order alternating from round to round (or, with
``--bersamaan``, both at the same time), so the machine's load falls on both alike. Per request: the median
over the rounds of each round's median CPU ms and wall ms (wall includes the database server's work), the
queries, and the ratio second ÷ first; a request is within the goal when its wall-time ratio is ≤ 1.2.
Prints a table and writes ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
BATAS_RASIO = 1.2


def _satu(url: str, kode: str, runs: int) -> dict[str, Any]:
    """One measurement in this process (the child): Django set up on ``url``."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kinerja.settings",
        DATABASE_URL=url,
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
    )
    import django

    django.setup()
    from kinerja.demo.bench.hot import bench_hot

    hasil = bench_hot(0, runs, existing=kode)
    return {
        f"{peran}/{halaman}": {k: row[k] for k in ("cpu_ms", "wall_ms", "queries")}
        for peran, pages in hasil["roles"].items()
        for halaman, row in pages.items()
    }


def _mulai(url: str, kode: str, runs: int) -> subprocess.Popen[str]:
    perintah = [sys.executable, "-m", "kinerja.demo.bench.banding", "--satu", url, "--kode", kode]
    perintah += ["--runs", str(runs)]
    return subprocess.Popen(  # noqa: S603 — this module, with the caller's arguments
        perintah, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _hasil(proses: subprocess.Popen[str], url: str) -> dict[str, Any]:
    keluar, galat = proses.communicate()
    if proses.returncode != 0:
        raise SystemExit(f"pengukuran pada {url} gagal:\n{galat[-3000:]}")
    return dict(json.loads(keluar.strip().splitlines()[-1]))


def ringkas(putaran: list[dict[str, dict[str, Any]]], nama: tuple[str, str]) -> list[dict[str, Any]]:
    """Per request: median over the rounds of CPU and wall ms for each database, queries, ratios."""
    baris = []
    for permintaan in putaran[0][nama[0]]:
        row: dict[str, Any] = {"request": permintaan}
        for db in nama:
            nilai = [p[db][permintaan] for p in putaran]
            row[db] = {
                "cpu_ms": round(statistics.median(v["cpu_ms"] for v in nilai), 2),
                "wall_ms": round(statistics.median(v["wall_ms"] for v in nilai), 2),
                "queries": max(v["queries"] for v in nilai),
            }
        a, b = row[nama[0]], row[nama[1]]
        row["cpu_ratio"] = round(b["cpu_ms"] / a["cpu_ms"], 2)
        row["wall_ratio"] = round(b["wall_ms"] / a["wall_ms"], 2)
        row["within_20pct"] = row["wall_ratio"] <= BATAS_RASIO
        baris.append(row)
    return baris


def tabel(baris: list[dict[str, Any]], nama: tuple[str, str]) -> list[str]:
    a, b = nama
    lines = [
        f"{'request':<26}{a + ' CPU':>10}{b + ' CPU':>10}{'ratio':>7}"
        f"{a + ' wall':>11}{b + ' wall':>11}{'ratio':>7}{'queries':>9}  within 20 %"
    ]
    for r in baris:
        q = (
            str(r[a]["queries"])
            if r[a]["queries"] == r[b]["queries"]
            else f"{r[a]['queries']}/{r[b]['queries']}"
        )
        lines.append(
            f"{r['request']:<26}{r[a]['cpu_ms']:>10}{r[b]['cpu_ms']:>10}{r['cpu_ratio']:>7}"
            f"{r[a]['wall_ms']:>11}{r[b]['wall_ms']:>11}{r['wall_ratio']:>7}{q:>9}  "
            + ("yes" if r["within_20pct"] else "NO")
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="*", help="two DATABASE_URLs: the instansi alone, then with others")
    parser.add_argument("--kode", default="LENGKAP-1-20000", help="the --lengkap instansi in both databases")
    parser.add_argument("--rounds", type=int, default=4, help="rounds (each measures both databases)")
    parser.add_argument("--runs", type=int, default=10, help="requests per page and round (median)")
    parser.add_argument("--nama", default="solo,multi", help="names of the two databases in the table")
    parser.add_argument(
        "--bersamaan",
        action="store_true",
        help="measure both databases at the same time in each round (the same load on both, a shorter run)",
    )
    parser.add_argument("--json", default=str(ROOT / "bench-results" / "banding.json"))
    parser.add_argument("--satu", help=argparse.SUPPRESS)  # the child: one database, JSON on stdout
    args = parser.parse_args()
    if args.satu:
        print(json.dumps(_satu(args.satu, args.kode, args.runs)))
        return
    if len(args.urls) != 2:
        parser.error("berikan tepat dua DATABASE_URL: instansi sendirian, lalu bersama instansi lain")
    a, b = args.nama.split(",")
    urls = dict(zip((a, b), args.urls, strict=True))
    putaran: list[dict[str, dict[str, Any]]] = []
    for nomor in range(args.rounds):
        urutan = (a, b) if nomor % 2 == 0 else (b, a)
        hasil: dict[str, dict[str, Any]] = {}
        mulai = time.perf_counter()
        if args.bersamaan:
            proses = {db: _mulai(urls[db], args.kode, args.runs) for db in urutan}
            hasil = {db: _hasil(p, urls[db]) for db, p in proses.items()}
        else:
            for db in urutan:
                hasil[db] = _hasil(_mulai(urls[db], args.kode, args.runs), urls[db])
        muat = os.getloadavg()[0]
        print(
            f"round {nomor + 1}/{args.rounds}: {time.perf_counter() - mulai:.0f} s, load {muat:.1f}",
            flush=True,
        )
        putaran.append(hasil)
    baris = ringkas(putaran, (a, b))
    print("\n".join(tabel(baris, (a, b))))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(
        json.dumps({"kode": args.kode, "rounds": putaran, "summary": baris}, indent=1), encoding="utf-8"
    )
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
