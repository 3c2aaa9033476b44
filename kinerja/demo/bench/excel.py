"""Benchmark of the bulk Excel import: `bench_excel_realisasi(rows=1000)`.

Self-contained and rolled back: builds its own instansi with a periode of this year and one pegawai whose
agreed SKP has one RHK with ``rows`` numeric indikator (built with `kinerja.demo.bench.pelaksanaan`),
downloads the workbook of the running periode, fills every realisasi, then times the upload (check +
write through `services.save_realisasi`) and the re-upload of the same file (nothing changes).
"""

from __future__ import annotations

import io
import time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.excel import workbook as excel
from kinerja.pelaksanaan.models import Realisasi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk

KODE = "BENCH-EXCEL"


class _Rollback(Exception):
    pass


class _Berkas(io.BytesIO):
    """An uploaded file as the view hands it over (a name and a size)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name, self.size = name, len(data)


def _upload(data: bytes, user: User) -> tuple[excel.RencanaUnggah, list[Any], float, int]:
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        plan = excel.parse_workbook(_Berkas(data, "bench.xlsx"), user)
        errors = plan.errors or excel.apply(plan, user)
    return plan, errors, time.perf_counter() - t, len(ctx.captured_queries)


def bench_excel_realisasi(rows: int = 1000) -> dict[str, Any]:
    """Time the import of ``rows`` realisasi rows and the idempotent re-upload; all is rolled back."""
    result: dict[str, Any] = {"rows": rows}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi(KODE)
            tim = create_kepala(instansi, periode, kode="X")
            pegawai = create_staf(tim, 1)[0]
            user = User.objects.create_user(username=f"bench-excel-{pegawai.nip}", pegawai=pegawai)
            skp = pegawai.skp.get()
            rhk = Rhk.objects.create(skp=skp, teks="Terselesaikannya berkas layanan", urutan=9)
            indikator = Indikator.objects.bulk_create(
                Indikator(
                    rhk=rhk,
                    teks=f"Jumlah berkas layanan jenis {i + 1} yang diselesaikan",
                    target_angka=Decimal(40),
                    satuan="berkas",
                    urutan=i,
                )
                for i in range(rows)
            )
            daftar = list(periode.periode_penilaian.order_by("nomor"))
            IndikatorTargetPeriode.objects.bulk_create(
                IndikatorTargetPeriode(indikator=ind, nomor=p.nomor, target_angka=Decimal(10))
                for ind in indikator
                for p in daftar
            )
            today = timezone.localdate()
            berjalan = next(p for p in daftar if p.mulai <= today <= p.selesai)
            result["build_s"] = round(time.perf_counter() - t, 2)

            t = time.perf_counter()
            data = excel.build_workbook(skp, berjalan)
            result["download_s"] = round(time.perf_counter() - t, 2)
            wb = load_workbook(io.BytesIO(data))
            ws = wb[excel.SHEET_REALISASI]
            kita = {f"IND-{i.pk}" for i in indikator}
            for row, (kunci, *_) in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if kunci in kita:
                    ws.cell(row=row, column=6, value=7 + row % 5)
                    ws.cell(row=row, column=7, value="Selesai sesuai jadwal")
            buf = io.BytesIO()
            wb.save(buf)
            data = buf.getvalue()

            sebelum = Realisasi.objects.filter(indikator__in=indikator).count()
            plan, errors, seconds, queries = _upload(data, user)
            if errors:
                raise RuntimeError(f"bench upload refused: {errors[:3]}")
            result["import_s"] = round(seconds, 2)
            result["import_queries"] = queries
            result["saved"] = Realisasi.objects.filter(indikator__in=indikator).count() - sebelum
            result["rows_per_s"] = round(rows / seconds) if seconds else None

            plan, errors, seconds, queries = _upload(data, user)
            h = plan.hitungan[excel.SHEET_REALISASI]
            result["reupload_s"] = round(seconds, 2)
            result["reupload_queries"] = queries
            result["reupload_changed"] = h.dibuat + h.diubah
            raise _Rollback
    except _Rollback:
        pass
    return result


if __name__ == "__main__":  # pragma: no cover - `python -m` after django.setup()
    print(bench_excel_realisasi())
