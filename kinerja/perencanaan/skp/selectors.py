"""Reads of the SKP pages (SKP saya, the SKP page's history panel, the penilai's inbox, admin progress).

Every function runs a fixed number of queries whatever the number of RHK, indikator or pegawai.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Model, QuerySet, prefetch_related_objects

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, Penempatan, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.perencanaan import selectors
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp, SkpLampiran, SkpPerilaku
from kinerja.rules import JenisPenempatan
from kinerja.rules.alur import Status

# --- SKP saya -----------------------------------------------------------------------------------------


@dataclass
class RingkasanSkp:
    """A pegawai's SKP situation in the current periode: what the "SKP saya" page and the dashboard show."""

    periode: Periode | None
    skp: Skp | None
    semua: list[Skp]
    masalah: list[str] = field(default_factory=list)

    @property
    def sebelumnya(self) -> list[Skp]:
        return [s for s in self.semua if self.skp is None or s.pk != self.skp.pk]

    @property
    def jumlah_rhk(self) -> int:
        return len(self.skp.rhk.all()) if self.skp else 0

    @property
    def jumlah_indikator(self) -> int:
        return sum(len(r.indikator.all()) for r in self.skp.rhk.all()) if self.skp else 0


def ringkasan_skp(pegawai: Pegawai, *, rhk_semua: bool = True) -> RingkasanSkp:
    """The pegawai's SKP of the running periode. ``rhk_semua=False`` (the dashboard card, which counts no
    RHK): the RHK and indikator are read only for the current SKP when it is not approved yet (what still
    keeps it from being submitted), so an approved SKP costs two queries instead of four."""
    periode = selectors.periode_berjalan(pegawai.instansi)
    if periode is None:
        return RingkasanSkp(None, None, [])
    qs = Skp.objects.filter(pegawai=pegawai, periode=periode).select_related("periode", "jabatan")
    if rhk_semua:
        qs = qs.prefetch_related("rhk__indikator")
    semua = list(qs.order_by("mulai"))
    today = org.today()
    skp = next((s for s in semua if s.mulai <= today <= s.selesai), semua[-1] if semua else None)
    masalah: list[str] = []
    if skp and skp.status != Status.DISETUJUI.value:
        if not rhk_semua:
            prefetch_related_objects([skp], "rhk__indikator")
        masalah = selectors.masalah_pengajuan(skp)
    return RingkasanSkp(periode, skp, semua, masalah)


# --- the SKP page -------------------------------------------------------------------------------------


def rhk_skp(skp_id: int, rhk_id: int | None = None) -> list[Rhk]:
    """The RHK of an SKP (or only RHK `rhk_id`) in page order, in three queries whatever their number.

    Each RHK carries `daftar_indikator` (its indikator in order, each with `daftar_target`: its per-periode
    targets by number) and, read in the same query, what its card names of the RHK it intervenes
    (`intervensi_teks`, `intervensi_pemilik`) and of the Perjanjian Kinerja indikator it comes from
    (`iku_kode`, `iku_nama`). Children are ordered within their parent (not by the models' `Meta.ordering`,
    which for a child means its parent's ordering and joins RHK → SKP → periode on every query)."""
    rhk_qs = Rhk.objects.filter(skp_id=skp_id)
    indikator_qs = Indikator.objects.filter(rhk__skp_id=skp_id)
    target_qs = IndikatorTargetPeriode.objects.filter(indikator__rhk__skp_id=skp_id)
    if rhk_id is not None:
        rhk_qs = rhk_qs.filter(pk=rhk_id)
        indikator_qs = Indikator.objects.filter(rhk_id=rhk_id)
        target_qs = IndikatorTargetPeriode.objects.filter(indikator__rhk_id=rhk_id)
    rhk = list(
        rhk_qs.annotate(
            intervensi_teks=F("intervensi__teks"),
            intervensi_pemilik=F("intervensi__skp__pegawai_nama"),
            iku_kode=F("pk_indikator__manual__kode"),
            iku_nama=F("pk_indikator__manual__nama"),
        ).order_by("jenis", "urutan", "pk")
    )
    targets: dict[int, list[IndikatorTargetPeriode]] = defaultdict(list)
    for t in target_qs.order_by("nomor", "pk"):
        targets[t.indikator_id].append(t)
    indikator: dict[int, list[Indikator]] = defaultdict(list)
    for i in indikator_qs.order_by("urutan", "pk"):
        i.daftar_target = targets[i.pk]
        indikator[i.rhk_id].append(i)
    for r in rhk:
        r.daftar_indikator = indikator[r.pk]
    return rhk


@dataclass
class IsiSkp:
    """The contents of one SKP as its page shows them (`isi_skp`)."""

    rhk: list[Rhk]  # as `rhk_skp` gives them
    perilaku: list[SkpPerilaku]
    lampiran: list[SkpLampiran]
    nama_periode: dict[int, str]  # periode penilaian of the year: number → name ("Triwulan I")


def isi_skp(skp: Skp) -> IsiSkp:
    """Everything the SKP page shows below its header, in six queries whatever the number of rows."""
    return IsiSkp(
        rhk=rhk_skp(skp.pk),
        perilaku=list(SkpPerilaku.objects.filter(skp_id=skp.pk).order_by("pk")),
        lampiran=list(SkpLampiran.objects.filter(skp_id=skp.pk).order_by("jenis", "urutan", "pk")),
        nama_periode=dict(
            PeriodePenilaian.objects.filter(periode_id=skp.periode_id)
            .order_by("nomor")
            .values_list("nomor", "nama")
        ),
    )


# --- history panel of the SKP page --------------------------------------------------------------------


@dataclass
class Perubahan:
    """One row change of an RHK, indikator or per-periode target, as the "perubahan terakhir" list shows."""

    pada: datetime.datetime
    oleh: User | None
    objek: str  # "RHK", "Indikator", "Target Triwulan II"
    aksi: str  # "ditambahkan", "diubah", "dihapus"
    teks: str
    bidang: list[str] = field(default_factory=list)


_AKSI = {"+": "ditambahkan", "~": "diubah", "-": "dihapus"}
_BIDANG_RHK = ["teks", "jenis", "intervensi_id", "pk_indikator_id", "perspektif"]
_BIDANG_INDIKATOR = [
    "aspek",
    "teks",
    "target_angka",
    "target_angka_atas",
    "satuan",
    "target_teks",
    "polaritas",
    "konsolidasi",
]


def _label(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _perubahan(
    model: type[Model], rows: QuerySet[Any], bidang: list[str], limit: int, teks: Any, objek: Any
) -> list[Perubahan]:
    """The latest `limit` history rows of `rows`, each "~" row diffed against the row before it."""
    latest = list(
        rows.select_related("history_user__pegawai").order_by("-history_date", "-history_id")[:limit]
    )
    ids = {h.id for h in latest if h.history_type == "~"}
    sebelum: dict[int, Any] = {}
    if ids:
        riwayat: dict[int, list[Any]] = {}
        for h in rows.filter(id__in=ids).order_by("history_date", "history_id"):
            riwayat.setdefault(h.id, []).append(h)
        for versi in riwayat.values():
            for prev, cur in zip(versi, versi[1:], strict=False):
                sebelum[cur.history_id] = prev
    hasil = []
    for h in latest:
        berubah: list[str] = []
        if h.history_type == "~":
            prev = sebelum.get(h.history_id)
            if prev is not None:
                berubah = [_label(model, b) for b in bidang if getattr(prev, b) != getattr(h, b)]
                if not berubah:
                    continue  # saved without a change
        hasil.append(
            Perubahan(h.history_date, h.history_user, objek(h), _AKSI[h.history_type], teks(h), berubah)
        )
    return hasil


def perubahan_skp(skp: Skp, limit: int = 12) -> list[Perubahan]:
    """The latest row changes of the SKP's RHK, indikator and per-periode targets (who, when, what)."""
    hist_rhk = Rhk.history.model.objects.filter(skp_id=skp.pk)  # type: ignore[attr-defined]
    hist_ind = Indikator.history.model.objects.filter(  # type: ignore[attr-defined]
        rhk_id__in=hist_rhk.values("id")
    )
    hist_target = IndikatorTargetPeriode.history.model.objects.filter(  # type: ignore[attr-defined]
        indikator_id__in=hist_ind.values("id"), history_type="~"
    )
    nama_periode = {p.nomor: p.nama for p in skp.periode.periode_penilaian.all()}
    rows = (
        _perubahan(Rhk, hist_rhk, _BIDANG_RHK, limit, lambda h: h.teks, lambda h: "RHK")
        + _perubahan(Indikator, hist_ind, _BIDANG_INDIKATOR, limit, lambda h: h.teks, lambda h: "Indikator")
        + _perubahan(
            IndikatorTargetPeriode,
            hist_target,
            ["target_angka", "target_teks"],
            limit,
            lambda h: (
                (f"{h.target_angka.normalize():f}" if h.target_angka is not None else h.target_teks)
                or "(kosong)"
            ),
            lambda h: f"Target {nama_periode.get(h.nomor, f'periode {h.nomor}')}",
        )
    )
    rows.sort(key=lambda p: p.pada, reverse=True)
    return rows[:limit]


# --- penilai --------------------------------------------------------------------------------------------


@dataclass
class StatusBawahan:
    pegawai: Pegawai
    jabatan_nama: str
    skp: Skp | None  # the latest SKP of the year with this penilai
    jumlah_skp: int = 0
    bawahan_sekarang: bool = True


def status_bawahan(penilai: Pegawai, periode: Periode) -> list[StatusBawahan]:
    """Every pegawai this penilai rates today, plus anyone whose SKP of the year names them as penilai
    (e.g. moved away mid-year), with their latest SKP (None: not created yet)."""
    skp_rows = list(selectors.skp_bawahan(penilai, periode).select_related("jabatan").order_by("mulai"))
    per_pegawai: dict[int, list[Skp]] = {}
    for s in skp_rows:
        per_pegawai.setdefault(s.pegawai_id, []).append(s)
    hasil = []
    for b in org.bawahan_langsung(penilai):
        rows = per_pegawai.pop(b.pegawai.pk, [])
        hasil.append(StatusBawahan(b.pegawai, b.jabatan.nama, rows[-1] if rows else None, len(rows)))
    for rows in per_pegawai.values():
        hasil.append(StatusBawahan(rows[-1].pegawai, rows[-1].pegawai_jabatan, rows[-1], len(rows), False))
    return hasil


# --- admin progress -------------------------------------------------------------------------------------


@dataclass
class PegawaiSkp:
    penempatan: Penempatan
    skp: Skp | None


def pegawai_unit_skp(unit: UnitKerja, periode: Periode) -> list[PegawaiSkp]:
    """The pegawai holding a definitif jabatan in the unit today, each with their current SKP of the year."""
    rows = list(
        Penempatan.objects.aktif_pada(org.today())
        .filter(jabatan__unit=unit, jenis=JenisPenempatan.DEFINITIF.value, pegawai__aktif=True)
        .select_related("pegawai", "jabatan")
        .order_by("jabatan__path", "pegawai__nama")
    )
    latest: dict[int, Skp] = {}
    for s in Skp.objects.filter(periode=periode, pegawai_id__in=[p.pegawai_id for p in rows]).order_by(
        "mulai"
    ):
        latest[s.pegawai_id] = s
    return [PegawaiSkp(p, latest.get(p.pegawai_id)) for p in rows]


def total_progres(rows: list[selectors.ProgresUnit]) -> dict[str, int]:
    """Instansi-wide counts over the units of `selectors.progres_skp`: pegawai, belum, and per status."""
    total = {"pegawai": 0, "belum": 0, **{s.value: 0 for s in Status}}
    for r in rows:
        total["pegawai"] += r.jumlah_pegawai
        total["belum"] += r.belum_dibuat
        for s in Status:
            total[s.value] += r.status[s.value]
    return total


def list_skp(user: User, tahun: int | None = None, status: str | None = None) -> QuerySet[Skp]:
    """The SKP `user` may see, of one year and/or status when given, newest year first."""
    qs = selectors.skp_terlihat(user).select_related("periode")
    if tahun is not None:
        qs = qs.filter(periode__tahun=tahun)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.order_by("-periode__tahun", "pegawai_nama", "mulai", "pk")
