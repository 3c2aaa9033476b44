"""Umpan balik reads: threads with their replies grouped by item and periode, in a fixed number of queries
whatever the number of threads; the unread count for the navigation and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from kinerja.common import cache
from kinerja.pelaksanaan.models import UmpanBalik
from kinerja.perencanaan.models import Skp
from kinerja.rules.perilaku import BERAKHLAK

URUTAN_PERILAKU = {n.kode: i for i, n in enumerate(BERAKHLAK)}
NAMA_PERILAKU = {n.kode: n.nama for n in BERAKHLAK}


def belum_dibaca_q(user: Any) -> Q:
    """Messages addressed to `user` and not read yet: the one definition of "new" behind the navigation
    badge, the dashboard card and the "Balasan baru" column. Addressed to a pegawai: every message on their
    SKP from someone else; to a penilai or atasan penilai: the pegawai's replies in threads they started."""
    if not user.is_authenticated or not user.pegawai_id:
        return Q(pk__in=[])
    untuk_pemilik = Q(skp__pegawai_id=user.pegawai_id) & ~Q(oleh=user)
    untuk_penulis = Q(induk__oleh=user) & Q(oleh__pegawai_id=F("skp__pegawai_id"))
    return (untuk_pemilik | untuk_penulis) & Q(dibaca_pada__isnull=True)


def jumlah_belum_dibaca(user: Any) -> int:
    """One COUNT query."""
    if not user.is_authenticated or not user.pegawai_id:
        return 0
    return UmpanBalik.objects.filter(belum_dibaca_q(user)).count()


def scopes_belum_dibaca(user: Any) -> list[str]:
    """Cache scopes of a user's unread count: dropped by a message to their SKP (`pegawai`), a reply in a
    thread they started or their own reading (`user`)."""
    return [cache.user(user.pk), cache.pegawai(user.pegawai_id)]


def jumlah_belum_dibaca_cached(user: Any) -> int:
    """`jumlah_belum_dibaca`, cached per user (kinerja.common.cache; the umpan balik services invalidate)."""
    if not user.is_authenticated or not user.pegawai_id:
        return 0
    return cache.cached("umpan-balik-belum", scopes_belum_dibaca(user), lambda: jumlah_belum_dibaca(user))


def belum_dibaca_per_skp(user: Any, skp_ids: Iterable[int]) -> dict[int, int]:
    """SKP id → messages on it addressed to `user` and not read yet (one query)."""
    ids = list(skp_ids)
    if not ids:
        return {}
    return dict(
        UmpanBalik.objects.filter(belum_dibaca_q(user), skp_id__in=ids)
        .values_list("skp_id")
        .annotate(n=Count("pk"))
        .values_list("skp_id", "n")
    )


def utas_qs() -> QuerySet[UmpanBalik]:
    """Thread roots with everything a thread card shows (two queries for any number of threads)."""
    return (
        UmpanBalik.objects.filter(induk=None)
        .select_related(
            "oleh__pegawai",
            "skp__periode",
            "rhk",
            "realisasi__indikator",
            "realisasi__periode_penilaian",
            "periode_penilaian",
        )
        .prefetch_related(
            Prefetch(
                "balasan", queryset=UmpanBalik.objects.select_related("oleh__pegawai").order_by("pada", "pk")
            )
        )
        .order_by("pada", "pk")
    )


@dataclass
class Kelompok:
    """The threads on one item in one periode."""

    kunci: tuple[Any, ...]
    jenis: str  # rhk / realisasi / perilaku
    judul: str
    sub: str
    periode: str
    utas: list[UmpanBalik] = field(default_factory=list)
    baru: int = 0


def _nama(user: Any) -> str:
    peg = user.pegawai if user.pegawai_id else None
    return peg.nama_lengkap if peg else (user.get_full_name() or user.username)


def prepare_utas(utas: list[UmpanBalik], user: Any) -> None:
    """Annotate each message with its author's name and whether it is new for `user` (before marking)."""
    for u in utas:
        pesan = [u, *u.balasan.all()]
        for m in pesan:
            m.nama_oleh = _nama(m.oleh)
            m.dari_pemilik = m.oleh.pegawai_id == u.skp.pegawai_id
            untuk_user = (m.oleh_id != user.pk) and (
                (user.pegawai_id == u.skp.pegawai_id) or (m.dari_pemilik and u.oleh_id == user.pk)
            )
            m.baru = untuk_user and m.dibaca_pada is None
        u.pesan = pesan
        u.jumlah_baru = sum(1 for m in pesan if m.baru)
        u.terakhir = pesan[-1].pada


def kelompokkan(utas: list[UmpanBalik], rhk_nomor: dict[int, str] | None = None) -> list[Kelompok]:
    """Threads grouped by (item, periode), in SKP order: RHK, their realisasi, then BerAKHLAK values."""
    rhk_nomor = rhk_nomor or {}
    kelompok: dict[tuple[Any, ...], Kelompok] = {}
    for u in utas:
        periode = u.periode_penilaian.nama if u.periode_penilaian_id else "Sepanjang tahun"
        tahun = u.skp.periode.tahun
        if u.realisasi_id:
            r = u.realisasi
            kunci: tuple[Any, ...] = (tahun, 1, r.indikator.rhk_id, r.indikator_id, r.periode_penilaian.nomor)
            judul = f"Realisasi {r.periode_penilaian.nama}: {r.indikator.teks}"
            sub = f"RHK {rhk_nomor.get(r.indikator.rhk_id, '')}".strip()
            jenis = "realisasi"
        elif u.rhk_id:
            kunci = (tahun, 1, u.rhk_id, 0, u.periode_penilaian.nomor if u.periode_penilaian_id else 0)
            judul = u.rhk.teks
            sub = f"RHK {rhk_nomor.get(u.rhk_id, '')}".strip()
            jenis = "rhk"
        else:
            nomor = u.periode_penilaian.nomor if u.periode_penilaian_id else 0
            kunci = (tahun, 2, URUTAN_PERILAKU.get(u.perilaku_kode, 99), 0, nomor)
            judul = NAMA_PERILAKU.get(u.perilaku_kode, u.perilaku_kode)
            sub = "Perilaku kerja (BerAKHLAK)"
            jenis = "perilaku"
        k = kelompok.get(kunci)
        if k is None:
            k = kelompok[kunci] = Kelompok(kunci, jenis, judul, sub, f"{periode} {tahun}")
        k.utas.append(u)
        k.baru += getattr(u, "jumlah_baru", 0)
    return [kelompok[k] for k in sorted(kelompok)]


def skp_dinilai(user: Any) -> QuerySet[Skp]:
    """SKP on which the user may start feedback (penilai or atasan penilai), newest year first."""
    return (
        Skp.objects.filter(Q(penilai_id=user.pegawai_id) | Q(atasan_penilai_id=user.pegawai_id))
        .exclude(pegawai_id=user.pegawai_id)
        .select_related("periode")
        .order_by("-periode__tahun", "pegawai_nama")
    )


def ringkasan_beranda(user: Any, jumlah: int = 3) -> dict[str, Any]:
    """The dashboard card: unread count (cached, as the navigation badge) and the latest messages addressed
    to the user (one query, two when the count is not cached)."""
    if not user.is_authenticated or not user.pegawai_id:
        return {"belum": 0, "terbaru": []}
    untuk_saya = UmpanBalik.objects.filter(
        Q(skp__pegawai_id=user.pegawai_id) | Q(induk__oleh=user, oleh__pegawai_id=F("skp__pegawai_id"))
    ).exclude(oleh=user)
    terbaru = list(
        untuk_saya.select_related("oleh__pegawai", "realisasi__periode_penilaian", "skp").order_by(
            "-pada", "-pk"
        )[:jumlah]
    )
    for m in terbaru:
        m.nama_oleh = _nama(m.oleh)
        m.tentang = (
            f"Realisasi {m.realisasi.periode_penilaian.nama}"
            if m.realisasi_id
            else ("RHK" if m.rhk_id else NAMA_PERILAKU.get(m.perilaku_kode, ""))
        )
        m.untuk_skp = m.skp.pegawai_id != user.pegawai_id
    return {"belum": jumlah_belum_dibaca_cached(user), "terbaru": terbaru}
