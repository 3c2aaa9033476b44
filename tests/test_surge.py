"""`scripts/surge.py`'s pure parts (step schedule, percentiles, summary, form parsing) and one short step
against a mocked server (httpx.MockTransport): sign-in, the pegawai loop, a save acknowledged to the acks
file, a conflict counted apart from errors, a 5xx and a timeout counted by kind."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import random
import sys
from pathlib import Path

import httpx
import pytest

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
    assert surge.error_kind(None, httpx.ReadTimeout("x")) == "timeout"
    assert surge.error_kind(None, httpx.ConnectError("x")) == "connection"
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
    """A fake Kinerja: one indikator with a version; every other save is sent with a stale version by
    bumping the version behind the user's back, the board answers 502 once, /skp/ times out once."""

    def __init__(self) -> None:
        self.versi = 0
        self.saves = 0
        self.failed_board = self.failed_skp = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/login/" and request.method == "GET":
            return httpx.Response(200, text='<input name="csrfmiddlewaretoken" value="tok">')
        if path == "/login/":
            assert b"csrfmiddlewaretoken=tok" in request.content
            return httpx.Response(302, headers={"Location": "/", "Set-Cookie": "sessionid=s; Path=/"})
        assert request.headers.get("cookie", "").startswith("sessionid=s")
        if path == "/pemantauan/" and not self.failed_board:
            self.failed_board = True
            return httpx.Response(502)
        if path == "/skp/" and not self.failed_skp:
            self.failed_skp = True
            raise httpx.ReadTimeout("slow", request=request)
        if path == "/realisasi/":
            return httpx.Response(200, text=_row(11, self.versi))
        if path.startswith("/realisasi/skp/9/indikator/11/"):
            sent = int(dict(x.split("=") for x in request.content.decode().split("&"))["i11-versi"])
            self.saves += 1
            if sent != self.versi:
                return httpx.Response(200, text=_row(11, self.versi, konflik=True))
            self.versi += 1
            if self.saves % 2:
                self.versi += 1  # someone else saved in between: the next save from the page is stale
            return httpx.Response(200, text=_row(11, self.versi))
        return httpx.Response(200, text="ok")


def test_a_short_step_against_a_mocked_server(tmp_path):
    server = Server()
    acks_path = tmp_path / "acks.jsonl"
    with open(acks_path, "a") as acks:
        run = surge.Run(
            base="http://surge.test",
            think=0.002,
            timeout=1,
            acks=acks,
            rng=random.Random(3),
            transport=httpx.MockTransport(server),
        )
        users = [("199001012020011001", False), ("199001012020011002", False), ("198001012005011001", True)]
        s = asyncio.run(surge._step(run, users, 0.4))
    assert s["endpoints"]["login"]["count"] == 3 and not s["endpoints"]["login"]["errors"]
    assert s["errors"].get("5xx") == 1 and s["errors"].get("timeout") == 1
    assert s["conflicts"] >= 1
    acks_rows = [json.loads(line) for line in acks_path.read_text().splitlines()]
    assert len(acks_rows) == s["endpoints"]["save"]["count"] - s["conflicts"] >= 1
    assert all(a["indikator"] == 11 and a["periode"] == 4 and a["versi"] >= 1 for a in acks_rows)
    assert [a["versi"] for a in acks_rows] == sorted(a["versi"] for a in acks_rows)
    assert s["endpoints"]["board"]["count"] >= 1


def test_pick_gives_distinct_users_with_a_share_of_penilai():
    users = [(f"u{i}", i % 5 == 0) for i in range(100)]
    step = surge.Step(users=20, seconds=1, first=10)
    chosen = surge.pick(users, step, 0.1, random.Random(1))
    assert len(chosen) == len({u for u, _ in chosen}) == 20
    assert sum(1 for _, p in chosen if p) == 2
