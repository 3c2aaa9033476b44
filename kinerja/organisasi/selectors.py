"""Reads of the organisation used by views, API, permissions and later stages.

Query counts stay flat in the number of rows: lists prefetch what their rows show.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.organisasi.models import (
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.rules import JenisPenempatan
from kinerja.rules import penilai as penilai_rules
from kinerja.rules.realisasi import format_tanggal


def today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Pemangku:
    """Who holds a jabatan, and how (definitif / PLT / PLH)."""

    pegawai: Pegawai
    jabatan: Jabatan
    jenis: str

    @property
    def jenis_label(self) -> str:
        return JenisPenempatan(self.jenis).label


@dataclass(frozen=True)
class RantaiPenilai:
    pegawai: Pegawai
    jabatan: Jabatan | None
    penilai: Pemangku | None
    atasan_penilai: Pemangku | None


def penempatan_aktif(pegawai: Pegawai, tanggal: datetime.date | None = None) -> list[Penempatan]:
    """Active placements, definitif first, then PLT, then PLH."""
    tanggal = tanggal or today()
    order = {j.value: i for i, j in enumerate(JenisPenempatan)}
    rows = list(
        Penempatan.objects.aktif_pada(tanggal)
        .filter(pegawai=pegawai)
        .select_related("jabatan", "jabatan__unit")
    )
    return sorted(rows, key=lambda p: (order.get(p.jenis, 9), p.mulai))


def jabatan_utama(
    pegawai: Pegawai, tanggal: datetime.date | None = None, *, penempatan: list[Penempatan] | None = None
) -> Penempatan | None:
    """The placement a pegawai is rated in: the definitif one (an acting post never replaces it).
    `penempatan`: the pegawai's `penempatan_aktif` on that date when the caller already read them."""
    for p in penempatan_aktif(pegawai, tanggal) if penempatan is None else penempatan:
        if p.jenis == JenisPenempatan.DEFINITIF.value:
            return p
    return None


def _ids_in_path(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _holders_of(jabatan_ids: list[int], tanggal: datetime.date) -> dict[int, list[Penempatan]]:
    holders: dict[int, list[Penempatan]] = defaultdict(list)
    for p in (
        Penempatan.objects.aktif_pada(tanggal)
        .filter(jabatan_id__in=jabatan_ids, pegawai__aktif=True)
        .select_related("pegawai", "jabatan", "jabatan__unit")
    ):
        holders[p.jabatan_id].append(p)
    return holders


def _rule_holders(holders: dict[int, list[Penempatan]]) -> dict[int, list[penilai_rules.Holder]]:
    return {
        jid: [penilai_rules.Holder(p.pegawai_id, JenisPenempatan(p.jenis)) for p in rows]
        for jid, rows in holders.items()
    }


def rantai_penilai(
    pegawai: Pegawai, tanggal: datetime.date | None = None, *, penempatan: list[Penempatan] | None = None
) -> RantaiPenilai:
    """Pejabat penilai and atasan pejabat penilai of a pegawai on a date, from the jabatan tree."""
    tanggal = tanggal or today()
    utama = jabatan_utama(pegawai, tanggal, penempatan=penempatan)
    if utama is None:
        return RantaiPenilai(pegawai, None, None, None)
    jabatan = utama.jabatan
    ancestor_ids = _ids_in_path(jabatan.path)
    parent_of = {jid: (ancestor_ids[i - 1] if i else None) for i, jid in enumerate(ancestor_ids)}
    holders = _holders_of(ancestor_ids[:-1], tanggal)
    by_key = {(p.jabatan_id, p.pegawai_id): p for rows in holders.values() for p in rows}
    rantai = penilai_rules.resolve(jabatan.pk, parent_of, _rule_holders(holders), pegawai_id=pegawai.pk)

    def pemangku(pejabat: penilai_rules.Pejabat | None) -> Pemangku | None:
        if pejabat is None:
            return None
        p = by_key[(pejabat.jabatan_id, pejabat.pegawai_id)]
        return Pemangku(p.pegawai, p.jabatan, p.jenis)

    return RantaiPenilai(pegawai, jabatan, pemangku(rantai.penilai), pemangku(rantai.atasan_penilai))


def jabatan_dipegang(
    pegawai: Pegawai, tanggal: datetime.date | None = None, *, penempatan: list[Penempatan] | None = None
) -> list[Jabatan]:
    return [p.jabatan for p in (penempatan_aktif(pegawai, tanggal) if penempatan is None else penempatan)]


def bawahan_semua_qs(
    pegawai: Pegawai, tanggal: datetime.date | None = None, *, penempatan: list[Penempatan] | None = None
) -> QuerySet[Pegawai]:
    """Every pegawai whose definitif jabatan lies below a jabatan this pegawai holds (incl. PLT/PLH)."""
    tanggal = tanggal or today()
    paths = [j.path for j in jabatan_dipegang(pegawai, tanggal, penempatan=penempatan)]
    if not paths:
        return Pegawai.objects.none()
    below = Q()
    for path in paths:
        below |= Q(jabatan__path__startswith=path)
    placements = (
        Penempatan.objects.aktif_pada(tanggal)
        .filter(below, jenis=JenisPenempatan.DEFINITIF.value)
        .exclude(pegawai=pegawai)
        .values("pegawai_id")
    )
    return Pegawai.objects.filter(pk__in=placements, aktif=True)


def _di_bawah(held_ids: set[int], tanggal: datetime.date) -> dict[int, int | None]:
    """``parent_of`` of the jabatan below ``held_ids`` whose holders may be rated from them, read level by
    level (one query a level) instead of the whole subtree: below a post the walk goes on only where the
    search for a penilai can pass it (`rules.penilai`: a vacant post, or one whose holder may hold another
    post below it: skipped for that holder). Every jabatan returned has its whole chain up to a held post,
    so the resolver finds the same penilai as over the whole subtree. A held post is a root (the search
    stops at this pegawai's own posts)."""
    aktif = Penempatan.objects.aktif_pada(tanggal)
    parent_of: dict[int, int | None] = dict.fromkeys(held_ids)
    frontier = set(held_ids)
    while frontier:
        level = (
            Jabatan.objects.filter(parent_id__in=frontier)
            .annotate(
                terisi=Exists(aktif.filter(jabatan_id=OuterRef("pk"), pegawai__aktif=True)),
                rangkap=Exists(
                    aktif.filter(jabatan_id=OuterRef("pk")).filter(
                        Exists(
                            aktif.filter(
                                pegawai_id=OuterRef("pegawai_id"),
                                jabatan__path__startswith=OuterRef(OuterRef("path")),
                            ).exclude(jabatan_id=OuterRef("jabatan_id"))
                        )
                    )
                ),
            )
            .values_list("pk", "parent_id", "terisi", "rangkap")
        )
        frontier = set()
        for jid, parent, terisi, rangkap in level:
            if jid in parent_of:  # a held post (a root already) or a cycle
                continue
            parent_of[jid] = parent
            if not terisi or rangkap:
                frontier.add(jid)
    return parent_of


def bawahan_langsung(
    pegawai: Pegawai,
    tanggal: datetime.date | None = None,
    dipegang: list[Jabatan] | None = None,
    *,
    penempatan: list[Penempatan] | None = None,
) -> list[Pemangku]:
    """Pegawai whose pejabat penilai is this pegawai on that date (vacant posts in between are skipped).
    ``dipegang`` (jabatan held) or ``penempatan`` (active placements): what the caller already read."""
    tanggal = tanggal or today()
    held = jabatan_dipegang(pegawai, tanggal, penempatan=penempatan) if dipegang is None else dipegang
    if not held:
        return []
    held_ids = {j.pk for j in held}
    parent_of = _di_bawah(held_ids, tanggal)
    holders = _holders_of(list(parent_of), tanggal)
    resolver = penilai_rules.Resolver(parent_of, _rule_holders(holders))
    result: list[Pemangku] = []
    for jid, rows in holders.items():
        if jid in held_ids:
            continue
        for p in rows:
            if p.jenis != JenisPenempatan.DEFINITIF.value or p.pegawai_id == pegawai.pk:
                continue
            rantai = resolver.resolve(jid, p.pegawai_id)
            if rantai.penilai and rantai.penilai.pegawai_id == pegawai.pk:
                result.append(Pemangku(p.pegawai, p.jabatan, p.jenis))
    result.sort(key=lambda m: (m.jabatan.path, m.pegawai.nama))
    return result


def pegawai_list(
    instansi: Instansi,
    *,
    q: str = "",
    unit: UnitKerja | None = None,
    jenis_jabatan: str = "",
    jenis_asn: str = "",
    status: str = "",
    tanggal: datetime.date | None = None,
) -> QuerySet[Pegawai]:
    """Pegawai of an instansi with their active placements prefetched (flat query count)."""
    tanggal = tanggal or today()
    qs = Pegawai.objects.filter(instansi=instansi)
    if q:
        q = q.strip()
        digits = q.replace(" ", "")
        if digits.isdigit():
            # A NIP (or its start): a range on the unique NIP index (names never hold digits). The upper
            # bound is the next prefix of the same length ("1972" → "1973"): digits-only strings sort
            # the same in every collation, where a bound like "1972:" would not on PostgreSQL.
            qs = qs.filter(nip__gte=digits)
            berikut = str(int(digits) + 1).zfill(len(digits))
            if len(berikut) == len(digits):
                qs = qs.filter(nip__lt=berikut)
        else:
            qs = qs.filter(Q(nama__icontains=q) | Q(nip__startswith=digits))
    active = Penempatan.objects.aktif_pada(tanggal)
    if unit is not None:
        qs = qs.filter(pk__in=active.filter(jabatan__unit__path__startswith=unit.path).values("pegawai_id"))
    if jenis_jabatan:
        qs = qs.filter(
            pk__in=active.filter(jabatan__jenis=jenis_jabatan, jenis=JenisPenempatan.DEFINITIF.value).values(
                "pegawai_id"
            )
        )
    if jenis_asn:
        qs = qs.filter(jenis_asn=jenis_asn)
    if status == "aktif":
        qs = qs.filter(aktif=True)
    elif status == "nonaktif":
        qs = qs.filter(aktif=False)
    elif status == "tanpa_jabatan":
        qs = qs.filter(aktif=True).exclude(
            pk__in=active.filter(jenis=JenisPenempatan.DEFINITIF.value).values("pegawai_id")
        )
    return qs.order_by("nama", "nip").prefetch_related(
        Prefetch(
            "penempatan",
            queryset=active.select_related("jabatan", "jabatan__unit").order_by("jenis", "mulai"),
            to_attr="penempatan_aktif",
        )
    )


#: The unit tree page renders as many whole levels as fit in this many rows (always the top level); deeper
#: units load on demand when their parent is opened (1 885 rows took ~0.5 s to render; nobody reads them all).
POHON_BATAS = 200
#: A search of the unit tree lists at most this many matching units (in tree order).
CARI_UNIT_BATAS = 100


@dataclass(frozen=True)
class PohonUnit:
    """The rows of the unit tree page: `units` in tree order (each with `jumlah_jabatan`, `jumlah_pegawai`,
    `pimpinan`, `ada_anak`, `dibuka`; when searching also `jalur`, the names of its ancestors), `jumlah` the
    units of the instansi and, for a search, `cocok` the units that match (more than shown when over
    `CARI_UNIT_BATAS`)."""

    units: list[UnitKerja]
    jumlah: int
    cocok: int = 0


def _unit_rows(
    instansi: Instansi, units_q: Q, tanggal: datetime.date, *, limit: int | None = None
) -> list[UnitKerja]:
    """Units matching `units_q` in tree order with their numbers: three queries whatever their number (the
    units with their jabatan count and whether they have sub-units; definitif pegawai per unit; heads)."""
    jabatan_n = (
        Jabatan.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        UnitKerja.objects.filter(units_q, instansi=instansi)
        .annotate(
            jumlah_jabatan=Coalesce(Subquery(jabatan_n), 0),
            ada_anak=Exists(UnitKerja.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("path")
    )
    units = list(qs[:limit] if limit is not None else qs)
    if not units:
        return units
    # The units' own ids (already of this instansi), not a subquery nor the instansi: either makes
    # SQLite's planner walk every jabatan of the instansi.
    pilih = Q(jabatan__unit_id__in=[u.pk for u in units]) if units_q else Q(jabatan__instansi=instansi)
    active = Penempatan.objects.aktif_pada(tanggal).filter(pilih)
    pegawai_per_unit = dict(
        active.filter(jenis=JenisPenempatan.DEFINITIF.value)
        .values_list("jabatan__unit_id")
        .annotate(n=Count("pegawai_id", distinct=True))
        .order_by()
    )
    heads = {
        p.jabatan.unit_id: p
        for p in active.filter(jabatan__pimpinan_unit=True)
        .select_related("pegawai", "jabatan")
        .order_by("-jenis")  # definitif wins over plt/plh when both exist
    }
    for u in units:
        u.jumlah_pegawai = pegawai_per_unit.get(u.pk, 0)
        u.pimpinan = heads.get(u.pk)
        u.dibuka = False
    return units


def unit_tree(instansi: Instansi, tanggal: datetime.date | None = None) -> list[UnitKerja]:
    """Every unit in tree order, each with `jumlah_jabatan`, `jumlah_pegawai` (definitif holders),
    `pimpinan` and `ada_anak`: three queries."""
    return _unit_rows(instansi, Q(), tanggal or today())


def unit_tree_awal(
    instansi: Instansi, tanggal: datetime.date | None = None, *, batas: int | None = None
) -> PohonUnit:
    """The first levels of the unit tree: every whole level that fits in `batas` rows (at least the top
    one), parents of rendered children marked `dibuka`. Five queries whatever the size of the tree."""
    tanggal = tanggal or today()
    batas = POHON_BATAS if batas is None else batas
    per_level = dict(
        UnitKerja.objects.filter(instansi=instansi).values_list("depth").annotate(n=Count("pk")).order_by()
    )
    kedalaman, n = 0, 0
    for depth in sorted(per_level):
        n += per_level[depth]
        if n > batas and depth > min(per_level):
            break
        kedalaman = depth
    units = _unit_rows(instansi, Q(depth__lte=kedalaman), tanggal) if per_level else []
    for u in units:
        u.dibuka = u.ada_anak and u.depth < kedalaman
    return PohonUnit(units, sum(per_level.values()))


def unit_children(unit: UnitKerja, tanggal: datetime.date | None = None) -> list[UnitKerja]:
    """The units right below `unit` with their numbers (rows to insert under it): three queries."""
    return _unit_rows(unit.instansi, Q(parent=unit), tanggal or today())


def unit_search(instansi: Instansi, q: str, tanggal: datetime.date | None = None) -> PohonUnit:
    """Units whose name or code contains `q`, in tree order, the first `CARI_UNIT_BATAS` with their numbers
    and `jalur` (the names of their ancestors, top first). Six queries whatever the size of the tree."""
    tanggal = tanggal or today()
    q = q.strip()
    cocok_q = Q(nama__icontains=q) | Q(kode__icontains=q)
    units = _unit_rows(instansi, cocok_q, tanggal, limit=CARI_UNIT_BATAS)
    cocok = len(units)
    if cocok == CARI_UNIT_BATAS:
        cocok = UnitKerja.objects.filter(cocok_q, instansi=instansi).count()
    leluhur_ids = {i for u in units for i in _ids_in_path(u.path)[:-1]}
    nama = dict(UnitKerja.objects.filter(pk__in=leluhur_ids).values_list("pk", "nama")) if leluhur_ids else {}
    for u in units:
        u.jalur = [nama[i] for i in _ids_in_path(u.path)[:-1] if i in nama]
    return PohonUnit(units, UnitKerja.objects.filter(instansi=instansi).count(), cocok)


def jabatan_list(
    instansi: Instansi,
    *,
    q: str = "",
    unit: UnitKerja | None = None,
    jenis: str = "",
    status: str = "",
    tanggal: datetime.date | None = None,
) -> QuerySet[Jabatan]:
    """Jabatan in tree order with their holders today.

    status "kosong" keeps the jabatan with no definitif holder (a PLT/PLH may act in them).
    """
    tanggal = tanggal or today()
    qs = Jabatan.objects.filter(instansi=instansi).select_related("unit", "parent")
    if status == "kosong":
        definitif = Penempatan.objects.aktif_pada(tanggal).filter(jenis=JenisPenempatan.DEFINITIF.value)
        qs = qs.exclude(pk__in=definitif.values("jabatan_id"))
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(kode__iexact=q.strip()))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("path").prefetch_related(
        Prefetch(
            "penempatan",
            queryset=Penempatan.objects.aktif_pada(tanggal).select_related("pegawai"),
            to_attr="pemangku_aktif",
        )
    )


@dataclass(frozen=True)
class RingkasanOrganisasi:
    jumlah_unit: int
    jumlah_jabatan: int
    jumlah_pegawai: int
    jabatan_kosong: int
    pegawai_tanpa_jabatan: int
    plt_plh: int
    periode_aktif: Periode | None


def ringkasan_organisasi(instansi: Instansi, tanggal: datetime.date | None = None) -> RingkasanOrganisasi:
    tanggal = tanggal or today()
    active = Penempatan.objects.aktif_pada(tanggal).filter(jabatan__instansi=instansi)
    definitif = active.filter(jenis=JenisPenempatan.DEFINITIF.value)
    jabatan = Jabatan.objects.filter(instansi=instansi)
    pegawai = Pegawai.objects.filter(instansi=instansi, aktif=True)
    return RingkasanOrganisasi(
        jumlah_unit=UnitKerja.objects.filter(instansi=instansi).count(),
        jumlah_jabatan=jabatan.count(),
        jumlah_pegawai=pegawai.count(),
        jabatan_kosong=jabatan.exclude(pk__in=definitif.values("jabatan_id")).count(),
        pegawai_tanpa_jabatan=pegawai.exclude(pk__in=definitif.values("pegawai_id")).count(),
        plt_plh=active.exclude(jenis=JenisPenempatan.DEFINITIF.value).count(),
        periode_aktif=Periode.objects.filter(instansi=instansi, tahun=tanggal.year).first(),
    )


def pimpinan_unit(unit: UnitKerja, tanggal: datetime.date | None = None) -> Pemangku | None:
    """Who heads a unit on a date: the holder of its pimpinan-unit jabatan (definitif > PLT > PLH)."""
    tanggal = tanggal or today()
    order = {j.value: i for i, j in enumerate(JenisPenempatan)}
    rows = sorted(
        Penempatan.objects.aktif_pada(tanggal)
        .filter(jabatan__unit=unit, jabatan__pimpinan_unit=True, pegawai__aktif=True)
        .select_related("pegawai", "jabatan", "jabatan__unit"),
        key=lambda p: (order.get(p.jenis, 9), p.mulai),
    )
    return Pemangku(rows[0].pegawai, rows[0].jabatan, rows[0].jenis) if rows else None


# --- history of a periode's deadlines (the Periode page) -------------------------------------------------


@dataclass
class PerubahanBatas:
    label: str  # "Batas persetujuan SKP", "Triwulan I: batas realisasi"
    dari: str
    ke: str


@dataclass
class EntriRiwayatPeriode:
    """One save on the Periode page: who, when, and every deadline it moved (from → to)."""

    tanggal: datetime.datetime
    oleh: User | None
    oleh_id: int | None
    dibuat: bool = False  # the row that recorded the periode itself
    perubahan: list[PerubahanBatas] = field(default_factory=list)


_BATAS_PERIODE = ("batas_skp", "batas_evaluasi_tahunan")
_BATAS_PERIODE_PENILAIAN = ("batas_realisasi", "batas_evaluasi")
#: History rows of one save (the periode and its windows, one transaction) lie this close together.
_SATU_SIMPANAN = datetime.timedelta(seconds=5)


def riwayat_periode(periode: Periode, maks: int = 20) -> list[EntriRiwayatPeriode]:
    """The newest `maks` saves of the periode's deadlines (the year's and each window's), newest first.

    Three queries however long the history: the periode's rows, its windows' rows, their users."""
    rows_periode = list(
        Periode.history.filter(id=periode.pk)  # type: ignore[attr-defined]
        .only("history_id", "history_date", "history_type", "history_user_id", "id", *_BATAS_PERIODE)
        .order_by("history_date", "history_id")
    )
    rows_pp = list(
        PeriodePenilaian.history.filter(periode_id=periode.pk)  # type: ignore[attr-defined]
        .only(
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            "id",
            "nama",
            *_BATAS_PERIODE_PENILAIAN,
        )
        .order_by("history_date", "history_id")
    )
    perubahan: list[tuple[Any, PerubahanBatas | None]] = []  # (history row, change; None: created)
    for rows, names, label_of in (
        (rows_periode, _BATAS_PERIODE, lambda r, n: _label_batas(Periode, n)),
        (rows_pp, _BATAS_PERIODE_PENILAIAN, lambda r, n: f"{r.nama}: {_label_batas(PeriodePenilaian, n)}"),
    ):
        sebelumnya: dict[int, Any] = {}
        for r in rows:
            prev = sebelumnya.get(r.id)
            sebelumnya[r.id] = r
            if r.history_type == "+" and rows is rows_periode:
                perubahan.append((r, None))
            if prev is None or r.history_type != "~":
                continue
            for n in names:
                if getattr(prev, n) != getattr(r, n):
                    dari, ke = format_tanggal(getattr(prev, n)), format_tanggal(getattr(r, n))
                    perubahan.append((r, PerubahanBatas(label_of(r, n), dari, ke)))
    perubahan.sort(key=lambda x: (x[0].history_date, x[0].history_id))
    perubahan.reverse()  # newest first; reversed again within each save below
    user_ids = {r.history_user_id for r, _ in perubahan if r.history_user_id}
    users = User.objects.select_related("pegawai").in_bulk(user_ids) if user_ids else {}
    entri: list[EntriRiwayatPeriode] = []
    for r, p in perubahan:
        last = entri[-1] if entri else None
        if (
            last is None
            or last.oleh_id != r.history_user_id
            or last.tanggal - r.history_date > _SATU_SIMPANAN
        ):
            if len(entri) == maks:
                break
            last = EntriRiwayatPeriode(r.history_date, users.get(r.history_user_id), r.history_user_id)
            entri.append(last)
        if p is None:
            last.dibuat = True
        else:
            last.perubahan.append(p)
    for e in entri:
        e.perubahan.reverse()  # within one save: the year's deadlines first, then the windows in order
    return entri


def _label_batas(model: type[Any], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:] if model is Periode else label
