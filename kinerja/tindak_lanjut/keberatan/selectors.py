"""Reads of the keberatan (docs/rules.md §18): who holds which role on one, who may see it, the lists per role
(each a fixed number of queries however many rows), the overdue flags and the filing status of an
evaluation. Writes are in `keberatan/services.py`."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.organisasi.models import Instansi, User
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import is_admin_kepegawaian, is_pemilik
from kinerja.rules import keberatan as aturan
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.keberatan import TERBUKA, Status, StatusPengajuan
from kinerja.rules.types import Predikat, Rating
from kinerja.tindak_lanjut.models import Keberatan

#: Decided keberatan (final): no further keberatan against the same result of the evaluation.
DIPUTUS = frozenset(s.value for s in aturan.DIPUTUS)
NILAI_TERBUKA = [s.value for s in TERBUKA]

KELAS_STATUS = {
    Status.DIAJUKAN.value: "text-bg-warning",
    Status.DIJELASKAN.value: "text-bg-info",
    Status.DITOLAK.value: "text-bg-secondary",
    Status.DIKABULKAN.value: "text-bg-success",
    Status.DITARIK.value: "text-bg-light border",
}


def hari_ini(sekarang: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(sekarang or timezone.now())


def keberatan_qs() -> QuerySet[Keberatan]:
    return Keberatan.objects.select_related(
        "instansi",
        "evaluasi__periode",
        "evaluasi__periode_penilaian",
        "pegawai",
        "penilai",
        "pemutus",
    )


# --- roles and visibility ------------------------------------------------------------------------------


# Roles and visibility are decided in kinerja.permissions.tindak_lanjut (`peran_keberatan`,
# `may_view_keberatan`).


# --- deadlines ------------------------------------------------------------------------------------------


def terlambat_penjelasan(k: Keberatan, hari: datetime.date) -> bool:
    return k.status == Status.DIAJUKAN.value and aturan.terlambat(k.batas_penjelasan, hari)


def terlambat_keputusan(k: Keberatan, hari: datetime.date) -> bool:
    return k.status in NILAI_TERBUKA and aturan.terlambat(k.batas_keputusan, hari)


def penjelasan_lewat(k: Keberatan, hari: datetime.date) -> bool:
    """The penilai's deadline has passed (the pemutus may decide without the penjelasan)."""
    return aturan.terlambat(k.batas_penjelasan, hari)


def hiasi(rows: list[Keberatan], hari: datetime.date) -> list[Keberatan]:
    """Badge class and overdue flags on each row, for the templates (no query)."""
    for k in rows:
        k.kelas_status = KELAS_STATUS.get(k.status, "")  # type: ignore[attr-defined]
        k.lewat_penjelasan = terlambat_penjelasan(k, hari)  # type: ignore[attr-defined]
        k.lewat_keputusan = terlambat_keputusan(k, hari)  # type: ignore[attr-defined]
        k.tanpa_pemutus = k.terbuka and k.pemutus_id is None  # type: ignore[attr-defined]
    return rows


# --- lists ----------------------------------------------------------------------------------------------


def milik(user: Any) -> QuerySet[Keberatan]:
    """Keberatan saya: filed by the user."""
    if not getattr(user, "pegawai_id", None):
        return Keberatan.objects.none()
    return keberatan_qs().filter(pegawai_id=user.pegawai_id)


def perlu_penjelasan(user: Any, semua: bool = False) -> QuerySet[Keberatan]:
    """Where the user is the penilai (waiting for the penjelasan unless ``semua``)."""
    q = Q(penilai_id=user.pegawai_id) if getattr(user, "pegawai_id", None) else Q(pk__in=[])
    if is_admin_kepegawaian(user):
        q |= Q(penilai__isnull=True, instansi_id=user.admin_instansi_id)
    qs = keberatan_qs().filter(q)
    return qs if semua else qs.filter(status=Status.DIAJUKAN.value)


def perlu_keputusan(user: Any, semua: bool = False) -> QuerySet[Keberatan]:
    """Where the user is the pemutus (still open unless ``semua``)."""
    if not getattr(user, "pegawai_id", None):
        return Keberatan.objects.none()
    qs = keberatan_qs().filter(pemutus_id=user.pegawai_id)
    return qs if semua else qs.filter(status__in=NILAI_TERBUKA)


def papan_admin(instansi: Instansi, status: str = "", terlambat: bool = False) -> QuerySet[Keberatan]:
    """Every keberatan of the instansi; ``status`` filters ("terbuka": still open); ``terlambat``: open and
    past a deadline (today)."""
    qs = keberatan_qs().filter(instansi=instansi)
    if status == "terbuka":
        qs = qs.filter(status__in=NILAI_TERBUKA)
    elif status in {s.value for s in Status}:
        qs = qs.filter(status=status)
    if terlambat:
        hari = hari_ini()
        qs = qs.filter(
            Q(status=Status.DIAJUKAN.value, batas_penjelasan__lt=hari)
            | Q(status__in=NILAI_TERBUKA, batas_keputusan__lt=hari)
        )
    return qs


def _q_terlambat(hari: datetime.date) -> Q:
    return Q(status=Status.DIAJUKAN.value, batas_penjelasan__lt=hari) | Q(
        status__in=NILAI_TERBUKA, batas_keputusan__lt=hari
    )


def jumlah_terlambat(qs: QuerySet[Keberatan], hari: datetime.date) -> int:
    return qs.filter(_q_terlambat(hari)).order_by().count()


# --- filing ---------------------------------------------------------------------------------------------


def tanggal_terbit(ev: Evaluasi) -> datetime.date | None:
    """The document counts as received on the local date the pegawai was told of the final result (day 0;
    the notice is sent at finalisation). Results finalised before notices were recorded: the local date
    the evaluation became final."""
    if not ev.is_final or ev.final_pada is None:
        return None
    return timezone.localdate(ev.diberitahu_pada or ev.final_pada)


def status_pengajuan(
    ev: Evaluasi,
    sekarang: datetime.datetime | None = None,
    instansi: Instansi | None = None,
    status_lain: set[str] | None = None,
) -> StatusPengajuan:
    """May a keberatan be filed against ``ev`` now (rules.keberatan.boleh_diajukan), and the last day.

    A decided keberatan is final: no second one against the same result (a withdrawn one does not count;
    the pegawai may file again within the window). A reopened and re-finalised evaluation is a new result:
    the keberatan of the earlier one do not count. ``status_lain``: the statuses of the keberatan against
    the current result, when the caller already has them (no query)."""
    inst = instansi or ev.instansi
    if status_lain is None:
        status_lain = set(
            Keberatan.objects.filter(evaluasi_id=ev.pk, finalisasi_ke=ev.finalisasi_ke).values_list(
                "status", flat=True
            )
        )
    if status_lain & DIPUTUS and ev.is_final:
        return StatusPengajuan(
            False, "Keberatan atas evaluasi ini sudah diputus; keputusan atas keberatan bersifat final."
        )
    return aturan.may_submit(
        tahunan=ev.is_tahunan,
        final=ev.is_final,
        terbit=tanggal_terbit(ev),
        hari_ini=hari_ini(sekarang),
        hari=inst.keberatan_hari_pengajuan,
        periodik_diizinkan=inst.keberatan_periodik,
        ada_yang_terbuka=bool(status_lain & set(NILAI_TERBUKA)),
    )


@dataclass
class KeberatanEvaluasi:
    """What the evaluation page shows about keberatan to its reader."""

    pemilik: bool
    pengajuan: StatusPengajuan | None
    daftar: list[Keberatan]


def untuk_evaluasi(ev: Evaluasi, user: Any) -> KeberatanEvaluasi | None:
    """The keberatan box of an evaluation page (None: nothing to show). Two queries at most."""
    if not ev.is_final:
        return None
    daftar = [k for k in Keberatan.objects.filter(evaluasi_id=ev.pk).order_by("-diajukan_pada", "-pk")]
    pemilik = bool(is_pemilik(user, ev))
    pengajuan = status_pengajuan(ev) if pemilik else None
    if not daftar and not (pengajuan and pengajuan.boleh):
        return None
    return KeberatanEvaluasi(pemilik, pengajuan, hiasi(daftar, hari_ini()))


# --- detail ---------------------------------------------------------------------------------------------


def preview_predikat(rating_hasil: str, rating_perilaku: str) -> Predikat | None:
    """The predikat the kuadran gives for the chosen ratings (the decide form's live preview)."""
    from kinerja.rules.kuadran import predikat

    try:
        return predikat(Rating(rating_hasil), Rating(rating_perilaku))
    except ValueError:
        return None


def pemutus_tersedia(instansi: Instansi) -> QuerySet[Any]:
    from kinerja.organisasi.models import Pegawai

    return Pegawai.objects.filter(instansi=instansi, aktif=True).order_by("nama")


def admin_instansi_users(instansi_id: int) -> list[User]:
    return list(User.objects.filter(admin_instansi_id=instansi_id, is_active=True).order_by("pk"))


# --- dashboard --------------------------------------------------------------------------------------------


@dataclass
class RingkasanBeranda:
    """The keberatan waiting for the user (dashboard card): their own open ones, those waiting for their
    penjelasan or their decision, and (admin) the instansi's open and overdue ones and those without a
    pemutus. One query, two for an admin."""

    milik: list[Keberatan]
    penjelasan: list[Keberatan]
    keputusan: list[Keberatan]
    instansi_terbuka: int = 0
    instansi_terlambat: int = 0
    instansi_tanpa_pemutus: int = 0

    @property
    def ada(self) -> bool:
        return bool(self.milik or self.penjelasan or self.keputusan or self.instansi_terbuka)


#: At most this many open keberatan are read for the dashboard card (each of its lists shows up to 10).
BATAS_BERANDA = 100


def ringkasan_beranda(user: Any) -> RingkasanBeranda:
    """One query for the three lists (the open keberatan the user filed, must explain or must decide), one
    more for an admin's instansi counts."""
    hari = hari_ini()
    pegawai_id = getattr(user, "pegawai_id", None)
    admin = is_admin_kepegawaian(user)
    instansi_admin = user.admin_instansi_id
    q_penilai = Q(penilai_id=pegawai_id) if pegawai_id else Q(pk__in=[])
    if admin:
        q_penilai |= Q(penilai__isnull=True, instansi_id=instansi_admin)
    q_penjelasan = q_penilai & Q(status=Status.DIAJUKAN.value)
    q = q_penjelasan
    if pegawai_id:
        q |= Q(pegawai_id=pegawai_id) | Q(pemutus_id=pegawai_id)
    # only what the card shows (the pegawai's name, the evaluation's periode): fewer joins to compile
    kartu = Keberatan.objects.select_related(
        "evaluasi__periode", "evaluasi__periode_penilaian__periode", "pegawai"
    )
    rows = hiasi(list(kartu.filter(q, status__in=NILAI_TERBUKA)[:BATAS_BERANDA]), hari)
    milik_rows: list[Keberatan] = []
    penjelasan_rows: list[Keberatan] = []
    keputusan_rows: list[Keberatan] = []
    for k in rows:
        if pegawai_id and k.pegawai_id == pegawai_id:
            milik_rows.append(k)
        sebagai_penilai = bool(pegawai_id) and k.penilai_id == pegawai_id
        tanpa_penilai = admin and k.penilai_id is None and k.instansi_id == instansi_admin
        if k.status == Status.DIAJUKAN.value and (sebagai_penilai or tanpa_penilai):
            penjelasan_rows.append(k)
        if pegawai_id and k.pemutus_id == pegawai_id:
            keputusan_rows.append(k)
    hasil = RingkasanBeranda(milik_rows[:10], penjelasan_rows[:10], keputusan_rows[:10])
    if admin:
        terbuka = Keberatan.objects.filter(instansi_id=instansi_admin, status__in=NILAI_TERBUKA)
        jumlah = terbuka.aggregate(
            terbuka=Count("pk"),
            terlambat=Count("pk", filter=_q_terlambat(hari)),
            tanpa_pemutus=Count("pk", filter=Q(pemutus__isnull=True)),
        )
        hasil.instansi_terbuka = jumlah["terbuka"]
        hasil.instansi_terlambat = jumlah["terlambat"]
        hasil.instansi_tanpa_pemutus = jumlah["tanpa_pemutus"]
    return hasil


@dataclass(frozen=True)
class PredikatBeranda:
    """One final result on the pegawai's dashboard: the predikat, the day they were told (day 0 of the
    keberatan window) and whether / until when a keberatan may be filed."""

    evaluasi: Evaluasi
    diberitahu: datetime.date | None
    pengajuan: StatusPengajuan


def predikat_beranda(
    pegawai_id: int, sekarang: datetime.datetime | None = None, jumlah: int = 4
) -> list[PredikatBeranda]:
    """The pegawai's latest final results, newest notice first (two queries however many)."""
    evs = list(
        Evaluasi.objects.filter(pegawai_id=pegawai_id, status=StatusEvaluasi.FINAL.value)
        .select_related("instansi", "periode", "periode_penilaian__periode")
        .order_by(Coalesce("diberitahu_pada", "final_pada").desc(), "-pk")[:jumlah]
    )
    status_per_hasil: dict[tuple[int, int], set[str]] = defaultdict(set)
    for ev_id, ke, status in Keberatan.objects.filter(evaluasi_id__in=[e.pk for e in evs]).values_list(
        "evaluasi_id", "finalisasi_ke", "status"
    ):
        status_per_hasil[(ev_id, ke)].add(status)
    return [
        PredikatBeranda(
            ev,
            tanggal_terbit(ev),
            status_pengajuan(ev, sekarang, ev.instansi, status_per_hasil[(ev.pk, ev.finalisasi_ke)]),
        )
        for ev in evs
    ]


def pola_distribusi_bila_dikabulkan(k: Keberatan, predikat_baru: Predikat | None) -> list[str]:
    """The pola distribusi violations the evaluation's rating group would have if ``predikat_baru``
    replaced the current predikat (nothing is saved): the pemutus sees them before deciding. Empty when
    the predikat stays, the group has no capaian organisasi, or the curve still holds."""
    from kinerja.penilaian import selectors as penilaian
    from kinerja.rules import distribusi as distribusi_rules

    ev = k.evaluasi
    if predikat_baru is None or predikat_baru.value == ev.predikat:
        return []
    kel = penilaian.kelompok(ev.penilai, ev.periode_penilaian, periode=ev.periode, unit=ev.unit_kelompok)
    if kel.capaian is None or kel.cek is None:
        return []
    if not distribusi_rules.dihitung_dalam_pola(kel.unit.pk, ev.unit_dipimpin_id):
        return []  # the head of the unit is not in its curve (docs/rules.md §3.8)
    jumlah = dict(kel.jumlah)
    lama = Predikat(ev.predikat)
    jumlah[lama] = max(0, jumlah.get(lama, 0) - 1)
    jumlah[predikat_baru] = jumlah.get(predikat_baru, 0) + 1
    cek = dataclasses.replace(kel, jumlah=jumlah).cek_untuk(kel.capaian.nilai_enum)
    return [v.message for v in cek.violations] if cek.applicable else []
