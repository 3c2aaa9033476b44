"""Benchmark of the rekap (docs/rules.md §20.3), run by `make bench` (scripts/bench.py).

`bench_rekap(instansi)`: on the generated instansi (20 000 pegawai in `make bench`), inside a transaction
rolled back at the end, `kinerja.demo.bench.penilaian.create_evaluasi` gives every pegawai an approved SKP
and a TW I evaluation; then the evaluations get a deterministic mix of results written in bulk (about 90 %
final, 7 % rated not final, 3 % opened not rated; predikat Sangat Baik 10 / Baik 70 / Butuh Perbaikan 12 /
Kurang 6 / Sangat Kurang 2) and 1 % of the final ones a keberatan in a mix of outcomes. The rekap only
reads status, predikat and unit, so the ratings behind them are not recomputed (the evaluation bench does
that). The admin's rekap page of the whole instansi (as shown: the top unit and the units right below; and
the rows a click on the top unit and on a unit below it insert, the way every unit is reached) are measured
with `kinerja.demo.bench.ukur` (median CPU and wall time, queries), and its xlsx (every unit) is timed
(median server time over ``runs`` requests through the test client, and the queries of one request).
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.demo.bench.pekerjaan import ukur_pekerjaan
from kinerja.demo.bench.penilaian import BATCH, create_evaluasi
from kinerja.demo.bench.ukur import ukur
from kinerja.organisasi.models import Instansi, UnitKerja
from kinerja.penilaian.models import Evaluasi
from kinerja.rules.evaluasi import Status
from kinerja.rules.keberatan import Status as StatusKeberatan
from kinerja.rules.types import Predikat, Rating
from kinerja.tindak_lanjut.models import Keberatan

RATING = {
    Predikat.SANGAT_BAIK: (Rating.DIATAS, Rating.DIATAS),
    Predikat.BAIK: (Rating.SESUAI, Rating.SESUAI),
    Predikat.BUTUH_PERBAIKAN: (Rating.DIBAWAH, Rating.SESUAI),
    Predikat.KURANG: (Rating.SESUAI, Rating.DIBAWAH),
    Predikat.SANGAT_KURANG: (Rating.DIBAWAH, Rating.DIBAWAH),
}
BOBOT = (10, 70, 12, 6, 2)
KEBERATAN = (
    StatusKeberatan.DIAJUKAN,
    StatusKeberatan.DIJELASKAN,
    StatusKeberatan.DITOLAK,
    StatusKeberatan.DIKABULKAN,
    StatusKeberatan.DITARIK,
)


class _Rollback(Exception):
    pass


def _hasil(instansi: Instansi, pp: Any, admin: Any, seed: int) -> dict[str, int]:
    """Statuses, ratings and predikat of every TW I evaluation in bulk (grouped updates), keberatan on
    1 % of the final ones."""
    rng = random.Random(seed)
    now = timezone.now()
    ids = list(Evaluasi.objects.filter(periode_penilaian=pp).order_by("pk").values_list("pk", flat=True))
    kelompok: dict[tuple[str, Predikat | None], list[int]] = defaultdict(list)
    for pk in ids:
        x = rng.random()
        status = Status.FINAL.value if x < 0.90 else Status.DINILAI.value if x < 0.97 else Status.DRAFT.value
        predikat = None if status == Status.DRAFT.value else rng.choices(list(Predikat), BOBOT)[0]
        kelompok[(status, predikat)].append(pk)
    for (status, predikat), pks in kelompok.items():
        hasil, perilaku = (RATING[predikat][0].value, RATING[predikat][1].value) if predikat else ("", "")
        for i in range(0, len(pks), BATCH):
            Evaluasi.objects.filter(pk__in=pks[i : i + BATCH]).update(
                status=status,
                rating_hasil=hasil,
                rating_perilaku=perilaku,
                predikat=predikat.value if predikat else "",
                final_pada=now if status == Status.FINAL.value else None,
                final_oleh=admin if status == Status.FINAL.value else None,
            )
    final = [pk for (status, _), pks in kelompok.items() if status == Status.FINAL.value for pk in pks]
    dipilih = sorted(rng.sample(final, len(final) // 100))
    hari = timezone.localdate()
    rows = []
    for i, ev in enumerate(
        Evaluasi.objects.filter(pk__in=dipilih).values_list(
            "pk", "pegawai_id", "rating_hasil", "rating_perilaku", "predikat"
        )
    ):
        pk, pegawai_id, hasil, perilaku, predikat = ev
        rows.append(
            Keberatan(
                instansi=instansi,
                evaluasi_id=pk,
                pegawai_id=pegawai_id,
                status=KEBERATAN[i % len(KEBERATAN)].value,
                alasan="Uji beban rekap",
                rating_hasil_awal=hasil,
                rating_perilaku_awal=perilaku,
                predikat_awal=predikat,
                diajukan_pada=now,
                diajukan_oleh=admin,
                batas_penjelasan=hari + datetime.timedelta(days=5),
                batas_keputusan=hari + datetime.timedelta(days=14),
            )
        )
    Keberatan.objects.bulk_create(rows, batch_size=BATCH)
    return {"evaluasi": len(ids), "final": len(final), "keberatan": len(rows)}


def bench_rekap(
    instansi: Instansi, today: datetime.date | None = None, runs: int = 3, seed: int = 1
) -> dict[str, Any]:
    """Rekap page and xlsx of the whole instansi for TW I (see the module docstring); rolled back."""
    result: dict[str, Any] = {"runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            dibuat = create_evaluasi(instansi, today, seed)
            pp, admin = dibuat["periode_penilaian"], dibuat["admin"]
            result.update(_hasil(instansi, pp, admin, seed))
            result["build_s"] = round(time.perf_counter() - t, 2)
            result["skp"] = dibuat["skp"]
            result["unit"] = UnitKerja.objects.filter(instansi=instansi).count()
            client = Client()
            client.force_login(admin)
            kueri = f"?tahun={pp.periode.tahun}&periode={pp.nomor}"
            top = UnitKerja.objects.filter(instansi=instansi, parent=None).order_by("pk").first()
            bidang = UnitKerja.objects.filter(parent=top).order_by("pk").first()
            baris = reverse("tindak_lanjut:rekap_baris") + kueri
            for kunci, url in (
                ("halaman", reverse("tindak_lanjut:rekap") + kueri),
                ("halaman_buka_unit", f"{baris}&unit={top.pk if top else 0}&k=0"),
                ("halaman_buka_bidang", f"{baris}&unit={bidang.pk if bidang else 0}&k=1"),
            ):
                r = ukur(client, url, runs=runs)
                result[kunci] = {**r, "median_ms": r["wall_ms"]}
            result["xlsx"] = ukur_pekerjaan(
                client,
                reverse("tindak_lanjut:rekap_unduh"),
                {"tahun": str(pp.periode.tahun), "periode": str(pp.nomor), "unit": ""},
                runs,
            )
            raise _Rollback
    except _Rollback:
        pass
    return result
