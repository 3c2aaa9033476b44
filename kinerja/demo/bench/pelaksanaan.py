"""Benchmarks of the monitoring boards, run by `make bench` (scripts/bench.py).

Self-contained like `kinerja.demo.bench.perencanaan`: inside a transaction rolled back at the end it
builds its own instansi with a periode of this year, a head with bawahan who all have an agreed SKP (2 RHK × 2
indikator, one numeric and one qualitative), rencana aksi, realisasi of the periods already started (a
realistic mix: some missing, some late), link evidence and feedback, then times the page.

`buat_tim()` is also what the tests use to build 10 or 100 bawahan quickly (bulk inserts; the org tree's
materialised paths are set the way `organisasi.services` would).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test import Client
from django.utils import timezone

from kinerja.demo.bench.perencanaan import time_page
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from kinerja.rules.alur import Status
from kinerja.rules.jadwal import Skema

KODE = "BENCH-PAPAN"


class _Rollback(Exception):
    pass


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@dataclass
class Tim:
    instansi: Instansi
    periode: Periode
    unit: UnitKerja
    kepala: Pegawai
    jabatan: Jabatan
    user: User


def create_instansi(kode: str = KODE, tahun: int | None = None) -> tuple[Instansi, Periode]:
    """A new instansi with a triwulanan periode for the year (default: this year)."""
    tahun = tahun or timezone.localdate().year
    instansi = Instansi.objects.create(kode=kode, nama=f"Dinas Uji Pemantauan {kode}", kota="Contoh")
    return instansi, org_services.create_periode(instansi, tahun, Skema.TRIWULANAN)


def _nip(i: int, sex: int = 1) -> str:
    """An 18-digit NIP unique per i (birth 1995-MM-01, TMT 2020-01, sequence): up to 12 000 values."""
    return f"1995{i // 1000 + 1:02d}01202001{sex}{i % 1000:03d}"


def create_kepala(
    instansi: Instansi,
    periode: Periode,
    unit: UnitKerja | None = None,
    *,
    kode: str = "K",
    atasan: Jabatan | None = None,
) -> Tim:
    """A unit (a new root unit unless given) with its head jabatan (under `atasan`, else the instansi's
    top jabatan) and the head pegawai (with a login)."""
    if unit is None:
        unit = org_services.save_unit_kerja(
            UnitKerja(instansi=instansi), instansi=instansi, kode=f"U{kode}", nama=f"Unit {kode}", parent=None
        )
    jabatan = org_services.save_jabatan(
        Jabatan(instansi=instansi),
        kode=f"KEP-{kode}",
        nama=f"Kepala {unit.nama}",
        jenis="administrator",
        jenjang="",
        unit=unit,
        parent=atasan,
        pimpinan_unit=True,
        unit_kerja_mandiri=False,
    )
    used = set(Pegawai.objects.filter(nip__startswith="1975").values_list("nip", flat=True))
    nip = next(f"197501012000011{i:03d}" for i in range(1000) if f"197501012000011{i:03d}" not in used)
    kepala = org_services.save_pegawai(Pegawai(instansi=instansi), nip=nip, nama=f"Kepala {kode}")
    org_services.save_penempatan(
        Penempatan(pegawai=kepala, jabatan=jabatan), jenis="definitif", mulai=datetime.date(2020, 1, 1)
    )
    return Tim(instansi, periode, unit, kepala, jabatan, User.objects.get(pegawai=kepala))


def create_staf(
    tim: Tim,
    n: int,
    *,
    induk: Jabatan | None = None,
    penilai: Pegawai | None = None,
    unit: UnitKerja | None = None,
    mulai_nomor: int = 0,
    rhk_induk: list[Rhk] | None = None,
) -> list[Pegawai]:
    """`n` pegawai under `induk` (default: the head) in `unit`, each with an agreed SKP and a year of
    pelaksanaan up to today, in a fixed number of bulk inserts."""
    instansi, periode = tim.instansi, tim.periode
    induk = induk or tim.jabatan
    penilai = penilai or tim.kepala
    unit = unit or induk.unit
    penilai_user = User.objects.filter(pegawai=penilai).first() or tim.user
    today = timezone.localdate()
    now = timezone.now()
    rng = range(mulai_nomor, mulai_nomor + n)

    jabatan = Jabatan.objects.bulk_create(
        Jabatan(
            instansi=instansi,
            unit=unit,
            parent=induk,
            kode=f"S{i:05d}",
            nama=f"Analis Kinerja Ahli Pertama {i + 1}",
            jenis="fungsional",
            jenjang="ahli_pertama",
        )
        for i in rng
    )
    for j in jabatan:
        j.path, j.depth = f"{induk.path}{j.pk}/", induk.depth + 1
    Jabatan.objects.bulk_update(jabatan, ["path", "depth"])
    used = set(Pegawai.objects.filter(nip__startswith="1995").values_list("nip", flat=True))
    nips = (x for x in (_nip(k) for k in range(12000)) if x not in used)
    pegawai = Pegawai.objects.bulk_create(
        Pegawai(instansi=instansi, nip=next(nips), nama=f"Pegawai Uji {i + 1:04d}") for i in rng
    )
    penempatan = Penempatan.objects.bulk_create(
        Penempatan(pegawai=p, jabatan=j, jenis="definitif", mulai=datetime.date(2020, 1, 1))
        for p, j in zip(pegawai, jabatan, strict=True)
    )
    skp = Skp.objects.bulk_create(
        Skp(
            instansi=instansi,
            periode=periode,
            pegawai=p,
            penempatan=pn,
            jabatan=pn.jabatan,
            unit=unit,
            penilai=penilai,
            penilai_jabatan=induk,
            model="kualitatif",
            mulai=datetime.date(periode.tahun, 1, 1),
            selesai=datetime.date(periode.tahun, 12, 31),
            batas=periode.batas_skp,
            status=Status.DISETUJUI.value,
            diajukan_pada=now,
            disetujui_pada=now,
            disetujui_oleh=penilai_user,
            pegawai_nama=p.nama,
            pegawai_nip=p.nip,
            pegawai_jabatan=pn.jabatan.nama,
            pegawai_unit=unit.nama,
            penilai_nama=penilai.nama,
            penilai_nip=penilai.nip,
        )
        for p, pn in zip(pegawai, penempatan, strict=True)
    )
    rhk = Rhk.objects.bulk_create(
        Rhk(
            skp=s,
            teks=f"Tersusunnya laporan kinerja {k + 1} {s.pegawai_nama}",
            urutan=k,
            intervensi=rhk_induk[(i + k) % len(rhk_induk)] if rhk_induk else None,
        )
        for i, s in enumerate(skp)
        for k in range(2)
    )
    indikator = Indikator.objects.bulk_create(
        ind
        for r in rhk
        for ind in (
            Indikator(
                rhk=r,
                teks="Jumlah laporan yang diselesaikan",
                target_angka=Decimal(100),
                satuan="laporan",
                polaritas="maximize",
                konsolidasi="sum",
                urutan=0,
            ),
            Indikator(rhk=r, teks="Laporan diterima atasan", target_teks="Diterima tanpa revisi", urutan=1),
        )
    )
    daftar = list(periode.periode_penilaian.order_by("nomor"))
    IndikatorTargetPeriode.objects.bulk_create(
        IndikatorTargetPeriode(indikator=ind, nomor=p.nomor, target_angka=Decimal(25))
        for ind in indikator
        if ind.target_angka is not None
        for p in daftar
    )
    mulai = [p for p in daftar if p.mulai <= today]
    RencanaAksi.objects.bulk_create(
        RencanaAksi(rhk=r, periode_penilaian=p, teks=f"Menyusun laporan {p.nama}")
        for k, r in enumerate(rhk)
        for p in mulai
        if k % 5
    )
    realisasi = []
    for k, ind in enumerate(indikator):
        pegawai_ke = k // 4
        for p in mulai:
            if pegawai_ke % 7 == 3 and p is mulai[-1]:
                continue  # some have not filled the running periode yet
            if pegawai_ke % 13 == 5 and len(mulai) > 1 and p is mulai[-2]:
                continue  # and a few left a past periode empty (late)
            angka = Decimal(18 + (pegawai_ke * 7 + p.nomor) % 12) if ind.target_angka is not None else None
            realisasi.append(
                Realisasi(
                    indikator=ind,
                    periode_penilaian=p,
                    nilai_angka=angka,
                    nilai_teks="" if angka is not None else "Diterima",
                    terlambat=pegawai_ke % 11 == 4 and p is not mulai[-1],
                )
            )
    realisasi = Realisasi.objects.bulk_create(realisasi)
    BuktiDukung.objects.bulk_create(
        BuktiDukung(realisasi=r, jenis="tautan", tautan=f"https://contoh.go.id/bukti/{r.pk}")
        for r in realisasi
        if r.nilai_angka is not None
    )
    if mulai:
        UmpanBalik.objects.bulk_create(
            UmpanBalik(
                skp=s, periode_penilaian=mulai[-1], rhk=rhk[2 * i], teks="Pertahankan.", oleh=penilai_user
            )
            for i, s in enumerate(skp)
            if i % 3
        )
    return pegawai


def bench_papan_penilai(n_bawahan: int = 30, runs: int = 10) -> dict[str, Any]:
    """The penilai board (/pemantauan/) of a head with `n_bawahan` bawahan."""
    result: dict[str, Any] = {"bawahan": n_bawahan, "runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi()
            tim = create_kepala(instansi, periode)
            create_staf(tim, n_bawahan)
            result["build_s"] = round(time.perf_counter() - t, 2)
            client = Client()
            client.force_login(tim.user)
            result["papan_penilai"] = time_page(client, "/pemantauan/", runs)
            raise _Rollback
    except _Rollback:
        pass
    return result


def bench_papan_unit(n_pegawai: int = 500, runs: int = 5, n_sub: int = 10) -> dict[str, Any]:
    """The unit board (/pemantauan/unit/<id>/) seen by the head of a unit with `n_sub` sub-units and
    `n_pegawai` pegawai below the head in all (sub-unit heads included), and the admin's progres page
    and its xlsx over the same instansi."""
    result: dict[str, Any] = {"pegawai": n_pegawai, "sub_unit": n_sub, "runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi()
            tim = create_kepala(instansi, periode)
            sisa, nomor = n_pegawai - n_sub, 0
            for s in range(n_sub):
                sub = org_services.save_unit_kerja(
                    UnitKerja(instansi=instansi),
                    instansi=instansi,
                    kode=f"SUB{s}",
                    nama=f"Bidang {s + 1}",
                    parent=tim.unit,
                )
                kepala_sub = create_kepala(instansi, periode, sub, kode=f"S{s}", atasan=tim.jabatan)
                jumlah = sisa // n_sub + (1 if s < sisa % n_sub else 0)
                create_staf(
                    tim, jumlah, induk=kepala_sub.jabatan, penilai=kepala_sub.kepala, mulai_nomor=nomor
                )
                nomor += jumlah
            result["build_s"] = round(time.perf_counter() - t, 2)
            client = Client()
            client.force_login(tim.user)
            result["papan_unit"] = time_page(client, f"/pemantauan/unit/{tim.unit.pk}/", runs)
            admin = User.objects.create(username="bench-papan-admin", admin_instansi=instansi)
            boss = Client()
            boss.force_login(admin)
            result["progres"] = time_page(boss, "/pemantauan/progres/", runs)
            result["progres_xlsx"] = time_page(boss, "/pemantauan/progres/xlsx/", runs)
            raise _Rollback
    except _Rollback:
        pass
    return result


def bench_progres_instansi(admin: User, runs: int = 5) -> dict[str, Any]:
    """The admin's progres page over the whole generated instansi (`ukur`: CPU, wall, queries) and the rows
    of one opened unit of its second level (htmx)."""
    from kinerja.demo.bench.ukur import ukur

    client = Client()
    client.force_login(admin)
    kedua = UnitKerja.objects.filter(
        instansi=admin.admin_instansi, children__isnull=False, parent__isnull=False
    )
    unit = kedua.order_by("depth", "path").first()
    hasil: dict[str, Any] = {"unit": UnitKerja.objects.filter(instansi=admin.admin_instansi).count()}
    hasil["halaman"] = ukur(client, "/pemantauan/progres/", runs=runs)
    if unit is not None:
        hasil["unit_dibuka"] = ukur(client, f"/pemantauan/progres/unit/{unit.pk}/", runs=runs)
    return hasil
