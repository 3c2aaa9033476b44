"""Benchmark of electronic signing (`make bench`, or `scripts/bench.py --ttd-only`; docs/rules.md §29).

Self-contained and rolled back: a unit of ``n`` pegawai with agreed SKP (`kinerja.demo.bench.pelaksanaan`),
signing with instansi certificates under a throw-away CA (the local back-end). Measured:

* one SKP PDF: the pegawai's signature (the first: the document is rendered once more, frozen with its
  signature fields, then signed), the penilai's (incremental over the stored file), and validating both;
* the signing page and the "Menunggu tanda tangan saya" page of the penilai (CPU, queries);
* bulk signing: the penilai signs all ``n`` SKP with one passphrase; the request that starts the job
  and the job itself, run here as the worker would (`kinerja.pekerjaan.services.jalankan`).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
from kinerja.demo.bench.ukur import ukur
from kinerja.dokumen import cetak
from kinerja.dokumen import selectors as dokumen_selectors
from kinerja.dokumen import services as dokumen_services
from kinerja.dokumen.models import PengaturanTtd, TandaTangan
from kinerja.dokumen.ttd import ca_demo, massal, pdf
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.menunggu import menunggu_ttd
from kinerja.dokumen.ttd.pengaturan import services as atur_services
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.organisasi.models import Pegawai, User
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.perencanaan.models import Skp

PASSPHRASE = "bench-ttd-rahasia"
DASAR = "http://127.0.0.1:8000/"


class _Rollback(Exception):
    pass


def _waktu(fungsi: Any) -> tuple[Any, float, float]:
    """(result, wall ms, CPU ms)."""
    c, w = time.process_time(), time.perf_counter()
    hasil = fungsi()
    return hasil, round((time.perf_counter() - w) * 1000, 1), round((time.process_time() - c) * 1000, 1)


def bench_ttd(n: int = 100, runs: int = 5) -> dict[str, Any]:
    result: dict[str, Any] = {"dokumen_massal": n}
    with tempfile.TemporaryDirectory() as akar, override_settings(TTD_AKAR_DIR=Path(akar)):
        try:
            with transaction.atomic():
                _jalankan(result, n, runs, Path(akar))
                raise _Rollback
        except _Rollback:
            pass
    return result


def _jalankan(result: dict[str, Any], n: int, runs: int, akar: Path) -> None:
    instansi, periode = create_instansi("BENCH-TTD")
    tim = create_kepala(instansi, periode)
    staf = create_staf(tim, n, rhk_per_skp=3)
    admin = User.objects.create(username="bench-ttd-admin", admin_instansi=instansi)
    ca = ca_demo.buat_ca("Bench CA")
    (akar / "bench-ca.pem").write_bytes(ca.pem)
    atur_services.simpan_pengaturan(
        admin,
        instansi,
        atur_services.IsianPengaturan(penyedia="sertifikat", lokasi="Contoh"),
    )
    penilai = User.objects.get(pegawai=tim.kepala)
    pegawai = User.objects.create(username=staf[0].nip, pegawai=staf[0])
    for u in (penilai, pegawai):
        atur_services.daftarkan_sertifikat(
            admin, instansi, u.pegawai.nip, ca_demo.buat_p12(ca, u.pegawai.nama, PASSPHRASE), PASSPHRASE
        )
    kredensial = Kredensial(passphrase=PASSPHRASE)

    # Warm the process as a running server is: one SKP PDF rendered (WeasyPrint's first render loads the
    # fonts and stylesheets).
    lain = Skp.objects.get(pegawai=staf[-1], periode=periode)
    isi_lain = dokumen_selectors.fill_skp(lain)
    cetak.pdf_skp(lain, isi_lain, dokumen_services.issue_skp(lain, isi_lain, None), DASAR, "a4")

    # One SKP: the pegawai's signature freezes the document, the penilai's is incremental.
    skp = Skp.objects.get(pegawai=staf[0], periode=periode)
    dok = dokumen_services.issue_skp(skp, dokumen_selectors.fill_skp(skp), None)
    _, wall1, cpu1 = _waktu(lambda: ttd_services.tanda_tangani(dok, pegawai, kredensial, DASAR))
    dok.refresh_from_db()
    _, wall2, cpu2 = _waktu(lambda: ttd_services.tanda_tangani(dok, penilai, kredensial, DASAR))
    dok.refresh_from_db()
    with dok.berkas.open("rb") as f:
        isi = f.read()
    periksa, wall3, cpu3 = _waktu(lambda: pdf.periksa(isi))
    assert periksa.semua_sah and len(periksa.tanda_tangan) == 2
    result["satu_skp"] = {
        "pegawai_pertama": {"wall_ms": wall1, "cpu_ms": cpu1},
        "penilai_kedua": {"wall_ms": wall2, "cpu_ms": cpu2},
        "periksa_dua": {"wall_ms": wall3, "cpu_ms": cpu3},
        "kb": round(len(isi) / 1024, 1),
    }

    client = Client()
    client.force_login(penilai)
    dok2 = dokumen_services.issue_skp(
        Skp.objects.get(pegawai=staf[1], periode=periode),
        dokumen_selectors.fill_skp(Skp.objects.get(pegawai=staf[1], periode=periode)),
        None,
    )
    result["halaman_ttd"] = ukur(client, reverse("dokumen:ttd", args=[dok2.token]), runs=runs)
    result["halaman_menunggu"] = ukur(client, reverse("ttd_menunggu"), runs=runs)
    result["verifikasi"] = ukur(Client(), reverse("dokumen:verifikasi", args=[dok.token]), runs=runs)

    # Bulk: the penilai signs every SKP still waiting for him (n - 1: the first one is signed).
    pilihan = [i.kunci for i in menunggu_ttd(penilai)]
    p, wall_mulai, cpu_mulai = _waktu(lambda: massal.start_ttd_massal(penilai, pilihan, kredensial, DASAR))
    c, w = time.process_time(), time.perf_counter()
    pekerjaan.jalankan(p.pk)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    p = Pekerjaan.objects.get(pk=p.pk)
    assert p.status == "selesai", p.alasan
    ditandatangani = TandaTangan.objects.filter(
        dokumen__instansi=instansi, peran="penilai", penanda_tangan=penilai
    ).count()
    result["massal"] = {
        "dokumen": len(pilihan),
        "ditandatangani": ditandatangani - 1,
        "mulai": {"wall_ms": wall_mulai, "cpu_ms": cpu_mulai},
        "s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "per_dokumen_ms": round(wall * 1000 / max(1, len(pilihan))),
    }
    result["pegawai"] = Pegawai.objects.filter(instansi=instansi).count()
    result["pengaturan"] = PengaturanTtd.objects.get(instansi=instansi).penyedia


def baris(hasil: dict[str, Any]) -> list[tuple[str, str]]:
    """The lines `scripts/bench.py` prints."""
    s, m = hasil["satu_skp"], hasil["massal"]
    return [
        (
            "sign one SKP: pegawai (first, freezes) / penilai",
            f"{s['pegawai_pertama']['wall_ms']} / {s['penilai_kedua']['wall_ms']} ms wall · "
            f"{s['pegawai_pertama']['cpu_ms']} / {s['penilai_kedua']['cpu_ms']} ms CPU ({s['kb']} KB)",
        ),
        ("validate the two signatures", f"{s['periksa_dua']['wall_ms']} ms"),
        *[
            (
                f"{nama} page",
                f"{hasil[kunci]['cpu_ms']} ms CPU · {hasil[kunci]['queries']} queries",
            )
            for nama, kunci in (
                ("signing", "halaman_ttd"),
                ("waiting-for-me", "halaman_menunggu"),
                ("verification (signed)", "verifikasi"),
            )
        ],
        (
            f"bulk signing {m['dokumen']} SKP: start request / job",
            f"{m['mulai']['cpu_ms']} ms CPU / {m['s']} s ({m['per_dokumen_ms']} ms per document, "
            f"{m['ditandatangani']} signed)",
        ),
    ]
