"""The follow-up lists and the angka kredit report as Excel workbooks (openpyxl), from the same selector
data as the pages (header rows, column widths, frozen panes; as `kinerja.dokumen.evaluasi.xlsx`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tampil import nip_tampil
from kinerja.common.xlsx import BUNGKUS, GARIS, TEBAL, cetak_lanskap, kepala, tulis_judul
from kinerja.tindak_lanjut.laporan.selectors import DaftarTindakLanjut, LaporanAngkaKredit

ANGKA = "0.000"
HEADER = 7  # the table header row; rows 1-6 name the report


def _angka(nilai: Decimal) -> str:
    """A number in a text cell, Indonesian style (decimal comma), as the pages show it."""
    return f"{nilai:.3f}".replace(".", ",")


def kosong_tahunan(tahun: int | None) -> str:
    return f"Belum ada evaluasi tahunan yang final{f' untuk tahun {tahun}' if tahun else ''}."


def kosong_angka_kredit(tahun: int | None) -> str:
    return f"Belum ada evaluasi final jabatan fungsional{f' untuk tahun {tahun}' if tahun else ''}."


def _kepala(ws: Any, kolom: list[tuple[str, int]]) -> None:
    kepala(ws, HEADER, kolom)


def _baris(ws: Any, r: int, values: list[Any]) -> None:
    for j, v in enumerate(values, start=1):
        c = ws.cell(r, j, v)
        c.border, c.alignment = GARIS, BUNGKUS


def _lembar(nama: str, judul: str, instansi: str, unit: str, tahun: str) -> tuple[Workbook, Any]:
    """A one-sheet report: its title rows, the unit and the year (row 5 on is the report's own)."""
    wb = Workbook()
    ws = wb.active
    ws.title = nama
    tulis_judul(ws, judul, instansi)
    ws["A3"] = f"Unit kerja: {unit}"
    ws["A4"] = tahun
    return wb, ws


def _selesai(wb: Workbook, ws: Any, beku: str, judul: str) -> bytes:
    ws.freeze_panes = beku
    cetak_lanskap(ws, HEADER)
    wb.properties.title = judul
    return save_xlsx(wb)


KOLOM_TINDAK_LANJUT = [
    ("No", 5),
    ("Tindak Lanjut", 30),
    ("Nama", 32),
    ("NIP", 22),
    ("Jabatan", 34),
    ("Unit Kerja", 30),
    ("Predikat Tahun Ini", 18),
    ("Predikat Tahun Lalu", 18),
    ("Dua Tahun Berturut-turut", 14),
    ("Keterangan", 50),
]


def tindak_lanjut_xlsx(
    daftar: DaftarTindakLanjut | None, instansi: str, unit: str, tahun: int | None
) -> bytes:
    wb, ws = _lembar(
        "Tindak Lanjut",
        "DAFTAR TINDAK LANJUT PREDIKAT KINERJA TAHUNAN",
        instansi,
        unit,
        f"Tahun: {tahun or '-'} (evaluasi tahunan yang final)",
    )
    if daftar is not None:
        ws["A5"] = "Predikat untuk tinjauan sanksi: " + ", ".join(p.label for p in daftar.predikat_sanksi)
    _kepala(ws, KOLOM_TINDAK_LANJUT)
    r = HEADER
    if daftar is None or daftar.jumlah_final == 0:
        ws.cell(r + 1, 1, kosong_tahunan(tahun))
    else:
        nomor = 0
        for kel in daftar.kelompok:
            for b in kel.baris:
                nomor += 1
                r += 1
                _baris(
                    ws,
                    r,
                    [
                        nomor,
                        kel.kategori.label,
                        b.nama,
                        nip_tampil(b.nip),
                        b.jabatan,
                        b.unit,
                        b.predikat.label,
                        b.predikat_lalu.label if b.predikat_lalu else "-",
                        "Ya" if b.dua_tahun else "Tidak",
                        b.keterangan,
                    ],
                )
        r += 2
        ws.cell(r, 1, "Jumlah per tindak lanjut").font = TEBAL
        for kel in daftar.kelompok:
            r += 1
            ws.cell(r, 2, kel.kategori.label)
            ws.cell(r, 3, len(kel.baris))
        r += 1
        ws.cell(r, 2, "Evaluasi tahunan final")
        ws.cell(r, 3, daftar.jumlah_final)
    return _selesai(wb, ws, "D8", f"Tindak Lanjut Predikat Kinerja {unit} {tahun}")


KOLOM_ANGKA_KREDIT = [
    ("No", 5),
    ("Nama", 32),
    ("NIP", 22),
    ("Jabatan", 34),
    ("Jenjang", 14),
    ("Unit Kerja", 30),
    ("Evaluasi Periodik (progres)", 44),
    ("Jumlah Periodik", 12),
    ("Predikat Tahunan", 16),
    ("Angka Kredit Tahunan", 12),
    ("Angka Kredit Tahun Ini", 12),
    ("Dasar", 22),
    ("Kumulatif", 12),
    ("Kumulatif Sejak", 10),
]


def angka_kredit_xlsx(
    laporan: LaporanAngkaKredit | None, instansi: str, unit: str, tahun: int | None
) -> bytes:
    wb, ws = _lembar(
        "Angka Kredit",
        "ANGKA KREDIT JABATAN FUNGSIONAL DARI PREDIKAT KINERJA",
        instansi,
        unit,
        f"Tahun: {tahun or '-'}",
    )
    ws["A5"] = (
        "Angka kredit tahun = hasil evaluasi tahunan yang final; evaluasi periodik ditampilkan sebagai "
        "progres dan dipakai sementara bila evaluasi tahunan belum final (PermenPANRB 1/2023)."
    )
    if laporan is not None:
        ws["A6"] = (
            "Hanya bulan yang dicakup SKP di dalam periode yang dihitung. Bulan yang hanya sebagian dicakup: "
            f"{laporan.aturan_bulan.label}."
        )
    _kepala(ws, KOLOM_ANGKA_KREDIT)
    r = HEADER
    if laporan is None or not laporan.baris:
        ws.cell(r + 1, 1, kosong_angka_kredit(tahun))
    else:
        for nomor, b in enumerate(laporan.baris, start=1):
            r += 1
            t = b.tahun_ini
            periodik = "; ".join(
                f"{p.nama}{f' ({p.jabatan})' if t.periodik_beberapa_jabatan else ''}: {p.predikat.label}, "
                f"{p.bulan} bln = {_angka(p.nilai)}"
                for p in t.periodik
            )
            _baris(
                ws,
                r,
                [
                    nomor,
                    b.nama,
                    nip_tampil(b.nip),
                    b.jabatan,
                    b.jenjang.label,
                    b.unit,
                    periodik or "-",
                    t.periodik_jumlah,
                    t.predikat_tahunan.label if t.predikat_tahunan else "-",
                    t.tahunan.nilai if t.tahunan else None,
                    t.nilai,
                    "Sementara (periodik)" if t.sementara else "Evaluasi tahunan final",
                    b.kumulatif,
                    b.tahun_awal,
                ],
            )
            for j in (8, 10, 11, 13):
                ws.cell(r, j).number_format = ANGKA
    return _selesai(wb, ws, "C8", f"Angka Kredit {unit} {tahun}")
