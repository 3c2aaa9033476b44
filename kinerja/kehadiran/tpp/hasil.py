"""`kinerja.rules.tpp.HasilTpp` as stored JSON (`TppPegawai.hasil`): Decimals as strings, dates ISO."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.rules.tpp import HasilSegmen, HasilTpp, JenisPeristiwa, JenisPotongan, Rincian


def _d(x: Decimal) -> str:
    return format(x, "f")


def _rincian(r: Rincian) -> dict[str, Any]:
    return {
        "tanggal": r.tanggal.isoformat() if r.tanggal else None,
        "teks": r.teks,
        "persen": _d(r.persen),
        "dasar": _d(r.dasar),
        "rupiah": _d(r.rupiah),
        "jenis": r.jenis.value,
    }


#: Lines stored before ``jenis`` was kept: their kind read back from the text's start.
_AWALAN: tuple[tuple[str, JenisPotongan], ...] = (
    ("TL ", JenisPotongan.TL),
    ("PSW ", JenisPotongan.PSW),
    ("Tidak ada rekam", JenisPotongan.TANPA_REKAM),
    ("TK ", JenisPotongan.TK),
    ("Izin ", JenisPotongan.IZIN),
    ("Tugas belajar", JenisPotongan.TUGAS_BELAJAR),
    ("Hukuman disiplin", JenisPotongan.HUKUMAN),
    (JenisPeristiwa.APEL.label, JenisPotongan.APEL),
    (JenisPeristiwa.ATRIBUT.label, JenisPotongan.ATRIBUT),
)


def jenis_rincian(baris: dict[str, Any]) -> JenisPotongan:
    """A stored line's kind: its ``jenis``, or (older rows) guessed from its text; else other absence."""
    if "jenis" in baris:
        return JenisPotongan(baris["jenis"])
    teks = str(baris.get("teks", ""))
    return next((j for awal, j in _AWALAN if teks.startswith(awal)), JenisPotongan.ABSEN_LAIN)


def _segmen(h: HasilSegmen) -> dict[str, Any]:
    return {
        "mulai": h.segmen.mulai.isoformat(),
        "selesai": h.segmen.selesai.isoformat(),
        "pagu": _d(h.segmen.pagu),
        "hari_kerja": h.hari_kerja,
        "jumlah": _d(h.jumlah),
        "bagian_kinerja": _d(h.bagian_kinerja),
        "bagian_disiplin": _d(h.bagian_disiplin),
        "dasar": _d(h.dasar),
        "rincian": [_rincian(r) for r in h.rincian],
        "potongan_sebelum_batas": _d(h.potongan_sebelum_batas),
        "batas": _d(h.batas),
        "potongan": _d(h.potongan),
        "kena_batas": h.kena_batas,
        "kinerja_dibayar": _d(h.kinerja_dibayar),
        "disiplin_dibayar": _d(h.disiplin_dibayar),
        "dibayar": _d(h.dibayar),
    }


def hasil_ke_json(h: HasilTpp) -> dict[str, Any]:
    """What the pages and the payroll export read back; never parsed into rules objects again."""
    return {
        "segmen": [_segmen(s) for s in h.segmen],
        "hari_kerja_bulan": h.hari_kerja_bulan,
        "faktor_kinerja": _d(h.faktor_kinerja),
        "sumber_kinerja": h.sumber_kinerja,
        "pagu_bulan": _d(h.pagu_bulan),
        "potongan": _d(h.potongan),
        "bruto": _d(h.bruto),
        "keterangan": list(h.keterangan),
    }
