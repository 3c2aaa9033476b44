"""Spreadsheets in and out (docs/rules.md §23): crafted uploads (real zip bombs built with zipfile) are
refused before they are unpacked, rows are read with bounded columns and a row limit, and every xlsx export
writes text as text (never a formula) so that a download uploaded again comes back unchanged.
"""

from __future__ import annotations

import datetime
import io
import re
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from kinerja.common import spreadsheet
from kinerja.demo.bench import spreadsheet as bom
from kinerja.organisasi.impor import services as impor
from kinerja.pelaksanaan.excel import workbook as excel

# a text that a spreadsheet program would take for a formula, in every form the brief names
VARIAN = [
    '=HYPERLINK("http://contoh.test/x","klik")',
    "=1+1",
    "+62 811 000",
    "-5 dokumen",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=",
]
REAL_SHEETS = (excel.SHEET_INFO, excel.SHEET_REALISASI, excel.SHEET_CATATAN)
REAL_HEADER = {excel.SHEET_REALISASI: excel.KOLOM_REALISASI, excel.SHEET_CATATAN: excel.KOLOM_CATATAN}
ORG_SHEETS = tuple(impor.DATA_SHEETS)
ORG_HEADER = {s: [c.name for c in impor.COLUMNS[s]] for s in ORG_SHEETS}


class Berkas(io.BytesIO):
    def __init__(self, data: bytes, name: str = "unggah.xlsx") -> None:
        super().__init__(data)
        self.name, self.size = name, len(data)


def _peak_mb(fungsi):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        hasil = fungsi()
        return hasil, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _pesan_realisasi(data: bytes) -> list[str]:
    return [e.message for e in excel._baca(Berkas(data))[3]]


def _pesan_impor(data: bytes) -> list[str]:
    return [e.message for e in impor._read_workbook(Berkas(data))[1]]


# =========================================================================================================
# Crafted uploads
# =========================================================================================================


def test_shared_strings_bomb_is_refused_before_unpacking() -> None:
    data = bom.bom_shared_strings(REAL_SHEETS, mb=64)
    assert len(data) < 200 * 1024  # 64 MB of shared strings in a file of well under 200 KB
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 60 * 1024 * 1024
    pesan, peak = _peak_mb(lambda: _pesan_realisasi(data))
    assert len(pesan) == 1 and pesan[0].startswith(
        "Berkas ditolak: bagian xl/sharedStrings.xml berukuran 64 MB"
    )
    assert "batas 20 MB" in pesan[0]
    assert peak < 5  # nothing was unpacked
    org = bom.bom_shared_strings(ORG_SHEETS, mb=64)
    assert _pesan_impor(org)[0].startswith("Berkas ditolak: bagian xl/sharedStrings.xml")


def test_a_member_compressed_beyond_the_ratio_is_refused_even_when_small_enough() -> None:
    # 8 MB of one repeated string: under the 20 MB member bound, but ~1000:1
    data = bom.bom_shared_strings(REAL_SHEETS, mb=8)
    pesan = _pesan_realisasi(data)
    assert pesan and "terkompresi lebih dari 200 kali" in pesan[0]


def test_million_empty_rows_are_not_walked() -> None:
    data = bom.bom_baris_kosong(REAL_SHEETS, REAL_HEADER, excel.SHEET_REALISASI, rows=300_000)
    pesan, peak = _peak_mb(lambda: _pesan_realisasi(data))
    assert pesan == [
        'Berkas ditolak: sheet "Realisasi" lebih panjang dari 5001 baris (baris judul dan baris kosong ikut '
        "dihitung, juga baris kosong yang hanya diberi format). Hapus baris di bawah data, atau bagi data "
        "menjadi beberapa berkas."
    ]
    assert peak < 5
    org = bom.bom_baris_kosong(ORG_SHEETS, ORG_HEADER, impor.SHEET_PEGAWAI, rows=300_000)
    assert _pesan_impor(org) == [spreadsheet.pesan_baris_berlebih("Pegawai", impor.MAX_ROWS_PER_SHEET + 1)]


def test_one_cell_far_down_counts_as_a_long_sheet() -> None:
    isi = [bom.row_xml(1, excel.KOLOM_REALISASI), bom.row_xml(900_000, ["IND-1"])]
    data = bom.xlsx_mentah({s: bom.sheet_xml(isi) for s in REAL_SHEETS})
    assert _pesan_realisasi(data) == [spreadsheet.pesan_baris_berlebih("Info", excel.MAX_ROWS + 1)]


def test_rows_at_the_limit_are_read() -> None:
    isi = [bom.row_xml(1, excel.KOLOM_REALISASI), bom.row_xml(excel.MAX_ROWS + 1, ["IND-1"])]
    data = bom.xlsx_mentah({s: bom.sheet_xml(isi) for s in REAL_SHEETS})
    rows, _, _, errors = excel._baca(Berkas(data))
    assert not [e for e in errors if "lebih panjang" in e.message]
    assert rows[excel.SHEET_REALISASI][0][0] == excel.MAX_ROWS + 1


def test_huge_declared_dimension_does_not_pad_rows() -> None:
    data = bom.bom_dimensi(REAL_SHEETS, REAL_HEADER, rows=50)
    (rows, _, _, _), peak = _peak_mb(lambda: excel._baca(Berkas(data)))
    realisasi = rows[excel.SHEET_REALISASI]
    assert len(realisasi) == 50 and realisasi[0] == (2, ("x2",) + (None,) * (spreadsheet.KOLOM_MAKS - 1))
    assert peak < 10  # 50 rows of 16 384 cells would be ~6 MB per sheet, and grows with the rows
    sheets, _ = impor._read_workbook(Berkas(bom.bom_dimensi(ORG_SHEETS, ORG_HEADER, rows=50)))
    assert all(len(v) == spreadsheet.KOLOM_MAKS for _, v in sheets[impor.SHEET_UNIT].rows)


def test_a_too_small_declared_dimension_does_not_cut_rows() -> None:
    isi = [bom.row_xml(n, ["a", n]) for n in range(1, 6)]
    data = bom.xlsx_mentah({s: bom.sheet_xml(isi, "A1:A1") for s in REAL_SHEETS})
    rows, _, _, _ = excel._baca(Berkas(data))
    assert [n for n, _ in rows[excel.SHEET_REALISASI]] == [2, 3, 4, 5]


def test_a_sheet_with_a_dtd_is_refused() -> None:
    billion = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    data = bom.xlsx_mentah({excel.SHEET_INFO: billion, excel.SHEET_REALISASI: billion})
    assert _pesan_realisasi(data)[0].startswith("Berkas ditolak: berisi deklarasi DTD")


def test_bukti_dukung_keeps_its_own_zip_bounds() -> None:
    from django.core.exceptions import ValidationError

    from kinerja.common import berkas

    data = bom.bom_shared_strings(["A"], mb=64)  # a bomb named .xlsx, as bukti dukung
    with pytest.raises(ValidationError, match="terkompresi secara tidak wajar"):
        berkas.validate_berkas(io.BytesIO(data), "bukti.xlsx", len(data), 10)


# =========================================================================================================
# Text cells in exports
# =========================================================================================================


def _baca_kembali(data: bytes) -> list:  # type: ignore[type-arg]
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _periksa_teks(data: bytes, diharapkan: list[str]) -> None:
    """No formula anywhere; each expected text is in some cell as that exact text, quote-prefixed."""
    cells = _baca_kembali(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for teks in diharapkan:
        # A carriage return is escaped by openpyxl's lxml writer (installed with pyHanko) and read back as
        # itself; the standard-library writer leaves it bare, and XML reads it as a line break (§23).
        found = [c for c in cells if c.value in (teks, teks.replace("\r", "\n"))]
        assert found, (teks, [c.value for c in cells][:40])
        assert all(c.data_type == "s" and c.quotePrefix for c in found)


@pytest.mark.parametrize("teks", VARIAN)
def test_save_xlsx_writes_text_as_text_and_numbers_as_numbers(teks: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([teks, 12, Decimal("2.5"), -3, datetime.date(2026, 11, 24), "teks biasa"])
    data = spreadsheet.save_xlsx(wb)
    _periksa_teks(data, [teks])
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows())
    assert [c.data_type for c in row[1:4]] == ["n", "n", "n"] and row[3].value == -3
    assert row[4].is_date and row[5].value == "teks biasa" and not row[5].quotePrefix
    # read back the way uploads are read: the same text
    ws = spreadsheet.open_xlsx(io.BytesIO(data), 10).active
    dibaca = next(spreadsheet.baris(ws, 10))[1][:2]
    assert dibaca in ((teks, 12), (teks.replace("\r", "\n"), 12))  # a carriage return: see _periksa_teks


def test_siasn_xlsx() -> None:
    from kinerja.tindak_lanjut.siasn import permintaan as pm
    from kinerja.tindak_lanjut.siasn.ekspor import rows as siasn

    body = dict.fromkeys(pm.FIELDS_PERIODIK, "") | {"penilaiNama": VARIAN[2], "penilaiJabatanNama": VARIAN[3]}
    row = siasn.BarisEkspor(
        pm.PERIODIK, body, {"nip": "", "nama": VARIAN[0], "periode": "", "tanggalFinal": ""}
    )
    _periksa_teks(siasn.ke_xlsx([row], VARIAN[4]), [VARIAN[0], VARIAN[2], VARIAN[3], VARIAN[4]])


@pytest.mark.parametrize("teks", VARIAN)
def test_laporan_tindak_lanjut_and_angka_kredit_xlsx(teks: str) -> None:
    from kinerja.tindak_lanjut.laporan import xlsx as xlsx_laporan

    _periksa_teks(xlsx_laporan.tindak_lanjut_xlsx(None, teks, "Unit", 2026), [teks])
    _periksa_teks(xlsx_laporan.angka_kredit_xlsx(None, teks, "Unit", 2026), [teks])


def test_matriks_xlsx() -> None:
    from kinerja.dokumen.xlsx import matriks_xlsx

    data = {
        "tahun": 2026,
        "unit": "Bagian Umum",
        "pimpinan": {},
        "bawahan": [{"nama": "A", "jabatan": "B"}],
        "baris": [{"rhk": "RHK", "sel": [[VARIAN[0]]]}],
    }
    cells = _baca_kembali(matriks_xlsx(data, VARIAN[1], "abc"))
    assert not [c for c in cells if c.data_type == "f"]


def test_tukin_xlsx() -> None:
    from kinerja.rules.types import Predikat
    from kinerja.tindak_lanjut.tukin.xlsx import tukin_xlsx

    b = SimpleNamespace(
        nip="199001012020011001",
        nama=VARIAN[0],
        jabatan=VARIAN[3],
        unit=VARIAN[5],
        predikat=Predikat.BAIK,
        persen=Decimal("100"),
    )
    tabel = SimpleNamespace(
        versi=1, berlaku_mulai=datetime.date(2026, 1, 1), alasan="-", persen=lambda p: Decimal(100)
    )
    data = SimpleNamespace(
        tabel=tabel,
        pilihan=SimpleNamespace(nama="Akhir 2026"),
        tanggal=datetime.date(2026, 12, 31),
        baris=[b],
        belum_final=[SimpleNamespace(nip="1", nama=VARIAN[2], jabatan="J", unit="U", status="draf")],
    )
    isi = tukin_xlsx(SimpleNamespace(nama="Instansi"), data)  # type: ignore[arg-type]
    _periksa_teks(isi, [VARIAN[0], VARIAN[2], VARIAN[3], VARIAN[5]])


def test_organisation_template_has_no_formula() -> None:
    cells = _baca_kembali(impor.build_template(None))
    assert cells and not [c for c in cells if c.data_type == "f"]


def test_every_xlsx_export_is_saved_through_save_xlsx() -> None:
    """A workbook saved any other way could write text as a formula again."""
    root = Path(__file__).resolve().parent.parent / "kinerja"
    pola = re.compile(r"\b(?:wb|wb2|workbook|buku)\.save\(")
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "spreadsheet.py"
        and "bench" not in p.relative_to(root).parts
        and pola.search(p.read_text())
    ]
    assert offenders == []
    users = [p for p in root.rglob("*.py") if "save_xlsx(" in p.read_text() and p.name != "spreadsheet.py"]
    assert len(users) >= 9  # realisasi, organisation template, matriks, penetapan, progres, SIASN, laporan,
    # rekap, tukin


def test_penetapan_xlsx() -> None:
    from kinerja.dokumen.evaluasi.xlsx import penetapan_xlsx

    pegawai = {
        "nama": VARIAN[0],
        "nip": "199001012020011001",
        "jabatan": VARIAN[3],
        "pimpinan": False,
        "hasil_diubah": False,
        "perilaku_diubah": False,
        "status": "final",
        "rating_hasil": None,
        "rating_perilaku": None,
        "predikat": None,
    }
    data = {
        "periode": {"nomor": 0, "tahun": 2026, "nama": "Akhir", "mulai": "1-1", "selesai": "31-12"},
        "unit": "Unit",
        "instansi": "Instansi",
        "capaian_organisasi": {"nilai": None},
        "pegawai": [pegawai],
        "belum_dibuka": [{"nama": VARIAN[4], "nip": "199001012020011002", "jabatan": "J"}],
        "jumlah": {},
        "pelanggaran": [],
        "alasan_finalisasi": "",
        "pimpinan": {"nama": VARIAN[2], "jabatan": VARIAN[6]},
    }
    _periksa_teks(penetapan_xlsx(data, True, "http://x", "abc"), [VARIAN[0], VARIAN[2], VARIAN[3], VARIAN[4]])


def test_progres_xlsx() -> None:
    from kinerja.pelaksanaan.papan.xlsx import progres_xlsx

    def ringkasan(unit):  # type: ignore[no-untyped-def]
        return SimpleNamespace(
            unit=unit,
            pegawai=3,
            skp_disetujui=2,
            persen_skp=66.7,
            indikator=5,
            terisi=4,
            persen_terisi=80.0,
            lengkap=1,
            capaian=Decimal("90.5"),
            umpan_balik=1,
            persen_umpan_balik=33.3,
            terlambat=0,
        )

    data = SimpleNamespace(baris=[ringkasan(SimpleNamespace(nama=VARIAN[1], depth=0))], total=ringkasan(None))
    pp = SimpleNamespace(nama="Triwulan IV", batas_realisasi=datetime.date(2027, 1, 5))
    isi = progres_xlsx(SimpleNamespace(nama="I"), SimpleNamespace(tahun=2026), pp, data)  # type: ignore[arg-type]
    _periksa_teks(isi, [VARIAN[1]])
