#!/usr/bin/env python
"""Fault drills against `make cluster` (README "Running more than one machine"); run by
`scripts/cluster.sh drill`, which sets the app's environment (DATABASE_URL … of the cluster).

While a small concurrent load runs through HAProxy — writers saving realisasi (htmx POST with the
optimistic-lock version, each writer its own indikator) and readers opening the dashboard and the penilai
board — one part of the cluster is stopped:

(a) ``node``: one gunicorn node is killed (SIGKILL of its process group: a machine lost). Only requests in
    flight on it may fail (counted); none may fail once HAProxy has seen it down (a few seconds); every
    acknowledged save is in the database exactly once (its history row, by unique narasi, with the version
    the response showed); HAProxy reports the node DOWN. The node is started again after.
(b) ``replika``: the replica is stopped. Reads move to the primary: no failed request after the router's
    check interval, the nodes log "REPLIKA TIDAK DIPAKAI". Started again after.
(c) ``redis``: Redis is stopped. The app still serves every request; the nodes log "CACHE TERDEGRADASI".
    Started again after.

Prints a pass/fail line per drill and exits non-zero when one failed.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kinerja-demo"
RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RE_FORM = re.compile(r'hx-post="(/realisasi/skp/\d+/indikator/(\d+)/periode/(\d+)/)"')


@dataclass
class Hasil:
    """What the load saw: every request (start, end, ok, what), every acknowledged save."""

    permintaan: list[tuple[float, float, bool, str]] = field(default_factory=list)
    ack: list[tuple[int, int, str, int]] = field(default_factory=list)  # indikator, periode, narasi, versi
    kunci: threading.Lock = field(default_factory=threading.Lock)

    def catat(self, mulai: float, ok: bool, apa: str) -> None:
        with self.kunci:
            self.permintaan.append((mulai, time.monotonic(), ok, apa))


def masuk(url: str, username: str) -> requests.Session:
    """A signed-in session; tried again for half a minute (a login may meet the drill's fault)."""
    for _ in range(30):
        try:
            return _masuk(url, username)
        except (requests.RequestException, AssertionError):
            time.sleep(1)
    return _masuk(url, username)


def _masuk(url: str, username: str) -> requests.Session:
    s = requests.Session()
    r = s.get(url + "login/", timeout=30)
    token = RE_CSRF.search(r.text)
    assert token, "formulir login tanpa csrf"
    r = s.post(
        url + "login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": url + "login/"},
        timeout=30,
    )
    if "/login/" in r.url:
        raise SystemExit(f"login {username} gagal")
    return s


def _csrf(s: requests.Session) -> str:
    return s.cookies.get("csrftoken", "")


def target_penulis(url: str, username: str) -> list[tuple[str, int, int]]:
    """The realisasi forms this user can save now: (post url, indikator, periode nomor)."""
    s = masuk(url, username)
    r = s.get(url + "realisasi/", timeout=30)
    return [(m.group(1), int(m.group(2)), int(m.group(3))) for m in RE_FORM.finditer(r.text)]


def _versi(html: str, indikator: int) -> int | None:
    m = re.search(rf'name="i{indikator}-versi"[^>]*value="(\d+)"', html) or re.search(
        rf'value="(\d+)"[^>]*name="i{indikator}-versi"', html
    )
    return int(m.group(1)) if m else None


def penulis(
    url: str,
    username: str,
    post: str,
    indikator: int,
    nomor: int,
    tag: str,
    hasil: Hasil,
    berhenti: threading.Event,
    siap: threading.Semaphore,
) -> None:
    s = masuk(url, username)
    siap.release()
    numerik = None
    versi = None
    n = 0
    while not berhenti.is_set():
        mulai = time.monotonic()
        try:
            if versi is None:
                r = s.get(url + post.lstrip("/"), headers={"HX-Request": "true"}, timeout=30)
                if r.status_code != 200:
                    hasil.catat(mulai, False, f"baca-baris-{r.status_code}")
                    time.sleep(0.2)
                    continue
                versi = _versi(r.text, indikator) or 0
                numerik = f'name="i{indikator}-nilai_angka"' in r.text
                hasil.catat(mulai, True, "baca-baris")
                continue
            n += 1
            narasi = f"drill-{tag}-{indikator}-{n}"
            data = {f"i{indikator}-versi": str(versi), f"i{indikator}-narasi": narasi}
            data[f"i{indikator}-nilai_angka" if numerik else f"i{indikator}-nilai_teks"] = (
                str(n) if numerik else f"teks {n}"
            )
            r = s.post(
                url + post.lstrip("/"),
                data=data,
                headers={"HX-Request": "true", "X-CSRFToken": _csrf(s), "Referer": url + "realisasi/"},
                timeout=30,
            )
            if r.status_code == 200 and "Tersimpan" in r.text:
                baru = _versi(r.text, indikator)
                with hasil.kunci:
                    hasil.ack.append((indikator, nomor, narasi, baru if baru is not None else -1))
                versi = baru
                hasil.catat(mulai, True, "simpan")
            else:
                versi = None  # a conflict or an error: read the row again
                hasil.catat(mulai, r.status_code == 200, f"simpan-{r.status_code}")
        except requests.RequestException as exc:
            versi = None
            hasil.catat(mulai, False, f"simpan-{type(exc).__name__}")
        time.sleep(0.2)


def pembaca(
    url: str, username: str, hasil: Hasil, berhenti: threading.Event, siap: threading.Semaphore
) -> None:
    s = masuk(url, username)
    siap.release()
    halaman = ["", "pemantauan/"]
    i = 0
    while not berhenti.is_set():
        mulai = time.monotonic()
        path = halaman[i % len(halaman)]
        i += 1
        try:
            r = s.get(url + path, timeout=30)
            hasil.catat(mulai, r.status_code == 200, f"GET /{path} {r.status_code}")
        except requests.RequestException as exc:
            hasil.catat(mulai, False, f"GET /{path} {type(exc).__name__}")
        time.sleep(0.2)


def akun_demo() -> dict[str, str]:
    perintah = [sys.executable, "manage.py", "seed_demo", "--list"]
    out = subprocess.run(perintah, cwd=ROOT, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return {b.split("\t")[0]: b.split("\t")[1] for b in out.splitlines() if "\t" in b}


def haproxy_status(var: Path) -> dict[str, str]:
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(var / "run" / "haproxy.sock"))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    baris = data.decode().splitlines()
    kolom = baris[0].lstrip("# ").split(",")
    hasil = {}
    for b in baris[1:]:
        nilai = dict(zip(kolom, b.split(","), strict=False))
        if nilai.get("pxname") == "app" and nilai.get("svname", "").startswith("node"):
            hasil[nilai["svname"]] = nilai["status"]
    return hasil


def periksa_ack(hasil: Hasil) -> list[str]:
    """Every acknowledged save: exactly one history row with its narasi, at the version it showed."""
    import django

    django.setup()
    from kinerja.pelaksanaan.models import Realisasi

    salah = []
    for indikator, _nomor, narasi, versi in hasil.ack:
        rows = list(
            Realisasi.history.filter(indikator_id=indikator, narasi=narasi).values_list("versi", flat=True)
        )
        if len(rows) != 1:
            salah.append(f"{narasi}: {len(rows)} baris riwayat")
        elif versi >= 0 and rows[0] != versi:
            salah.append(f"{narasi}: versi {rows[0]} ≠ {versi}")
    terakhir: dict[int, tuple[str, int]] = {}
    for indikator, _nomor, narasi, versi in hasil.ack:
        terakhir[indikator] = (narasi, versi)
    for indikator, (narasi, versi) in terakhir.items():
        r = Realisasi.objects.filter(indikator_id=indikator).order_by("-versi").first()
        if r is None or r.versi < versi:
            salah.append(f"indikator {indikator}: versi sekarang {r and r.versi} < ack {versi} ({narasi})")
    return salah


def muat(url: str, tulis: list[tuple[str, str, int, int]], baca: list[str], tag: str):  # type: ignore[no-untyped-def]
    """Start the load; returns once every user has signed in (logins are not part of the drill)."""
    hasil, berhenti, siap = Hasil(), threading.Event(), threading.Semaphore(0)
    threads = [
        threading.Thread(
            target=penulis, args=(url, u, post, ind, nomor, tag, hasil, berhenti, siap), daemon=True
        )
        for u, post, ind, nomor in tulis
    ] + [threading.Thread(target=pembaca, args=(url, u, hasil, berhenti, siap), daemon=True) for u in baca]
    for t in threads:
        t.start()
    for _ in threads:
        siap.acquire(timeout=120)
    return hasil, berhenti, threads


def log_node(var: Path) -> str:
    return "".join((var / "log" / f"node{n}.log").read_text(errors="replace") for n in (1, 2))


def tunggu_sehat(url: str, detik: float) -> bool:
    batas = time.monotonic() + detik
    while time.monotonic() < batas:
        try:
            if requests.get(url + "healthz", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return False


def ringkas(hasil: Hasil, t0: float) -> str:
    gagal = [p for p in hasil.permintaan if not p[2]]
    jenis: dict[str, int] = {}
    for p in gagal:
        jenis[p[3]] = jenis.get(p[3], 0) + 1
    return f"{len(hasil.permintaan)} permintaan, {len(gagal)} gagal {jenis or ''}, {len(hasil.ack)} diakui"


def drill_node(a: argparse.Namespace, tulis, baca) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    var = Path(a.var)
    hasil, berhenti, threads = muat(a.url, tulis, baca, f"node{int(time.time())}")
    time.sleep(a.sebelum)
    pid = int((var / "run" / "node1.pid").read_text())
    t_mati = time.monotonic()
    os.killpg(pid, signal.SIGKILL)
    time.sleep(a.sesudah)
    berhenti.set()
    for t in threads:
        t.join(35)
    status = haproxy_status(var)
    batas = t_mati + a.deteksi
    gagal_inflight = [p for p in hasil.permintaan if not p[2] and p[0] <= t_mati <= p[1]]
    gagal_lain = [p for p in hasil.permintaan if not p[2] and not (p[0] <= t_mati <= p[1])]
    gagal_sesudah = [p for p in gagal_lain if p[0] >= batas]
    salah = periksa_ack(hasil)
    setelah = [p for p in hasil.permintaan if p[0] >= batas]
    cluster("start-bagian", "node1")
    lulus = not gagal_sesudah and not salah and status.get("node1") == "DOWN" and len(setelah) > 0
    lulus = lulus and len(hasil.ack) > 0
    teks = (
        f"{ringkas(hasil, t_mati)}; gagal saat node mati (sedang berjalan): {len(gagal_inflight)}, "
        f"gagal lain sebelum HAProxy melihatnya: {len(gagal_lain) - len(gagal_sesudah)}, "
        f"gagal setelah {a.deteksi:.0f} s: "
        f"{len(gagal_sesudah)}; {len(setelah)} permintaan setelahnya dilayani node2; HAProxy: {status}; "
        f"simpan diakui yang tidak tepat sekali di database: {len(salah)} {salah[:3] if salah else ''}"
    )
    return lulus, teks


def cluster(*args: str) -> None:
    """`scripts/cluster.sh` (one configuration of each part lives there)."""
    subprocess.run(["/bin/bash", str(ROOT / "scripts" / "cluster.sh"), *args], cwd=ROOT, check=True)  # noqa: S603


def _papan_di_replika() -> bool:
    """Whether the nodes' connections to the replica last ran something else than the health check (the
    board's queries): the replica's own pg_stat_activity, asked directly."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], connect_timeout=5) as c:
        n = c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
            "pg_backend_pid() AND backend_type = 'client backend' AND query NOT LIKE '%pg_is_in_recovery%'"
        ).fetchone()
    return bool(n and n[0])


def drill_replika(a: argparse.Namespace, tulis, baca) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    var = Path(a.var)
    log_awal = len(log_node(var))
    hasil, berhenti, threads = muat(a.url, tulis, baca, f"replika{int(time.time())}")
    time.sleep(a.sebelum)
    dibaca_di_replika = _papan_di_replika()
    t_mati = time.monotonic()
    cluster("stop-bagian", "replika")
    time.sleep(a.sesudah)
    berhenti.set()
    for t in threads:
        t.join(35)
    batas = t_mati + float(os.environ.get("REPLIKA_CEK_DETIK", "2")) + 1
    gagal_sesudah = [p for p in hasil.permintaan if not p[2] and p[0] >= batas]
    gagal_awal = [p for p in hasil.permintaan if not p[2] and p[0] < batas]
    baca_sesudah = [p for p in hasil.permintaan if p[0] >= batas and p[3].startswith("GET /pemantauan")]
    tercatat = "REPLIKA TIDAK DIPAKAI" in log_node(var)[log_awal:]
    salah = periksa_ack(hasil)
    cluster("start-bagian", "replika")
    lulus = not gagal_sesudah and tercatat and not salah and len(baca_sesudah) > 0 and dibaca_di_replika
    teks = (
        f"{ringkas(hasil, t_mati)}; papan dibaca di replika sebelum dihentikan: "
        f"{'ya' if dibaca_di_replika else 'TIDAK'}; "
        f"gagal dalam selang cek: {len(gagal_awal)}, gagal setelahnya: "
        f"{len(gagal_sesudah)}; {len(baca_sesudah)} papan dibaca dari primer setelahnya; log 'REPLIKA TIDAK "
        f"DIPAKAI': {'ada' if tercatat else 'TIDAK ADA'}; simpan salah: {len(salah)}"
    )
    return lulus, teks


def drill_redis(a: argparse.Namespace, tulis, baca) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    var = Path(a.var)
    log_awal = len(log_node(var))
    hasil, berhenti, threads = muat(a.url, tulis, baca, f"redis{int(time.time())}")
    time.sleep(a.sebelum)
    t_mati = time.monotonic()
    pid = int((var / "run" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    time.sleep(a.sesudah)
    berhenti.set()
    for t in threads:
        t.join(35)
    gagal = [p for p in hasil.permintaan if not p[2]]
    sesudah = [p for p in hasil.permintaan if p[0] >= t_mati]
    tercatat = "CACHE TERDEGRADASI" in log_node(var)[log_awal:]
    salah = periksa_ack(hasil)
    cluster("start-bagian", "redis")
    lulus = not gagal and tercatat and not salah and len(sesudah) > 0
    teks = (
        f"{ringkas(hasil, t_mati)}; {len(sesudah)} permintaan dilayani tanpa Redis; "
        f"log 'CACHE TERDEGRADASI': {'ada' if tercatat else 'TIDAK ADA'}; simpan salah: {len(salah)}"
    )
    return lulus, teks


def _loop_tertutup(url: str, pengguna: list[str], path: str, masuk_dulu: bool, detik: float) -> str:
    waktu: list[float] = []
    gagal = 0
    kunci = threading.Lock()
    berhenti = threading.Event()

    def klien(u: str) -> None:
        nonlocal gagal
        s = masuk(url, u) if masuk_dulu else requests.Session()
        while not berhenti.is_set():
            t = time.monotonic()
            try:
                ok = s.get(url + path, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            with kunci:
                if ok:
                    waktu.append(time.monotonic() - t)
                else:
                    gagal += 1

    threads = [threading.Thread(target=klien, args=(u,), daemon=True) for u in pengguna]
    for t in threads:
        t.start()
    time.sleep(3 + (len(pengguna) if masuk_dulu else 0))  # logins and warm-up
    with kunci:
        waktu.clear()
        gagal = 0
    mulai = time.monotonic()
    time.sleep(detik)
    with kunci:
        contoh, lama, n_gagal = sorted(waktu), time.monotonic() - mulai, gagal
    berhenti.set()
    for t in threads:
        t.join(35)
    p50 = contoh[len(contoh) // 2] * 1000 if contoh else float("nan")
    p95 = contoh[int(len(contoh) * 0.95)] * 1000 if contoh else float("nan")
    return f"{len(contoh) / lama:.1f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms, gagal {n_gagal}"


def ukur(a: argparse.Namespace, tulis, baca) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    """Not a fault: closed-loop throughput through HAProxy (both nodes), `/healthz` then the dashboard,
    each with as many connections as there are users in the load; req/s, p50, p95."""
    pengguna = [u for u, *_ in tulis] + baca
    sehat = _loop_tertutup(a.url, pengguna, "healthz", False, a.sesudah)
    beranda = _loop_tertutup(a.url, pengguna, "", True, a.sesudah)
    return True, f"{len(pengguna)} koneksi; /healthz: {sehat}; beranda: {beranda}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--var", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--drill", default="node,replika,redis", help="also: ukur (throughput, no fault)")
    p.add_argument("--sebelum", type=float, default=4, help="detik beban sebelum gangguan")
    p.add_argument("--sesudah", type=float, default=12, help="detik beban sesudah gangguan")
    p.add_argument("--deteksi", type=float, default=4, help="detik sampai HAProxy menandai node mati")
    a = p.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    if not tunggu_sehat(a.url, 10):
        print(f"klaster tidak menjawab di {a.url}: jalankan `make cluster` dulu", file=sys.stderr)
        return 2
    akun = akun_demo()
    tulis: list[tuple[str, str, int, int]] = []
    for peran in ("pelaksana", "fungsional", "kabid", "kepala"):
        if peran in akun:
            for post, ind, nomor in target_penulis(a.url, akun[peran])[:2]:
                tulis.append((akun[peran], post, ind, nomor))
    baca = [akun[r] for r in ("kabid", "kepala") if r in akun]
    if not tulis:
        print("tidak ada realisasi yang dapat diisi oleh akun demo saat ini", file=sys.stderr)
        return 2
    print(f"beban: {len(tulis)} penulis realisasi, {len(baca)} pembaca (beranda, papan) lewat {a.url}")
    drills = {"node": drill_node, "replika": drill_replika, "redis": drill_redis, "ukur": ukur}
    semua_lulus = True
    for nama in a.drill.split(","):
        lulus, teks = drills[nama](a, tulis, baca)
        semua_lulus &= lulus
        print(f"[{'LULUS' if lulus else 'GAGAL'}] {nama}: {teks}", flush=True)
        if not tunggu_sehat(a.url, 60):
            print("klaster tidak pulih setelah latihan", file=sys.stderr)
            return 1
        time.sleep(3)
    return 0 if semua_lulus else 1


if __name__ == "__main__":
    sys.exit(main())
