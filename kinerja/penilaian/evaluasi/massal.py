"""Bulk paths of the evaluation stage.

* `rate_rhk_semua` / `rate_perilaku_semua`: the penilai rates several RHK / values of one evaluation in
  one write (one form, one lock, one recomputation of the suggestions, one new version) with exactly the
  checks of `services.rate_rhk` / `services.rate_perilaku`.
* `evaluasi_massal`: the evaluation of a whole instansi for one periode penilaian in a few queries
  (even a 20 000-pegawai instansi): the suggested ratings of every evaluation,
  the ratings and predikat that follow, and the pola distribusi check of every rating group.

It reads in bulk (a fixed number of queries whatever the size, the instansi's pola distribusi rules
included) and writes nothing; the decisions are the same calls the
per-evaluation services make (`services._hitung_saran`, `selectors.kelompok`):

* rating hasil kerja: `rules.rating.suggest_hasil` over the RHK ratings (all rated), or for the head of a
  unit `rules.rating.hasil_pimpinan` of the capaian organisasi of the unit they lead;
* rating perilaku kerja: `rules.rating.suggest_perilaku` over the seven values (all rated);
* both with the instansi's CONFIG: `Instansi.ambang_rating` (sebagian besar / kecil) and
  `Instansi.pemetaan_rating_pimpinan` (capaian organisasi -> rating of a unit head);
* a decided rating follows its suggestion unless it was given with a reason (an override or an adjustment
  by the atasan penilai); the predikat is `rules.kuadran.predikat` of the two ratings;
* a final evaluation keeps what it was finalised with (it is immutable);
* the group (CONFIG `Instansi.kelompok_distribusi`): the penilai and the unit of the penilai's jabatan, or
  the whole unit; its curve is the capaian organisasi of that unit; `rules.distribusi.check` on the counts,
  the head of that unit left out (`rules.distribusi.dihitung_dalam_pola`) and a group below
  `Instansi.minimal_kelompok_distribusi` checked as advice only (docs/rules.md §3.8); the size is the
  group's evaluations (an approved SKP not yet opened is not read here, unlike the group page: both agree
  once every member's evaluation is opened, as they must be for finalisation).

Only periodic evaluations: the annual suggestion of a pegawai with several SKP (mutation) needs their
earlier SKP and stays with `services`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook

from kinerja.common import xlsx
from kinerja.common.spreadsheet import save_xlsx
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Pegawai, PeriodePenilaian, UnitKerja, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import Laporan, mulai
from kinerja.penilaian import selectors, services
from kinerja.penilaian.aturan.selectors import aturan_berlaku
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    Evaluasi,
    FinalisasiKelompok,
    JenisEvaluasi,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.permissions import require
from kinerja.rules import JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import rating as rating_rules
from kinerja.rules.evaluasi import Status
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating

KODE_NILAI = tuple(n.kode for n in BERAKHLAK)

# --- several ratings of one evaluation in one write -----------------------------------------------------


def _nilai_baris(
    rows: Mapping[object, RatingRhk | RatingPerilaku],
    kunci: object,
    rating: object,
    catatan: str | None,
    oleh: User,
) -> None:
    row = rows[kunci]
    baru = services._rating(rating, "rating").value if rating not in (None, "") else ""
    teks = row.catatan if catatan is None else catatan.strip()
    if (row.rating, row.catatan) != (baru, teks):
        row.rating, row.catatan = baru, teks
        row._history_user = oleh  # type: ignore[union-attr]
        row.save()


@transaction.atomic
def rate_rhk_semua(
    evaluasi: Evaluasi,
    rating: Mapping[int, Rating | str | None],
    oleh: User,
    catatan: Mapping[int, str] | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai rates several RHK at once (``rating``: RHK id → rating, ``None`` clears it); the same
    checks as `services.rate_rhk`, one recomputation of the suggestions and one new version."""
    ev = services._ambil_untuk_penilai(evaluasi, versi, oleh, "Rating RHK", sekarang)
    rows = {r.rhk_id: r for r in ev.rating_rhk.all() if r.rhk_id}
    asing = [k for k in rating if k not in rows]
    if asing:
        raise ValidationError({"rhk": "RHK ini bukan bagian dari SKP yang dievaluasi."})
    for rhk_id, nilai in rating.items():
        _nilai_baris(rows, rhk_id, nilai, (catatan or {}).get(rhk_id), oleh)
    services._hitung_saran(ev)
    return services._simpan(ev, oleh)


@transaction.atomic
def rate_perilaku_semua(
    evaluasi: Evaluasi,
    rating: Mapping[str, Rating | str | None],
    oleh: User,
    catatan: Mapping[str, str] | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai rates several BerAKHLAK values at once (``rating``: kode → rating, ``None`` clears
    it); the same checks as `services.rate_perilaku`, one recomputation and one new version."""
    ev = services._ambil_untuk_penilai(evaluasi, versi, oleh, "Rating perilaku", sekarang)
    rows = {r.kode: r for r in ev.rating_perilaku_set.all()}
    rating = {str(k).upper(): v for k, v in rating.items()}
    asing = [k for k in rating if k not in rows]
    if asing:
        raise ValidationError({"kode": f"Nilai BerAKHLAK tidak dikenal: {', '.join(asing)}."})
    teks = {str(k).upper(): v for k, v in (catatan or {}).items()}
    for kode, nilai in rating.items():
        _nilai_baris(rows, kode, nilai, teks.get(kode), oleh)
    services._hitung_saran(ev)
    return services._simpan(ev, oleh)


# --- the whole instansi -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilEvaluasi:
    """What one evaluation comes to: the two suggestions ('' while something is unrated), the decided
    ratings ('' until decided) and the predikat ('' until both are decided)."""

    evaluasi_id: int
    saran_hasil: str
    saran_perilaku: str
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    final: bool


@dataclass
class HasilKelompok:
    """One rating group: its key, the capaian organisasi of its unit, the counts per predikat and the check
    (None while the capaian organisasi is not set)."""

    penilai_id: int | None
    unit_id: int
    capaian: CapaianOrganisasi | None
    evaluasi: list[int] = field(default_factory=list)
    jumlah: dict[Predikat, int] = field(default_factory=dict)
    cek: distribusi_rules.DistribusiCheck | None = None
    #: Members heading the group's unit, left out of its curve (docs/rules.md §3.8).
    pimpinan: list[int] = field(default_factory=list)
    #: Every evaluation of the group is final: checked with what it was finalised with.
    final: bool = True


@dataclass
class EvaluasiMassal:
    evaluasi: dict[int, HasilEvaluasi]
    kelompok: list[HasilKelompok]

    @property
    def kelompok_melanggar(self) -> list[HasilKelompok]:
        return [k for k in self.kelompok if k.cek is not None and k.cek.applicable and k.cek.violations]


def _ikut(rating: str, alasan: str, saran: str) -> str:
    """A decided rating follows its suggestion unless it was given with a reason."""
    return saran if rating and not alasan else rating


def evaluasi_massal(
    periode_penilaian: PeriodePenilaian, langkah: Callable[[int, int, str], None] | None = None
) -> EvaluasiMassal:
    """Suggestions, ratings, predikat and the distribution check of every periodic evaluation of the
    instansi for ``periode_penilaian`` (see the module docstring). Writes nothing. ``langkah(done, total,
    teks)``, when given, hears the progress (the background job's reporter)."""
    lapor = langkah or (lambda _a, _b, _c: None)
    periode = periode_penilaian.periode
    mode = periode.instansi.kelompok_distribusi
    ambang = org_services.ambang_rating_instansi(periode.instansi)
    pemetaan = org_services.pemetaan_pimpinan_instansi(periode.instansi)
    _, aturan = aturan_berlaku(periode.instansi_id)
    rows = list(
        Evaluasi.objects.filter(periode_penilaian=periode_penilaian, jenis=JenisEvaluasi.PERIODIK)
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "penilai_id",
            "unit_kelompok_id",
            "unit_dipimpin_id",
            "rating_hasil",
            "alasan_ubah_hasil",
            "rating_perilaku",
            "alasan_ubah_perilaku",
            "saran_hasil",
            "saran_perilaku",
            "predikat",
        )
    )
    rhk: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for ev_id, jenis, rating in RatingRhk.objects.filter(
        evaluasi__periode_penilaian=periode_penilaian
    ).values_list("evaluasi_id", "rhk_jenis", "rating"):
        rhk[ev_id].append((jenis, rating))
    nilai: dict[int, dict[str, str]] = defaultdict(dict)
    for ev_id, kode, rating in RatingPerilaku.objects.filter(
        evaluasi__periode_penilaian=periode_penilaian
    ).values_list("evaluasi_id", "kode", "rating"):
        if rating:
            nilai[ev_id][kode] = rating
    capaian = {
        unit_id: CapaianOrganisasi(v)
        for unit_id, v in CapaianOrganisasiUnit.objects.filter(
            periode=periode, periode_penilaian=periode_penilaian
        ).values_list("unit_id", "nilai")
    }
    lapor(0, len(rows), "Menghitung rating dan predikat")
    dipimpin = {r[4] for r in rows if r[4]}
    nama_unit = dict(UnitKerja.objects.filter(pk__in=dipimpin).values_list("pk", "nama")) if dipimpin else {}

    hasil: dict[int, HasilEvaluasi] = {}
    kelompok: dict[tuple[int | None, int], HasilKelompok] = {}
    for (
        pk,
        status,
        penilai_id,
        unit_kelompok_id,
        unit_dipimpin_id,
        r_h,
        a_h,
        r_p,
        a_p,
        s_h,
        s_p,
        pred,
    ) in rows:
        if len(hasil) % 1000 == 0:
            lapor(len(hasil), len(rows), "Menghitung rating dan predikat")
        final = status == Status.FINAL.value
        if not final:
            # Rating hasil kerja (services._hitung_saran).
            if unit_dipimpin_id:
                cap = capaian.get(unit_dipimpin_id)
                s_h = (
                    rating_rules.hasil_pimpinan(cap, pemetaan, unit=nama_unit[unit_dipimpin_id]).rating.value
                    if cap is not None
                    else ""
                )
                r_h = s_h if r_h else ""
            else:
                baris = rhk.get(pk, [])
                if baris and all(r for _, r in baris):
                    s_h = rating_rules.suggest_hasil(
                        [rating_rules.RatingRhk(JenisRhk(j), Rating(r)) for j, r in baris], ambang
                    ).rating.value
                else:
                    s_h = ""
                r_h = _ikut(r_h, a_h, s_h)
            # Rating perilaku kerja.
            vals = nilai.get(pk, {})
            if all(k in vals for k in KODE_NILAI):
                s_p = rating_rules.suggest_perilaku(
                    {k: Rating(v) for k, v in vals.items()}, ambang
                ).rating.value
            else:
                s_p = ""
            r_p = _ikut(r_p, a_p, s_p)
            pred = kuadran_predikat(Rating(r_h), Rating(r_p)).value if r_h and r_p else ""
        hasil[pk] = HasilEvaluasi(pk, s_h, s_p, r_h, r_p, pred, final)
        if penilai_id is None:
            kunci: tuple[int | None, int] = (None, unit_kelompok_id)
        else:
            kunci = (-1 if mode == "unit" else penilai_id, unit_kelompok_id)
        kel = kelompok.get(kunci)
        if kel is None:
            kel = kelompok[kunci] = HasilKelompok(
                None if kunci[0] == -1 else kunci[0],
                unit_kelompok_id,
                capaian.get(unit_kelompok_id),
                jumlah={p: 0 for p in Predikat},
            )
        kel.evaluasi.append(pk)
        kel.final = kel.final and final
        if not distribusi_rules.dihitung_dalam_pola(unit_kelompok_id, unit_dipimpin_id):
            kel.pimpinan.append(pk)
        elif pred:
            kel.jumlah[Predikat(pred)] += 1
    # A final group is checked with the rules version and the minimum it was finalised with, as the group
    # page does (docs/rules.md §3.7, §3.8): a later change of either never re-judges it. One query.
    finalisasi: dict[tuple[int | None, int], FinalisasiKelompok] = {}
    for fin in selectors.dengan_aturan_finalisasi(
        FinalisasiKelompok.objects.filter(periode_penilaian=periode_penilaian, kelompok__in=[mode, "penilai"])
    ).order_by("pada", "pk"):  # the latest finalisation of a group wins
        # A unit group is recorded without a penilai; the group without a penilai as "penilai".
        kunci_fin = (-1 if fin.kelompok == "unit" else fin.penilai_id, fin.unit_kelompok_id)
        finalisasi[kunci_fin] = fin
    lapor(len(rows), len(rows), "Memeriksa pola distribusi setiap kelompok")
    minimal_berlaku = periode.instansi.minimal_kelompok_distribusi
    for kunci_kel, kel in kelompok.items():
        if kel.capaian is not None:
            rules_kel, minimal = aturan, minimal_berlaku
            fin = finalisasi.get(kunci_kel) if kel.final else None
            if fin is not None:
                rules_kel = selectors.aturan_finalisasi(fin)[1]
                minimal = fin.minimal_kelompok or 0
            kel.cek = distribusi_rules.check(
                kel.capaian,
                kel.jumlah,
                rules_kel,
                minimal=minimal,
                anggota=len(kel.evaluasi) - len(kel.pimpinan),
                pimpinan=len(kel.pimpinan),
            )
    return EvaluasiMassal(hasil, list(kelompok.values()))


# --- the whole instansi as a background job (docs/architecture.md "Background jobs") ------------------

JENIS_PEKERJAAN = "evaluasi_massal"
#: At most this many violating groups are named in the job's summary (all of them are in its workbook).
RINGKASAN_MAKS = 5


def kunci_pekerjaan(periode_penilaian: PeriodePenilaian) -> str:
    return f"evaluasi-massal:{periode_penilaian.pk}"


def _boleh(oleh: User, periode_penilaian: PeriodePenilaian) -> None:
    require(
        oleh,
        "penilaian.evaluate_instansi",
        periode_penilaian.periode,
        "Hanya admin kepegawaian instansi ini yang dapat menghitung evaluasi seluruh kelompok.",
    )


def start_evaluasi_massal(periode_penilaian: PeriodePenilaian, oleh: User) -> Pekerjaan:
    """The admin's button: compute every group of the periode as one job (a second press while it runs
    gives the same job). Who started it and when is kept in the job's history. PermissionDenied at once."""
    _boleh(oleh, periode_penilaian)
    periode = periode_penilaian.periode
    return mulai(
        JENIS_PEKERJAAN,
        kunci_pekerjaan(periode_penilaian),
        oleh,
        periode.instansi,
        f"Evaluasi seluruh kelompok {periode_penilaian.nama} {periode.tahun}",
        run_evaluasi_massal,
        periode_penilaian_id=periode_penilaian.pk,
        user_id=oleh.pk,
    )


def _status_kelompok(kel: HasilKelompok) -> tuple[str, str]:
    """(status, reason) of one group for the summary and the workbook, in Bahasa Indonesia."""
    if kel.cek is None:
        return "Belum dapat diperiksa", "Capaian kinerja organisasi unit ini belum ditetapkan."
    if not kel.cek.applicable:
        saran = "; ".join(f.message for f in kel.cek.saran)
        return "Tidak diperiksa", (kel.cek.reason or "") + (f" Saran: {saran}" if saran else "")
    if kel.cek.violations:
        return "Melanggar pola distribusi", "; ".join(f.message for f in kel.cek.violations)
    return "Sesuai pola distribusi", "; ".join(f.message for f in kel.cek.warnings)


def run_evaluasi_massal(laporan: Laporan, periode_penilaian_id: int, user_id: int) -> None:
    """The job: `evaluasi_massal` with progress; the summary names the counts and the first violating
    groups with their reason, the workbook lists every group with its status and reason. Writes no
    evaluation (the ratings stay with the penilai)."""
    pp = PeriodePenilaian.objects.select_related("periode__instansi").get(pk=periode_penilaian_id)
    oleh = User.objects.get(pk=user_id)
    _boleh(oleh, pp)
    hasil = evaluasi_massal(pp, laporan.langkah)
    units = {k.unit_id for k in hasil.kelompok}
    penilai = {k.penilai_id for k in hasil.kelompok if k.penilai_id}
    nama_unit = dict(UnitKerja.objects.filter(pk__in=units).values_list("pk", "nama"))
    nama_penilai = dict(Pegawai.objects.filter(pk__in=penilai).values_list("pk", "nama"))

    def nama(kel: HasilKelompok) -> str:
        unit = nama_unit.get(kel.unit_id, "")
        return f"{unit} (penilai {nama_penilai.get(kel.penilai_id, '')})" if kel.penilai_id else unit

    evs = hasil.evaluasi.values()
    melanggar = hasil.kelompok_melanggar
    tanpa_capaian = sum(1 for k in hasil.kelompok if k.cek is None)
    teks = [
        f"{len(hasil.evaluasi)} evaluasi periodik dihitung: {sum(1 for e in evs if e.final)} final, "
        f"{sum(1 for e in evs if e.predikat)} dengan predikat, {sum(1 for e in evs if not e.predikat)} "
        f"belum lengkap dinilai. {len(hasil.kelompok)} kelompok: {len(melanggar)} melanggar pola "
        f"distribusi, {tanpa_capaian} belum memiliki capaian kinerja organisasi."
    ]
    for kel in melanggar[:RINGKASAN_MAKS]:
        teks.append(f"{nama(kel)}: {_status_kelompok(kel)[1]}")
    if len(melanggar) > RINGKASAN_MAKS:
        teks.append(f"… dan {len(melanggar) - RINGKASAN_MAKS} kelompok lain (lihat berkas).")

    wb = Workbook()
    ws = wb.active
    ws.title = "Kelompok"
    xlsx.tulis_judul(ws, f"Evaluasi seluruh kelompok {pp.nama} {pp.periode.tahun}", pp.periode.instansi.nama)
    kolom = [("Unit kerja", 40), ("Pejabat penilai", 30), ("Anggota", 10)]
    kolom += [(p.label, 12) for p in Predikat] + [("Capaian organisasi", 18), ("Status", 24), ("Alasan", 70)]
    xlsx.kepala(ws, 4, kolom)
    for i, kel in enumerate(hasil.kelompok, start=5):
        status, alasan = _status_kelompok(kel)
        baris = [nama_unit.get(kel.unit_id, ""), nama_penilai.get(kel.penilai_id or 0, ""), len(kel.evaluasi)]
        baris += [kel.jumlah.get(p, 0) for p in Predikat]
        baris += [kel.capaian.label if kel.capaian else "", status, alasan]
        for j, nilai in enumerate(baris, start=1):
            ws.cell(i, j, nilai).alignment = xlsx.BUNGKUS
    xlsx.cetak_lanskap(ws, 4)
    laporan.hasil(save_xlsx(wb), f"evaluasi-kelompok-{pp.nama}-{pp.periode.tahun}.xlsx")
    laporan.ringkas("\n".join(teks))
