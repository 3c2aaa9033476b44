"""The look of every workbook the app writes (openpyxl): one place for fills, fonts, borders and the
header row, so reports and templates stay alike.

Reports (rekap, tukin, laporan, papan, dokumen): a grey bold header row with thin borders, wrapped and
centred; the title in A1 (bold 14), the subtitle in A2 (bold). Workbooks to fill in and upload (impor,
realisasi): a light-blue bold header row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

TEBAL = Font(bold=True)
JUDUL = Font(bold=True, size=14)
ABU = PatternFill("solid", fgColor="D9D9D9")  # the header row of a report table
BIRU = PatternFill("solid", fgColor="DCE6F1")  # the header row of a sheet to fill in
TIPIS = Side(style="thin", color="000000")
GARIS = Border(left=TIPIS, right=TIPIS, top=TIPIS, bottom=TIPIS)
BUNGKUS = Alignment(wrap_text=True, vertical="top")
TENGAH = Alignment(wrap_text=True, vertical="center", horizontal="center")


def gaya_kepala(cell: Any) -> None:
    """A report table's header cell: bold, grey, bordered, wrapped and centred."""
    cell.font, cell.fill, cell.border, cell.alignment = TEBAL, ABU, GARIS, TENGAH


def kepala(ws: Any, baris: int, kolom: Iterable[tuple[str, float | None]]) -> None:
    """A report table's header row from (label, column width) pairs, from column A; None keeps the width."""
    for j, (label, lebar) in enumerate(kolom, start=1):
        cell = ws.cell(baris, j, label)
        gaya_kepala(cell)
        if lebar is not None:
            ws.column_dimensions[cell.column_letter].width = lebar


def tulis_judul(ws: Any, teks: str, sub: Any) -> None:
    """The title (A1, bold 14) and the subtitle (A2, bold) of a report sheet."""
    ws["A1"] = teks
    ws["A1"].font = JUDUL
    ws["A2"] = sub
    ws["A2"].font = TEBAL


def cetak_lanskap(ws: Any, baris_kepala: int) -> None:
    """Print setup of a report sheet: landscape, one page wide, the header row repeated on every page."""
    ws.print_title_rows = f"{baris_kepala}:{baris_kepala}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
