""" "Daftar tunjangan kinerja" of a periode as an Excel workbook (openpyxl): sheet "Tunjangan kinerja"
(pegawai with a final evaluation, predikat and percentage), sheet "Belum final" (no percentage) and sheet
"Tabel" (the version of the table used)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tanggal import tanggal_panjang
from kinerja.common.xlsx import ABU, GARIS, TEBAL, kepala, tulis_judul
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.tukin.selectors import DaftarTukin

BARIS_HEADER = 5
KOLOM = [
    ("No", 5),
    ("NIP", 21),
    ("Nama", 34),
    ("Jabatan", 36),
    ("Unit kerja", 36),
    ("Predikat kinerja", 18),
    ("Persentase tunjangan kinerja (%)", 16),
]
KOLOM_BELUM = [*KOLOM[:5], ("Status evaluasi", 18)]


def _judul(ws: Any, kolom: list[tuple[str, int]]) -> None:
    kepala(ws, BARIS_HEADER, kolom)
    ws.row_dimensions[BARIS_HEADER].height = 32
    ws.freeze_panes = ws.cell(BARIS_HEADER + 1, 3)


def _kepala(ws: Any, judul: str, instansi: Any, data: DaftarTukin) -> None:
    t = data.tabel
    tulis_judul(ws, judul, f"{instansi.nama} — {data.pilihan.nama}")
    ws["A3"] = (
        f"Tabel tunjangan kinerja versi {t.versi} (berlaku mulai {tanggal_panjang(t.berlaku_mulai)}), "
        f"yang berlaku pada hari terakhir periode {tanggal_panjang(data.tanggal)}."
    )


def tukin_xlsx(instansi: Any, data: DaftarTukin) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tunjangan kinerja"
    _kepala(ws, "DAFTAR TUNJANGAN KINERJA", instansi, data)
    _judul(ws, KOLOM)
    r = BARIS_HEADER
    for i, b in enumerate(data.baris, start=1):
        r += 1
        for j, nilai in enumerate(
            [i, b.nip, b.nama, b.jabatan, b.unit, b.predikat.label, float(b.persen)], start=1
        ):
            c = ws.cell(r, j, nilai)
            c.border = GARIS
        ws.cell(r, 2).number_format = "@"
        ws.cell(r, 7).number_format = "0.00"
    if not data.baris:
        ws.cell(r + 1, 1, "Belum ada pegawai dengan evaluasi final pada periode ini.").font = Font(
            italic=True
        )

    wb2 = wb.create_sheet("Belum final")
    _kepala(wb2, "PEGAWAI YANG EVALUASINYA BELUM FINAL (tanpa persentase)", instansi, data)
    _judul(wb2, KOLOM_BELUM)
    r = BARIS_HEADER
    for i, bb in enumerate(data.belum_final, start=1):
        r += 1
        for j, nilai in enumerate([i, bb.nip, bb.nama, bb.jabatan, bb.unit, bb.status], start=1):
            wb2.cell(r, j, nilai).border = GARIS
        wb2.cell(r, 2).number_format = "@"

    ws3 = wb.create_sheet("Tabel")
    t = data.tabel
    ws3["A1"] = f"Tabel tunjangan kinerja versi {t.versi}"
    ws3["A1"].font = Font(bold=True, size=12)
    ws3["A2"] = f"Berlaku mulai {tanggal_panjang(t.berlaku_mulai)}. Alasan: {t.alasan}"
    for j, judul in enumerate(("Predikat kinerja", "Persentase (%)"), start=1):
        c = ws3.cell(4, j, judul)
        c.font, c.fill, c.border = TEBAL, ABU, GARIS
    for i, p in enumerate(Predikat, start=5):
        ws3.cell(i, 1, p.label).border = GARIS
        c = ws3.cell(i, 2, float(t.persen(p)))
        c.border, c.number_format = GARIS, "0.00"
    ws3.column_dimensions["A"].width = 22
    ws3.column_dimensions["B"].width = 16
    return save_xlsx(wb)
