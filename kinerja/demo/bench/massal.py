"""Benchmarks of the background jobs of this room: a unit's documents as one zip, and the organisation import
of a workbook of thousands of rows (`make bench`).

Both are self-contained and rolled back. Each times the page request that starts the job (it must stay
cheap: the work happens in the worker) and the job's own work, run in this process as the worker would
(`kinerja.pekerjaan.services.jalankan`):

* `bench_zip_unit(50)`: a unit of 50 pegawai with agreed SKP (`kinerja.demo.bench.pelaksanaan`); the zip
  built twice — cold (every PDF rendered) and warm (the same day's PDFs taken from the document cache);
* `bench_impor_organisasi(3000)`: a workbook of ~3 000 rows (units, jabatan, pegawai, penempatan) made by
  `workbook_organisasi`; the upload request, the check job (rows + preview) and the import job.
"""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
from kinerja.demo.bench.ukur import ukur
from kinerja.dokumen.massal import selectors as massal
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import ImporTertunda, Instansi, Pegawai, User
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan


class _Rollback(Exception):
    pass


def _s(seconds: float) -> float:
    return round(seconds, 2)


def _jalankan(p: Pekerjaan) -> tuple[float, float, Pekerjaan]:
    """Run a queued job here as the worker would: (wall s, CPU s, the job after)."""
    c, w = time.process_time(), time.perf_counter()
    pekerjaan.jalankan(p.pk)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return wall, cpu, Pekerjaan.objects.get(pk=p.pk)


def bench_zip_unit(n_pegawai: int = 50, runs: int = 5) -> dict[str, Any]:
    result: dict[str, Any] = {"pegawai": n_pegawai}
    try:
        with transaction.atomic():
            instansi, periode = create_instansi("BENCH-ZIP")
            tim = create_kepala(instansi, periode)
            create_staf(tim, n_pegawai - 1)
            admin = User.objects.create(username="bench-zip-admin", admin_instansi=instansi)
            client = Client()
            client.force_login(admin)
            url = reverse("dokumen:arsip_unit", args=[tim.unit.pk])
            data = {"jenis": "skp", "periode": periode.pk, "bagian": "akhir", "sub_unit": "on"}
            result["halaman"] = ukur(client, url, runs=runs)
            result["mulai"] = ukur(client, url, method="POST", data=data, runs=runs, expect=(302,))
            p = Pekerjaan.objects.get(jenis=massal.JENIS_PEKERJAAN, pemilik=admin)
            for tahap in ("dingin", "hangat"):  # cold: every PDF rendered; warm: the document cache
                Pekerjaan.objects.filter(pk=p.pk).update(status="antre", berkas="")
                wall, cpu, p = _jalankan(p)
                assert p.status == "selesai", p.alasan
                with p.berkas.open("rb") as handle:
                    isi = handle.read()
                pdfs = [n for n in zipfile.ZipFile(io.BytesIO(isi)).namelist() if n.endswith(".pdf")]
                result[tahap] = {
                    "s": _s(wall),
                    "cpu_s": _s(cpu),
                    "pdf": len(pdfs),
                    "mb": round(len(isi) / 2**20, 2),
                }
            raise _Rollback
    except _Rollback:
        pass
    return result


def _nip(i: int) -> str:
    """18 digits, unique per i < 5 000: born 1970-01-01 + i days, TMT 2000-12, woman, sequence 987."""
    lahir = datetime.date(1970, 1, 1) + datetime.timedelta(days=i)
    return f"{lahir:%Y%m%d}200012" + "2987"


def workbook_organisasi(n_pegawai: int, n_bidang: int = 9, hindari: set[str] | None = None) -> bytes:
    """The import template filled with a dinas, ``n_bidang`` bidang (each with a head and one pelaksana
    jabatan) and ``n_pegawai`` pegawai placed definitif (the heads first): 2 × n_pegawai + 2 × (n_bidang +
    1) rows or so."""
    wb = load_workbook(io.BytesIO(impor.build_template()))
    wb["Unit Kerja"].append(["DINAS", "Dinas Uji Impor", None])
    wb["Jabatan"].append(["KADIS", "Kepala Dinas", "JPT Pratama", None, "DINAS", None, "Ya", "Ya"])
    for b in range(1, n_bidang + 1):
        wb["Unit Kerja"].append([f"BID-{b}", f"Bidang {b}", "DINAS"])
        wb["Jabatan"].append(
            [f"KABID-{b}", f"Kepala Bidang {b}", "Administrator", None, f"BID-{b}", "KADIS", "Ya", "Tidak"]
        )
        wb["Jabatan"].append(
            [
                f"STAF-{b}",
                f"Pengolah Data Bidang {b}",
                "Pelaksana",
                None,
                f"BID-{b}",
                f"KABID-{b}",
                None,
                None,
            ]
        )
    nips = (n for n in (_nip(k) for k in range(5000)) if n not in (hindari or set()))
    for i in range(n_pegawai):
        nip = next(nips)
        if i == 0:
            kode = "KADIS"
        elif i <= n_bidang:
            kode = f"KABID-{i}"
        else:
            kode = f"STAF-{i % n_bidang + 1}"
        wb["Pegawai"].append([nip, f"Pegawai Impor {i + 1:05d}", None, None, "PNS", "III/a", None, "Ya"])
        wb["Penempatan"].append([nip, kode, "Definitif", "01-01-2020", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bench_impor_organisasi(rows: int = 3000, runs: int = 3) -> dict[str, Any]:
    n_pegawai = max(10, (rows - 20) // 2)
    dipakai = set(Pegawai.objects.filter(nip__endswith="2000122987").values_list("nip", flat=True))
    isi = workbook_organisasi(n_pegawai, 9, dipakai)
    n_bidang = 9
    baris = (n_bidang + 1) + (2 * n_bidang + 1) + 2 * n_pegawai
    result: dict[str, Any] = {"pegawai": n_pegawai, "baris": baris, "kb": round(len(isi) / 1024)}
    try:
        with transaction.atomic():
            instansi = Instansi.objects.create(kode="BENCH-IMPOR", nama="Dinas Uji Impor")
            admin = User.objects.create(username="bench-impor-admin", admin_instansi=instansi)
            client = Client()
            client.force_login(admin)
            url = reverse("organisasi:impor")
            result["unggah"] = ukur(
                client,
                url,
                method="POST",
                data=lambda _: {
                    "berkas": SimpleUploadedFile("impor.xlsx", isi, content_type=XLSX_CONTENT_TYPE)
                },
                runs=runs,
                expect=(302,),
            )
            tertunda = ImporTertunda.objects.filter(user=admin).latest("pk")
            p = Pekerjaan.objects.get(kunci=impor.kunci_impor(tertunda))
            wall, cpu, p = _jalankan(p)
            assert p.status == "selesai", p.alasan
            result["periksa"] = {"s": _s(wall), "cpu_s": _s(cpu)}
            p = impor.start_terapkan(admin, instansi, tertunda)
            wall, cpu, p = _jalankan(p)
            assert p.status == "selesai", p.alasan
            result["terapkan"] = {"s": _s(wall), "cpu_s": _s(cpu)}
            result["pegawai_tersimpan"] = Pegawai.objects.filter(instansi=instansi).count()
            raise _Rollback
    except _Rollback:
        pass
    return result


def baris_tabel(hasil: dict[str, Any]) -> list[tuple[str, str]]:
    """The lines `scripts/bench.py` prints for `bench_zip_unit` and `bench_impor_organisasi`."""
    z, i = hasil["zip_unit"], hasil["impor_organisasi"]
    return [
        (
            f"zip page / its start request, unit of {z['pegawai']}",
            f"{z['halaman']['cpu_ms']} / {z['mulai']['cpu_ms']} ms CPU · "
            f"{z['halaman']['queries']} / {z['mulai']['queries']} queries",
        ),
        (
            f"zip job cold / warm ({z['dingin']['pdf']} PDF, {z['dingin']['mb']} MB)",
            f"{z['dingin']['s']} s / {z['hangat']['s']} s",
        ),
        (
            f"import upload request ({i['baris']} rows, {i['kb']} KB)",
            f"{i['unggah']['cpu_ms']} ms CPU · {i['unggah']['wall_ms']} ms · "
            f"{i['unggah']['queries']} queries",
        ),
        ("import jobs: check + preview / import", f"{i['periksa']['s']} s / {i['terapkan']['s']} s"),
    ]
