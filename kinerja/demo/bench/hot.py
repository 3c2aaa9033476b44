"""The hot requests of a deadline day, per role, on a `generate_instansi --lengkap` instansi (`make bench`).

For a sampled user of each role (a pelaksana, the penilai with the most bawahan, the kepala of the
instansi, the admin kepegawaian) every request a deadline brings is measured with
`kinerja.demo.bench.ukur.ukur` (median CPU ms, queries, goal ≤ 15 ms CPU and ≤ 12 queries; a login
≤ 30 ms CPU): the login POST (through django-axes and the project's backends), the dashboard, the SKP page,
the realisasi page of the open periode, a realisasi save (htmx, with the optimistic-lock version of each
run), the penilai's board, an evaluation page, and the penilai's evaluation list and group page (of the
past periode the evaluation page is in; the list also of the open periode). The admin has no SKP: they
open a pegawai's SKP and realisasi pages. The URLs are the ones in the apps' urls.py.

The instansi is generated here with ``--lengkap`` under its own code (``LENGKAP-<seed>-<n>``), so the
other bench steps keep their instansi without SKP; the generation is timed too.
"""

from __future__ import annotations

import io
import random
import time
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from kinerja.demo.bench.ukur import GOAL_CPU_MS, GOAL_QUERIES, ukur
from kinerja.demo.generate import PASSWORD
from kinerja.organisasi.models import Instansi, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services as penilaian_services
from kinerja.perencanaan.models import Indikator, Skp

GOAL_LOGIN_CPU_MS = 30.0


class _LoginClient(Client):
    """Each POST signs in from a fresh session (a signed-in client would just be redirected)."""

    def post(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.cookies.clear()
        return super().post(*args, **kwargs)


def kode(n: int, seed: int = 1) -> str:
    return f"LENGKAP-{seed}-{n}"


def generate(n: int, seed: int = 1) -> dict[str, Any]:
    out = io.StringIO()
    cpu, wall = time.process_time(), time.perf_counter()
    call_command(
        "generate_instansi", pegawai=n, seed=seed, kode=kode(n, seed), lengkap=True, replace=True, stdout=out
    )
    return {
        "kode": kode(n, seed),
        "generate_s": round(time.perf_counter() - wall, 1),
        "generate_cpu_s": round(time.process_time() - cpu, 1),
        "summary": out.getvalue().strip(),
    }


def _login(username: str) -> dict[str, Any]:
    client = _LoginClient(HTTP_USER_AGENT="bench", REMOTE_ADDR="10.9.9.9")
    row = ukur(
        client,
        "/login/",
        method="POST",
        data={"username": username, "password": PASSWORD},
        runs=10,
        expect=(302,),
    )
    row["within_goal"] = row["cpu_ms"] <= GOAL_LOGIN_CPU_MS
    return row


def _signed_in(username: str, **headers: str) -> Client:
    client = Client(HTTP_USER_AGENT="bench", REMOTE_ADDR="10.9.9.8", **headers)
    client.force_login(User.objects.get(username=username))
    return client


def _save(username: str, skp: Skp, pp: PeriodePenilaian, runs: int) -> dict[str, Any]:
    indikator = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__urutan", "urutan").first()
    assert indikator is not None
    start = (
        Realisasi.objects.filter(indikator=indikator, periode_penilaian=pp)
        .values_list("versi", flat=True)
        .first()
        or 0
    )
    field = "nilai_angka" if indikator.target_angka is not None else "nilai_teks"
    prefix = f"i{indikator.pk}"

    def data(run: int) -> dict[str, str]:
        value = str(run % 5 + 1) if field == "nilai_angka" else f"Tersedia, putaran {run}"
        return {
            f"{prefix}-versi": str(start + run - 1),
            f"{prefix}-{field}": value,
            f"{prefix}-narasi": "Bench.",
        }

    url = f"/realisasi/skp/{skp.pk}/indikator/{indikator.pk}/periode/{pp.nomor}/"
    row = ukur(_signed_in(username, HTTP_HX_REQUEST="true"), url, method="POST", data=data, runs=runs)
    versi = Realisasi.objects.get(indikator=indikator, periode_penilaian=pp).versi
    row["saves_ok"] = versi - start == runs + 2  # every save of the run was accepted (no conflict)
    return row


def bench_hot(n: int, runs: int = 20, seed: int = 1, existing: str | None = None) -> dict[str, Any]:
    """Generate the instansi (or take the ``existing`` --lengkap one), then measure inside a transaction
    rolled back at the end (the evaluation opened and the realisasi saved here are not kept: a rerun with
    --replace finds only generated rows)."""
    result: dict[str, Any] = {"generate": {"kode": existing} if existing else generate(n, seed)}
    with transaction.atomic():
        result.update(_measure(result["generate"]["kode"], runs, seed))
        transaction.set_rollback(True)
    return result


def _measure(kode_instansi: str, runs: int, seed: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    instansi = Instansi.objects.get(kode=kode_instansi)
    today = timezone.localdate()
    skp = Skp.objects.filter(instansi=instansi, periode__tahun=today.year)
    pp = PeriodePenilaian.objects.get(periode__instansi=instansi, mulai__lte=today, selesai__gte=today)
    lalu = (
        PeriodePenilaian.objects.filter(periode__instansi=instansi, selesai__lt=today)
        .order_by("-nomor")
        .first()
    )
    rng = random.Random(seed)
    pelaksana = rng.choice(list(skp.filter(jabatan__jenis="pelaksana").order_by("pk")[:200]))
    top = skp.exclude(penilai=None).values("penilai").annotate(n=Count("pk")).order_by("-n", "penilai")[0]
    penilai = skp.get(pegawai_id=top["penilai"])
    kepala = skp.get(penilai=None)
    admin = User.objects.get(admin_instansi=instansi)
    bawahan = skp.filter(penilai_id=penilai.pegawai_id).order_by("pk").first()
    assert bawahan is not None and lalu is not None
    evaluasi = penilaian_services.open_evaluasi(
        bawahan, lalu, User.objects.get(pegawai_id=penilai.pegawai_id)
    )
    result["sample"] = {
        "pelaksana": pelaksana.pegawai_nip,
        "penilai": penilai.pegawai_nip,
        "penilai_bawahan": top["n"],
        "kepala": kepala.pegawai_nip,
        "admin": admin.username,
        "periode_open": pp.nama,
    }

    def own(username: str, s: Skp) -> dict[str, Any]:
        login = _login(username)  # first: a login that upgrades the hash ends the other sessions
        c = _signed_in(username)
        return {
            "login": login,
            "dashboard": ukur(c, "/", runs=runs),
            "skp": ukur(c, f"/skp/{s.pk}/", runs=runs),
            "realisasi": ukur(c, f"/realisasi/skp/{s.pk}/", data={"periode": pp.nomor}, runs=runs),
            "realisasi_save": _save(username, s, pp, runs),
        }

    roles: dict[str, dict[str, Any]] = {}
    roles["pelaksana"] = own(pelaksana.pegawai_nip, pelaksana)
    roles["penilai"] = own(penilai.pegawai_nip, penilai)
    c = _signed_in(penilai.pegawai_nip)
    roles["penilai"]["board"] = ukur(c, "/pemantauan/", runs=runs)
    # The roll-up of the penilai's own RHK, fetched by htmx when the board's section is scrolled to.
    roles["penilai"]["board_rollup"] = ukur(
        _signed_in(penilai.pegawai_nip, HTTP_HX_REQUEST="true"), "/pemantauan/rhk-saya/", runs=runs
    )
    roles["penilai"]["evaluasi"] = ukur(c, f"/penilaian/evaluasi/{evaluasi.pk}/", runs=runs)
    # The evaluation list and the group page of that past periode, and the open periode's list.
    roles["penilai"]["eval_list"] = ukur(c, "/penilaian/", data={"periode": lalu.nomor}, runs=runs)
    roles["penilai"]["eval_group"] = ukur(c, "/penilaian/kelompok/", data={"periode": lalu.nomor}, runs=runs)
    roles["penilai"]["eval_list_open"] = ukur(c, "/penilaian/", data={"periode": pp.nomor}, runs=runs)
    roles["kepala"] = own(kepala.pegawai_nip, kepala)
    c = _signed_in(kepala.pegawai_nip)
    roles["kepala"]["board"] = ukur(c, "/pemantauan/", runs=runs)
    login = _login(admin.username)
    c = _signed_in(admin.username)
    roles["admin"] = {
        "login": login,
        "dashboard": ukur(c, "/", runs=runs),
        "skp": ukur(c, f"/skp/{pelaksana.pk}/", runs=runs),
        "realisasi": ukur(c, f"/realisasi/skp/{pelaksana.pk}/", data={"periode": pp.nomor}, runs=runs),
    }
    result["roles"] = roles
    result["goal"] = {"cpu_ms": GOAL_CPU_MS, "queries": GOAL_QUERIES, "login_cpu_ms": GOAL_LOGIN_CPU_MS}
    result["missed"] = [
        f"{r}/{p}" for r, pages in roles.items() for p, row in pages.items() if not row["within_goal"]
    ]
    return result


def table(result: dict[str, Any]) -> list[str]:
    """The printed table: role, request, CPU ms, queries, goal."""
    g = result["generate"]
    lines = [
        f"generated {g['kode']} in {g['generate_s']} s ({g['generate_cpu_s']} s CPU)"
        if "generate_s" in g
        else f"on {g['kode']}",
        f"{'role':<10}{'request':<16}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}{'KB':>7}  goal",
    ]
    for role, pages in result["roles"].items():
        for page, row in pages.items():
            mark = "met" if row["within_goal"] else "MISSED"
            if page == "realisasi_save" and not row.get("saves_ok", True):
                mark += " (a save was refused)"
            lines.append(
                f"{role:<10}{page:<16}{row['cpu_ms']:>8}{row['wall_ms']:>9}{row['queries']:>9}"
                f"{row['bytes'] / 1024:>7.1f}  {mark}"
            )
    return lines
