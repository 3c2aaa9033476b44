"""Benchmark of the SKP PDF (goal ≤ 0.3 s for an SKP with 15 RHK × 3 indikator).

`bench_skp_pdf()` is self-contained: inside one transaction that is rolled back at the end it builds a small
instansi (one JPT head, kuantitatif SKP with 15 RHK × 3 indikator, lampiran, approved through the real
services) on whatever database Django is configured with, then times

* the first render of the process (WeasyPrint loads fonts and parses the stylesheet once: "cold"),
* warm renders HTML → PDF only (median of `runs`),
* the whole view `/skp/<id>/pdf/` through Django's test client (median server time and its queries).
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.common import pdf
from kinerja.dokumen import selectors, services
from kinerja.dokumen.konteks import konteks_skp
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, UnitKerja, User
from kinerja.perencanaan import services as rencana
from kinerja.rules import Aspek, Perspektif
from kinerja.rules.jadwal import Skema

JUMLAH_RHK, INDIKATOR_PER_RHK = 15, 3
KODE = "BENCH-PDF"


class _Rollback(Exception):
    pass


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def create_skp_besar(tahun: int) -> tuple[Any, User]:
    instansi = Instansi.objects.create(
        kode=KODE, nama="Dinas Uji Kinerja Dokumen Kabupaten Contoh", kota="Contoh"
    )
    unit = org_services.save_unit_kerja(UnitKerja(instansi=instansi), kode="U", nama="Dinas Uji", parent=None)
    jabatan = org_services.save_jabatan(
        Jabatan(instansi=instansi),
        kode="KADIS",
        nama="Kepala Dinas",
        jenis="jpt_pratama",
        jenjang="",
        unit=unit,
        parent=None,
        pimpinan_unit=True,
        unit_kerja_mandiri=True,
    )
    nip = next(
        n
        for n in (f"19800101200501{1}{seq:03d}" for seq in range(999, 0, -1))
        if not Pegawai.objects.filter(nip=n).exists()
    )
    pegawai = org_services.save_pegawai(
        Pegawai(instansi=instansi),
        nip=nip,
        nama="Pegawai Uji Dokumen",
        gelar_depan="Dr.",
        gelar_belakang="M.Si.",
        pangkat_golongan="IV/c",
    )
    org_services.save_penempatan(
        Penempatan(pegawai=pegawai, jabatan=jabatan), jenis="definitif", mulai=datetime.date(2020, 1, 1)
    )
    admin = User.objects.create(username=f"bench-admin-{nip}", admin_instansi=instansi)
    pemilik = User.objects.get(pegawai=pegawai)
    periode = org_services.create_periode(instansi, tahun, Skema.TRIWULANAN)
    skp = rencana.create_skp(pegawai, periode, pemilik, datetime.date(tahun, 1, 5))
    perspektif = list(Perspektif)
    for i in range(JUMLAH_RHK):
        rhk, _ = rencana.save_rhk(
            skp,
            pemilik,
            teks=f"Meningkatnya kualitas layanan publik bidang {i + 1} yang terukur dan akuntabel",
            perspektif=perspektif[i % len(perspektif)].value,
        )
        for j, aspek in enumerate((Aspek.KUANTITAS, Aspek.KUALITAS, Aspek.WAKTU)):
            target = Decimal(40 + 10 * j)
            rencana.save_indikator(
                rhk,
                pemilik,
                teks=f"Persentase capaian indikator {i + 1}.{j + 1} terhadap rencana kerja tahunan",
                aspek=aspek.value,
                target_angka=target,
                satuan="%",
                konsolidasi="last",
                target_periode={n: target for n in range(1, 5)},
            )
    for jenis, kategori, teks in (
        ("dukungan", "anggaran", "Anggaran program sesuai DPA tahun berjalan"),
        ("dukungan", "sdm", "Dukungan tenaga teknis dari bidang terkait"),
        ("pertanggungjawaban", "", "Laporan capaian disampaikan setiap triwulan"),
        ("konsekuensi", "", "Capaian di bawah target dibahas dalam dialog kinerja"),
    ):
        rencana.save_lampiran(skp, pemilik, jenis=jenis, kategori=kategori, teks=teks)
    rencana.submit_skp(skp, pemilik)
    rencana.approve_skp(skp, admin)
    return skp, admin


def bench_skp_pdf(runs: int = 10, tahun: int | None = None) -> dict[str, Any]:
    """Times of the SKP PDF for a 15 RHK × 3 indikator SKP; the database is left as it was."""
    tahun = tahun or datetime.date.today().year
    result: dict[str, Any] = {"rhk": JUMLAH_RHK, "indikator_per_rhk": INDIKATOR_PER_RHK, "runs": runs}
    try:
        with transaction.atomic():
            skp, admin = create_skp_besar(tahun)
            skp = selectors.skp_untuk_dokumen(skp.pk)
            isi = selectors.fill_skp(skp)
            dok = services.issue_skp(skp, isi, admin)
            url_verifikasi = f"https://kinerja.example.go.id/verifikasi/{dok.token}/"

            def html() -> str:
                return render_to_string(
                    "dokumen/skp.html", konteks_skp(isi, dok, url_verifikasi, skp.instansi, skp.jabatan)
                )

            t = time.perf_counter()
            _, result["pages"] = pdf.render_pdf_dan_halaman(html())
            result["first_render_ms"] = _ms(time.perf_counter() - t)
            times, cpu_times, template_times = [], [], []
            for _ in range(runs):
                t, cpu = time.perf_counter(), time.thread_time()
                source = html()
                template_times.append(time.perf_counter() - t)
                pdf.render_pdf(source)
                times.append(time.perf_counter() - t)
                cpu_times.append(time.thread_time() - cpu)
            result["warm_render_median_ms"] = _ms(statistics.median(times))
            result["warm_render_min_ms"] = _ms(min(times))
            result["warm_render_cpu_median_ms"] = _ms(statistics.median(cpu_times))
            result["template_median_ms"] = _ms(statistics.median(template_times))

            client = Client()
            client.force_login(admin)
            url = reverse("dokumen:skp_pdf", args=[skp.pk])
            assert client.get(url).status_code == 200
            view_times, view_cpu = [], []
            for _ in range(runs):
                t, cpu = time.perf_counter(), time.thread_time()
                response = client.get(url)
                view_times.append(time.perf_counter() - t)
                view_cpu.append(time.thread_time() - cpu)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            result["view_median_ms"] = _ms(statistics.median(view_times))
            result["view_min_ms"] = _ms(min(view_times))
            result["view_cpu_median_ms"] = _ms(statistics.median(view_cpu))
            result["view_queries"] = len(ctx.captured_queries)
            result["pdf_bytes"] = len(response.content)
            result["goal_ms"] = 300
            result["goal_met"] = result["view_median_ms"] <= 300
            raise _Rollback
    except _Rollback:
        pass
    return result
