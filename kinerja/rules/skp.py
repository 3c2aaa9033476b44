"""Rules of the SKP's content (PermenPANRB 6/2022 and lampiran; docs/rules.md §11): model, RHK wording, JPT
perspectives, indikator targets, and the SKP deadline of a pegawai."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kinerja.rules.capaian import target_konsisten
from kinerja.rules.jadwal import Deadlines, batas_skp, batas_skp_penempatan
from kinerja.rules.types import JenisJabatan, Konsolidasi, ModelSkp, Perspektif

__all__ = [
    "KATA_KERJA_AKTIVITAS",
    "JPT",
    "STRUKTURAL",
    "batas_skp_pegawai",
    "model_skp",
    "model_wajib_kuantitatif",
    "perspektif_kurang",
    "peringatan_rhk",
    "check_target_periode",
]

JPT = frozenset({JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA})
# Pejabat struktural: the jabatan that lead an organisation unit.
STRUKTURAL = JPT | {JenisJabatan.ADMINISTRATOR, JenisJabatan.PENGAWAS}

#: Verbs that start an activity rather than a result. An RHK states a result ("Terwujudnya …",
#: "Tersusunnya …", "Meningkatnya …"); these give a warning, never a block.
KATA_KERJA_AKTIVITAS = (
    "melaksanakan",
    "mengikuti",
    "membantu",
    "melakukan",
    "menghadiri",
    "mengerjakan",
    "membuat",
    "menyusun",
    "mengumpulkan",
    "mengetik",
    "menginput",
    "mengelola",
    "memfasilitasi",
    "mengoordinasikan",
    "mengkoordinasikan",
)


def model_wajib_kuantitatif(jenis: JenisJabatan, unit_kerja_mandiri: bool) -> bool:
    """Kuantitatif is mandatory for JPT and for pimpinan unit kerja mandiri."""
    return jenis in JPT or unit_kerja_mandiri


def model_skp(
    jenis: JenisJabatan,
    unit_kerja_mandiri: bool,
    instansi_paksa_kuantitatif: bool = False,
    struktural_kuantitatif: bool = False,
) -> ModelSkp:
    """The model of a new SKP: kuantitatif where mandatory, or where the instansi chose it (CONFIG) for
    every pegawai or for its pejabat struktural (JPT, administrator, pengawas: the unit heads who report
    IKU capaian and IIAA)."""
    if model_wajib_kuantitatif(jenis, unit_kerja_mandiri) or instansi_paksa_kuantitatif:
        return ModelSkp.KUANTITATIF
    if struktural_kuantitatif and jenis in STRUKTURAL:
        return ModelSkp.KUANTITATIF
    return ModelSkp.KUALITATIF


def peringatan_rhk(teks: str) -> list[str]:
    """Warnings (not errors) about an RHK's wording: it should state a result, not an activity."""
    kata = re.findall(r"[a-zA-Z]+", teks.strip().lower())
    if kata and kata[0] in KATA_KERJA_AKTIVITAS:
        return [
            f'RHK diawali kata kerja aktivitas "{kata[0]}". RHK sebaiknya menyatakan hasil, misalnya '
            '"Tersusunnya …", "Terwujudnya …", "Meningkatnya …".'
        ]
    return []


def perspektif_kurang(perspektif: Iterable[Perspektif | None]) -> list[Perspektif]:
    """Perspectives a JPT SKP still lacks (all four must be present, anggaran included), in order."""
    ada = {p for p in perspektif if p is not None}
    return [p for p in Perspektif if p not in ada]


@dataclass(frozen=True)
class MasalahTarget:
    pesan: str


def check_target_periode(
    target_tahun: Decimal | None,
    target_periode: dict[int, Decimal | None],
    konsolidasi: Konsolidasi,
    satuan: str = "",
) -> list[MasalahTarget]:
    """Problems with an indikator's numeric targets: > 0, and per-periode consistent with the year.

    Periods left empty are allowed (no target that period); when every period is filled they must add up
    (SUM), average (AVERAGE) or end (LAST) at the yearly target.
    """
    masalah: list[MasalahTarget] = []
    if target_tahun is None:
        return [MasalahTarget("Target tahunan wajib diisi dengan angka.")]
    if target_tahun <= 0:
        masalah.append(MasalahTarget("Target tahunan harus lebih dari 0."))
    for nomor, nilai in sorted(target_periode.items()):
        if nilai is not None and nilai < 0:
            masalah.append(MasalahTarget(f"Target periode {nomor} tidak boleh negatif."))
    terisi = [v for _, v in sorted(target_periode.items()) if v is not None]
    if masalah or not terisi or len(terisi) < len(target_periode):
        return masalah
    if not target_konsisten(terisi, target_tahun, konsolidasi):
        cara = {
            Konsolidasi.SUM: "jumlah target periode",
            Konsolidasi.AVERAGE: "rata-rata target periode",
            Konsolidasi.LAST: "target periode terakhir",
        }[konsolidasi]
        masalah.append(
            MasalahTarget(
                f"Target per periode tidak sesuai target tahunan: {cara} harus sama dengan {target_tahun}"
                f"{' ' + satuan if satuan else ''}."
            )
        )
    return masalah


def batas_skp_pegawai(
    tahun: int, tmt_penempatan: date, batas_umum: date | None = None, deadlines: Deadlines | None = None
) -> date:
    """SKP agreed by 31 January (or the instansi's own date, `batas_umum`), or within one month of a
    jabatan taken later in the year, whichever is later (CONFIG)."""
    umum = batas_umum or batas_skp(tahun, deadlines)
    if tmt_penempatan.year == tahun and tmt_penempatan > date(tahun, 1, 1):
        return max(umum, batas_skp_penempatan(tmt_penempatan, deadlines))
    return umum
