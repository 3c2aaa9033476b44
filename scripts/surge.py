#!/usr/bin/env python
"""A deadline-day surge against a running Kinerja (`make surge`; README "Deadline-day load test").

Distinct generated pegawai (``generate_instansi --lengkap``) sign in (CSRF + form login) and then loop,
with a think time between requests: dashboard → SKP → realisasi → save one realisasi (htmx POST with the
optimistic-lock version read from the page; a conflict is counted apart from errors). About 10 % of the
users are penilai who open their board instead. The users come in steps (default 25, 50, 100, 200), each a
new set of people, each step bounded in time. Per step: requests/s, p50/p95/p99 per endpoint, errors by
kind (timeout, 5xx, 4xx, connection). In the same run ``/healthz`` and the mix (without think time) are
driven closed-loop by the same number of connections, for the ratio mix ÷ healthz (the cost of a real
request against the cheapest one).

Arrivals: a step's new users do not all sign in at its start (200 argon2 logins in the first second is no
morning): their arrivals are spread evenly, with jitter, over ``--ramp`` seconds (default 5 × the think
time), and the step is measured only after the ramp, for ``--step-seconds``; what happened during the ramp
(the sign-ins) is reported apart.

Every acknowledged save (HTTP 200, no error in the row) is appended to ``--acks`` as one JSON line
``{"indikator", "periode", "nilai", "versi", "user"}`` (a realisasi is unique per indikator and periode), so
a fault drill can check each one is in the database exactly once with that value or a later version.

asyncio + aiohttp: one process and one event loop drive hundreds of users at a few percent of a core, which
leaves the two cores to the server under test (locust needs gevent and a process per core to do the same;
httpx cost ten times aiohttp's CPU per request). The client's own CPU per request (process time ÷ requests)
is reported with every step, so a run shows how much of the machine the client took.

The user list is read from the database the server uses (``DATABASE_URL``, Django settings): the pegawai of
the instansi ``--kode`` (default the latest ``--lengkap`` one), ordered by a seeded shuffle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kinerja-demo"
RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RE_FORM = re.compile(r'hx-post="(/realisasi/skp/\d+/indikator/(\d+)/periode/(\d+)/)"')
RE_VERSI = re.compile(r'name="i(\d+)-versi"(?:[^>]*?value="(\d*)")?')
RE_ANGKA = re.compile(r'name="i(\d+)-nilai_angka"')


# --- pure parts (tested) --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    users: int
    seconds: float
    first: int  # index of its first user in the user list (each step signs in new people)


def schedule(steps: Sequence[int], seconds: float) -> list[Step]:
    """The steps of a run: ``steps`` users each for ``seconds``, each taking the next users of the list."""
    if not steps or any(n < 1 for n in steps):
        raise ValueError("each step needs at least one user")
    if seconds <= 0:
        raise ValueError("a step must last more than 0 seconds")
    result, first = [], 0
    for n in steps:
        result.append(Step(n, seconds, first))
        first += n
    return result


def arrivals(n: int, ramp: float, rng: random.Random) -> list[float]:
    """When each of ``n`` users arrives, in seconds after the step's start: one in each of ``n`` equal slots
    of ``ramp`` seconds, at a random point of its slot (even over the ramp, never bunched). Sorted."""
    if n < 0 or ramp < 0:
        raise ValueError("n and ramp must not be negative")
    if ramp == 0:
        return [0.0] * n
    slot = ramp / n if n else 0.0
    return [(i + rng.random()) * slot for i in range(n)]


def split_at(records: Iterable[Record], start: float) -> tuple[list[Record], list[Record]]:
    """(before, from): the records of requests started before ``start`` (the ramp) and from it on."""
    before, after = [], []
    for r in records:
        (before if r.started < start else after).append(r)
    return before, after


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (``p`` in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Record:
    endpoint: str
    started: float
    seconds: float
    status: int | None  # None: no response (timeout, connection)
    kind: str  # "ok", "conflict", "timeout", "connection", "5xx", "4xx"


def error_kind(status: int | None, exc: BaseException | None = None) -> str:
    if exc is not None:
        name = type(exc).__name__.lower()
        return "timeout" if "timeout" in name else "connection"
    assert status is not None
    if status >= 500:
        return "5xx"
    if status >= 400:
        return "4xx"
    return "ok"


def summarise(records: Iterable[Record], seconds: float) -> dict[str, Any]:
    """Requests/s of the step, per endpoint count and p50/p95/p99 (ms), errors by kind, conflicts."""
    records = list(records)
    by_endpoint: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_endpoint[r.endpoint].append(r)

    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 1)

    endpoints = {}
    for name, rows in sorted(by_endpoint.items()):
        lat = [r.seconds for r in rows if r.kind in ("ok", "conflict")]
        endpoints[name] = {
            "count": len(rows),
            "p50_ms": ms(percentile(lat, 50)),
            "p95_ms": ms(percentile(lat, 95)),
            "p99_ms": ms(percentile(lat, 99)),
            "errors": dict(Counter(r.kind for r in rows if r.kind not in ("ok", "conflict"))),
        }
    kinds = Counter(r.kind for r in records)
    all_lat = [r.seconds for r in records if r.kind in ("ok", "conflict")]
    return {
        "requests": len(records),
        "rps": round(len(records) / seconds, 1) if seconds > 0 else 0.0,
        "p50_ms": ms(percentile(all_lat, 50)),
        "p95_ms": ms(percentile(all_lat, 95)),
        "p99_ms": ms(percentile(all_lat, 99)),
        "errors": {k: v for k, v in sorted(kinds.items()) if k not in ("ok", "conflict")},
        "conflicts": kinds.get("conflict", 0),
        "endpoints": endpoints,
    }


def mix_rps(summary: dict[str, Any], seconds: float) -> float:
    """Requests/s of a step without its sign-ins (the login page and POST happen once per user)."""
    n = sum(e["count"] for name, e in summary["endpoints"].items() if not name.startswith("login"))
    return round(n / seconds, 1) if seconds > 0 else 0.0


def parse_forms(html: str) -> list[dict[str, Any]]:
    """The realisasi forms of a realisasi page: url, indikator, periode nomor, version, numeric or not."""
    # one pass per pattern over the page (a pattern per indikator would be compiled anew for each user)
    versi = {}
    for m in RE_VERSI.finditer(html):
        versi.setdefault(int(m.group(1)), int(m.group(2)) if m.group(2) else 0)
    angka = {int(m.group(1)) for m in RE_ANGKA.finditer(html)}
    forms = []
    for m in RE_FORM.finditer(html):
        url, ind, nomor = m.group(1), int(m.group(2)), int(m.group(3))
        forms.append(
            {
                "url": url,
                "indikator": ind,
                "periode": nomor,
                "versi": versi.get(ind, 0),
                "numerik": ind in angka,
            }
        )
    return forms


# --- the load -------------------------------------------------------------------------------------


@dataclass
class Page:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Run:
    base: str
    think: float
    timeout: float
    acks: Any  # an open file, or None
    records: list[Record] = field(default_factory=list)
    deadline: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(1))

    def client(self) -> Any:
        """One user's browser: its own cookies (unsafe=True: the server is an IP address) and connections."""
        import aiohttp

        return aiohttp.ClientSession(
            base_url=self.base,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            auto_decompress=False,
        )


async def _request(run: Run, client: Any, endpoint: str, method: str, url: str, **kw: Any) -> Page | None:
    import aiohttp

    kw.setdefault("allow_redirects", False)
    t = time.perf_counter()
    try:
        async with client.request(method, url, **kw) as response:
            page = Page(response.status, await response.read())
    except (TimeoutError, aiohttp.ClientError) as exc:
        run.records.append(Record(endpoint, t, time.perf_counter() - t, None, error_kind(None, exc)))
        return None
    kind = error_kind(page.status)
    if endpoint == "save" and kind == "ok" and b"Muat ulang halaman" in page.body:
        kind = "conflict"
    run.records.append(Record(endpoint, t, time.perf_counter() - t, page.status, kind))
    return page if kind in ("ok", "conflict") else None


async def _think(run: Run) -> bool:
    """Sleep a think time (± 50 %); False when the step is over."""
    await asyncio.sleep(run.think * run.rng.uniform(0.5, 1.5))
    return time.perf_counter() < run.deadline


async def _login(run: Run, client: Any, username: str) -> bool:
    page = await _request(run, client, "login_page", "GET", "/login/")
    if page is None:
        return False
    token = RE_CSRF.search(page.text)
    data = {
        "username": username,
        "password": PASSWORD,
        "csrfmiddlewaretoken": token.group(1) if token else "",
    }
    response = await _request(run, client, "login", "POST", "/login/", data=data)
    return response is not None and response.status == 302


async def _save(run: Run, client: Any, username: str, html: str) -> None:
    forms = parse_forms(html)
    token = RE_CSRF.search(html)
    if not forms or token is None:
        return
    form = run.rng.choice(forms)
    ind = form["indikator"]
    nilai = str(run.rng.randint(1, 5)) if form["numerik"] else f"Tersedia ({run.rng.randint(1, 10**6)})"
    data = {
        "csrfmiddlewaretoken": token.group(1),
        f"i{ind}-versi": str(form["versi"]),
        f"i{ind}-{'nilai_angka' if form['numerik'] else 'nilai_teks'}": nilai,
        f"i{ind}-narasi": "Uji lonjakan.",
    }
    response = await _request(
        run, client, "save", "POST", form["url"], data=data, headers={"HX-Request": "true"}
    )
    if response is None or run.records[-1].kind != "ok":
        return
    text = response.text
    if "alert-danger" in text:
        return
    after = parse_forms(text)
    if run.acks is not None:
        versi = after[0]["versi"] if after else None
        ack = {"indikator": ind, "periode": form["periode"], "nilai": nilai, "versi": versi, "user": username}
        run.acks.write(json.dumps(ack) + "\n")
        run.acks.flush()


async def _user(run: Run, username: str, penilai: bool, delay: float, closed_loop: bool = False) -> None:
    await asyncio.sleep(delay)
    async with run.client() as client:
        if not await _login(run, client, username):
            return
        while time.perf_counter() < run.deadline:
            if not closed_loop and not await _think(run):
                return
            await _request(run, client, "dashboard", "GET", "/")
            if penilai:
                if not closed_loop and not await _think(run):
                    return
                await _request(run, client, "board", "GET", "/pemantauan/")
                continue
            if not closed_loop and not await _think(run):
                return
            await _request(run, client, "skp", "GET", "/skp/", allow_redirects=True)
            if not closed_loop and not await _think(run):
                return
            page = await _request(run, client, "realisasi", "GET", "/realisasi/")
            if page is None:
                continue
            if not closed_loop and not await _think(run):
                return
            await _save(run, client, username, page.text)


async def _healthz(run: Run, connections: int, seconds: float) -> dict[str, Any]:
    records: list[Record] = []
    end = time.perf_counter() + seconds
    cpu = time.process_time()

    async def one() -> None:
        async with run.client() as client:
            while time.perf_counter() < end:
                # the same bookkeeping as the mix, so the ratio compares the server, not the client
                probe = Run(run.base, 0, run.timeout, None, records)
                await _request(probe, client, "healthz", "GET", "/healthz")

    await asyncio.gather(*(one() for _ in range(connections)))
    summary = summarise(records, seconds)
    summary["client_cpu_ms"] = client_cpu_ms(time.process_time() - cpu, len(records))
    return summary


async def _warmup(run: Run, rounds: int = 3) -> None:
    """Every worker imports its views before the first step is timed (errors here are not counted)."""
    async with run.client() as client:
        for path in ["/healthz", "/login/"] * rounds * 4:
            try:
                async with client.get(path, timeout=60) as r:
                    await r.read()
            except Exception:  # noqa: BLE001, S112 — a cold server may refuse a few: only a warm-up
                continue


def client_cpu_ms(cpu_seconds: float, requests: int) -> float | None:
    """The load client's own CPU per request (ms): its process time over the requests it made."""
    return round(cpu_seconds * 1000 / requests, 3) if requests else None


async def _step(
    run: Run,
    users: Sequence[tuple[str, bool]],
    seconds: float,
    closed_loop: bool = False,
    ramp: float = 0.0,
) -> dict[str, Any]:
    """``users`` arrive over ``ramp`` seconds (``arrivals``), then the step is measured for ``seconds``;
    the ramp's requests (mostly sign-ins) are summarised apart under "ramp"."""
    run.records = []
    cpu = time.process_time()
    start = time.perf_counter()
    measured = start + ramp
    run.deadline = measured + seconds
    delays = arrivals(len(users), ramp, run.rng)
    tasks = [
        asyncio.create_task(_user(run, name, penilai, delay, closed_loop))
        for (name, penilai), delay in zip(users, delays, strict=True)
    ]
    await asyncio.wait(tasks, timeout=ramp + seconds + run.timeout + 5)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    cpu = time.process_time() - cpu
    during_ramp, after_ramp = split_at(run.records, measured)
    summary = summarise(after_ramp, time.perf_counter() - measured)
    summary["client_cpu_ms"] = client_cpu_ms(cpu, len(run.records))
    if ramp > 0:
        summary["ramp"] = {"seconds": ramp, **summarise(during_ramp, ramp)}
    return summary


def load_users(kode: str | None, seed: int) -> tuple[str, list[tuple[str, bool]]]:
    """(kode, [(username, is penilai)]): the generated pegawai with an approved SKP, in a seeded order."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from kinerja.organisasi.models import Instansi
    from kinerja.perencanaan.models import Skp

    if kode is None:
        # a LENGKAP-… one (surge-server.sh), else the latest with an approved SKP (`make cluster` makes GEN-…)
        kode = Instansi.objects.filter(kode__startswith="LENGKAP-").order_by("-pk").values_list(
            "kode", flat=True
        ).first() or (
            Skp.objects.filter(status="disetujui")
            .order_by("-instansi_id")
            .values_list("instansi__kode", flat=True)
            .first()
        )
        if kode is None:
            raise SystemExit(
                "Tidak ada instansi --lengkap di database ini; jalankan generate_instansi --lengkap."
            )
    skp = Skp.objects.filter(instansi__kode=kode, status="disetujui")
    penilai = set(skp.exclude(penilai=None).values_list("penilai__nip", flat=True))
    names = sorted(set(skp.values_list("pegawai__nip", flat=True)))
    rng = random.Random(seed)
    rng.shuffle(names)
    return kode, [(n, n in penilai) for n in names]


def pick(
    users: list[tuple[str, bool]], step: Step, share_penilai: float, rng: random.Random
) -> list[tuple[str, bool]]:
    """``step.users`` distinct users from ``step.first`` on: ~``share_penilai`` penilai, the rest pegawai."""
    pool = users[step.first :] + users[: step.first]
    want_penilai = round(step.users * share_penilai)
    penilai = [u for u in pool if u[1]][:want_penilai]
    pegawai = [(u[0], False) for u in pool if not u[1]][: step.users - len(penilai)]
    chosen = penilai + pegawai
    rng.shuffle(chosen)
    return chosen


def print_table(result: dict[str, Any]) -> None:
    print(
        f"\nSurge against {result['url']} — think {result['think_s']} s, arrivals over {result['ramp_s']} s, "
        f"then {result['step_s']} s measured per step"
    )
    head = f"{'users':>6}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}  errors / conflicts"
    print(head)
    for s in result["steps"]:
        err = ", ".join(f"{k} {v}" for k, v in s["errors"].items()) or "0 errors"
        lat = f"{s['p50_ms']!s:>8}{s['p95_ms']!s:>8}{s['p99_ms']!s:>8}"
        print(f"{s['users']:>6}{s['rps']:>8}{lat}  {err}; {s['conflicts']} conflicts")
        if "ramp" in s:
            ramp = s["ramp"]
            rerr = ", ".join(f"{k} {v}" for k, v in ramp["errors"].items()) or "0 errors"
            arr = f"{ramp['requests']} requests in {ramp['seconds']} s, p95 {ramp['p95_ms']}"
            print(f"{'':>6}  (arrivals: {arr}, {rerr})")
        for name, e in s["endpoints"].items():
            eerr = ", ".join(f"{k} {v}" for k, v in e["errors"].items())
            lat = f"p50 {e['p50_ms']}  p95 {e['p95_ms']}  p99 {e['p99_ms']}"
            print(f"{'':>6}  {name:<12}{e['count']:>6}  {lat}  {eerr}")
    print(f"client CPU per request: {result['client_cpu_ms']} ms (the load client's own process time)")
    r = result["ratio"]
    print(
        f"closed loop, {r['connections']} connections: healthz {r['healthz_rps']} req/s, "
        f"mix {r['mix_rps']} req/s "
        f"→ mix ÷ healthz {r['mix_over_healthz']}"
    )


async def main_async(args: argparse.Namespace, kode: str, users: list[tuple[str, bool]]) -> dict[str, Any]:
    steps = schedule(args.steps, args.step_seconds)
    need = sum(s.users for s in steps) + args.connections
    if len(users) < need:
        print(
            f"Peringatan: {len(users)} pegawai, {need} dibutuhkan: sebagian dipakai ulang.", file=sys.stderr
        )
    acks = open(args.acks, "a") if args.acks else None  # noqa: SIM115
    run = Run(
        base=args.url.rstrip("/"),
        think=args.think,
        timeout=args.timeout,
        acks=acks,
        rng=random.Random(args.seed),
    )
    result: dict[str, Any] = {
        "url": args.url,
        "kode": kode,
        "think_s": args.think,
        "step_s": args.step_seconds,
        "ramp_s": args.ramp,
        "timeout_s": args.timeout,
        "steps": [],
    }
    cpu, count = time.process_time(), 0
    try:
        await _warmup(run)
        for step in steps:
            print(
                f"step: {step.users} users arriving over {args.ramp:.0f} s, then {step.seconds:.0f} s …",
                flush=True,
            )
            summary = await _step(run, pick(users, step, args.penilai, run.rng), step.seconds, ramp=args.ramp)
            count += summary["requests"] + summary.get("ramp", {}).get("requests", 0)
            result["steps"].append({"users": step.users, **summary})
        c = args.connections
        print(
            f"closed loop: /healthz and the mix with {c} connections, {args.ratio_seconds:.0f} s each …",
            flush=True,
        )
        healthz = await _healthz(run, c, args.ratio_seconds)
        last = Step(c, args.ratio_seconds, sum(s.users for s in steps))
        mix = await _step(run, pick(users, last, 0.0, run.rng), args.ratio_seconds, closed_loop=True)
        mix["rps"] = mix_rps(mix, args.ratio_seconds)
        count += healthz["requests"] + mix["requests"]
        result["client_cpu_ms"] = client_cpu_ms(time.process_time() - cpu, count)
        result["ratio"] = {
            "connections": c,
            "healthz_rps": healthz["rps"],
            "healthz_p95_ms": healthz["p95_ms"],
            "mix_rps": mix["rps"],
            "mix_p95_ms": mix["p95_ms"],
            "mix_errors": mix["errors"],
            "mix_over_healthz": round(mix["rps"] / healthz["rps"], 3) if healthz["rps"] else None,
        }
    finally:
        if acks is not None:
            acks.close()
    return result


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default=os.environ.get("SURGE_URL", "http://127.0.0.1:8000"))
    p.add_argument(
        "--kode", default=os.environ.get("SURGE_KODE"), help="instansi (default: latest --lengkap)"
    )
    p.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[25, 50, 100, 200])
    p.add_argument("--step-seconds", type=float, default=60.0, help="duration of each step")
    p.add_argument("--think", type=float, default=3.0, help="mean think time between requests (s)")
    p.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which a step's users arrive (sign in), before it is measured (default 5 × think)",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="a request slower than this is an error")
    p.add_argument("--penilai", type=float, default=0.1, help="share of users who are penilai on their board")
    p.add_argument("--connections", type=int, default=8, help="closed-loop connections for the ratio")
    p.add_argument("--ratio-seconds", type=float, default=15.0)
    p.add_argument(
        "--acks", default=os.environ.get("SURGE_ACKS"), help="append acknowledged saves (JSON lines)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=str(ROOT / "bench-results" / "surge.json"))
    args = p.parse_args(argv)
    if args.ramp is None:
        args.ramp = 5 * args.think
    if args.ramp < 0:
        p.error("--ramp must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    kode, users = load_users(args.kode, args.seed)  # Django's ORM, before the event loop
    result = asyncio.run(main_async(args, kode, users))
    print_table(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nResults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
