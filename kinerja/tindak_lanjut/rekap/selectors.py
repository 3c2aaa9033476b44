"""Rekap per unit and instansi (docs/rules.md §20.3): for a year and a periode penilaian (or the annual
"Akhir"), per unit kerja with its sub-units rolled up and for the instansi: approved SKP, evaluations opened,
rated and final, the completion rate (final / approved SKP), the distribution of the final predikat, the
outcomes of the keberatan filed against that periode's evaluations and the rating groups finalised, with those
whose pola distribusi was "tidak dapat diterapkan" (why, as recorded at finalisation).

Everything is aggregated in the database, one query per kind (units, SKP per unit, evaluations per unit ×
status × predikat, keberatan per unit × status), then rolled up the unit tree in Python along the
materialised ``path``; the number of queries does not depend on the number of units or pegawai.

Who sees what: the admin kepegawaian of the instansi the whole instansi; the head of a unit (definitif,
Plt. or Plh. today) the subtree(s) of the unit(s) they head; anyone else is refused.

Also the year / periode picker shared with the tunjangan kinerja list (`select_periode`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from kinerja.common.replika import dari_replika
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.penilaian.kelompok.selectors import AKHIR, PilihanPeriode, instansi_user, pimpinan_semua_unit
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions import is_admin_of
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.distribusi import Sebab
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.keberatan import Status as StatusKeberatan
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.models import Keberatan

PREDIKAT = tuple(Predikat)  # best first; iterating the enum itself is slow in the xlsx loop
_PREDIKAT_NILAI = {p.value: p for p in PREDIKAT}  # Predikat(value) per aggregate row was slow too
SEBAB = tuple(Sebab)
TOLAK = "Rekap kinerja hanya dapat dilihat oleh admin kepegawaian instansi dan pimpinan unit kerja."
NBSP = "\u00a0"
#: A subtree with more units than this is shown on the page two levels deep (the focus and the units right
#: below it, each rolled up, each a drill-down link) unless ``?semua=1``; 1 885 rows of 22 cells take
#: seconds to render and nobody reads them on a screen. The xlsx always lists every unit.
BATAS_BARIS = 150

# --- periode --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pilihan:
    """The chosen year and periode (``pilihan.pp`` None: the annual evaluation) and the years offered."""

    pilihan: PilihanPeriode
    tahun_daftar: list[int]

    @property
    def periode(self) -> Periode:
        return self.pilihan.periode

    @property
    def pp(self) -> PeriodePenilaian | None:
        return self.pilihan.pp

    @property
    def nama(self) -> str:
        return f"{self.pilihan.nama} {self.periode.tahun}"

    @property
    def tanggal(self) -> datetime.date:
        return self.pilihan.tanggal


def select_periode(
    instansi: Instansi,
    tahun: str | None,
    kunci: str | None,
    *,
    hari_ini: datetime.date | None = None,
    bawaan_selesai: bool = False,
) -> Pilihan | None:
    """``?tahun=`` (a year of the instansi; default: the current year, else the latest) and ``?periode=``
    (a periode's number or ``akhir``). Without a periode: the one running today, or with
    ``bawaan_selesai`` the latest one that has ended (a list of final results is about a finished
    periode). None when the instansi has no periode at all."""
    hari_ini = hari_ini or org.today()
    semua = list(Periode.objects.filter(instansi=instansi).order_by("-tahun"))
    if not semua:
        return None
    periode = None
    if tahun and tahun.strip().isdigit():
        periode = next((p for p in semua if p.tahun == int(tahun)), None)
    if periode is None:
        periode = next((p for p in semua if p.tahun == hari_ini.year), semua[0])
    daftar = list(
        PeriodePenilaian.objects.filter(periode=periode).select_related("periode").order_by("nomor")
    )
    k = (kunci or "").strip().lower()
    pp: PeriodePenilaian | None
    if k == AKHIR or not daftar:
        pp = None
    else:
        pp = next((p for p in daftar if k.isdigit() and p.nomor == int(k)), None)
        if pp is None:
            selesai = [p for p in daftar if p.selesai < hari_ini]
            berjalan = [p for p in daftar if p.mulai <= hari_ini <= p.selesai]
            if bawaan_selesai and selesai:
                pp = selesai[-1]
            elif berjalan:
                pp = berjalan[0]
            else:
                mulai = [p for p in daftar if p.mulai <= hari_ini]
                pp = mulai[-1] if mulai else daftar[0]
    return Pilihan(PilihanPeriode(periode, pp, daftar), [p.tahun for p in semua])


def evaluasi_periode(instansi: Instansi, pilihan: Pilihan) -> Q:
    """The evaluations of the chosen periode (periodic of that periode penilaian, or the annual one)."""
    if pilihan.pp is None:
        return Q(instansi=instansi, periode=pilihan.periode, jenis=JenisEvaluasi.TAHUNAN)
    return Q(instansi=instansi, periode=pilihan.periode, periode_penilaian=pilihan.pp)


def skp_periode(instansi: Instansi, pilihan: Pilihan) -> Q:
    """Approved SKP of the year covering the periode (the annual evaluation: every approved SKP)."""
    q = Q(instansi=instansi, periode=pilihan.periode, status=StatusSkp.DISETUJUI.value)
    if pilihan.pp is not None:
        q &= Q(mulai__lte=pilihan.pp.selesai, selesai__gte=pilihan.pp.mulai)
    return q


# --- numbers --------------------------------------------------------------------------------------------


def persen_teks(bagian: int, dari: int) -> str:
    """``87,5 %`` (one decimal, half up, Indonesian comma); ``—`` when there is nothing to divide by."""
    if dari <= 0:
        return "—"
    x = (Decimal(bagian) * 100 / Decimal(dari)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format(x, "f")
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text.replace('.', ',')}{NBSP}%"


def persen_angka(bagian: int, dari: int) -> float | None:
    """The same percentage as a number (xlsx), one decimal; None when there is nothing to divide by."""
    if dari <= 0:
        return None
    return float((Decimal(bagian) * 100 / Decimal(dari)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


KEBERATAN_KOLOM: list[tuple[str, str]] = [
    ("diajukan", "Diajukan"),
    ("proses", "Dalam proses"),
    ("ditarik", "Ditarik"),
    ("ditolak", "Ditolak"),
    ("dikabulkan", "Dikabulkan"),
]


@dataclass
class Angka:
    """The numbers of a unit (own pegawai only, or rolled up) or of the instansi."""

    skp: int = 0
    dibuka: int = 0  # evaluations of the periode, whatever their status
    dinilai: int = 0  # with both ratings (hence a predikat), final or not
    final: int = 0
    predikat: dict[Predikat, int] = field(default_factory=lambda: dict.fromkeys(PREDIKAT, 0))
    keberatan: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((k for k, _ in KEBERATAN_KOLOM), 0)
    )
    kelompok_final: int = 0  # rating groups finalised (their latest finalisation), by the group's unit
    #: Of those, the groups whose pola distribusi was "tidak dapat diterapkan", per `distribusi.Sebab`.
    tidak_diterapkan: dict[Sebab, int] = field(default_factory=lambda: dict.fromkeys(SEBAB, 0))

    def tambah(self, lain: Angka) -> None:
        self.skp += lain.skp
        self.dibuka += lain.dibuka
        self.dinilai += lain.dinilai
        self.final += lain.final
        for p, n in lain.predikat.items():
            self.predikat[p] += n
        for k, n in lain.keberatan.items():
            self.keberatan[k] += n
        self.kelompok_final += lain.kelompok_final
        for s, n in lain.tidak_diterapkan.items():
            self.tidak_diterapkan[s] += n

    @property
    def jumlah_tidak_diterapkan(self) -> int:
        return sum(self.tidak_diterapkan.values())

    @property
    def tidak_diterapkan_baris(self) -> list[tuple[str, int]]:
        """(why, groups) for every reason that occurred."""
        return [(s.label, n) for s, n in self.tidak_diterapkan.items() if n]

    @property
    def penyelesaian(self) -> str:
        """Completion rate: final evaluations / approved SKP."""
        return persen_teks(self.final, self.skp)

    @property
    def penyelesaian_angka(self) -> float | None:
        return persen_angka(self.final, self.skp)

    @property
    def distribusi(self) -> list[tuple[Predikat, int, str]]:
        """(predikat, count, share of the final evaluations) best first."""
        return [(p, self.predikat[p], persen_teks(self.predikat[p], self.final)) for p in PREDIKAT]

    @property
    def keberatan_baris(self) -> list[tuple[str, int]]:
        return [(label, self.keberatan[k]) for k, label in KEBERATAN_KOLOM]


def _angka_per_unit(instansi: Instansi, pilihan: Pilihan, dalam: UnitKerja | None = None) -> dict[int, Angka]:
    """Own numbers per unit id (not rolled up): three aggregate queries and one of the finalised groups.
    ``dalam``: only the units of that subtree (a drill-down or an opened row aggregates no more)."""
    hasil: dict[int, Angka] = defaultdict(Angka)
    subtree = Q(unit__path__startswith=dalam.path) if dalam is not None else Q()
    for row in (
        Skp.objects.filter(skp_periode(instansi, pilihan), subtree).values("unit_id").annotate(n=Count("id"))
    ):
        hasil[row["unit_id"]].skp += row["n"]
    final = StatusEvaluasi.FINAL.value
    for row in (
        Evaluasi.objects.filter(evaluasi_periode(instansi, pilihan), subtree)
        .values("unit_id", "status", "predikat")
        .annotate(n=Count("id"))
        .order_by()
    ):
        a = hasil[row["unit_id"]]
        a.dibuka += row["n"]
        if row["predikat"]:
            a.dinilai += row["n"]
        if row["status"] == final:
            a.final += row["n"]
            if row["predikat"]:
                a.predikat[_PREDIKAT_NILAI[row["predikat"]]] += row["n"]
    # Finalised groups and whether their curve was applied (docs/rules.md §3.4): one query; a group
    # finalised again after a reopening counts once, with its latest finalisation.
    fin = FinalisasiKelompok.objects.filter(instansi=instansi, periode=pilihan.periode)
    if dalam is not None:
        fin = fin.filter(unit_kelompok__path__startswith=dalam.path)
    fin = (
        fin.filter(periode_penilaian__isnull=True)
        if pilihan.pp is None
        else fin.filter(periode_penilaian=pilihan.pp)
    )
    terakhir: dict[tuple[object, ...], tuple[int, str]] = {}
    for uid, penilai_id, jenis, sebab in fin.order_by("pada", "pk").values_list(
        "unit_kelompok_id", "penilai_id", "kelompok", "sebab_tidak_diterapkan"
    ):
        terakhir[(uid, penilai_id, jenis)] = (uid, sebab)
    # A group with a member reopened by the admin is not final until it is finalised again (its page says
    # so): one query for the groups holding an evaluation that is not final.
    if terakhir:
        belum = Evaluasi.objects.filter(periode=pilihan.periode).exclude(status=final)
        belum = (
            belum.filter(jenis=JenisEvaluasi.TAHUNAN)
            if pilihan.pp is None
            else belum.filter(periode_penilaian=pilihan.pp)
        )
        terbuka_kel = set(belum.values_list("unit_kelompok_id", "penilai_id").distinct())
        unit_terbuka = {u for u, _ in terbuka_kel}
        for kunci in list(terakhir):
            uid, penilai_id, jenis = kunci
            if (uid in unit_terbuka) if jenis == "unit" else ((uid, penilai_id) in terbuka_kel):
                del terakhir[kunci]
    for uid, sebab in terakhir.values():
        hasil[uid].kelompok_final += 1
        if sebab:
            hasil[uid].tidak_diterapkan[Sebab(sebab)] += 1
    terbuka = {StatusKeberatan.DIAJUKAN.value, StatusKeberatan.DIJELASKAN.value}
    q = Q(instansi=instansi, evaluasi__periode=pilihan.periode)
    if dalam is not None:
        q &= Q(evaluasi__unit__path__startswith=dalam.path)
    q &= (
        Q(evaluasi__periode_penilaian__isnull=True)
        if pilihan.pp is None
        else Q(evaluasi__periode_penilaian=pilihan.pp)
    )
    for row in (
        Keberatan.objects.filter(q).values("evaluasi__unit_id", "status").annotate(n=Count("id")).order_by()
    ):
        a = hasil[row["evaluasi__unit_id"]]
        a.keberatan["diajukan"] += row["n"]
        kunci = "proses" if row["status"] in terbuka else row["status"]
        a.keberatan[kunci] += row["n"]
    return hasil


def _leluhur(path: str) -> list[int]:
    """``"/1/5/9/"`` -> ``[1, 5, 9]``."""
    return [int(x) for x in path.strip("/").split("/") if x]


@dataclass
class BarisRekap:
    unit: UnitKerja
    kedalaman: int  # depth below the focus (for the indentation)
    angka: Angka  # rolled up: the unit and every unit below it
    sendiri: Angka  # the unit's own pegawai only
    ada_anak: bool


@dataclass
class Rekap:
    pilihan: Pilihan
    fokus: UnitKerja | None  # None: the instansi (admin) or all units the head leads
    judul: str
    total: Angka
    baris: list[BarisRekap]
    admin: bool
    jejak: list[UnitKerja]  # breadcrumbs from the top visible unit down to the focus
    ringkas: bool = False  # the page shows only the focus and the units right below it
    jumlah_unit: int = 0  # units in the subtree(s) shown (all of them are in `baris` unless `halaman`)

    @property
    def baris_halaman(self) -> list[BarisRekap]:
        """The rows of the page: all of them, or for a large subtree (more than `BATAS_BARIS` units,
        unless asked for all) the top row(s) and the units right below; the xlsx always has all."""
        if not self.ringkas:
            return self.baris
        return [b for b in self.baris if b.kedalaman <= 1]


def unit_terlihat(user: User, instansi: Instansi, units: list[UnitKerja]) -> tuple[bool, list[UnitKerja]]:
    """(admin?, the top units whose subtree the user may see). Refuses everyone else (PermissionDenied)."""
    if is_admin_of(user, instansi.pk):
        return True, [u for u in units if u.parent_id is None]
    if not user.pegawai_id or user.pegawai.instansi_id != instansi.pk:
        raise PermissionDenied(TOLAK)
    kepala = pimpinan_semua_unit(instansi, org.today())
    dipimpin = {uid for uid, p in kepala.items() if p.pegawai_id == user.pegawai_id}
    if not dipimpin:
        raise PermissionDenied(TOLAK)
    by_pk = {u.pk: u for u in units}
    atas = [
        by_pk[uid]
        for uid in dipimpin
        if uid in by_pk and not any(a in dipimpin for a in _leluhur(by_pk[uid].path)[:-1])
    ]
    return False, sorted(atas, key=lambda u: u.path)


def instansi_rekap(user: User) -> Instansi:
    instansi = instansi_user(user)
    if instansi is None:
        raise PermissionDenied(TOLAK)
    return instansi


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def rekap(
    user: User, instansi: Instansi, pilihan: Pilihan, unit_pk: str | None = None, *, semua: bool = False
) -> Rekap:
    """The rekap of the chosen periode for what ``user`` may see, focused on ``unit_pk`` (drill-down) when
    given, with every unit in `Rekap.baris` (the xlsx); ``semua``: `Rekap.baris_halaman` lists every unit of
    a large subtree too. A constant number of queries (see the module docstring)."""
    return _rekap(user, instansi, pilihan, unit_pk, semua=semua)


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def rekap_halaman(
    user: User, instansi: Instansi, pilihan: Pilihan, unit_pk: str | None = None, *, anak_saja: bool = False
) -> Rekap:
    """The rekap as the page shows it: every unit of a subtree of at most `BATAS_BARIS` units, otherwise
    only the focus (or the top units) and the units right below, each of which opens on demand
    (``anak_saja``: only the units right below the focus, the rows an opened unit inserts). Numbers are
    aggregated for the focus's subtree only and rolled up into the rows shown only, so an instansi of
    2 000 units costs about what a small one does. A constant number of queries."""
    return _rekap(user, instansi, pilihan, unit_pk, halaman=True, anak_saja=anak_saja)


def _rekap(
    user: User,
    instansi: Instansi,
    pilihan: Pilihan,
    unit_pk: str | None,
    *,
    semua: bool = False,
    halaman: bool = False,
    anak_saja: bool = False,
) -> Rekap:
    units = list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))
    admin, atas = unit_terlihat(user, instansi, units)
    by_pk = {u.pk: u for u in units}

    fokus: UnitKerja | None = None
    if unit_pk:
        if not unit_pk.isdigit() or int(unit_pk) not in by_pk:
            raise Http404("Unit kerja tidak ditemukan.")
        fokus = by_pk[int(unit_pk)]
        if not any(fokus.path.startswith(a.path) for a in atas):
            raise PermissionDenied("Unit kerja ini di luar unit yang Anda pimpin.")
    elif not admin and len(atas) == 1:
        fokus = atas[0]

    akar = [fokus] if fokus is not None else atas
    dasar = {a.pk: a.depth for a in akar}
    anak = {u.parent_id for u in units if u.parent_id}
    dalam: list[tuple[UnitKerja, UnitKerja]] = []  # (unit, the top of the visible subtree it lies in)
    for u in units:
        akar_u = next((a for a in akar if u.path.startswith(a.path)), None)
        if akar_u is not None:
            dalam.append((u, akar_u))
    jumlah = len(dalam)
    ringkas = not semua and jumlah > BATAS_BARIS
    if halaman and (ringkas or anak_saja):
        ringkas = True
        dalam = [(u, a) for u, a in dalam if (u.pk in dasar and not anak_saja) or u.parent_id in dasar]
    perlu = {u.pk for u, _ in dalam} | set(dasar) if halaman else None

    sendiri = _angka_per_unit(instansi, pilihan, fokus if halaman else None)
    gulung: dict[int, Angka] = defaultdict(Angka)
    for uid, a in sendiri.items():
        u = by_pk.get(uid)
        if u is None:
            continue
        for leluhur in _leluhur(u.path):
            if perlu is None or leluhur in perlu:
                gulung[leluhur].tambah(a)

    total = Angka()
    for a in akar:
        total.tambah(gulung[a.pk])
    if fokus is None:
        # The instansi, all its units (the admin), or the units a head of several units leads.
        if admin:
            total = Angka()
            for a in sendiri.values():
                total.tambah(a)  # includes evaluations whose unit is not in the tree any more
        judul = instansi.nama if admin else "Seluruh unit yang Anda pimpin"
    else:
        judul = fokus.nama
    baris = [
        BarisRekap(
            unit=u,
            kedalaman=u.depth - dasar[akar_u.pk],
            angka=gulung[u.pk],
            sendiri=sendiri.get(u.pk, Angka()),
            ada_anak=u.pk in anak,
        )
        for u, akar_u in dalam
    ]
    jejak: list[UnitKerja] = []
    if fokus is not None:
        terlihat = {x.pk for a in atas for x in units if x.path.startswith(a.path)}
        jejak = [by_pk[i] for i in _leluhur(fokus.path) if i in terlihat and i in by_pk]
    return Rekap(pilihan, fokus, judul, total, baris, admin, jejak, ringkas, jumlah)
