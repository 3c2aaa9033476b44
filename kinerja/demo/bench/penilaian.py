"""Benchmarks of the evaluation stage, run by `make bench` (scripts/bench.py).

* `bench_evaluasi_instansi(instansi)`: on the generated instansi (20 000 pegawai in `make bench`), inside a
  transaction rolled back at the end, every pegawai gets an approved SKP (penilai from
  `rules.penilai.resolve_all`, 2 RHK utama + 1 tambahan) and a rated TW I evaluation (every RHK and value
  rated, a deterministic mix; 1 % overridden with a reason), every unit a capaian organisasi. Then the whole
  instansi is evaluated with `services_massal.evaluasi_massal` (suggestions + ratings + predikat + the pola
  distribusi check of every group; goal ≤ 5 s). A sample is re-evaluated through the per-evaluation
  service (`services.open_evaluasi` recomputes and saves the suggestions) to cross-check the results and
  to estimate what evaluating everyone that way would take.
* `bench_halaman_kelompok(n)`: the group page `penilaian:kelompok` of a penilai with ``n`` rated bawahan
  (median server time and queries); while that page does not exist, `selectors.kelompok` is timed instead
  and the result says so (``"diukur": "selectors.kelompok"``).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.evaluasi.massal import evaluasi_massal
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi, JenisEvaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.rules import JenisPenempatan, JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status
from kinerja.rules.penilai import Holder, resolve_all
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Rating

GOAL_S = 5.0
BATCH = 2000
ALASAN_UBAH = "Menyelesaikan penugasan tambahan di luar SKP (uji beban)."


class _Rollback(Exception):
    pass


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _rating(rng: random.Random, bobot: tuple[int, int, int]) -> str:
    return rng.choices((Rating.DIATAS.value, Rating.SESUAI.value, Rating.DIBAWAH.value), bobot)[0]


def create_evaluasi(instansi: Instansi, today: datetime.date | None = None, seed: int = 1) -> dict[str, Any]:
    """Approved SKP, RHK, a rated TW I evaluation per pegawai and a capaian organisasi per unit, in bulk
    (no history rows, like `generate_instansi`). Returns the periode penilaian and the counts."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    periode = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    if periode is None:
        raise ValueError(f"Instansi {instansi.kode} belum memiliki periode.")
    pp = periode.periode_penilaian.order_by("nomor").first()
    admin = User.objects.filter(admin_instansi=instansi).order_by("pk").first()
    if pp is None or admin is None:
        raise ValueError(f"Instansi {instansi.kode} belum memiliki periode penilaian atau admin.")
    acuan = min(max(today, pp.mulai), pp.selesai)

    jabatan = {
        jid: (parent, unit, head, nama)
        for jid, parent, unit, head, nama in Jabatan.objects.filter(instansi=instansi).values_list(
            "id", "parent_id", "unit_id", "pimpinan_unit", "nama"
        )
    }
    unit_nama = dict(UnitKerja.objects.filter(instansi=instansi).values_list("id", "nama"))
    pegawai = {
        pid: (nama, nip, pangkat)
        for pid, nama, nip, pangkat in Pegawai.objects.filter(instansi=instansi).values_list(
            "id", "nama", "nip", "pangkat_golongan"
        )
    }
    holders: dict[int, list[Holder]] = defaultdict(list)
    definitif: dict[int, tuple[int, int]] = {}  # pegawai -> (penempatan, jabatan)
    memimpin: dict[int, int] = {}  # pegawai -> unit they head (definitif first, then Plt.)
    for pk, jid, pid, jenis in (
        Penempatan.objects.aktif_pada(acuan)
        .filter(jabatan__instansi=instansi, pegawai__aktif=True)
        .order_by("jenis", "mulai", "pk")
        .values_list("pk", "jabatan_id", "pegawai_id", "jenis")
    ):
        holders[jid].append(Holder(pid, JenisPenempatan(jenis)))
        if jenis == JenisPenempatan.DEFINITIF.value:
            definitif.setdefault(pid, (pk, jid))
            if jabatan[jid][2]:
                memimpin[pid] = jabatan[jid][1]
        elif jenis == JenisPenempatan.PLT.value and jabatan[jid][2]:
            memimpin.setdefault(pid, jabatan[jid][1])
    chains = resolve_all({j: v[0] for j, v in jabatan.items()}, holders)
    now = timezone.now()

    skp_rows = []
    for pid, (pen_pk, jid) in sorted(definitif.items()):
        rantai = chains[(jid, pid)]
        p, a = rantai.penilai, rantai.atasan_penilai
        nama, nip, pangkat = pegawai[pid]
        unit = jabatan[jid][1]
        skp_rows.append(
            Skp(
                instansi=instansi,
                periode=periode,
                pegawai_id=pid,
                penempatan_id=pen_pk,
                jabatan_id=jid,
                unit_id=unit,
                penilai_id=p.pegawai_id if p else None,
                penilai_jabatan_id=p.jabatan_id if p else None,
                atasan_penilai_id=a.pegawai_id if a else None,
                model="kualitatif",
                mulai=datetime.date(periode.tahun, 1, 1),
                selesai=datetime.date(periode.tahun, 12, 31),
                batas=periode.batas_skp,
                status=StatusSkp.DISETUJUI.value,
                diajukan_pada=now,
                disetujui_pada=now,
                pegawai_nama=nama,
                pegawai_nip=nip,
                pegawai_pangkat=pangkat,
                pegawai_jabatan=jabatan[jid][3],
                pegawai_unit=unit_nama[unit],
                penilai_nama=pegawai[p.pegawai_id][0] if p else "",
                penilai_nip=pegawai[p.pegawai_id][1] if p else "",
                penilai_jabatan_nama=jabatan[p.jabatan_id][3] if p else "",
                penilai_unit=unit_nama[jabatan[p.jabatan_id][1]] if p else "",
            )
        )
    skp_list = Skp.objects.bulk_create(skp_rows, batch_size=BATCH)
    rhk_list = Rhk.objects.bulk_create(
        (
            Rhk(skp=s, jenis=jenis, teks=f"Hasil kerja {k + 1} {s.pegawai_nama}", urutan=k)
            for s in skp_list
            for k, jenis in enumerate((JenisRhk.UTAMA.value, JenisRhk.UTAMA.value, JenisRhk.TAMBAHAN.value))
        ),
        batch_size=BATCH,
    )
    rhk_skp: dict[int, list[Rhk]] = defaultdict(list)
    for r in rhk_list:
        rhk_skp[r.skp_id].append(r)

    evs = []
    for s in skp_list:
        evs.append(
            Evaluasi(
                instansi=instansi,
                jenis=JenisEvaluasi.PERIODIK,
                skp=s,
                pegawai_id=s.pegawai_id,
                periode=periode,
                periode_penilaian=pp,
                status=Status.DINILAI.value,
                penilai_id=s.penilai_id,
                penilai_jabatan_id=s.penilai_jabatan_id,
                atasan_penilai_id=s.atasan_penilai_id,
                unit_id=s.unit_id,
                unit_kelompok_id=jabatan[s.penilai_jabatan_id][1] if s.penilai_jabatan_id else s.unit_id,
                unit_dipimpin_id=memimpin.get(s.pegawai_id),
                pegawai_nama=s.pegawai_nama,
                pegawai_nip=s.pegawai_nip,
                pegawai_jabatan=s.pegawai_jabatan,
                pegawai_unit=s.pegawai_unit,
                penilai_nama=s.penilai_nama,
                penilai_nip=s.penilai_nip,
                # Decided as suggested (the suggestion is what the benchmark computes); 1 % overridden.
                rating_hasil=Rating.SESUAI.value,
                rating_perilaku=Rating.SESUAI.value,
                dinilai_pada=now,
            )
        )
    for i, e in enumerate(evs):
        if i % 100 == 37 and not e.unit_dipimpin_id:
            e.rating_hasil, e.alasan_ubah_hasil = Rating.DIATAS.value, ALASAN_UBAH
    evs = Evaluasi.objects.bulk_create(evs, batch_size=BATCH)
    rating_rhk = []
    for e in evs:
        urut = sorted(rhk_skp[e.skp_id], key=lambda r: (r.jenis, r.urutan, r.pk))  # as services._rhk_skp
        for k, r in enumerate(urut, start=1):
            rating_rhk.append(
                RatingRhk(
                    evaluasi=e,
                    rhk=r,
                    rhk_jenis=r.jenis,
                    rhk_teks=r.teks,
                    urutan=k,
                    rating=_rating(rng, (2, 7, 1)),
                )
            )
    RatingRhk.objects.bulk_create(rating_rhk, batch_size=BATCH)
    RatingPerilaku.objects.bulk_create(
        (
            RatingPerilaku(evaluasi=e, kode=n.kode, rating=_rating(rng, (3, 6, 1)))
            for e in evs
            for n in BERAKHLAK
        ),
        batch_size=BATCH,
    )
    pilihan = list(CapaianOrganisasi)
    CapaianOrganisasiUnit.objects.bulk_create(
        (
            CapaianOrganisasiUnit(
                instansi=instansi,
                unit_id=uid,
                periode=periode,
                periode_penilaian=pp,
                nilai=rng.choices(pilihan, (10, 70, 15, 4, 1))[0].value,
                ditetapkan_oleh=admin,
                ditetapkan_pada=now,
            )
            for uid in unit_nama
        ),
        batch_size=BATCH,
    )
    return {
        "periode_penilaian": pp,
        "admin": admin,
        "skp": len(skp_list),
        "rhk": len(rhk_list),
        "evaluasi": len(evs),
        "rating_rhk": len(rating_rhk),
        "rating_perilaku": len(evs) * len(BERAKHLAK),
        "unit": len(unit_nama),
        "pimpinan_unit": sum(1 for e in evs if e.unit_dipimpin_id),
    }


def _cocokkan(massal: Any, pp: Any, admin: User, n: int, seed: int) -> dict[str, Any]:
    """Re-evaluate ``n`` evaluations through `services.open_evaluasi` (recomputes and saves the
    suggestions, ratings and predikat) and compare with the bulk result."""
    ids = sorted(massal.evaluasi)
    sampel = random.Random(seed).sample(ids, min(n, len(ids)))
    evs = Evaluasi.objects.filter(pk__in=sampel).select_related("skp__periode", "skp__pegawai")
    berbeda, waktu = [], []
    for ev in evs:
        t = time.perf_counter()
        baru = services.open_evaluasi(ev.skp, pp, admin)
        waktu.append(time.perf_counter() - t)
        h = massal.evaluasi[ev.pk]
        if (
            baru.saran_hasil,
            baru.saran_perilaku,
            baru.rating_hasil,
            baru.rating_perilaku,
            baru.predikat,
        ) != (
            h.saran_hasil,
            h.saran_perilaku,
            h.rating_hasil,
            h.rating_perilaku,
            h.predikat,
        ):
            berbeda.append(ev.pk)
    per = statistics.mean(waktu) if waktu else 0.0
    return {
        "sampel": len(waktu),
        "berbeda": len(berbeda),
        "per_evaluasi_ms": _ms(per),
        "perkiraan_semua_s": round(per * len(ids), 1),
    }


def bench_evaluasi_instansi(
    instansi: Instansi, today: datetime.date | None = None, *, sampel: int = 50, seed: int = 1
) -> dict[str, Any]:
    """Evaluate the whole instansi in bulk (see the module docstring); everything is rolled back."""
    result: dict[str, Any] = {"goal_s": GOAL_S}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            dibuat = create_evaluasi(instansi, today, seed)
            result["build_s"] = round(time.perf_counter() - t, 2)
            pp = dibuat.pop("periode_penilaian")
            admin = dibuat.pop("admin")
            result.update(dibuat)
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                massal = evaluasi_massal(pp)
                result["evaluasi_s"] = round(time.perf_counter() - t, 2)
            result["evaluasi_queries"] = len(ctx.captured_queries)
            kelompok = massal.kelompok
            result["kelompok"] = len(kelompok)
            # Checked against its capaian: binding, advice only (a small group) or "tidak dapat diterapkan"
            # with its reason (docs/rules.md §3.4, §3.8).
            result["kelompok_diperiksa"] = sum(1 for k in kelompok if k.cek is not None)
            kecil = distribusi_rules.Sebab.KELOMPOK_KECIL
            result["kelompok_saran"] = sum(1 for k in kelompok if k.cek is not None and k.cek.sebab is kecil)
            result["kelompok_melanggar"] = len(massal.kelompok_melanggar)
            result["diubah_dari_saran"] = sum(
                1 for h in massal.evaluasi.values() if h.rating_hasil != h.saran_hasil
            )
            result["berpredikat"] = sum(1 for h in massal.evaluasi.values() if h.predikat)
            result["layanan"] = _cocokkan(massal, pp, admin, sampel, seed)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _nilai_semua(skps: Any, pp: Any, penilai: User, saat: datetime.datetime) -> None:
    """The penilai opens and rates the periodic evaluation of every SKP (an RHK without realisasi marked
    first), ratings spread over the four kinds, and decides the ratings."""
    for i, skp in enumerate(skps):
        ev = services.open_evaluasi(skp, pp, penilai)
        belum = {r.pk for r in selectors.rhk_belum_siap(ev)}
        for row in list(ev.rating_rhk.select_related("rhk")):
            if row.pk in belum:
                ev = services.mark_tanpa_realisasi(ev, row.rhk, "Uji beban", penilai, sekarang=saat)
            rating = ("diatas", "sesuai", "sesuai", "dibawah")[i % 4]
            ev = services.rate_rhk(ev, row.rhk, rating, "", penilai, sekarang=saat)
        for n in BERAKHLAK:
            ev = services.rate_perilaku(ev, n.kode, "sesuai", "", penilai, sekarang=saat)
        services.set_rating(ev, penilai, sekarang=saat)


def bench_halaman_kelompok(n_bawahan: int = 30, runs: int = 10) -> dict[str, Any]:
    """The group page of a penilai with ``n_bawahan`` bawahan, all rated for TW I (built with
    `kinerja.demo.bench.pelaksanaan` and the penilaian services; rolled back)."""
    from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
    from kinerja.demo.bench.perencanaan import time_page

    result: dict[str, Any] = {"bawahan": n_bawahan, "runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi("BENCH-KELOMPOK")
            tim = create_kepala(instansi, periode)
            create_staf(tim, n_bawahan)
            pp = periode.periode_penilaian.order_by("nomor").first()
            admin = User.objects.create(username="bench-kelompok-admin", admin_instansi=instansi)
            # Rated on the periode's last evaluation day (the deadline lock applies to the real clock).
            saat = timezone.make_aware(datetime.datetime.combine(pp.batas_evaluasi, datetime.time(9)))
            ppk = services.KeputusanPpk("PPK bench", "BENCH/1", timezone.localdate())
            services.set_capaian_organisasi(tim.unit, periode, pp, CapaianOrganisasi.BAIK, "", admin, ppk)
            _nilai_semua(
                Skp.objects.filter(penilai=tim.kepala).select_related("periode", "pegawai").order_by("pk"),
                pp,
                tim.user,
                saat,
            )
            result["build_s"] = round(time.perf_counter() - t, 2)
            client = Client()
            client.force_login(tim.user)
            try:
                url = f"{reverse('penilaian:kelompok')}?periode={pp.nomor}"
                status = client.get(url).status_code
                galat = "" if status == 200 else f"HTTP {status}"
            except NoReverseMatch:
                url, galat = None, "URL penilaian:kelompok belum ada"
            except Exception as exc:  # noqa: BLE001 — the page is being built elsewhere; report why
                galat = f"{type(exc).__name__}: {exc}"
            if not galat:
                result["diukur"] = "halaman"
                result.update(time_page(client, url, runs))
            else:
                result["diukur"] = "selectors.kelompok"
                result["halaman_galat"] = galat[:200]
                times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    kel = selectors.kelompok(tim.kepala, pp)
                    kel.pelanggaran_dengan_nama()
                    times.append(time.perf_counter() - t)
                with CaptureQueriesContext(connection) as ctx:
                    kel = selectors.kelompok(tim.kepala, pp)
                result.update(
                    url=None,
                    median_ms=_ms(statistics.median(times)),
                    max_ms=_ms(max(times)),
                    queries=len(ctx.captured_queries),
                )
            result["anggota"] = len(selectors.kelompok(tim.kepala, pp).evaluasi)
            raise _Rollback
    except _Rollback:
        pass
    return result


def bench_halaman_penilai(n_bawahan: int = 30, runs: int = 20) -> dict[str, Any]:
    """The Pejabat Penilai's hot requests on deadline day, measured with `kinerja.demo.bench.ukur` (CPU ms,
    queries; goal ≤ 15 ms and ≤ 12 queries): the board /pemantauan/ (the head's own RHK rolled up), the
    evaluation list and the group page for TW I (every bawahan rated and decided), the evaluation page
    as the penilai and as the pegawai, and one RHK rating saved with htmx on the open TW IV evaluation.
    Built with `kinerja.demo.bench.pelaksanaan` and the penilaian services; rolled back."""
    from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_skp_kepala, create_staf
    from kinerja.demo.bench.ukur import ukur

    result: dict[str, Any] = {"bawahan": n_bawahan, "runs": runs}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            instansi, periode = create_instansi("BENCH-PENILAI")
            tim = create_kepala(instansi, periode)
            create_staf(tim, n_bawahan, rhk_induk=create_skp_kepala(tim))
            daftar = list(periode.periode_penilaian.order_by("nomor"))
            pp = daftar[0]
            admin = User.objects.create(username="bench-penilai-admin", admin_instansi=instansi)
            saat = timezone.make_aware(datetime.datetime.combine(pp.batas_evaluasi, datetime.time(9)))
            ppk = services.KeputusanPpk("PPK bench", "BENCH/1", timezone.localdate())
            services.set_capaian_organisasi(tim.unit, periode, pp, CapaianOrganisasi.BAIK, "", admin, ppk)
            skps = list(
                Skp.objects.filter(penilai=tim.kepala).select_related("periode", "pegawai").order_by("pk")
            )
            _nilai_semua(skps, pp, tim.user, saat)
            hari_ini = timezone.localdate()
            berjalan = [p for p in daftar if p.mulai <= hari_ini][-1]
            terbuka = services.open_evaluasi(skps[1], berjalan, tim.user)  # not yet past its deadline
            dinilai = Evaluasi.objects.get(skp=skps[1], periode_penilaian=pp)
            row = terbuka.rating_rhk.order_by("urutan", "pk").first()
            assert row is not None
            pegawai_user = User.objects.filter(pegawai=skps[1].pegawai).first() or User.objects.create(
                username="bench-penilai-pegawai", pegawai=skps[1].pegawai
            )
            result["build_s"] = round(time.perf_counter() - t, 2)
            penilai = Client()
            penilai.force_login(tim.user)
            pegawai = Client()
            pegawai.force_login(pegawai_user)
            result["papan"] = ukur(penilai, "/pemantauan/", runs=runs)
            result["daftar"] = ukur(penilai, f"{reverse('penilaian:index')}?periode={pp.nomor}", runs=runs)
            result["kelompok"] = ukur(
                penilai, f"{reverse('penilaian:kelompok')}?periode={pp.nomor}", runs=runs
            )
            url = reverse("penilaian:evaluasi", args=[dinilai.pk])
            result["evaluasi_penilai"] = ukur(penilai, url, runs=runs)
            result["evaluasi_pegawai"] = ukur(pegawai, url, runs=runs)

            def simpan(n: int) -> dict[str, str]:
                versi = Evaluasi.objects.values_list("versi", flat=True).get(pk=terbuka.pk)
                return {"rating": ("sesuai", "diatas")[n % 2], "catatan": "", "versi_halaman": str(versi)}

            penilai.defaults["HTTP_HX_REQUEST"] = "true"
            result["simpan_rating"] = ukur(
                penilai,
                reverse("penilaian:evaluasi_rhk", args=[terbuka.pk, row.pk]),
                method="POST",
                data=simpan,
                runs=runs,
            )
            raise _Rollback
    except _Rollback:
        pass
    return result
