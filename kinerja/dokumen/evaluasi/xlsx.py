"""The penetapan predikat kinerja of a rating group as an Excel workbook (openpyxl), from the same content
data as the PDF (`evaluasi.fill_penetapan`)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tampil import nip_tampil
from kinerja.common.xlsx import BUNGKUS, GARIS, TEBAL, cetak_lanskap, gaya_kepala, tulis_judul
from kinerja.dokumen.evaluasi.konteks import BELUM, CAPAIAN, PREDIKAT, RATING, STATUS
from kinerja.rules.types import Predikat

MERAH = PatternFill("solid", fgColor="F8CBCB")
KOLOM = [
    ("No", 5),
    ("Nama", 34),
    ("NIP", 22),
    ("Jabatan", 36),
    ("Rating Hasil Kerja", 20),
    ("Rating Perilaku Kerja", 20),
    ("Predikat Kinerja", 18),
    ("Keterangan", 30),
]


def _kepala(ws: Any, row: int, labels: list[str]) -> None:
    for j, label in enumerate(labels, start=1):
        gaya_kepala(ws.cell(row, j, label))


def penetapan_xlsx(data: dict[str, Any], final: bool, url_verifikasi: str, sha256: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    periode = data["periode"]
    tahunan = periode["nomor"] == 0
    nama_periode = f"Akhir {periode['tahun']}" if tahunan else f"{periode['nama']} {periode['tahun']}"
    ws.title = "Penetapan Predikat"

    tulis_judul(ws, "PENETAPAN PREDIKAT KINERJA PEGAWAI", f"{data['unit']} — {data['instansi']}")
    ws["A3"] = f"Periode: {nama_periode} ({periode['mulai']} s.d. {periode['selesai']})"
    ws["A4"] = f"Capaian kinerja organisasi: {CAPAIAN.get(data['capaian_organisasi']['nilai'], BELUM)}"
    ws["A5"] = "Status: final" if final else "Status: DRAFT — belum final, belum terdaftar"
    if not final:
        ws["A5"].font = Font(bold=True, color="B00000")

    header = 7
    _kepala(ws, header, [k for k, _ in KOLOM])
    for j, (_, lebar) in enumerate(KOLOM, start=1):
        ws.column_dimensions[chr(64 + j)].width = lebar
    r = header
    for nomor, p in enumerate(data["pegawai"], start=1):
        r += 1
        keterangan = []
        if p["pimpinan"]:
            keterangan.append("Rating hasil kerja = capaian unit yang dipimpin")
        elif p["hasil_diubah"]:
            keterangan.append("Rating hasil kerja diubah dari saran")
        if p["perilaku_diubah"]:
            keterangan.append("Rating perilaku kerja diubah dari saran")
        if p["status"] != "final":
            keterangan.append(f"Status: {STATUS.get(p['status'], p['status'])}")
        values = [
            nomor,
            p["nama"],
            nip_tampil(p["nip"]),
            p["jabatan"],
            RATING.get(p["rating_hasil"], "-"),
            RATING.get(p["rating_perilaku"], "-"),
            PREDIKAT.get(p["predikat"], "Belum dinilai"),
            "; ".join(keterangan),
        ]
        for j, v in enumerate(values, start=1):
            c = ws.cell(r, j, v)
            c.border, c.alignment = GARIS, BUNGKUS
    for s in data["belum_dibuka"]:
        r += 1
        values = ["-", s["nama"], nip_tampil(s["nip"]), s["jabatan"], "", "", "", "Evaluasi belum dibuka"]
        for j, v in enumerate(values, start=1):
            c = ws.cell(r, j, v)
            c.border, c.alignment = GARIS, BUNGKUS

    r += 2
    ws.cell(r, 1, "Jumlah pegawai per predikat").font = TEBAL
    r += 1
    _kepala(ws, r, ["", "Predikat", "Jumlah"])
    for p in Predikat:
        r += 1
        ws.cell(r, 2, p.label).border = GARIS
        ws.cell(r, 3, data["jumlah"].get(p.value, 0)).border = GARIS
    r += 1
    ws.cell(r, 2, "Jumlah").font = TEBAL
    ws.cell(r, 3, sum(data["jumlah"].values())).font = TEBAL

    if data.get("pola_tidak_diterapkan") is not None:
        r += 2
        status = "Status pola distribusi: tidak dapat diterapkan"
        ws.cell(r, 1, status + (" (dicatat saat finalisasi)" if final else "")).font = TEBAL
        ws.cell(r + 1, 2, data["pola_tidak_diterapkan"]).alignment = BUNGKUS
        r += 1

    if data["pelanggaran"]:
        r += 2
        ws.cell(r, 1, "Pelanggaran pola distribusi").font = Font(bold=True, color="B00000")
        for f in data["pelanggaran"]:
            r += 1
            c = ws.cell(r, 2, f["pesan"] + (f" ({', '.join(f['pegawai'])})" if f["pegawai"] else ""))
            c.fill = MERAH
        if data["alasan_finalisasi"]:
            r += 1
            ws.cell(r, 2, f"Alasan finalisasi: {data['alasan_finalisasi']}")

    pimpinan = data["pimpinan"]
    r += 2
    ws.cell(r, 1, "Ditetapkan oleh").font = TEBAL
    ws.cell(r, 2, pimpinan.get("nama", "-"))
    ws.cell(r, 3, nip_tampil(pimpinan["nip"]) if pimpinan.get("nip") else "")
    ws.cell(r, 4, pimpinan.get("jabatan", ""))
    if final:
        ws.cell(r + 2, 1, f"Verifikasi: {url_verifikasi}")
        ws.cell(r + 3, 1, f"SHA-256 isi: {sha256}")

    ws.freeze_panes = ws.cell(header + 1, 3)
    cetak_lanskap(ws, header)
    wb.properties.title = f"Penetapan Predikat Kinerja {data['unit']} {nama_periode}"
    return save_xlsx(wb)
