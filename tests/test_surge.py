"""`scripts/surge.py`'s pure parts (step schedule, arrivals, percentiles, summary, form parsing) and short
steps against a fake server on a local socket (aiohttp.web): sign-in, the pegawai loop, a save acknowledged
to the acks file, a conflict counted apart from errors, a 5xx and a timeout counted by kind; users arriving
over the ramp, the step measured after it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

_spec = importlib.util.spec_from_file_location("surge", Path(__file__).parent.parent / "scripts" / "surge.py")
assert _spec and _spec.loader
surge = importlib.util.module_from_spec(_spec)
sys.modules["surge"] = surge  # dataclasses look their module up
_spec.loader.exec_module(surge)


def test_schedule_takes_new_users_for_each_step():
    steps = surge.schedule([25, 50, 100, 200], 60)
    assert [(s.users, s.first, s.seconds) for s in steps] == [
        (25, 0, 60),
        (50, 25, 60),
        (100, 75, 60),
        (200, 175, 60),
    ]
    with pytest.raises(ValueError):
        surge.schedule([25, 0], 60)
    with pytest.raises(ValueError):
        surge.schedule([25], 0)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert surge.percentile(values, 50) == 50
    assert surge.percentile(values, 95) == 95
    assert surge.percentile(values, 99) == 99
    assert surge.percentile(values, 100) == 100
    assert surge.percentile([7.0], 95) == 7.0
    assert surge.percentile([], 50) is None
    assert surge.percentile([3, 1, 2], 50) == 2  # unsorted input


def test_summary_counts_errors_by_kind_and_conflicts_apart():
    R = surge.Record
    rows = [R("dashboard", 0, 0.010 * i, 200, "ok") for i in range(1, 21)]
    rows += [R("save", 0, 0.05, 200, "conflict"), R("save", 0, 0.04, 200, "ok")]
    rows += [R("login", 0, 10.0, None, "timeout"), R("skp", 0, 0.3, 502, "5xx"), R("skp", 0, 0.3, 404, "4xx")]
    rows += [R("skp", 0, 0.001, None, "connection")]
    s = surge.summarise(rows, 2.0)
    assert s["requests"] == 26 and s["rps"] == 13.0
    assert s["errors"] == {"4xx": 1, "5xx": 1, "connection": 1, "timeout": 1}
    assert s["conflicts"] == 1
    d = s["endpoints"]["dashboard"]
    assert (d["count"], d["p50_ms"], d["p95_ms"], d["p99_ms"]) == (20, 100.0, 190.0, 200.0)
    assert s["endpoints"]["skp"]["p50_ms"] is None and s["endpoints"]["skp"]["errors"] == {
        "5xx": 1,
        "4xx": 1,
        "connection": 1,
    }
    assert surge.error_kind(503) == "5xx" and surge.error_kind(403) == "4xx" and surge.error_kind(302) == "ok"
    assert surge.error_kind(None, TimeoutError()) == "timeout"
    assert surge.error_kind(None, aiohttp.ServerTimeoutError("x")) == "timeout"
    assert surge.error_kind(None, aiohttp.ServerDisconnectedError()) == "connection"
    assert surge.mix_rps(s, 2.0) == 12.5  # without the sign-ins


def _row(ind: int, versi: int, numerik: bool = True, konflik: bool = False) -> str:
    field = (
        f'<input name="i{ind}-nilai_angka">' if numerik else f'<textarea name="i{ind}-nilai_teks"></textarea>'
    )
    alert = (
        '<div class="alert alert-danger">Data ini sudah diubah. <a>Muat ulang halaman</a></div>'
        if konflik
        else ""
    )
    return (
        f'<div id="ind-{ind}"><form hx-post="/realisasi/skp/9/indikator/{ind}/periode/4/">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
        f'<input type="hidden" name="i{ind}-versi" value="{versi}" id="id_i{ind}-versi">'
        f"{alert}{field}</form></div>"
    )


def test_parse_forms_reads_the_version_and_the_kind_of_value():
    html = _row(11, 3) + _row(12, 0, numerik=False)
    assert surge.parse_forms(html) == [
        {
            "url": "/realisasi/skp/9/indikator/11/periode/4/",
            "indikator": 11,
            "periode": 4,
            "versi": 3,
            "numerik": True,
        },
        {
            "url": "/realisasi/skp/9/indikator/12/periode/4/",
            "indikator": 12,
            "periode": 4,
            "versi": 0,
            "numerik": False,
        },
    ]


class Server:
    """A fake Kinerja on a real socket (aiohttp.web): one indikator with a version; the first save meets a
    newer version, and every other one bumps the version behind the users' backs; the board answers 502
    once, /skp/ answers too late once (a timeout)."""

    def __init__(self, slow: float) -> None:
        self.versi = 0
        self.saves = 0
        self.slow = slow
        self.failed_board = self.failed_skp = False
        self.logins: list[float] = []

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/login/" and request.method == "GET":
            return web.Response(text='<input name="csrfmiddlewaretoken" value="tok">')
        if path == "/login/":
            assert (await request.post())["csrfmiddlewaretoken"] == "tok"
            self.logins.append(time.perf_counter())
            response = web.Response(status=302, headers={"Location": "/"})
            response.set_cookie("sessionid", "s", path="/")
            return response
        assert request.cookies.get("sessionid") == "s"  # the cookie came back from an IP-address host
        if path == "/pemantauan/" and not self.failed_board:
            self.failed_board = True
            return web.Response(status=502)
        if path == "/skp/" and not self.failed_skp:
            self.failed_skp = True
            await asyncio.sleep(self.slow)
        if path == "/realisasi/":
            return web.Response(text=_row(11, self.versi), content_type="text/html")
        if path.startswith("/realisasi/skp/9/indikator/11/"):
            sent = int((await request.post())["i11-versi"])
            self.saves += 1
            if self.saves == 1 or sent != self.versi:  # the first save always meets a newer version
                return web.Response(text=_row(11, self.versi, konflik=True), content_type="text/html")
            self.versi += 1
            if self.saves % 2:
                self.versi += 1  # someone else saved in between: the next save from the page is stale
            return web.Response(text=_row(11, self.versi), content_type="text/html")
        return web.Response(text="ok")


async def _against(server: Server, run_kw: dict, users, seconds: float, ramp: float = 0.0):
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.__call__)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        run = surge.Run(base=f"http://127.0.0.1:{port}", **run_kw)
        started = time.perf_counter()
        return started, await surge._step(run, users, seconds, ramp=ramp)
    finally:
        await runner.cleanup()


def _run(coro):  # type: ignore[no-untyped-def]
    """``asyncio.run`` in a thread of its own: a browser test that shared this xdist worker may have left
    Playwright's event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


USERS = [("199001012020011001", False), ("199001012020011002", False), ("198001012005011001", True)]


def test_a_short_step_against_a_fake_server(tmp_path):
    server = Server(slow=0.5)
    acks_path = tmp_path / "acks.jsonl"
    with open(acks_path, "a") as acks:
        kw = {"think": 0.002, "timeout": 0.25, "acks": acks, "rng": random.Random(3)}
        _, s = _run(_against(server, kw, USERS, 1.5))
    assert s["endpoints"]["login"]["count"] == 3 and not s["endpoints"]["login"]["errors"]
    assert s["errors"].get("5xx") == 1 and s["errors"].get("timeout") == 1
    assert s["conflicts"] >= 1
    acks_rows = [json.loads(line) for line in acks_path.read_text().splitlines()]
    assert len(acks_rows) == s["endpoints"]["save"]["count"] - s["conflicts"] >= 1
    assert all(a["indikator"] == 11 and a["periode"] == 4 and a["versi"] >= 1 for a in acks_rows)
    assert [a["versi"] for a in acks_rows] == sorted(a["versi"] for a in acks_rows)
    assert s["endpoints"]["board"]["count"] >= 1
    assert s["client_cpu_ms"] > 0 and "ramp" not in s


def test_users_arrive_over_the_ramp_and_the_step_is_measured_after_it():
    server = Server(slow=0.0)
    users = [(f"1990010120200110{i:02d}", False) for i in range(6)]
    kw = {"think": 0.01, "timeout": 1, "acks": None, "rng": random.Random(5)}
    started, s = _run(_against(server, kw, users, 0.3, ramp=0.6))
    offsets = sorted(t - started for t in server.logins)
    assert len(offsets) == 6
    # the sixth user's slot is the last sixth of the ramp: not everyone signs in at the start
    assert offsets[-1] >= 0.5
    # the sign-ins are the ramp's; the measured part holds the pages after it
    assert s["ramp"]["seconds"] == 0.6 and s["ramp"]["endpoints"]["login"]["count"] >= 1
    assert s["requests"] >= 6 and s["endpoints"]["dashboard"]["count"] >= 1
    assert s["ramp"]["requests"] + s["requests"] > s["requests"]


def test_arrivals_are_spread_evenly_over_the_ramp():
    rng = random.Random(2)
    times = surge.arrivals(200, 15.0, rng)
    assert len(times) == 200 and times == sorted(times)
    assert all(0 <= t < 15.0 for t in times)
    # one arrival in each 75 ms slot: never more than two in any slot-wide window, no long gap
    slot = 15.0 / 200
    assert all(int(t // slot) == i for i, t in enumerate(times))
    assert max(b - a for a, b in zip(times, times[1:], strict=False)) < 2 * slot
    assert surge.arrivals(3, 0.0, rng) == [0.0, 0.0, 0.0]
    assert surge.arrivals(0, 5.0, rng) == []
    assert surge.arrivals(1, 5.0, random.Random(1)) == [5.0 * random.Random(1).random()]
    with pytest.raises(ValueError):
        surge.arrivals(3, -1.0, rng)


def test_split_at_puts_the_ramp_apart():
    R = surge.Record
    rows = [
        R("login", 0.5, 0.1, 302, "ok"),
        R("dashboard", 1.0, 0.1, 200, "ok"),
        R("skp", 2.5, 0.1, 200, "ok"),
    ]
    before, after = surge.split_at(rows, 1.0)
    assert [r.endpoint for r in before] == ["login"] and [r.endpoint for r in after] == ["dashboard", "skp"]


def test_client_cpu_per_request_and_the_default_ramp():
    assert surge.client_cpu_ms(0.5, 1000) == 0.5
    assert surge.client_cpu_ms(0.5, 0) is None
    assert surge.parse_args([]).ramp == 15.0  # 5 × the default 3 s think time
    assert surge.parse_args(["--think", "2"]).ramp == 10.0
    assert surge.parse_args(["--ramp", "0"]).ramp == 0.0
    with pytest.raises(SystemExit):
        surge.parse_args(["--ramp", "-1"])


def test_percentiles_of_a_skewed_sample():
    values = [0.01] * 94 + [1.0] * 6  # 6 % slow: p95 already sees them, p50 does not
    assert surge.percentile(values, 50) == 0.01
    assert surge.percentile(values, 94) == 0.01
    assert surge.percentile(values, 95) == 1.0
    assert surge.percentile([1, 2], 50) == 1 and surge.percentile([1, 2], 51) == 2


def test_pick_gives_distinct_users_with_a_share_of_penilai():
    users = [(f"u{i}", i % 5 == 0) for i in range(100)]
    step = surge.Step(users=20, seconds=1, first=10)
    chosen = surge.pick(users, step, 0.1, random.Random(1))
    assert len(chosen) == len({u for u, _ in chosen}) == 20
    assert sum(1 for _, p in chosen if p) == 2
