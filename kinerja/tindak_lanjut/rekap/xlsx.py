"""The rekap per unit and instansi as an Excel workbook (openpyxl): the same numbers as the page."""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.xlsx import GARIS, TEBAL, kepala, tulis_judul
from kinerja.tindak_lanjut.rekap.selectors import KEBERATAN_KOLOM, PREDIKAT, Angka, Rekap, persen_angka

BARIS_HEADER = 5


def kolom() -> list[tuple[str, int]]:
    hasil = [
        ("Unit kerja", 48),
        ("SKP disetujui", 11),
        ("Evaluasi dibuka", 11),
        ("Evaluasi dinilai", 11),
        ("Evaluasi final", 11),
        ("Penyelesaian (% final dari SKP)", 14),
    ]
    for p in PREDIKAT:
        hasil += [(f"{p.label} (jumlah)", 11), (f"{p.label} (%)", 11)]
    hasil += [(f"Keberatan {label.lower()}", 12) for _, label in KEBERATAN_KOLOM]
    hasil += [("Kelompok penilaian final", 12), ("Pola distribusi tidak dapat diterapkan (kelompok)", 14)]
    return hasil


def _nilai(nama: str, a: Angka) -> list[Any]:
    row: list[Any] = [nama, a.skp, a.dibuka, a.dinilai, a.final, a.penyelesaian_angka]
    for p in PREDIKAT:
        row += [a.predikat[p], persen_angka(a.predikat[p], a.final)]
    row += [a.keberatan[k] for k, _ in KEBERATAN_KOLOM]
    row += [a.kelompok_final, a.jumlah_tidak_diterapkan]
    return row


def _gaya(wb: Any, kedalaman: set[int]) -> dict[str, Any]:
    """The cell styles, each set once on a cell of a scratch sheet; cells then copy its style array.
    Setting a style object (or a named style) per cell makes openpyxl hash or look it up for each of the
    ~40 000 cells of a large instansi (seconds); copying the array is what openpyxl's own copy does."""
    ws = wb.create_sheet("_gaya")
    gaya: dict[str, Any] = {}
    bentuk = [
        ("isi", Font(), "General", None),
        ("persen", Font(), "0.0", None),
        ("total", TEBAL, "General", None),
        ("total_persen", TEBAL, "0.0", None),
    ]
    bentuk += [
        (f"unit_{d}", Font(), "General", Alignment(indent=d, wrap_text=True)) for d in sorted(kedalaman)
    ]
    for i, (nama, huruf, format_angka, rata) in enumerate(bentuk, start=1):
        c = ws.cell(i, 1)
        c.font, c.border, c.number_format = huruf, GARIS, format_angka
        if rata is not None:
            c.alignment = rata
        gaya[nama] = c._style
    wb.remove(ws)
    return gaya


def rekap_xlsx(instansi: Any, data: Rekap) -> bytes:
    wb = Workbook()
    gaya = _gaya(wb, {b.kedalaman for b in data.baris})
    ws = wb.active
    ws.title = "Rekap"
    tulis_judul(ws, "REKAP PENILAIAN KINERJA PER UNIT KERJA", f"{instansi.nama} — {data.pilihan.nama}")
    ws["A3"] = f"Cakupan: {data.judul}"
    kepala(ws, BARIS_HEADER, kolom())
    ws.row_dimensions[BARIS_HEADER].height = 60
    r = BARIS_HEADER
    persen_kolom = {6} | {8 + 2 * i for i in range(len(PREDIKAT))}
    for b in data.baris:
        r += 1
        for j, nilai in enumerate(_nilai(b.unit.nama, b.angka), start=1):
            c = ws.cell(r, j, nilai)
            nama = f"unit_{b.kedalaman}" if j == 1 else "persen" if j in persen_kolom else "isi"
            c._style = copy(gaya[nama])
    r += 1
    total = "Seluruh instansi" if data.admin and data.fokus is None else f"Jumlah — {data.judul}"
    for j, nilai in enumerate(_nilai(total, data.total), start=1):
        c = ws.cell(r, j, nilai)
        c._style = copy(gaya["total_persen" if j in persen_kolom else "total"])
    ws.freeze_panes = ws.cell(BARIS_HEADER + 1, 2)
    catatan = [
        "Angka setiap unit kerja sudah termasuk seluruh unit di bawahnya.",
        "Evaluasi dinilai: kedua rating sudah diisi (final maupun belum). Penyelesaian: evaluasi final "
        "dibagi SKP disetujui yang mencakup periode ini.",
        "Sebaran predikat dihitung dari evaluasi final; persentase terhadap jumlah evaluasi final.",
        "Keberatan: yang diajukan atas evaluasi periode ini; dalam proses = belum diputus dan belum ditarik.",
        "Kelompok penilaian final: per unit kelompoknya; pola distribusi tidak dapat diterapkan = dicatat "
        "saat finalisasi (kelompok kecil, hanya pimpinan unit, atau ketentuan tidak dapat dipenuhi).",
    ]
    if data.total.jumlah_tidak_diterapkan:
        catatan.append(
            "Pola distribusi tidak dapat diterapkan pada "
            + ", ".join(f"{n} kelompok ({label.lower()})" for label, n in data.total.tidak_diterapkan_baris)
            + "."
        )
    for i, teks in enumerate(catatan, start=r + 2):
        ws.cell(i, 1, teks).font = Font(italic=True, size=9)
    return save_xlsx(wb)
