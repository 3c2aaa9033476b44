"""The month's payroll list (daftar TPP) as a workbook: one row per computed pegawai with the month's
amounts and the total of each cut kind, a totals row, and a sheet saying which rule set and pagu table
versions were used and whether the month is closed (docs/rules.md §28.4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.xlsx import TEBAL, cetak_lanskap, kepala, tulis_judul
from kinerja.kehadiran.models import BulanTpp, TppPegawai
from kinerja.kehadiran.tpp.hasil import jenis_rincian
from kinerja.rules.jadwal import NAMA_BULAN
from kinerja.rules.tpp import JenisPotongan

NOL = Decimal(0)
RUPIAH = "#,##0"
#: The cut columns, in the order of the workbook.
JENIS = tuple(JenisPotongan)
KEPALA: tuple[tuple[str, float | None], ...] = (
    ("No", 5),
    ("NIP", 21),
    ("Nama", 28),
    ("Jabatan", 28),
    ("Kelas jabatan", 8),
    ("Unit kerja", 26),
    ("Pagu (Rp)", 13),
    ("Bagian kinerja (Rp)", 13),
    ("Bagian disiplin (Rp)", 13),
    *((f"Potongan {j.label} (Rp)", 12) for j in JENIS),
    ("Jumlah potongan setelah batas (Rp)", 14),
    ("Batas potongan diterapkan", 10),
    ("Faktor kinerja (%)", 10),
    ("TPP bruto (Rp)", 14),
)
#: Columns (1-based) summed in the totals row: pagu .. jumlah potongan, then bruto.
_PAGU = 7
_UANG = (*range(_PAGU, _PAGU + 3 + len(JENIS) + 1), len(KEPALA))


def nilai_baris(r: TppPegawai) -> list[Any]:
    """The row's values after ``No`` (money as whole-rupiah Decimals)."""
    segmen = r.hasil.get("segmen", [])
    per_jenis = dict.fromkeys(JENIS, NOL)
    for s in segmen:
        for baris in s.get("rincian", []):
            per_jenis[jenis_rincian(baris)] += Decimal(baris["rupiah"])
    jabatan = r.jabatan
    return [
        r.pegawai.nip,
        r.pegawai.nama,
        jabatan.nama if jabatan else "",
        jabatan.kelas_jabatan if jabatan else None,
        r.unit.nama if r.unit else "",
        r.pagu,
        _bulat(sum((Decimal(s["bagian_kinerja"]) for s in segmen), NOL)),
        _bulat(sum((Decimal(s["bagian_disiplin"]) for s in segmen), NOL)),
        *(_bulat(per_jenis[j]) for j in JENIS),
        r.potongan,
        "ya" if any(s.get("kena_batas") for s in segmen) else "tidak",
        r.faktor_kinerja,
        r.bruto,
    ]


def _waktu(t: datetime.datetime | None) -> str:
    return timezone.localtime(t).strftime("%d-%m-%Y %H:%M") if t else ""


def _bulat(x: Decimal) -> Decimal:
    return x.quantize(Decimal(1))


def daftar_tpp_xlsx(nama_instansi: str, b: BulanTpp, baris: Iterable[TppPegawai]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar TPP"
    judul_bulan = f"{NAMA_BULAN[b.bulan - 1]} {b.tahun}"
    status = "FINAL" if b.ditutup else "SEMENTARA"
    tulis_judul(ws, f"Daftar TPP {judul_bulan} ({status})", nama_instansi)
    kepala(ws, 4, KEPALA)
    cetak_lanskap(ws, 4)
    ws.freeze_panes = "C5"
    total = dict.fromkeys(_UANG, NOL)
    aturan: dict[int, str] = {}
    tabel: dict[int, str] = {}
    i = 0
    for i, r in enumerate(baris, start=1):
        nilai = [i, *nilai_baris(r)]
        for j, x in enumerate(nilai, start=1):
            cell = ws.cell(4 + i, j, x)
            if j in total:
                total[j] += x
                cell.number_format = RUPIAH
        aturan[r.aturan_id] = str(r.aturan)
        tabel[r.tabel_pagu_id] = str(r.tabel_pagu)
    akhir = 5 + i
    ws.cell(akhir, 2, f"Jumlah ({i} pegawai)").font = TEBAL
    for j, x in total.items():
        cell = ws.cell(akhir, j, x)
        cell.font, cell.number_format = TEBAL, RUPIAH

    info = wb.create_sheet("Keterangan")
    tulis_judul(info, f"Keterangan daftar TPP {judul_bulan}", nama_instansi)
    kepala(info, 4, (("Hal", 30), ("Isi", 70)))
    isi = [
        ("Status bulan", status + (" (bulan ditutup)" if b.ditutup else " (bulan masih terbuka)")),
        ("Dihitung pada", _waktu(b.dihitung_pada) or "belum"),
        ("Ditutup pada", _waktu(b.ditutup_pada) or "—"),
        ("Aturan TPP yang dipakai", "; ".join(sorted(aturan.values())) or "—"),
        ("Tabel pagu TPP yang dipakai", "; ".join(sorted(tabel.values())) or "—"),
        ("Jumlah pegawai", str(i)),
        ("Catatan", "Potongan per jenis dijumlah sebelum batas; kolom jumlah potongan sesudah batas."),
    ]
    for k, (hal, teks) in enumerate(isi, start=5):
        info.cell(k, 1, hal).font = TEBAL
        info.cell(k, 2, teks)
    return save_xlsx(wb)
