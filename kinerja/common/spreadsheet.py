"""Spreadsheets in and out: the one way an uploaded xlsx is opened and read, the one way an export is saved.

Reading (every upload: realisasi/catatan kegiatan, the organisation import):

* `open_xlsx` checks the archive's declared member sizes and ratios, then counts every worksheet's rows
  (refusing a sheet with a row numbered past the limit, empty rows included), all *before* openpyxl sees the
  file: openpyxl loads the whole shared-strings table when it opens a workbook, even in read-only mode, and
  walks a whole worksheet that has no `<dimension>`. It then opens the file read-only (streaming) with
  cached values instead of formulas;
* `baris` streams a sheet's rows with a bounded number of columns, whatever the sheet's declared dimension
  says (a `<dimension ref="A1:XFD1048576">` would otherwise pad every row to 16 384 cells).

Writing (every xlsx export): `save_xlsx` saves a workbook with every text cell written as text, never as a
formula, so a saved text such as "=HYPERLINK(...)" comes back unchanged when the file is uploaded again.

See docs/rules.md §23.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from kinerja.common.arsip import MB, RASIO_WAJAR, ArsipTidakWajar, BatasArsip, check_arsip

# A real upload (5 000 realisasi/catatan rows, 20 000 rows per organisation sheet) unpacks to a few MB; a
# member of 20 MB keeps openpyxl's shared-strings table well under 100 MB of memory.
BATAS_ARSIP_XLSX = BatasArsip(anggota=500, isi=60 * MB, per_anggota=20 * MB, rasio=RASIO_WAJAR)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATAS_UNGGAH_XLSX = 5 * MB  # the size of an uploaded workbook (realisasi/catatan, organisation import)
KOLOM_MAKS = 60  # cells read per row; the upload templates have at most a dozen columns

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# First characters that make a spreadsheet program treat typed text as a formula (or, after a tab or line
# break, as the start of one); such text is also marked quote-prefixed so that editing the cell in Excel
# keeps it text.
AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r", "\n")


class BerkasDitolak(Exception):
    """An upload refused before its rows are read; `pesan` says why, in Bahasa Indonesia."""

    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


class BarisBerlebih(Exception):
    """A sheet goes on past the row limit (row `nomor`); reading stopped there."""

    def __init__(self, nomor: int, batas: int) -> None:
        super().__init__(f"row {nomor} > {batas}")
        self.nomor, self.batas = nomor, batas


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def pesan_arsip(exc: ArsipTidakWajar) -> str:
    """The Indonesian message for an xlsx whose archive breaks `BATAS_ARSIP_XLSX`."""
    lanjut = (
        "Berkas Excel yang wajar tidak seperti ini (kemungkinan berkas rusak atau sengaja dibuat untuk "
        'membebani server). Salin datanya ke berkas dari tombol unduh, simpan sebagai "Excel Workbook '
        '(.xlsx)", lalu unggah lagi.'
    )
    if exc.jenis == "anggota":
        return f"Berkas ditolak: berisi {exc.ukuran} bagian (batas {exc.batas}). {lanjut}"
    if exc.jenis == "per_anggota":
        return (
            f"Berkas ditolak: bagian {exc.nama} berukuran {_mb(exc.ukuran)} setelah dibuka "
            f"(batas {_mb(exc.batas)}). {lanjut}"
        )
    if exc.jenis == "rasio":
        return (
            f"Berkas ditolak: bagian {exc.nama} terkompresi lebih dari {exc.batas} kali "
            f"({_mb(exc.ukuran)} setelah dibuka). {lanjut}"
        )
    return f"Berkas ditolak: isinya {_mb(exc.ukuran)} setelah dibuka (batas {_mb(exc.batas)}). {lanjut}"


def _nama_sheet(z: zipfile.ZipFile) -> dict[str, str]:
    """Archive path of each worksheet -> its sheet name (for messages; {} when the workbook is odd)."""
    try:
        rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target", "") for r in rels}
        workbook = fromstring(z.read("xl/workbook.xml"))
    except (KeyError, ParseError, DefusedXmlException):
        return {}
    hasil = {}
    for el in workbook.iter(f"{{{_NS_MAIN}}}sheet"):
        path = target.get(el.get(f"{{{_NS_REL}}}id"), "")
        path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(f"xl/{path}")
        hasil[path] = el.get("name", path)
    return hasil


class _Selesai(Exception):
    pass


def _periksa_baris(z: zipfile.ZipFile, info: zipfile.ZipInfo, batas: int) -> int | None:
    """The first row number past `batas` in a worksheet part (elements or `r` numbers), else None.

    openpyxl walks a whole worksheet when it opens it if the part has no `<dimension>` (and then builds
    every row again when it is read), so the rows are counted here first with a plain expat parser: no
    tree, no DTD, stopping at the limit. Parts that are not worksheets stop at their root element.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    nomor = 0
    akar = True

    def mulai(nama: str, attrs: dict[str, str]) -> None:
        nonlocal nomor, akar
        lokal = nama.rpartition(" ")[2]
        if akar:
            akar = False
            if lokal not in ("worksheet", "dialogsheet"):
                raise _Selesai
        elif lokal == "row":
            r = attrs.get("r", "")
            nomor = int(r) if r.isdigit() else nomor + 1
            if nomor > batas:
                raise BarisBerlebih(nomor, batas)

    def dtd(*_: Any) -> None:
        raise BerkasDitolak(
            "Berkas ditolak: berisi deklarasi DTD, yang tidak pernah ada pada berkas Excel biasa. "
            'Simpan ulang sebagai "Excel Workbook (.xlsx)", lalu unggah lagi.'
        )

    parser.StartElementHandler = mulai
    parser.StartDoctypeDeclHandler = dtd
    try:
        with z.open(info) as f:
            parser.ParseFile(f)
    except BarisBerlebih as exc:
        return exc.nomor
    except (_Selesai, expat.ExpatError):
        pass  # not a worksheet, or not XML: openpyxl decides what to make of it
    return None


PESAN_BUKAN_XLSX = (
    "Berkas tidak dapat dibaca sebagai Excel .xlsx (bukan berkas .xlsx, atau rusak). "
    'Simpan berkas di Excel/LibreOffice sebagai "Excel Workbook (.xlsx)", lalu unggah ulang.'
)


def periksa_cepat(file: Any, batas_bytes: int = BATAS_UNGGAH_XLSX) -> None:
    """The checks an upload request makes before it hands the file to a background job (milliseconds,
    whatever the rows): size, an xlsx archive (a ZIP holding a workbook), and the archive's declared sizes
    (`BATAS_ARSIP_XLSX`). Raises `BerkasDitolak`; the job reads and checks every row later (`open_xlsx`)."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > batas_bytes:
        raise BerkasDitolak(
            f"Berkas terlalu besar ({size / MB:.1f} MB); batasnya {batas_bytes // MB} MB. "
            "Bagi data menjadi beberapa berkas."
        )
    if size == 0:
        raise BerkasDitolak("Berkas kosong (0 byte). Unggah berkas Excel (.xlsx).")
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        with zipfile.ZipFile(file) as z:
            if "xl/workbook.xml" not in z.namelist():
                raise BerkasDitolak(PESAN_BUKAN_XLSX)
            check_arsip(z, BATAS_ARSIP_XLSX)
    except ArsipTidakWajar as exc:
        raise BerkasDitolak(pesan_arsip(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BerkasDitolak(PESAN_BUKAN_XLSX) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def open_xlsx(file: Any, batas_baris: int) -> Workbook:
    """Open an uploaded xlsx read-only (streaming, cached values) after checking it.

    Checked before openpyxl parses anything: the archive's declared sizes and ratios (`BATAS_ARSIP_XLSX`),
    then the rows of every worksheet (none numbered beyond `batas_baris`, row 1 included). Raises
    `BerkasDitolak` with the message; any other exception means the file is not a readable xlsx (callers
    report that with their own message).
    """
    if hasattr(file, "seek"):
        file.seek(0)
    with zipfile.ZipFile(file) as z:
        try:
            check_arsip(z, BATAS_ARSIP_XLSX)
        except ArsipTidakWajar as exc:
            raise BerkasDitolak(pesan_arsip(exc)) from None
        nama = _nama_sheet(z)
        for info in z.infolist():
            if _periksa_baris(z, info, batas_baris) is not None:
                sheet = nama.get(info.filename, info.filename)
                raise BerkasDitolak(pesan_baris_berlebih(sheet, batas_baris))
    if hasattr(file, "seek"):
        file.seek(0)
    return load_workbook(file, read_only=True, data_only=True)


def baris(ws: Any, batas: int, kolom: int = KOLOM_MAKS) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of a sheet opened by `open_xlsx(..., batas)`, from row 1, `kolom` values each.

    The declared dimension is ignored (it may lie either way: a `<dimension ref="A1:XFD1048576">` would pad
    every row to 16 384 cells, a too small one would cut rows off).
    """
    ws.reset_dimensions()
    yield from enumerate(ws.iter_rows(max_row=batas, max_col=kolom, values_only=True), 1)


def pesan_baris_berlebih(sheet: str, batas: int) -> str:
    return (
        f'Berkas ditolak: sheet "{sheet}" lebih panjang dari {batas} baris (baris judul dan baris kosong '
        "ikut dihitung, juga baris kosong yang hanya diberi format). Hapus baris di bawah data, atau bagi "
        "data menjadi beberapa berkas."
    )


def galat_simpan(exc: Exception) -> tuple[list[str], str]:
    """Why saving an uploaded row failed: the fields a ValidationError names, in order, and the message
    shown for the row ("Gagal menyimpan: ...")."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        per_field = exc.message_dict
        fields, pesan = list(per_field), [m for errs in per_field.values() for m in errs]
    elif isinstance(exc, ValidationError):
        fields, pesan = [], exc.messages
    else:
        fields, pesan = [], [str(exc)]
    return fields, "Gagal menyimpan: " + " ".join(pesan)


def teks_aman(cell: Any) -> None:
    """Make a cell holding text a text cell (openpyxl turns any str starting with "=" into a formula)."""
    value = cell.value
    if not isinstance(value, str) or not value:
        return
    if cell.data_type == "f":
        cell.data_type = "s"
    if value.startswith(AWAL_RUMUS) or value.lstrip().startswith(AWAL_RUMUS[:4]):
        cell.quotePrefix = True


def save_xlsx(wb: Workbook) -> bytes:
    """The bytes of an export; every text cell is written as text (see the module docstring).

    No export writes formulas on purpose: a formula would have to be an openpyxl formula object, not a str.
    """
    for ws in wb.worksheets:
        # `_cells` holds only the cells that exist; iter_rows() would create every cell of the bounding box
        for cell in ws._cells.values():
            teks_aman(cell)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
