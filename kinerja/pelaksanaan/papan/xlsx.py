"""Progress pengisian per unit as an Excel workbook (openpyxl): the same numbers as the admin's page."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tanggal import tanggal_panjang
from kinerja.common.xlsx import GARIS, JUDUL, TEBAL, kepala
from kinerja.pelaksanaan.papan.selectors import Progres, RingkasanUnit

KOLOM = [
    ("Unit kerja", 48),
    ("Pegawai", 10),
    ("SKP disetujui", 13),
    ("SKP disetujui (%)", 13),
    ("Indikator", 11),
    ("Realisasi terisi", 13),
    ("Realisasi terisi (%)", 13),
    ("Pegawai lengkap", 13),
    ("Rata-rata capaian s.d. periode (%)", 17),
    ("Pegawai dengan umpan balik", 15),
    ("Umpan balik (%)", 12),
    ("Pegawai terlambat", 12),
]
BARIS_HEADER = 4


def _baris(r: RingkasanUnit, nama: str) -> list[Any]:
    return [
        nama,
        r.pegawai,
        r.skp_disetujui,
        r.persen_skp,
        r.indikator,
        r.terisi,
        r.persen_terisi,
        r.lengkap,
        float(r.capaian) if r.capaian is not None else None,
        r.umpan_balik,
        r.persen_umpan_balik,
        r.terlambat,
    ]


def progres_xlsx(instansi: Any, periode: Any, pp: Any, data: Progres) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Progres {pp.nama}"[:31]
    ws["A1"] = "PROGRES PENGISIAN KINERJA PER UNIT KERJA"
    ws["A1"].font = JUDUL
    ws["A2"] = (
        f"{instansi.nama} — {pp.nama} {periode.tahun} (batas pengisian {tanggal_panjang(pp.batas_realisasi)})"
    )
    ws["A2"].font = TEBAL
    kepala(ws, BARIS_HEADER, KOLOM)
    ws.row_dimensions[BARIS_HEADER].height = 45
    r = BARIS_HEADER
    for row in data.baris:
        r += 1
        assert row.unit is not None
        for j, nilai in enumerate(_baris(row, row.unit.nama), start=1):
            c = ws.cell(r, j, nilai)
            c.border = GARIS
        ws.cell(r, 1).alignment = Alignment(indent=row.unit.depth, wrap_text=True)
    r += 1
    for j, nilai in enumerate(_baris(data.total, "Seluruh instansi"), start=1):
        c = ws.cell(r, j, nilai)
        c.font, c.border = TEBAL, GARIS
    ws.freeze_panes = ws.cell(BARIS_HEADER + 1, 2)
    ws.cell(
        r + 2,
        1,
        "Realisasi terisi: indikator SKP yang disetujui dengan realisasi pada periode ini. "
        "Umpan balik: pegawai dengan SKP disetujui yang menerima ≥ 1 umpan balik pada periode ini.",
    )
    return save_xlsx(wb)
