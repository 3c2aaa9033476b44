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
from kinerja.demo.bench.ukur import kueri_tata_letak, ukur
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp, SkpPerilaku
from kinerja.rules.alur import Status
from kinerja.rules.jadwal import Skema
from kinerja.rules.perilaku import BERAKHLAK

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


def create_skp_kepala(tim: Tim, n_rhk: int = 3) -> list[Rhk]:
    """An agreed SKP of the year for the head, with ``n_rhk`` RHK (one numeric indikator each) for the
    bawahan's RHK to intervene (``create_staf(..., rhk_induk=...)``): the board then shows the roll-up."""
    periode, kepala = tim.periode, tim.kepala
    now = timezone.now()
    skp = Skp.objects.create(
        instansi=tim.instansi,
        periode=periode,
        pegawai=kepala,
        penempatan=Penempatan.objects.get(pegawai=kepala, jabatan=tim.jabatan),
        jabatan=tim.jabatan,
        unit=tim.unit,
        model="kualitatif",
        mulai=datetime.date(periode.tahun, 1, 1),
        selesai=datetime.date(periode.tahun, 12, 31),
        batas=periode.batas_skp,
        status=Status.DISETUJUI.value,
        diajukan_pada=now,
        disetujui_pada=now,
        pegawai_nama=kepala.nama,
        pegawai_nip=kepala.nip,
        pegawai_jabatan=tim.jabatan.nama,
        pegawai_unit=tim.unit.nama,
    )
    rhk = Rhk.objects.bulk_create(
        Rhk(skp=skp, teks=f"Meningkatnya kinerja unit, sasaran {k + 1}", urutan=k) for k in range(n_rhk)
    )
    Indikator.objects.bulk_create(
        Indikator(rhk=r, teks="Persentase laporan tepat waktu", target_angka=Decimal(100), satuan="%")
        for r in rhk
    )
    return rhk


def create_staf(
    tim: Tim,
    n: int,
    *,
    induk: Jabatan | None = None,
    penilai: Pegawai | None = None,
    unit: UnitKerja | None = None,
    mulai_nomor: int = 0,
    rhk_induk: list[Rhk] | None = None,
    rhk_per_skp: int = 2,
    indikator_per_rhk: int = 2,
    aksi_per_rhk: int = 1,
    perilaku: bool = False,
) -> list[Pegawai]:
    """`n` pegawai under `induk` (default: the head) in `unit`, each with an agreed SKP and a year of
    pelaksanaan up to today, in a fixed number of bulk inserts.

    Each SKP has `rhk_per_skp` RHK × `indikator_per_rhk` indikator (even ones numeric with per-periode
    targets, odd ones qualitative), `aksi_per_rhk` rencana aksi per RHK and started periode (every fifth RHK
    has none), and with ``perilaku`` the seven BerAKHLAK values, each with an ekspektasi khusus."""
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
        for k in range(rhk_per_skp)
    )
    indikator = Indikator.objects.bulk_create(
        Indikator(
            rhk=r,
            teks="Jumlah laporan yang diselesaikan",
            target_angka=Decimal(100),
            satuan="laporan",
            polaritas="maximize",
            konsolidasi="sum",
            urutan=u,
        )
        if u % 2 == 0
        else Indikator(rhk=r, teks="Laporan diterima atasan", target_teks="Diterima tanpa revisi", urutan=u)
        for r in rhk
        for u in range(indikator_per_rhk)
    )
    if perilaku:
        SkpPerilaku.objects.bulk_create(
            SkpPerilaku(skp=s, kode=n.kode, ekspektasi_khusus=f"Menunjukkan perilaku {n.nama} setiap hari.")
            for s in skp
            for n in BERAKHLAK
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
        RencanaAksi(rhk=r, periode_penilaian=p, teks=f"Menyusun laporan {p.nama}", urutan=u)
        for k, r in enumerate(rhk)
        for p in mulai
        for u in range(aksi_per_rhk)
        if k % 5
    )
    realisasi = []
    for k, ind in enumerate(indikator):
        pegawai_ke = k // (rhk_per_skp * indikator_per_rhk)
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
                skp=s,
                periode_penilaian=mulai[-1],
                rhk=rhk[rhk_per_skp * i],
                teks="Pertahankan.",
                oleh=penilai_user,
            )
            for i, s in enumerate(skp)
            if i % 3
        )
    return pegawai


@dataclass
class SkpHarian:
    """An agreed SKP as it stands on deadline day, its owner and its penilai (both with a login)."""

    skp: Skp
    pemilik: User
    penilai: User


def _login(pegawai: Pegawai) -> User:
    return User.objects.filter(pegawai=pegawai).first() or User.objects.create(
        username=f"bench-{pegawai.nip}", pegawai=pegawai
    )


def create_skp_harian(tim: Tim, rhk: int = 3, indikator: int = 2, *, nomor: int = 0) -> SkpHarian:
    """A penilai under the head of `tim` and one pegawai rated by them, both with an agreed SKP of the year;
    the pegawai's SKP has `rhk` RHK × `indikator` indikator intervening the penilai's RHK, the BerAKHLAK
    values with ekspektasi, rencana aksi (one per indikator) and realisasi with link evidence for the
    periods started so far, each RHK with a feedback thread (a note and a reply) in the running periode,
    and the history records the pages read ("diubah oleh"). `nomor` keeps the jabatan codes of several
    calls apart (use a different one, a multiple of 10, per call in one instansi)."""
    penilai = create_staf(tim, 1, mulai_nomor=nomor, rhk_per_skp=rhk, perilaku=True)[0]
    penilai_user = _login(penilai)
    rhk_penilai = list(Rhk.objects.filter(skp__pegawai=penilai).order_by("urutan"))
    pegawai = create_staf(
        tim,
        1,
        induk=Penempatan.objects.get(pegawai=penilai).jabatan,
        penilai=penilai,
        mulai_nomor=nomor + 1,
        rhk_induk=rhk_penilai,
        rhk_per_skp=rhk,
        indikator_per_rhk=indikator,
        aksi_per_rhk=indikator,
        perilaku=True,
    )[0]
    pemilik = _login(pegawai)
    skp = Skp.objects.get(pegawai=pegawai)
    Skp.objects.filter(pk=skp.pk).update(atasan_penilai=tim.kepala)
    Realisasi.objects.filter(indikator__rhk__skp=skp).update(diisi_oleh=pemilik)
    for model, qs in (
        (Realisasi, Realisasi.objects.filter(indikator__rhk__skp=skp)),
        (RencanaAksi, RencanaAksi.objects.filter(rhk__skp=skp)),
    ):
        model.history.bulk_history_create(list(qs), default_user=pemilik)  # type: ignore[attr-defined]
    today = timezone.localdate()
    berjalan = next((p for p in tim.periode.periode_penilaian.all() if p.mulai <= today <= p.selesai), None)
    if berjalan is not None:
        catatan = UmpanBalik.objects.bulk_create(
            UmpanBalik(skp=skp, periode_penilaian=berjalan, rhk=r, teks="Percepat.", oleh=penilai_user)
            for r in skp.rhk.all()
        )
        UmpanBalik.objects.bulk_create(
            UmpanBalik(skp=skp, periode_penilaian=berjalan, rhk_id=u.rhk_id, induk=u, teks="Ya", oleh=pemilik)
            for u in catatan
        )
    return SkpHarian(Skp.objects.get(pk=skp.pk), pemilik, penilai_user)


def bench_papan_penilai(n_bawahan: int = 30, runs: int = 10) -> dict[str, Any]:
    """The penilai board (/pemantauan/) of a head with `n_bawahan` bawahan."""
    result: dict[str, Any] = {"bawahan": n_bawahan, "runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi()
            tim = create_kepala(instansi, periode)
            create_staf(tim, n_bawahan, rhk_induk=create_skp_kepala(tim))
            result["build_s"] = round(time.perf_counter() - t, 2)
            client = Client()
            client.force_login(tim.user)
            result["papan_penilai"] = time_page(client, "/pemantauan/", runs)
            result["papan_penilai_ukur"] = ukur(client, "/pemantauan/", runs=runs)
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


HARI_TENGGAT = {"3x2": (3, 2, 0), "15x3": (15, 3, 10)}


def bench_hari_tenggat(runs: int = 20) -> dict[str, Any]:
    """The deadline-day requests (`kinerja.demo.bench.ukur`): the SKP page and the realisasi page as the
    owner and as the penilai, the owner's /realisasi/, and saving a realisasi (the page's htmx POST with
    its optimistic-lock version), for a typical SKP (3 RHK × 2 indikator) and a large one (15 × 3); with
    the layout's queries of each user apart. Built and rolled back in one transaction."""
    result: dict[str, Any] = {"runs": runs}
    try:
        with transaction.atomic():
            instansi, periode = create_instansi("BENCH-TENGGAT")
            tim = create_kepala(instansi, periode)
            today = timezone.localdate()
            berjalan = next(p for p in periode.periode_penilaian.all() if p.mulai <= today <= p.selesai)
            for label, (rhk, ind, nomor) in HARI_TENGGAT.items():
                h = create_skp_harian(tim, rhk, ind, nomor=nomor)
                pk = h.skp.pk
                indikator = Indikator.objects.filter(rhk__skp=h.skp, target_angka__isnull=False).order_by(
                    "rhk__urutan", "urutan"
                )[0]

                def isian(n: int, i: Indikator = indikator) -> dict[str, Any]:
                    r = Realisasi.objects.filter(indikator=i, periode_penilaian=berjalan).first()
                    return {
                        f"i{i.pk}-nilai_angka": str(20 + n % 5),
                        f"i{i.pk}-narasi": "Sesuai rencana aksi.",
                        f"i{i.pk}-versi": r.versi if r else 0,
                    }

                pemilik, penilai, htmx = Client(), Client(), Client(HTTP_HX_REQUEST="true")
                pemilik.force_login(h.pemilik)
                htmx.force_login(h.pemilik)
                penilai.force_login(h.penilai)
                simpan = f"/realisasi/skp/{pk}/indikator/{indikator.pk}/periode/{berjalan.nomor}/"
                result[label] = {
                    "tata_letak_pemilik": kueri_tata_letak(h.pemilik),
                    "tata_letak_penilai": kueri_tata_letak(h.penilai),
                    "skp_pemilik": ukur(pemilik, f"/skp/{pk}/", runs=runs),
                    "skp_penilai": ukur(penilai, f"/skp/{pk}/", runs=runs),
                    "realisasi_pemilik": ukur(pemilik, "/realisasi/", runs=runs),
                    "realisasi_skp_penilai": ukur(penilai, f"/realisasi/skp/{pk}/", runs=runs),
                    "simpan": ukur(htmx, simpan, method="POST", data=isian, runs=runs),
                }
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
