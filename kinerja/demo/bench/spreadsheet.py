"""Crafted xlsx files (real zip bombs, built with zipfile) and the `make bench` measure of their refusal.

`xlsx_mentah` writes a minimal valid workbook member by member, streaming big members through the deflater
so that building a file that unpacks to hundreds of MB needs no such memory. The three crafted files:

* `bom_shared_strings`: a shared-strings table that inflates ~1000:1;
* `bom_baris_kosong`: a sheet of a million empty rows (a few MB on disk, within the archive bounds);
* `bom_dimensi`: a sheet declaring `A1:XFD1048576` with a few thousand one-cell rows.

`bench_spreadsheet_bombs` uploads each to the realisasi upload and the organisation import parsers and
reports the refusal time and the peak of memory allocated meanwhile (tracemalloc).
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CT_WB = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

Isi = bytes | Iterable[bytes]


def _tulis(z: zipfile.ZipFile, nama: str, isi: Isi) -> None:
    with z.open(nama, "w", force_zip64=True) as f:  # deflated, as the ZipFile says
        if isinstance(isi, bytes):
            f.write(isi)
        else:
            for potongan in isi:
                f.write(potongan)


def sheet_xml(baris: Iterable[bytes], dimensi: str | None = None) -> Iterator[bytes]:
    """A worksheet part around `baris` (each a `<row>` element)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}" xmlns:r="{_R}">'.encode()
    if dimensi:
        yield f'<dimension ref="{dimensi}"/>'.encode()
    yield b"<sheetData>"
    yield from baris
    yield b"</sheetData></worksheet>"


def row_xml(nomor: int, values: Iterable[Any]) -> bytes:
    """A `<row>` of inline strings (str) and numbers, from column A."""
    from openpyxl.utils import get_column_letter

    cells = []
    for i, v in enumerate(values, start=1):
        ref = f"{get_column_letter(i)}{nomor}"
        if v is None:
            continue
        if isinstance(v, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>')
        else:
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
    return f'<row r="{nomor}">{"".join(cells)}</row>'.encode()


def xlsx_mentah(sheets: dict[str, Isi], shared_strings: Isi | None = None) -> bytes:
    """A minimal valid xlsx with the given worksheet parts (in order) and an optional shared-strings part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{_CT_WB}"/>']
        overrides += [
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT_SHEET}"/>'
            for i in range(1, len(sheets) + 1)
        ]
        if shared_strings is not None:
            overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT_SST}"/>')
        _tulis(
            z,
            "[Content_Types].xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
            ).encode(),
        )
        _tulis(
            z,
            "_rels/.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
                f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ).encode(),
        )
        daftar = "".join(
            f'<sheet name={quoteattr(nama)} sheetId="{i}" r:id="rId{i}"/>'
            for i, nama in enumerate(sheets, start=1)
        )
        _tulis(
            z,
            "xl/workbook.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_R}">'
                f"<sheets>{daftar}</sheets></workbook>"
            ).encode(),
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        if shared_strings is not None:
            rels += f'<Relationship Id="rIdS" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
        _tulis(
            z,
            "xl/_rels/workbook.xml.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
                f"{rels}</Relationships>"
            ).encode(),
        )
        for i, isi in enumerate(sheets.values(), start=1):
            _tulis(z, f"xl/worksheets/sheet{i}.xml", isi)
        if shared_strings is not None:
            _tulis(z, "xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def _shared_strings(mb: int) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'.encode()
    potongan = b"<si><t>" + b"A" * (1024 * 1024 - 15) + b"</t></si>"  # one string of ~1 MB
    for _ in range(mb):
        yield potongan
    yield b"</sst>"


def bom_shared_strings(sheets: Iterable[str], mb: int = 300) -> bytes:
    """Sheets whose cells point at a shared-strings table of `mb` one-MB strings (~1000:1 compressed)."""
    baris = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return xlsx_mentah({s: b"".join(sheet_xml([baris])) for s in sheets}, _shared_strings(mb))


def bom_baris_kosong(
    sheets: Iterable[str], header: Mapping[str, Iterable[str]], di: str, rows: int = 1_000_000
) -> bytes:
    """Each sheet has its header in row 1; sheet `di` then has `rows` empty rows."""

    def isi(nama: str) -> Iterator[bytes]:
        yield row_xml(1, header.get(nama, ()))
        for n in range(2, rows + 2 if nama == di else 2):
            yield b'<row r="%d"/>' % n

    return xlsx_mentah({s: sheet_xml(isi(s)) for s in sheets})


def bom_dimensi(sheets: Iterable[str], header: Mapping[str, Iterable[str]], rows: int = 4000) -> bytes:
    """Each sheet declares `A1:XFD1048576` (16 384 columns) and holds its header and `rows` one-cell rows."""

    def isi(nama: str) -> Iterator[bytes]:
        yield row_xml(1, header.get(nama, ()))
        for n in range(2, rows + 2):
            yield row_xml(n, [f"x{n}"])

    return xlsx_mentah({s: sheet_xml(isi(s), "A1:XFD1048576") for s in sheets})


class _Berkas(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name, self.size = name, len(data)


def _ukur(fungsi: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak MB allocated while running, result): timed untraced, then rerun under tracemalloc."""
    mulai = time.perf_counter()
    hasil = fungsi()
    detik = time.perf_counter() - mulai
    tracemalloc.start()
    try:
        fungsi()
        _, puncak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return detik, puncak / 1024 / 1024, hasil


def bench_spreadsheet_bombs() -> dict[str, Any]:
    """Refusal time and peak memory of the three crafted files at both upload parsers."""
    from kinerja.organisasi.impor import services as impor
    from kinerja.pelaksanaan.excel import workbook as excel

    real_sheets = (excel.SHEET_INFO, excel.SHEET_REALISASI, excel.SHEET_CATATAN)
    real_header = {excel.SHEET_REALISASI: excel.KOLOM_REALISASI, excel.SHEET_CATATAN: excel.KOLOM_CATATAN}
    org_sheets = tuple(impor.DATA_SHEETS)
    org_header = {s: [c.name for c in impor.COLUMNS[s]] for s in org_sheets}
    files = {
        "shared_strings": (
            bom_shared_strings(real_sheets),
            bom_shared_strings(org_sheets),
        ),
        "baris_kosong": (
            bom_baris_kosong(real_sheets, real_header, excel.SHEET_REALISASI),
            bom_baris_kosong(org_sheets, org_header, org_sheets[0]),
        ),
        "dimensi": (
            bom_dimensi(real_sheets, real_header),
            bom_dimensi(org_sheets, org_header),
        ),
    }
    hasil: dict[str, Any] = {}
    for nama, (real, org) in files.items():
        # the readers every upload starts with (the rest of the check only sees their bounded rows)
        d1, m1, (_, _, _, e1) = _ukur(partial(excel._baca, _Berkas(real, "bom.xlsx")))
        d2, m2, (_, e2) = _ukur(partial(impor._read_workbook, _Berkas(org, "bom.xlsx")))
        hasil[nama] = {
            "kb": [round(len(real) / 1024), round(len(org) / 1024)],
            "realisasi_s": round(d1, 3),
            "realisasi_peak_mb": round(m1, 1),
            "realisasi_pesan": e1[0].message if e1 else "",
            "impor_s": round(d2, 3),
            "impor_peak_mb": round(m2, 1),
            "impor_pesan": e2[0].message if e2 else "",
        }
    return hasil
