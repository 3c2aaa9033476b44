"""The Matriks Pembagian Peran dan Hasil as an Excel workbook (openpyxl)."""

from __future__ import annotations

import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tampil import nip_tampil
from kinerja.common.xlsx import BUNGKUS, GARIS, JUDUL, TEBAL, cetak_lanskap, gaya_kepala
from kinerja.dokumen.konteks import kolom_duplikat

MERAH = PatternFill("solid", fgColor="F8CBCB")
KUNING = PatternFill("solid", fgColor="FFF2A8")
LEBAR_RHK, LEBAR_BAWAHAN = 48, 34
BARIS_HEADER = 5


def _tinggi(teks: str, lebar: int) -> int:
    """Approximate line count of wrapped text in a column `lebar` characters wide."""
    return sum(max(1, math.ceil(len(line) / (lebar * 1.1))) for line in (teks or "").split("\n"))


def matriks_xlsx(data: dict[str, Any], url_verifikasi: str, sha256: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Matriks {data['tahun']}"
    bawahan = data["bawahan"]
    pimpinan = data["pimpinan"]
    kolom_akhir = get_column_letter(1 + max(len(bawahan), 1))

    ws["A1"] = "MATRIKS PEMBAGIAN PERAN DAN HASIL"
    ws["A1"].font = JUDUL
    ws["A2"] = f"{data['unit']} — Tahun {data['tahun']}"
    ws["A2"].font = Font(bold=True, size=11)
    ws["A3"] = (
        f"Pimpinan unit: {pimpinan.get('nama', '-')}, NIP {nip_tampil(pimpinan.get('nip', ''))} — "
        f"{pimpinan.get('jabatan', '')}"
        if pimpinan
        else "Pimpinan unit belum memiliki SKP."
    )

    header = ws.cell(BARIS_HEADER, 1, "RHK Pimpinan")
    gaya_kepala(header)
    ws.column_dimensions["A"].width = LEBAR_RHK
    for j, b in enumerate(bawahan, start=2):
        cell = ws.cell(BARIS_HEADER, j, f"{b['nama']}\n{b['jabatan']}")
        gaya_kepala(cell)
        ws.column_dimensions[get_column_letter(j)].width = LEBAR_BAWAHAN
    tinggi_header = max([_tinggi(f"{b['nama']}\n{b['jabatan']}", LEBAR_BAWAHAN) for b in bawahan] or [1])
    ws.row_dimensions[BARIS_HEADER].height = 15 * tinggi_header + 4

    tidak_tercakup = duplikat = 0
    for i, baris in enumerate(data["baris"]):
        r = BARIS_HEADER + 1 + i
        kosong = not any(baris["sel"])
        tidak_tercakup += kosong
        dobel = kolom_duplikat(baris["sel"])
        duplikat += len(dobel)
        cell = ws.cell(r, 1, f"{i + 1}. {baris['rhk']}")
        cell.alignment, cell.border = BUNGKUS, GARIS
        if kosong:
            cell.fill = MERAH
        lines = _tinggi(cell.value, LEBAR_RHK)
        for j, sel in enumerate(baris["sel"]):
            teks = "\n".join(f"• {t}" for t in sel)
            c = ws.cell(r, j + 2, teks or None)
            c.alignment, c.border = BUNGKUS, GARIS
            if j in dobel:
                c.fill = KUNING
            elif kosong:
                c.fill = MERAH
            lines = max(lines, _tinggi(teks, LEBAR_BAWAHAN))
        ws.row_dimensions[r].height = 15 * lines + 3

    r = BARIS_HEADER + len(data["baris"]) + 2
    ws.cell(r, 1, "Keterangan:").font = TEBAL
    ws.cell(r + 1, 1, "RHK pimpinan yang belum diintervensi bawahan").fill = MERAH
    ws.cell(r + 1, 2, f"{tidak_tercakup} baris")
    ws.cell(r + 2, 1, "Peran yang sama dituliskan lebih dari sekali (duplikat)").fill = KUNING
    ws.cell(r + 2, 2, f"{duplikat} sel")
    ws.cell(r + 4, 1, f"Verifikasi: {url_verifikasi}")
    ws.cell(r + 5, 1, f"SHA-256 isi: {sha256}")

    ws.freeze_panes = ws.cell(BARIS_HEADER + 1, 2)
    cetak_lanskap(ws, BARIS_HEADER)
    ws.print_area = f"A1:{kolom_akhir}{r + 5}"
    wb.properties.title = f"Matriks Pembagian Peran dan Hasil {data['unit']} {data['tahun']}"
    return save_xlsx(wb)
