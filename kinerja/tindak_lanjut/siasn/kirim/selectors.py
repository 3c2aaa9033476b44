"""Reads of the SIASN sync page (docs/rules.md §21.9): the send records of one instansi, counted per status
and per unit, filtered and paginated; the final evaluations without a record ("belum dikirim").

Counts are grouped queries (two per table), the list one query per page with its joins: flat in the
number of records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Periode, UnitKerja
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.rules import siasn as kode
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.tindak_lanjut.models import KirimSiasn, StatusKirimSiasn

#: The status filter's value for the final evaluations without a record.
BELUM = "belum"
LABEL_STATUS = {
    StatusKirimSiasn.ANTRI.value: "Dalam antrean",
    StatusKirimSiasn.TERKIRIM.value: "Terkirim",
    StatusKirimSiasn.GAGAL.value: "Gagal",
    BELUM: "Belum dikirim",
}
KELAS_STATUS = {
    StatusKirimSiasn.ANTRI.value: "text-bg-info",
    StatusKirimSiasn.TERKIRIM.value: "text-bg-success",
    StatusKirimSiasn.GAGAL.value: "text-bg-danger",
    BELUM: "text-bg-secondary",
}
LABEL_JENIS = {JenisEvaluasi.PERIODIK: "Periodik", JenisEvaluasi.TAHUNAN: "Tahunan"}


@dataclass(frozen=True)
class Saringan:
    """What the admin picked on the sync page (every value already checked against the instansi)."""

    tahun: Periode | None = None
    status: str = ""
    jenis: str = ""
    unit: UnitKerja | None = None
    q: str = ""

    def query(self) -> str:
        """The filters as a query string (for the pagination links and the buttons' way back)."""
        parts = []
        if self.tahun is not None:
            parts.append(f"tahun={self.tahun.tahun}")
        for nama in ("status", "jenis", "q"):
            if getattr(self, nama):
                parts.append(f"{nama}={getattr(self, nama)}")
        if self.unit is not None:
            parts.append(f"unit={self.unit.pk}")
        return "&".join(parts)


def daftar_tahun(instansi: Instansi) -> list[Periode]:
    return list(Periode.objects.filter(instansi=instansi).order_by("-tahun"))


def saringan(instansi: Instansi, tahun_list: list[Periode], g: Any) -> Saringan:
    """The filters from the query string; unknown or foreign values are ignored."""
    tahun = next((p for p in tahun_list if str(p.tahun) == g.get("tahun", "")), None)
    status = g.get("status", "")
    jenis = g.get("jenis", "")
    unit = None
    if (u := g.get("unit", "")).isdigit():
        unit = UnitKerja.objects.filter(instansi=instansi, pk=int(u)).first()
    return Saringan(
        tahun=tahun,
        status=status if status in LABEL_STATUS else "",
        jenis=jenis if jenis in LABEL_JENIS else "",
        unit=unit,
        q=g.get("q", "").strip()[:100],
    )


def _evaluasi(instansi: Instansi, s: Saringan, awalan: str = "") -> Q:
    """The filters on the evaluation (``awalan``: the path to it, "evaluasi__" from a record)."""
    q = Q(**{f"{awalan}instansi": instansi})
    if s.tahun is not None:
        q &= Q(**{f"{awalan}periode": s.tahun})
    if s.jenis:
        q &= Q(**{f"{awalan}jenis": s.jenis})
    if s.unit is not None:
        q &= Q(**{f"{awalan}unit__path__startswith": s.unit.path})
    if s.q:
        cari = s.q.replace(" ", "")
        q &= Q(**{f"{awalan}pegawai_nama__icontains": s.q}) | Q(**{f"{awalan}pegawai_nip__startswith": cari})
    return q


def kirim(instansi: Instansi, s: Saringan) -> QuerySet[KirimSiasn]:
    """The send records of the selection (status included), failed first, then queued, then by name."""
    qs = KirimSiasn.objects.filter(_evaluasi(instansi, s, "evaluasi__"), instansi=instansi)
    if s.status and s.status != BELUM:
        qs = qs.filter(status=s.status)
    return qs.select_related(
        "evaluasi__periode", "evaluasi__periode_penilaian", "evaluasi__unit", "diminta_oleh"
    ).order_by(
        "status", "evaluasi__pegawai_nama", "evaluasi__periode__tahun", "evaluasi__periode_penilaian__nomor"
    )


def belum_dikirim(instansi: Instansi, s: Saringan) -> QuerySet[Evaluasi]:
    """Final evaluations of the selection without a send record."""
    return (
        Evaluasi.objects.filter(
            _evaluasi(instansi, s), status=StatusEvaluasi.FINAL.value, kirim_siasn__isnull=True
        )
        .select_related("periode", "periode_penilaian", "unit")
        .order_by("pegawai_nama", "periode__tahun", "periode_penilaian__nomor", "pk")
    )


@dataclass
class BarisUnit:
    nama: str
    jumlah: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.jumlah.values())


@dataclass
class Ringkasan:
    """Counts per status (the page's cards) and per unit (its table) of the selection, status aside."""

    jumlah: dict[str, int]
    unit: list[BarisUnit]

    @property
    def kartu(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the page's order."""
        return [(k, label, self.jumlah.get(k, 0)) for k, label in LABEL_STATUS.items()]


def ringkasan(instansi: Instansi, s: Saringan) -> Ringkasan:
    tanpa_status = Saringan(s.tahun, "", s.jenis, s.unit, s.q)
    jumlah = dict.fromkeys(LABEL_STATUS, 0)
    per_unit: dict[int, BarisUnit] = {}
    rows = (
        KirimSiasn.objects.filter(_evaluasi(instansi, tanpa_status, "evaluasi__"), instansi=instansi)
        .values("status", "evaluasi__unit_id", "evaluasi__unit__nama")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        _tambah(jumlah, per_unit, r["status"], r["evaluasi__unit_id"], r["evaluasi__unit__nama"], r["n"])
    belum = (
        Evaluasi.objects.filter(
            _evaluasi(instansi, tanpa_status), status=StatusEvaluasi.FINAL.value, kirim_siasn__isnull=True
        )
        .values("unit_id", "unit__nama")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in belum:
        _tambah(jumlah, per_unit, BELUM, r["unit_id"], r["unit__nama"], r["n"])
    return Ringkasan(jumlah, sorted(per_unit.values(), key=lambda b: b.nama))


def _tambah(
    jumlah: dict[str, int], per_unit: dict[int, BarisUnit], status: str, uid: int, nama: str, n: int
) -> None:
    jumlah[status] = jumlah.get(status, 0) + n
    baris = per_unit.setdefault(uid, BarisUnit(nama, dict.fromkeys(LABEL_STATUS, 0)))
    baris.jumlah[status] = baris.jumlah.get(status, 0) + n


@dataclass(frozen=True)
class Baris:
    """One row of the list: a send record, or (``kirim`` None) a final evaluation not sent yet."""

    evaluasi: Evaluasi
    kirim: KirimSiasn | None

    @property
    def status(self) -> str:
        return self.kirim.status if self.kirim is not None else BELUM

    @property
    def label_status(self) -> str:
        return LABEL_STATUS[self.status]

    @property
    def kelas_status(self) -> str:
        return KELAS_STATUS[self.status]

    @property
    def nama_periode(self) -> str:
        ev = self.evaluasi
        if ev.periode_penilaian_id:
            return f"{ev.periode_penilaian.nama} {ev.periode.tahun}"
        return f"Tahunan {ev.periode.tahun}"

    @property
    def tindakan(self) -> kode.Tindakan | None:
        if self.kirim is None:
            return kode.Tindakan(
                "Admin kepegawaian", "Belum pernah dikirim: kirim bila SIASN sudah dikonfigurasi."
            )
        if self.kirim.status == StatusKirimSiasn.TERKIRIM:
            return None
        if self.kirim.status == StatusKirimSiasn.ANTRI and not self.kirim.diproses_sejak:
            jatuh_tempo = self.kirim.berikutnya_pada or self.kirim.diminta_pada
            if kode.antrean_macet(jatuh_tempo, timezone.now()):
                return kode.ANTREAN_MACET
        return kode.tindakan(
            self.kirim.jenis_gagal, masih_diulang=self.kirim.status == StatusKirimSiasn.ANTRI
        )


def baris(kirim_list: list[KirimSiasn]) -> list[Baris]:
    return [Baris(k.evaluasi, k) for k in kirim_list]


def baris_belum(evaluasi: list[Evaluasi]) -> list[Baris]:
    return [Baris(ev, None) for ev in evaluasi]


def kirim_evaluasi(ev: Evaluasi) -> KirimSiasn | None:
    """The send record of one evaluation (the evaluation page's mark), or None."""
    return KirimSiasn.objects.filter(evaluasi_id=ev.pk).first()


def pekerjaan_massal(instansi: Instansi) -> Pekerjaan | None:
    """The newest bulk-send job of the instansi (`services.start_kirim_massal`), for the sync page."""
    return (
        Pekerjaan.objects.filter(instansi=instansi, jenis="siasn_massal")
        .order_by("-dibuat_pada", "-pk")
        .first()
    )
