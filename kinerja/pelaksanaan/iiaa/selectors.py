"""Reads of the laporan capaian IIAA: the page and the PDF share one builder."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from kinerja.organisasi.models import PeriodePenilaian
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.models import BuktiDukung, LaporanIIAA, RencanaTindak
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.rules.types import JenisRhk


@dataclass
class ItemIIAA:
    """One indikator below target (or with a report) in the periode, with its report and evidence."""

    nomor: str
    rhk: Rhk
    baris: selectors.BarisIndikator
    laporan: LaporanIIAA | None
    bukti: list[BuktiDukung] = field(default_factory=list)

    @property
    def di_bawah_target(self) -> bool:
        return di_bawah_target(self.baris)

    @property
    def rencana_tindak(self) -> list[RencanaTindak]:
        return list(self.laporan.rencana_tindak.all()) if self.laporan else []


@dataclass
class HalamanIIAA:
    skp: Skp
    periode: PeriodePenilaian
    periode_list: list[PeriodePenilaian]
    sebelumnya: PeriodePenilaian | None
    item: list[ItemIIAA]
    laporan_sebelumnya: list[LaporanIIAA]
    jumlah_kuantitatif: int

    @property
    def belum_dilaporkan(self) -> int:
        return sum(1 for i in self.item if i.laporan is None)


def _laporan_qs() -> Prefetch[RencanaTindak]:
    return Prefetch("rencana_tindak", queryset=RencanaTindak.objects.order_by("batas_waktu", "pk"))


def halaman_iiaa(skp: Skp, periode: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> HalamanIIAA:
    """The numeric indikator below target in the periode with their IIAA reports and bukti dukung, and
    the previous periode's reports with the status of their action plans (fixed number of queries)."""
    rhk_list = list(
        Rhk.objects.filter(skp=skp)
        .order_by("jenis", "urutan", "pk")
        .prefetch_related(Prefetch("indikator", queryset=selectors.indikator_qs(skp.periode)))
    )
    laporan = {
        lap.indikator_id: lap
        for lap in LaporanIIAA.objects.filter(skp=skp, periode_penilaian=periode).prefetch_related(
            _laporan_qs()
        )
    }
    hitung = {JenisRhk.UTAMA.value: 0, JenisRhk.TAMBAHAN.value: 0}
    item: list[ItemIIAA] = []
    kuantitatif = 0
    for r in rhk_list:
        hitung[r.jenis] = hitung.get(r.jenis, 0) + 1
        nomor = f"{'A' if r.jenis == JenisRhk.UTAMA.value else 'B'}.{hitung[r.jenis]}"
        for ind in r.indikator.all():
            if ind.target_angka is None:
                continue
            kuantitatif += 1
            baris = selectors.baris_indikator(ind, periode, daftar)
            lap = laporan.get(ind.pk)
            if lap is not None or di_bawah_target(baris):
                item.append(ItemIIAA(nomor, r, baris, lap))
    realisasi_ids = [i.baris.realisasi.pk for i in item if i.baris.realisasi is not None]
    bukti: dict[int, list[BuktiDukung]] = {}
    for b in BuktiDukung.objects.filter(realisasi_id__in=realisasi_ids).order_by("pk"):
        bukti.setdefault(b.realisasi_id, []).append(b)
    for i in item:
        if i.baris.realisasi is not None:
            i.bukti = bukti.get(i.baris.realisasi.pk, [])
    sebelumnya = next((p for p in daftar if p.nomor == periode.nomor - 1), None)
    laporan_sebelumnya = (
        list(
            LaporanIIAA.objects.filter(skp=skp, periode_penilaian=sebelumnya)
            .select_related("indikator")
            .prefetch_related(_laporan_qs())
            .order_by("indikator__rhk__jenis", "indikator__rhk__urutan", "indikator__urutan", "pk")
        )
        if sebelumnya is not None
        else []
    )
    return HalamanIIAA(skp, periode, daftar, sebelumnya, item, laporan_sebelumnya, kuantitatif)


def jumlah_laporan(skp: Skp) -> dict[int, int]:
    """periode nomor -> number of IIAA reports of the SKP (for the periode tabs)."""
    rows = (
        LaporanIIAA.objects.filter(skp=skp)
        .values("periode_penilaian__nomor")
        .annotate(n=Count("pk"))
        .values_list("periode_penilaian__nomor", "n")
    )
    return dict(rows)


def di_bawah_target(baris: selectors.BarisIndikator) -> bool:
    return baris.numerik and baris.capaian is not None and baris.capaian < 100
