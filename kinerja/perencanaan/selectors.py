"""Reads of the planning stage, with the prefetches that keep query counts flat."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

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
from kinerja.perencanaan.models import (
    Indikator,
    IndikatorTargetPeriode,
    PerjanjianKinerja,
    PerjanjianKinerjaIndikator,
    Rhk,
    Skp,
    SkpLampiran,
    SkpPerilaku,
)
from kinerja.permissions import is_admin_kepegawaian, is_superuser
from kinerja.rules import JenisJabatan, JenisPenempatan, JenisRhk, Perspektif
from kinerja.rules import skp as skp_rules
from kinerja.rules.alur import Status
from kinerja.rules.persetujuan import boleh_setujui_massal


def skp_lengkap(qs: QuerySet[Skp] | None = None) -> QuerySet[Skp]:
    """SKP with everything its page or document shows, in a fixed number of queries.

    Each child is ordered within its parent (`order_by` here, not the models' `Meta.ordering`, which for a
    child row means its parent's ordering and so joins RHK → SKP → periode on every child query)."""
    qs = qs if qs is not None else Skp.objects.all()
    return qs.select_related(
        "periode", "pegawai", "jabatan", "unit", "penilai", "perjanjian_kinerja", "disetujui_oleh__pegawai"
    ).prefetch_related(
        Prefetch(
            "rhk",
            queryset=Rhk.objects.select_related("intervensi", "intervensi__skp", "pk_indikator__manual")
            .order_by("jenis", "urutan", "pk")
            .prefetch_related(
                Prefetch(
                    "indikator",
                    queryset=Indikator.objects.order_by("urutan", "pk").prefetch_related(
                        Prefetch("target_periode", queryset=IndikatorTargetPeriode.objects.order_by("nomor"))
                    ),
                )
            ),
        ),
        Prefetch("perilaku", queryset=SkpPerilaku.objects.order_by("pk")),
        Prefetch("lampiran", queryset=SkpLampiran.objects.order_by("jenis", "urutan", "pk")),
        Prefetch("periode__periode_penilaian", queryset=PeriodePenilaian.objects.order_by("nomor")),
    )


def skp_pegawai(pegawai: Pegawai, periode: Periode) -> list[Skp]:
    return list(Skp.objects.filter(pegawai=pegawai, periode=periode).order_by("mulai"))


def skp_berjalan(pegawai: Pegawai, periode: Periode) -> Skp | None:
    """The pegawai's SKP that covers today (or the latest of the year)."""
    today = org.today()
    rows = skp_pegawai(pegawai, periode)
    for skp in rows:
        if skp.mulai <= today <= skp.selesai:
            return skp
    return rows[-1] if rows else None


def periode_berjalan(instansi: Instansi | int) -> Periode | None:
    """The instansi's (or instansi id's) periode of this year, else its latest."""
    today = org.today()
    return (
        Periode.objects.filter(instansi=instansi, tahun=today.year).first()
        or Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    )


def inbox_penilai(pegawai: Pegawai) -> QuerySet[Skp]:
    """SKP waiting for this penilai's agreement, oldest first."""
    return (
        Skp.objects.filter(penilai=pegawai, status=Status.DIAJUKAN.value)
        .select_related("periode", "pegawai")
        .order_by("diajukan_pada")
    )


def pesan_terakhir_per_utas(skp_ids: list[int]) -> dict[int, list[datetime.datetime]]:
    """The latest message time of every umpan balik thread (root and replies) of these SKP, in one aggregate
    query however many SKP there are (docs/rules.md §33.7)."""
    rows = (
        Skp.objects.filter(pk__in=skp_ids)
        .order_by()
        .values("pk", utas=Coalesce("umpan_balik__induk_id", "umpan_balik__id"))
        .annotate(terakhir=Max("umpan_balik__pada"))
    )
    hasil: dict[int, list[datetime.datetime]] = defaultdict(list)
    for r in rows:
        if r["utas"] is not None:
            hasil[r["pk"]].append(r["terakhir"])
    return hasil


def kelayakan_massal(skps: list[Skp]) -> dict[int, str | None]:
    """Per SKP: None when it may be approved in bulk, else why not (docs/rules.md §33.7)."""
    utas = pesan_terakhir_per_utas([s.pk for s in skps])
    return {
        s.pk: boleh_setujui_massal(s.status == Status.DIAJUKAN.value, utas.get(s.pk, []), s.diajukan_pada)
        for s in skps
    }


def skp_bawahan(pegawai: Pegawai, periode: Periode) -> QuerySet[Skp]:
    return (
        Skp.objects.filter(penilai=pegawai, periode=periode)
        .select_related("pegawai")
        .order_by("pegawai_nama")
    )


@dataclass
class ProgresUnit:
    unit: UnitKerja
    jumlah_pegawai: int = 0
    status: Counter[str] = field(default_factory=Counter)

    @property
    def belum_dibuat(self) -> int:
        return max(0, self.jumlah_pegawai - sum(self.status.values()))

    def persen(self, status: str) -> int:
        return round(100 * self.status[status] / self.jumlah_pegawai) if self.jumlah_pegawai else 0


def progres_skp(instansi: Instansi, periode: Periode) -> list[ProgresUnit]:
    """Per unit: pegawai (definitif today) and the status of their current SKP of the year."""
    today = org.today()
    units = list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))
    rows = {u.pk: ProgresUnit(u) for u in units}
    pegawai_unit = dict(
        Penempatan.objects.aktif_pada(today)
        .filter(jabatan__instansi=instansi, jenis=JenisPenempatan.DEFINITIF.value, pegawai__aktif=True)
        .values_list("pegawai_id", "jabatan__unit_id")
    )
    for unit_id in pegawai_unit.values():
        rows[unit_id].jumlah_pegawai += 1
    latest: dict[int, str] = {}
    for pegawai_id, status in (
        Skp.objects.filter(periode=periode, pegawai_id__in=pegawai_unit)
        .order_by("mulai")
        .values_list("pegawai_id", "status")
    ):
        latest[pegawai_id] = status
    for pegawai_id, status in latest.items():
        rows[pegawai_unit[pegawai_id]].status[status] += 1
    return [rows[u.pk] for u in units]


@dataclass
class SimpulPohon:
    rhk: Rhk
    anak: list[SimpulPohon] = field(default_factory=list)
    # False: the reader may not read this RHK's SKP (`perencanaan.view_skp`), so the page shows only
    # whose RHK it is, not its content (docs/rules.md §10, "Pohon kinerja").
    terlihat: bool = True


def pohon_kinerja(
    periode: Periode,
    akar: list[Rhk] | None = None,
    unit: UnitKerja | None = None,
    pembaca: User | None = None,
) -> list[SimpulPohon]:
    """Every RHK of the year as a tree along the cascade links (a fixed number of queries whatever the size).

    With `unit`, only the SKP of that unit's subtree are read below the roots (`akar`). With `pembaca`, a
    node whose SKP that user may not read is marked `terlihat=False` (its branch stays, so the RHK the user
    may read below it are still shown in place); the read rule is evaluated for all SKP in one query.
    """
    qs = Rhk.objects.filter(skp__periode=periode)
    if unit is not None:
        qs = qs.filter(skp__unit__path__startswith=unit.path)
    semua = list(
        qs.select_related("skp", "pk_indikator__manual").order_by("skp__pegawai_nama", "jenis", "urutan")
    )
    anak: dict[int | None, list[Rhk]] = defaultdict(list)
    for r in semua:
        anak[r.intervensi_id].append(r)

    def bangun(r: Rhk, depth: int = 0) -> SimpulPohon:
        return SimpulPohon(r, [bangun(c, depth + 1) for c in anak.get(r.pk, [])] if depth < 50 else [])

    roots = akar if akar is not None else [r for r in anak[None] if r.skp.penilai_id is None]
    simpul = [bangun(r) for r in roots]
    if pembaca is not None:
        semua_skp = {r.skp_id for r in semua} | {r.skp_id for r in roots}
        boleh = set(skp_terlihat(pembaca).filter(pk__in=semua_skp).values_list("pk", flat=True))

        def tandai(s: SimpulPohon) -> None:
            s.terlihat = s.rhk.skp_id in boleh
            for a in s.anak:
                tandai(a)

        for s in simpul:
            tandai(s)
    return simpul


@dataclass
class Matriks:
    unit: UnitKerja
    pimpinan: Skp | None
    bawahan: list[Skp]
    baris: list[tuple[Rhk, list[list[Rhk]]]]  # atasan RHK → per bawahan, the RHK intervening it
    tidak_tercakup: list[Rhk]
    duplikat: list[tuple[Rhk, str, list[str]]]  # atasan RHK, repeated text, the bawahan who wrote it


def teks_normal(teks: str) -> str:
    """RHK text compared for duplicates: case and spacing do not make two roles different."""
    return " ".join(teks.lower().split())


def matriks_peran_hasil(unit: UnitKerja, periode: Periode) -> Matriks:
    """Matriks Pembagian Peran dan Hasil of a unit: the head's RHK × their direct bawahan."""
    kepala = org.pimpinan_unit(unit)
    skp_kepala = skp_berjalan(kepala.pegawai, periode) if kepala else None
    if skp_kepala is None:
        return Matriks(unit, None, [], [], [], [])
    skp_kepala = skp_lengkap(Skp.objects.filter(pk=skp_kepala.pk)).get()
    bawahan = list(
        Skp.objects.filter(penilai_id=skp_kepala.pegawai_id, periode=periode)
        .filter(mulai__lte=skp_kepala.selesai, selesai__gte=skp_kepala.mulai)
        .prefetch_related("rhk")
        .order_by("pegawai_jabatan", "pegawai_nama")
    )
    baris, tidak_tercakup, duplikat = [], [], []
    for r in skp_kepala.rhk.all():
        sel = [[c for c in b.rhk.all() if c.intervensi_id == r.pk] for b in bawahan]
        baris.append((r, sel))
        if not any(sel):
            tidak_tercakup.append(r)
        teks: dict[str, list[str]] = defaultdict(list)
        for b, cell in zip(bawahan, sel, strict=True):
            for c in cell:
                teks[teks_normal(c.teks)].append(b.pegawai_nama)
        duplikat += [(r, t, names) for t, names in teks.items() if len(names) > 1]
    return Matriks(unit, skp_kepala, bawahan, baris, tidak_tercakup, duplikat)


def perjanjian_list(instansi: Instansi, periode: Periode) -> QuerySet[PerjanjianKinerja]:
    return (
        PerjanjianKinerja.objects.filter(instansi=instansi, periode=periode)
        .select_related("unit", "pegawai")
        .order_by("unit__path")
    )


def perjanjian_instansi(instansi: Instansi, tahun: int | None = None) -> QuerySet[PerjanjianKinerja]:
    """Every Perjanjian Kinerja of the instansi (of one year when given), newest year first."""
    qs = PerjanjianKinerja.objects.filter(instansi=instansi).select_related("periode", "unit")
    if tahun is not None:
        qs = qs.filter(periode__tahun=tahun)
    return qs.order_by("-periode__tahun", "unit__path", "pk")


def perjanjian_lengkap(pk_id: int) -> PerjanjianKinerja | None:
    """One Perjanjian Kinerja with its sasaran, IKU and their per-periode targets."""
    return (
        PerjanjianKinerja.objects.filter(pk=pk_id)
        .select_related("periode", "unit")
        .prefetch_related(
            Prefetch(
                "indikator",
                queryset=PerjanjianKinerjaIndikator.objects.select_related(
                    "sasaran", "manual"
                ).prefetch_related("manual__target_periode"),
            )
        )
        .first()
    )


@dataclass
class PohonUnit:
    """The pohon kinerja of a unit: its head's Perjanjian Kinerja, then the head's RHK as roots."""

    unit: UnitKerja
    kepala: org.Pemangku | None
    skp_kepala: Skp | None
    perjanjian: PerjanjianKinerja | None
    # Per IKU of the Perjanjian Kinerja (None: RHK not linked to an IKU), the head's RHK below it.
    kelompok: list[tuple[PerjanjianKinerjaIndikator | None, list[SimpulPohon]]]

    @property
    def jumlah_rhk(self) -> int:
        def hitung(s: SimpulPohon) -> int:
            return 1 + sum(hitung(a) for a in s.anak)

        return sum(hitung(s) for _, akar in self.kelompok for s in akar)

    @property
    def ada_tertutup(self) -> bool:
        """Whether some RHK are shown closed (the reader may not read their SKP)."""

        def tertutup(s: SimpulPohon) -> bool:
            return not s.terlihat or any(tertutup(a) for a in s.anak)

        return any(tertutup(s) for _, akar in self.kelompok for s in akar)


def pohon_unit(unit: UnitKerja, periode: Periode, pembaca: User | None = None) -> PohonUnit:
    """Pohon kinerja of a unit for a year, in a fixed number of queries whatever the number of RHK; with
    `pembaca`, the content of each RHK only where that user may read its SKP (see `pohon_kinerja`)."""
    kepala = org.pimpinan_unit(unit)
    skp_kepala = skp_berjalan(kepala.pegawai, periode) if kepala else None
    perjanjian = (
        PerjanjianKinerja.objects.filter(periode=periode, unit=unit)
        .order_by("-pk")
        .prefetch_related(
            Prefetch(
                "indikator",
                queryset=PerjanjianKinerjaIndikator.objects.select_related("sasaran", "manual"),
            )
        )
    )
    if kepala is not None:
        perjanjian = perjanjian.filter(pegawai=kepala.pegawai)
    pk = perjanjian.first()
    if skp_kepala is None:
        akar: list[Rhk] = []
    else:
        akar = list(
            Rhk.objects.filter(skp=skp_kepala)
            .select_related("skp", "pk_indikator__manual")
            .order_by("jenis", "urutan", "pk")
        )
    simpul = pohon_kinerja(periode, akar, unit=unit, pembaca=pembaca) if akar else []
    per_iku: dict[int | None, list[SimpulPohon]] = defaultdict(list)
    for s in simpul:
        per_iku[s.rhk.pk_indikator_id].append(s)
    kelompok: list[tuple[PerjanjianKinerjaIndikator | None, list[SimpulPohon]]] = []
    if pk is not None:
        kelompok = [(i, per_iku.pop(i.pk, [])) for i in pk.indikator.all()]
    lain = [s for rows in per_iku.values() for s in rows]
    if lain:
        kelompok.append((None, lain))
    return PohonUnit(unit, kepala, skp_kepala, pk, kelompok)


def skp_terlihat(user: User) -> QuerySet[Skp]:
    """Every SKP `user` may see, as one query: the `perencanaan.view_skp` rule of `kinerja.permissions`
    (all for a superuser; the instansi's for its admin kepegawaian; otherwise their own, those naming them
    as penilai or atasan penilai, and those of every pegawai below a jabatan they hold today)."""
    if not user.is_authenticated:
        return Skp.objects.none()
    if is_superuser(user):
        return Skp.objects.all()
    cond = Q()
    if is_admin_kepegawaian(user):
        cond |= Q(instansi_id=user.admin_instansi_id)
    if user.pegawai_id:
        me = user.pegawai_id
        cond |= Q(pegawai_id=me) | Q(penilai_id=me) | Q(atasan_penilai_id=me)
        cond |= Q(pegawai__in=org.bawahan_semua_qs(user.pegawai))
    return Skp.objects.filter(cond) if cond else Skp.objects.none()


def masalah_pengajuan(skp: Skp, rhk: list[Rhk] | None = None) -> list[str]:
    """What still keeps this SKP from being submitted, in Bahasa Indonesia (empty: ready).

    `rhk`: the SKP's RHK already read with their `daftar_indikator` (`skp.selectors.rhk_skp`); else its
    `rhk` and their `indikator` (prefetched or read here)."""
    masalah: list[str] = []
    rhk_list = rhk if rhk is not None else list(skp.rhk.all())
    utama = [r for r in rhk_list if r.jenis == JenisRhk.UTAMA.value]
    if not utama:
        masalah.append("Belum ada RHK utama.")
    for r in rhk_list:
        if not (r.daftar_indikator if rhk is not None else r.indikator.all()):
            masalah.append(f'RHK "{r.teks[:60]}" belum memiliki indikator.')
        if r.jenis == JenisRhk.UTAMA.value and skp.penilai_id and r.intervensi_id is None:
            masalah.append(f'RHK "{r.teks[:60]}" belum menyebut RHK pimpinan yang diintervensi.')
    if JenisJabatan(skp.jabatan.jenis) in skp_rules.JPT:
        kurang = skp_rules.perspektif_kurang(Perspektif(r.perspektif) for r in utama if r.perspektif)
        if kurang:
            masalah.append(
                "SKP JPT harus mencakup keempat perspektif; belum ada: "
                + ", ".join(p.label for p in kurang)
                + "."
            )
    return masalah


def snapshot_identitas(skp: Skp, tahun: int) -> dict[str, Any]:
    """The head of an SKP's snapshot: year, revision, model, dates, and the pegawai and penilai as frozen on
    the SKP (shared with the generator, which builds the rest of the snapshot from what it created)."""
    return {
        "tahun": tahun,
        "revisi": skp.revisi,
        "model": skp.model,
        "mulai": skp.mulai.isoformat(),
        "selesai": skp.selesai.isoformat(),
        "pegawai": {k: getattr(skp, f"pegawai_{k}") for k in ("nama", "nip", "pangkat", "jabatan", "unit")},
        "penilai": {
            "nama": skp.penilai_nama,
            "nip": skp.penilai_nip,
            "pangkat": skp.penilai_pangkat,
            "jabatan": skp.penilai_jabatan_nama,
            "unit": skp.penilai_unit,
        },
    }


def snapshot(skp: Skp) -> dict[str, Any]:
    """The SKP's content as plain data (for SkpVersi, the document hash and the API)."""
    return {
        **snapshot_identitas(skp, skp.periode.tahun),
        "rhk": [
            {
                "id": r.pk,
                "jenis": r.jenis,
                "teks": r.teks,
                "intervensi": r.intervensi.teks if r.intervensi_id else "",
                "perspektif": r.perspektif,
                "indikator": [
                    {
                        "aspek": i.aspek,
                        "teks": i.teks,
                        "target": i.target_tampil,
                        "periode": {
                            t.nomor: (str(t.target_angka) if t.target_angka is not None else t.target_teks)
                            for t in i.target_periode.all()
                        },
                    }
                    for i in r.indikator.all()
                ],
            }
            for r in skp.rhk.select_related("intervensi").prefetch_related("indikator__target_periode")
        ],
        "perilaku": {p.kode: p.ekspektasi_khusus for p in skp.perilaku.all()},
        "lampiran": [
            {"jenis": lam.jenis, "kategori": lam.kategori, "teks": lam.teks} for lam in skp.lampiran.all()
        ],
    }


def hash_data(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
