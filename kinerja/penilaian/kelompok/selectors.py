"""Reads for the capaian organisasi, rating group and calibration pages (docs/rules.md §13.4, §15).

Query counts stay flat in the number of rows:

* `baris_capaian`: who sets the capaian organisasi of every unit (`penetap_capaian`, the bulk form of
  `permissions.may_set_capaian_unit`), the values already set, in a constant number of queries;
* `kalibrasi`: every rating group under an atasan with its counts, capaian organisasi and check, from one
  read of the SKP, the evaluations and the capaian (the per-group `selectors.kelompok` costs four queries
  per group; the group page itself uses it);
* what a user may do on one group: `kinerja.permissions.penilaian.akses_kelompok`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import (
    Instansi,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.pelaksanaan import selectors as pelaksanaan
from kinerja.penilaian import grafik
from kinerja.penilaian.aturan.selectors import aturan_berlaku
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi, FinalisasiKelompok, JenisEvaluasi
from kinerja.penilaian.selectors import (
    Kelompok,
    aturan_finalisasi,
    dengan_aturan_finalisasi,
    evaluasi_periode,
    finalisasi_dengan_aturan,
)
from kinerja.perencanaan.models import Skp
from kinerja.permissions import (
    is_admin_kepegawaian,
    is_admin_of,
    is_superuser,
)
from kinerja.rules import JenisPenempatan
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import rating as rating_rules
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status
from kinerja.rules.types import Predikat

AKHIR = "akhir"

# --- periode --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PilihanPeriode:
    """The year, the chosen periode (None: the annual evaluation, "Akhir") and the tabs."""

    periode: Periode
    pp: PeriodePenilaian | None
    daftar: list[PeriodePenilaian]

    @property
    def kunci(self) -> str:
        """The value of ``?periode=``: the periode's number or ``akhir``."""
        return str(self.pp.nomor) if self.pp is not None else AKHIR

    @property
    def nama(self) -> str:
        return self.pp.nama if self.pp is not None else "Akhir (tahunan)"

    @property
    def tanggal(self) -> datetime.date:
        """The day the organisation is read on: the last day of the periode (or of the year)."""
        return self.pp.selesai if self.pp is not None else datetime.date(self.periode.tahun, 12, 31)

    @property
    def tabs(self) -> list[tuple[str, str, bool]]:
        """(value of ?periode=, label, active) for every periode of the year, then "Akhir (tahunan)"."""
        hasil = [(str(p.nomor), p.nama, self.pp is not None and p.pk == self.pp.pk) for p in self.daftar]
        hasil.append((AKHIR, "Akhir (tahunan)", self.pp is None))
        return hasil


def select_periode(
    instansi: Instansi | int, kunci: str | None, *, ketat: bool = False
) -> PilihanPeriode | None:
    """``?periode=N`` (a periode of the current year), ``akhir`` (the year), or the running periode (read
    with its periode penilaian and its instansi in one query; ``instansi`` may be its id).

    ``ketat`` (writes): ``kunci`` must name a periode of the year or ``akhir``; anything else gives None,
    so a form never writes to a periode it did not name."""
    periode, daftar = pelaksanaan.periode_berjalan_dan_daftar(
        instansi if isinstance(instansi, int) else instansi.pk
    )
    if periode is None:
        return None
    kunci = (kunci or "").strip().lower()
    if kunci == AKHIR or not daftar:
        return PilihanPeriode(periode, None, daftar)
    if ketat and not any(str(p.nomor) == kunci for p in daftar):
        return None
    return PilihanPeriode(periode, pelaksanaan.select_periode(daftar, kunci), daftar)


def instansi_user(user: User) -> Instansi | None:
    if user.pegawai_id:
        return user.pegawai.instansi
    if is_admin_kepegawaian(user):
        return user.admin_instansi
    if is_superuser(user):
        return Instansi.objects.order_by("pk").first()
    return None


# --- capaian organisasi ---------------------------------------------------------------------------------

_URUT_JENIS = {j.value: i for i, j in enumerate(JenisPenempatan)}


def pimpinan_semua_unit(instansi: Instansi, tanggal: datetime.date) -> dict[int, Penempatan]:
    """The head of every unit on a date (definitif > PLT > PLH, as `org.pimpinan_unit`), one query."""
    rows = sorted(
        Penempatan.objects.aktif_pada(tanggal)
        .filter(jabatan__unit__instansi=instansi, jabatan__pimpinan_unit=True, pegawai__aktif=True)
        .select_related("pegawai", "jabatan"),
        key=lambda p: (_URUT_JENIS.get(p.jenis, 9), p.mulai),
    )
    hasil: dict[int, Penempatan] = {}
    for p in rows:
        hasil.setdefault(p.jabatan.unit_id, p)
    return hasil


@dataclass(frozen=True)
class Penetap:
    """Who sets a unit's capaian organisasi (`rules.rating.penetap_capaian_organisasi`): the head
    ``pegawai`` of the nearest unit above (``unit_atas``) who does not head this unit too; ``admin`` True:
    the admin kepegawaian on the PPK's written decision (the top unit, or no other head above).
    ``kepala_unit``: the unit's own head, who never sets it."""

    pegawai: Pegawai | None
    unit_atas: UnitKerja | None
    admin: bool
    kepala_unit: int | None = None

    def boleh(self, user: User, instansi_id: int) -> bool:
        aturan = rating_rules.PenetapCapaian(self.pegawai.pk if self.pegawai else None, None, self.admin)
        return rating_rules.may_set_capaian(
            aturan, self.kepala_unit, user.pegawai_id, is_admin_of(user, instansi_id)
        )


def penetap_capaian(units: list[UnitKerja], kepala: dict[int, Penempatan]) -> dict[int, Penetap]:
    """`permissions.may_set_capaian_unit` for every unit at once (``units``: the whole instansi)."""
    by_pk = {u.pk: u for u in units}
    hasil: dict[int, Penetap] = {}
    for u in units:
        atas_list: list[UnitKerja] = []
        atas = by_pk.get(u.parent_id) if u.parent_id else None
        while atas is not None:
            atas_list.append(atas)
            atas = by_pk.get(atas.parent_id) if atas.parent_id else None
        sendiri = kepala[u.pk].pegawai.pk if u.pk in kepala else None
        kepala_atas = [kepala[a.pk].pegawai.pk if a.pk in kepala else None for a in atas_list]
        aturan = rating_rules.penetap_capaian_organisasi(sendiri, kepala_atas)
        if aturan.admin or aturan.tingkat is None:
            hasil[u.pk] = Penetap(None, None, True, sendiri)
        else:
            unit_atas = atas_list[aturan.tingkat]
            hasil[u.pk] = Penetap(kepala[unit_atas.pk].pegawai, unit_atas, False, sendiri)
    return hasil


@dataclass
class BarisCapaian:
    unit: UnitKerja
    kepala: Penempatan | None
    penetap: Penetap
    boleh: bool
    capaian: CapaianOrganisasiUnit | None
    depth: int = 0
    final: bool = False  # a final evaluation rests on it: it can no longer change
    galat: str = ""  # the error of a refused submit of this row
    isian: dict[str, str] = field(default_factory=dict)  # the form's values (a refused submit keeps them)


@dataclass
class HalamanCapaian:
    baris: list[BarisCapaian]
    ada_ambang: bool


def _capaian_qs(periode: Periode, pp: PeriodePenilaian | None) -> Any:
    qs = CapaianOrganisasiUnit.objects.filter(periode=periode)
    return qs.filter(periode_penilaian__isnull=True) if pp is None else qs.filter(periode_penilaian=pp)


def baris_capaian(user: User, instansi: Instansi, pilihan: PilihanPeriode) -> HalamanCapaian:
    """The units whose capaian organisasi ``user`` sets for the periode (the admin: every unit, with the
    form only where the admin sets it), with the value set so far. Seven queries whatever the size."""
    units = list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))
    kepala = pimpinan_semua_unit(instansi, pilihan.tanggal)
    penetap = penetap_capaian(units, kepala)
    admin = is_admin_of(user, instansi.pk)
    dipilih = [u for u in units if admin or penetap[u.pk].boleh(user, instansi.pk)]
    capaian = {
        c.unit_id: c
        for c in _capaian_qs(pilihan.periode, pilihan.pp)
        .filter(unit__in=[u.pk for u in dipilih])
        .select_related("ditetapkan_oleh__pegawai")
    }
    min_depth = min((u.depth for u in dipilih), default=0)
    final_evs = evaluasi_periode(pilihan.periode, pilihan.pp).filter(status=Status.FINAL.value)
    final = set(final_evs.values_list("unit_kelompok_id", flat=True)) | set(
        final_evs.exclude(unit_dipimpin_id=None).values_list("unit_dipimpin_id", flat=True)
    )
    baris = [
        BarisCapaian(
            unit=u,
            kepala=kepala.get(u.pk),
            penetap=penetap[u.pk],
            boleh=penetap[u.pk].boleh(user, instansi.pk),
            capaian=capaian.get(u.pk),
            depth=u.depth - min_depth,
            final=u.pk in final,
        )
        for u in dipilih
    ]
    return HalamanCapaian(baris, bool(instansi.ambang_capaian_organisasi))


@dataclass(frozen=True)
class KelompokTerdampak:
    """A rating group whose check (or whose unit head's rating hasil kerja) follows a capaian just set."""

    penilai_param: str  # ?penilai= of the group page: an id, "0" (no penilai) or "" (a unit group)
    penilai_nama: str
    unit_id: int
    unit_nama: str
    dinilai: int
    alasan: str


def kelompok_terdampak(unit: UnitKerja, pilihan: PilihanPeriode) -> list[KelompokTerdampak]:
    """Groups with rated pegawai that a change of ``unit``'s capaian organisasi re-checks: the groups of
    that unit (their pola distribusi) and the groups of the unit's heads (their rating hasil kerja)."""
    evs = Evaluasi.objects.filter(periode=pilihan.periode).exclude(predikat="")
    evs = (
        evs.filter(jenis=JenisEvaluasi.TAHUNAN)
        if pilihan.pp is None
        else evs.filter(periode_penilaian=pilihan.pp)
    )
    mode = unit.instansi.kelompok_distribusi
    hitung: dict[tuple[str, int], dict[str, Any]] = {}
    for e in evs.filter(Q(unit_kelompok=unit) | Q(unit_dipimpin=unit)).select_related("unit_kelompok"):
        if e.penilai_id is None:
            param, nama = "0", "tanpa pejabat penilai"
        elif mode == "unit":
            param, nama = "", ""
        else:
            param, nama = str(e.penilai_id), e.penilai_nama
        row = hitung.setdefault(
            (param, e.unit_kelompok_id),
            {"nama": nama, "unit": e.unit_kelompok.nama, "n": 0, "alasan": set()},
        )
        row["n"] += 1
        row["alasan"].add(
            "rating hasil kerja pimpinan unit" if e.unit_dipimpin_id == unit.pk else "pola distribusi"
        )
    return sorted(
        (
            KelompokTerdampak(param, r["nama"], uid, r["unit"], r["n"], " dan ".join(sorted(r["alasan"])))
            for (param, uid), r in hitung.items()
        ),
        key=lambda t: (t.unit_nama, t.penilai_nama),
    )


# --- one rating group -----------------------------------------------------------------------------------


# What a user may do on one group is decided in kinerja.permissions.penilaian (`akses_kelompok`).


def nama_per_predikat(kel: Kelompok) -> dict[Predikat, list[str]]:
    hasil: dict[Predikat, list[str]] = {p: [] for p in Predikat}
    for e in kel.dalam_pola:  # the head of the unit is not in its curve (docs/rules.md §3.8)
        if e.predikat:
            hasil[Predikat(e.predikat)].append(e.pegawai_nama)
    return hasil


def grafik_kelompok(
    kel: Kelompok, cek: distribusi_rules.DistribusiCheck | None = None, kunci: str | None = None
) -> grafik.GrafikDistribusi | None:
    """The chart of the group under its own capaian (or the ``cek`` of a what-if); None without one."""
    cek = cek if cek is not None else kel.cek
    if cek is None:
        return None
    return grafik.data_grafik(cek, rules=kel.rules, pegawai=nama_per_predikat(kel), kunci=kunci)


@dataclass(frozen=True)
class PegawaiDiLuar:
    """A violation of the pola distribusi with the pegawai it concerns, for calibrating."""

    pesan: str
    jenis: str
    pegawai: list[str]  # in the predikat concerned
    di_luar: list[str]  # the others (a lower share or "harus ada": who would have to move into it)


def pelanggaran(kel: Kelompok, cek: distribusi_rules.DistribusiCheck | None = None) -> list[PegawaiDiLuar]:
    """`Kelompok.pelanggaran_dengan_nama` of the group's own check or of a what-if (nothing is saved)."""
    sumber = kel if cek is None else replace(kel, cek=cek)
    return [
        PegawaiDiLuar(p["pesan"], p["jenis"], p["pegawai"], p["di_luar"])
        for p in sumber.pelanggaran_dengan_nama()
    ]


def finalisasi_terakhir(kel: Kelompok) -> FinalisasiKelompok | None:
    """The group's latest finalisation (already loaded with a final group: no query then)."""
    if kel.finalisasi is not None:
        return kel.finalisasi
    return finalisasi_dengan_aturan(
        kel.periode, kel.periode_penilaian, kel.unit, kel.mode, kel.penilai
    ).first()


# --- calibration: every group under an atasan ------------------------------------------------------------


@dataclass
class RingkasanKelompok:
    """One rating group on the calibration page."""

    penilai: Pegawai | None
    unit: UnitKerja
    mode: str
    tanpa_penilai: bool = False  # the group of the SKP without a penilai (the head of the instansi)
    anggota: int = 0  # evaluations + approved SKP without one
    pimpinan: int = 0  # members heading the group's unit: left out of its curve (docs/rules.md §3.8)
    dinilai: int = 0
    final: int = 0
    belum_dibuka: int = 0
    jumlah: dict[Predikat, int] = field(default_factory=lambda: {p: 0 for p in Predikat})
    capaian: CapaianOrganisasiUnit | None = None
    cek: distribusi_rules.DistribusiCheck | None = None
    nama_penilai: str = ""

    @property
    def jumlah_pelanggaran(self) -> int | None:
        if self.cek is None:
            return None
        return len(self.cek.violations) if self.cek.applicable else 0

    @property
    def semua_final(self) -> bool:
        return self.anggota > 0 and self.final == self.anggota

    @property
    def penilai_param(self) -> str:
        if self.tanpa_penilai:
            return "0"
        return "" if self.penilai is None else str(self.penilai.pk)

    @property
    def kunci(self) -> str:
        return f"{self.penilai_param or 'u'}-{self.unit.pk}"


def _dalam_periode(qs: Any, pp: PeriodePenilaian | None) -> Any:
    if pp is not None:
        return qs.filter(mulai__lte=pp.selesai, selesai__gte=pp.mulai)
    return qs


def kalibrasi(user: User, instansi: Instansi, pilihan: PilihanPeriode) -> list[RingkasanKelompok]:
    """Every rating group under ``user``: in "penilai" groups, those of the penilai whose definitif jabatan
    lies below a jabatan the user holds, or of whom the user is atasan penilai on an evaluation; in "unit"
    groups, the units below the units the user heads. The admin kepegawaian: every group of the instansi.
    A constant number of queries whatever the number of groups and pegawai."""
    periode, pp = pilihan.periode, pilihan.pp
    mode = instansi.kelompok_distribusi
    admin = is_admin_of(user, instansi.pk)
    if not admin and not user.pegawai_id:
        return []
    skp_qs = _dalam_periode(
        Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value), pp
    ).select_related("penilai", "penilai_jabatan__unit", "unit")
    evs = Evaluasi.objects.filter(periode=periode)
    evs = evs.filter(jenis=JenisEvaluasi.TAHUNAN) if pp is None else evs.filter(periode_penilaian=pp)
    units_dipimpin: list[UnitKerja] = []
    if mode == "unit":
        if not admin:
            units_dipimpin = [
                j.unit for j in org.jabatan_dipegang(user.pegawai) if j.pimpinan_unit and j.unit_id
            ]
            if not units_dipimpin:
                return []
            below = Q(pk__in=[])
            for u in units_dipimpin:
                below |= Q(path__startswith=u.path)
            sub = UnitKerja.objects.filter(below).exclude(pk__in=[u.pk for u in units_dipimpin])
            skp_qs = skp_qs.filter(penilai__isnull=False, penilai_jabatan__unit__in=sub)
            evs = evs.filter(penilai__isnull=False, unit_kelompok__in=sub)
    elif not admin:
        bawahan = org.bawahan_semua_qs(user.pegawai).values("pk")
        skp_qs = skp_qs.filter(Q(penilai__in=bawahan) | Q(atasan_penilai_id=user.pegawai_id)).exclude(
            penilai_id=user.pegawai_id
        )
        evs = evs.filter(Q(penilai__in=bawahan) | Q(atasan_penilai_id=user.pegawai_id)).exclude(
            penilai_id=user.pegawai_id
        )
    skp_list = list(skp_qs)
    ev_list = list(evs.select_related("penilai", "unit_kelompok"))

    grup: dict[tuple[Any, int], RingkasanKelompok] = {}

    def ambil(key: tuple[Any, int], penilai: Pegawai | None, unit: UnitKerja) -> RingkasanKelompok:
        r = grup.get(key)
        if r is None:
            r = grup[key] = RingkasanKelompok(
                penilai=penilai, unit=unit, mode=mode, tanpa_penilai=key[0] == "-"
            )
        return r

    # Group key: ("-", unit) for the SKP without a penilai; (None, unit) for a unit group; (penilai, unit).
    def kunci(penilai_id: int | None, unit_id: int) -> tuple[Any, int]:
        if penilai_id is None:
            return ("-", unit_id)
        return (None if mode == "unit" else penilai_id, unit_id)

    dinilai_pegawai: dict[tuple[Any, int], set[int]] = defaultdict(set)
    for e in ev_list:
        k = kunci(e.penilai_id, e.unit_kelompok_id)
        r = ambil(k, e.penilai if mode == "penilai" else None, e.unit_kelompok)
        r.anggota += 1
        dinilai_pegawai[k].add(e.pegawai_id)
        dalam_pola = distribusi_rules.dihitung_dalam_pola(e.unit_kelompok_id, e.unit_dipimpin_id)
        r.pimpinan += not dalam_pola
        if e.predikat:
            r.dinilai += 1
            if dalam_pola:
                r.jumlah[Predikat(e.predikat)] += 1
        if e.status == Status.FINAL.value:
            r.final += 1
    # Approved SKP without an evaluation: only each pegawai's latest SKP of the periode counts.
    terakhir: dict[int, tuple[datetime.date, int]] = {}
    pegawai_ids = {s.pegawai_id for s in skp_list}
    semua_skp = Skp.objects.filter(
        periode=periode, status=StatusSkp.DISETUJUI.value, pegawai_id__in=pegawai_ids
    )
    if pp is not None:
        semua_skp = semua_skp.filter(mulai__lte=pp.selesai)
    for pid, mulai, pk in semua_skp.values_list("pegawai_id", "mulai", "pk"):
        if pid not in terakhir or (mulai, pk) > terakhir[pid]:
            terakhir[pid] = (mulai, pk)
    for s in skp_list:
        unit = s.penilai_jabatan.unit if s.penilai_id and s.penilai_jabatan_id else s.unit
        k = kunci(s.penilai_id, unit.pk)
        r = ambil(k, s.penilai if mode == "penilai" else None, unit)
        if s.pegawai_id in dinilai_pegawai[k] or terakhir.get(s.pegawai_id, (None, None))[1] != s.pk:
            continue
        r.anggota += 1
        r.belum_dibuka += 1
        dinilai_pegawai[k].add(s.pegawai_id)
    capaian = {c.unit_id: c for c in _capaian_qs(periode, pp).filter(unit__in={k[1] for k in grup})}
    _, rules = aturan_berlaku(instansi)
    aturan_final = _aturan_kelompok_final(periode, pp, mode, [k for k, r in grup.items() if r.semua_final])
    for kunci_grup, r in grup.items():
        tanpa = kunci_grup[0]
        r.capaian = capaian.get(r.unit.pk)
        if r.capaian is not None:
            aturan, minimal = aturan_final.get(kunci_grup, (rules, instansi.minimal_kelompok_distribusi))
            r.cek = distribusi_rules.check(
                r.capaian.nilai_enum,
                r.jumlah,
                aturan,
                minimal=minimal,
                anggota=r.anggota - r.pimpinan,
                pimpinan=r.pimpinan,
            )
        if tanpa == "-":
            r.nama_penilai = "Tanpa pejabat penilai (dinilai admin kepegawaian)"
        elif r.penilai is not None:
            r.nama_penilai = r.penilai.nama_lengkap
    hasil = list(grup.values())
    hasil.sort(key=lambda r: (r.unit.path, r.nama_penilai))
    return hasil


def _aturan_kelompok_final(
    periode: Periode, pp: PeriodePenilaian | None, mode: str, kunci: list[tuple[Any, int]]
) -> dict[tuple[Any, int], tuple[distribusi_rules.Rules, int]]:
    """The rules and group-size minimum each FINAL group of `kalibrasi` (by its key) was finalised with, as
    `selectors.kelompok` checks it: one query, none without a final group."""
    if not kunci:
        return {}
    qs = FinalisasiKelompok.objects.filter(
        periode=periode, kelompok=mode, unit_kelompok__in={k[1] for k in kunci}
    )
    qs = qs.filter(periode_penilaian__isnull=True) if pp is None else qs.filter(periode_penilaian=pp)
    dicari = set(kunci)
    hasil: dict[tuple[Any, int], tuple[distribusi_rules.Rules, int]] = {}
    for fin in dengan_aturan_finalisasi(qs).order_by("pada", "pk"):  # the latest wins
        if mode == "penilai":
            calon = [(fin.penilai_id if fin.penilai_id is not None else "-", fin.unit_kelompok_id)]
        else:  # a "unit" finalisation records no penilai
            calon = [(None, fin.unit_kelompok_id), ("-", fin.unit_kelompok_id)]
        for k in calon:
            if k in dicari:
                hasil[k] = (aturan_finalisasi(fin)[1], fin.minimal_kelompok or 0)
    return hasil


def kelompok_penanda(r: RingkasanKelompok) -> dict[str, str]:
    """The query string of a group's page (without the periode)."""
    hasil = {"unit": str(r.unit.pk)}
    if r.penilai_param:
        hasil["penilai"] = r.penilai_param
    return hasil
