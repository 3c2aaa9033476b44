"""Import of the organisation from one Excel workbook: unit kerja, jabatan, pegawai and penempatan.

Two steps, so a file is imported whole or not at all:

1. `parse_workbook` reads every row and checks it against the rest of the file and against the database
   of the admin's instansi (a few bulk queries, none per row). It returns an `ImportPlan` holding the
   parsed rows and every error found, each naming sheet, row, column and value in Bahasa Indonesia.
2. `apply` writes a plan without errors through the organisation services inside one transaction.
   Rows are upserted by their natural keys: unit kerja and jabatan by (instansi, kode), pegawai by NIP,
   penempatan by (pegawai, jabatan, jenis, mulai). The services save only what changed, so importing the
   same file twice changes nothing and writes no history rows. Any failure rolls everything back.
   `preview` runs the same writes in a transaction that is rolled back and reports every row it would
   create, change or end; between preview and apply the upload is kept as an `ImporTertunda`
   (`save_tertunda` / `fetch_tertunda`; docs/rules.md §26).

Every lookup is scoped to the instansi: a kode of another instansi is "not found", a NIP of another
instansi is an error. Nothing is ever deleted by an import. `build_template` makes the empty workbook.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja.common import spreadsheet
from kinerja.common.spreadsheet import BATAS_UNGGAH_XLSX
from kinerja.common.tanggal import tanggal_panjang
from kinerja.common.xlsx import BIRU, JUDUL, TEBAL
from kinerja.organisasi import services
from kinerja.organisasi.models import (
    GOLONGAN_PPPK,
    PANGKAT_PNS,
    ImporTertunda,
    Instansi,
    Jabatan,
    JenisAsn,
    Pegawai,
    Penempatan,
    UnitKerja,
    User,
)
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan
from kinerja.permissions import require
from kinerja.rules import JenisJabatan, JenisPenempatan, Jenjang
from kinerja.rules import jabatan as jabatan_rules
from kinerja.rules import nip as nip_rules

MAX_UPLOAD_BYTES = BATAS_UNGGAH_XLSX
MAX_ROWS_PER_SHEET = 20_000
TEMPLATE_ROWS = 5_000  # rows of the template that carry the dropdown lists
NIP_CHUNK = 500  # NIPs per `IN (...)` query (SQLite limits the number of parameters)

SHEET_UNIT = "Unit Kerja"
SHEET_JABATAN = "Jabatan"
SHEET_PEGAWAI = "Pegawai"
SHEET_PENEMPATAN = "Penempatan"
SHEET_PETUNJUK = "Petunjuk"
DATA_SHEETS = (SHEET_UNIT, SHEET_JABATAN, SHEET_PEGAWAI, SHEET_PENEMPATAN)


# --- allowed values -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Key for matching a value typed by a person: lowercase, every run of other characters one "_"."""
    return re.sub(r"[^a-z0-9/]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class Choices:
    """Allowed values of one column: stored value ← any of its spellings (value, label, short label)."""

    what: str
    shown: tuple[str, ...]  # what the dropdown and the error message offer
    lookup: dict[str, str]
    fallback: Callable[[str], str | None] | None = None  # reads spellings the table cannot list

    @classmethod
    def build(
        cls,
        what: str,
        pairs: Iterable[tuple[str, str]],
        shown: Iterable[str] | None = None,
        *,
        aliases: dict[str, str] | None = None,
        fallback: Callable[[str], str | None] | None = None,
    ) -> Choices:
        pairs = list(pairs)
        lookup: dict[str, str] = {_norm(k): v for k, v in (aliases or {}).items()}
        for value, label in pairs:
            spellings = [value, label, value.replace("/", "_")]
            if "(" in label:  # "Pelaksana Tugas (Plt.)" → also "Pelaksana Tugas" and "Plt"
                head, _, inner = label.partition("(")
                spellings += [head, inner.rstrip(")")]
            for spelling in spellings:
                lookup.setdefault(_norm(spelling), value)
        shown_values = tuple(shown) if shown is not None else tuple(label for _, label in pairs)
        return cls(what, shown_values, lookup, fallback)

    def get(self, text: str) -> str | None:
        found = self.lookup.get(_norm(text))
        if found is None and self.fallback is not None:
            found = self.fallback(text)
        return found

    def listing(self) -> str:
        return ", ".join(self.shown)


# "Struktural" (SIASN's jenis of every JPT, administrator and pengawas) is refined per row by the eselon
# column or the jabatan's title (kinerja.rules.jabatan); docs/rules.md §26.
STRUKTURAL = "struktural"
_SIASN_JENIS = {
    "Struktural": STRUKTURAL,
    "Jabatan Struktural": STRUKTURAL,
    "Fungsional Tertentu": JenisJabatan.FUNGSIONAL.value,
    "Jabatan Fungsional": JenisJabatan.FUNGSIONAL.value,
    "Jabatan Fungsional Tertentu": JenisJabatan.FUNGSIONAL.value,
    "JFT": JenisJabatan.FUNGSIONAL.value,
    "JF": JenisJabatan.FUNGSIONAL.value,
    "Fungsional Umum": JenisJabatan.PELAKSANA.value,
    "Jabatan Fungsional Umum": JenisJabatan.PELAKSANA.value,
    "JFU": JenisJabatan.PELAKSANA.value,
    "Jabatan Pelaksana": JenisJabatan.PELAKSANA.value,
    "Jabatan Administrator": JenisJabatan.ADMINISTRATOR.value,
    "Jabatan Pengawas": JenisJabatan.PENGAWAS.value,
    "Pimpinan Tinggi Utama": JenisJabatan.JPT_UTAMA.value,
    "Pimpinan Tinggi Madya": JenisJabatan.JPT_MADYA.value,
    "Pimpinan Tinggi Pratama": JenisJabatan.JPT_PRATAMA.value,
    "Jabatan Pimpinan Tinggi Pratama": JenisJabatan.JPT_PRATAMA.value,
}
JENIS_JABATAN = Choices.build(
    "jenis jabatan",
    JenisJabatan.choices(),
    shown=[label for _, label in JenisJabatan.choices()] + ["Struktural"],  # Struktural: see eselon
    aliases=_SIASN_JENIS,
)
JENJANG = Choices.build("jenjang", Jenjang.choices())
JENIS_ASN = Choices.build("jenis ASN", JenisAsn.choices)
JENIS_PENEMPATAN = Choices.build(
    "jenis penempatan",
    JenisPenempatan.choices(),
    shown=[j.value.upper() if j.value != "definitif" else j.label for j in JenisPenempatan],
)
_GOLONGAN_KODE = frozenset(c for c, _ in PANGKAT_PNS + GOLONGAN_PPPK)
PANGKAT = Choices.build(
    "pangkat/golongan",
    PANGKAT_PNS + GOLONGAN_PPPK,
    shown=[c for c, _ in PANGKAT_PNS + GOLONGAN_PPPK],
    # SIASN writes "Penata Tk. I (III/d)": the golongan in brackets decides (docs/rules.md §26).
    fallback=lambda text: jabatan_rules.golongan_dari_teks(text, _GOLONGAN_KODE),
)
YA, TIDAK = "Ya", "Tidak"
_TRUE = {"ya", "y", "true", "benar", "1", "aktif"}
_FALSE = {"tidak", "t", "false", "salah", "0", "no", "n", "nonaktif"}


# --- the columns of each sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str
    width: int = 18
    text: bool = False  # cell format Text (keeps leading zeros and all 18 digits of a NIP)
    date: bool = False
    choices: tuple[str, ...] = ()  # dropdown list in the template
    header_optional: bool = False  # added later: a workbook from an older template may lack it


_DATE_HELP = "Tanggal: sel bertipe tanggal, atau teks dd-mm-yyyy atau yyyy-mm-dd."

COLUMNS: dict[str, tuple[Column, ...]] = {
    SHEET_UNIT: (
        Column(
            "kode",
            True,
            "Kode unit, unik dalam instansi. Kode yang sudah ada memperbarui unit itu.",
            "BKD-SEKR",
            14,
            text=True,
        ),
        Column("nama", True, "Nama unit kerja.", "Sekretariat", 45),
        Column(
            "kode_induk",
            False,
            "Kode unit induk (dari sheet ini atau yang sudah ada). Kosong = unit tertinggi.",
            "BKD",
            14,
            text=True,
        ),
    ),
    SHEET_JABATAN: (
        Column(
            "kode",
            True,
            "Kode jabatan, unik dalam instansi. Kode yang sudah ada memperbarui jabatan itu.",
            "SEK",
            14,
            text=True,
        ),
        Column("nama", True, "Nama jabatan.", "Sekretaris", 40),
        Column(
            "jenis",
            True,
            f"Jenis jabatan: {JENIS_JABATAN.listing()} (Struktural: jenisnya dari kolom eselon atau nama "
            "jabatan). Ejaan SIASN seperti Fungsional Tertentu, Fungsional Umum/JFU juga diterima.",
            "Administrator",
            16,
            choices=JENIS_JABATAN.shown,
        ),
        Column(
            "jenjang",
            False,
            f"Wajib untuk jabatan Fungsional, kosong untuk jenis lain: {JENJANG.listing()}.",
            "Ahli Muda",
            14,
            choices=JENJANG.shown,
        ),
        Column(
            "kode_unit",
            True,
            "Kode unit kerja tempat jabatan berada (dari sheet Unit Kerja atau yang sudah ada).",
            "BKD-SEKR",
            14,
            text=True,
        ),
        Column(
            "kode_atasan",
            False,
            "Kode jabatan atasan langsung. Kosong = pimpinan tertinggi instansi.",
            "KABAN",
            14,
            text=True,
        ),
        Column(
            "pimpinan_unit",
            False,
            "Ya jika jabatan ini kepala unitnya; Ya/Tidak (kosong = Tidak).",
            "Ya",
            14,
            choices=(YA, TIDAK),
        ),
        Column(
            "unit_kerja_mandiri",
            False,
            "Ya untuk pimpinan unit kerja mandiri; Ya/Tidak (kosong = Tidak).",
            "Tidak",
            18,
            choices=(YA, TIDAK),
        ),
        Column(
            "formasi",
            False,
            "Jabatan fungsional/pelaksana: jumlah pemangku menurut formasi (satu baris jabatan untuk "
            "banyak pegawai). Kosong = tidak ditetapkan. Lebih banyak pemangku hanya diberi peringatan.",
            "6",
            10,
            header_optional=True,
        ),
        Column(
            "eselon",
            False,
            "Untuk jenis Struktural (SIASN): eselon II.a/II.b = JPT Pratama, III.a/III.b = Administrator, "
            "IV.a/IV.b = Pengawas. Kosong = dibaca dari nama jabatan (Kepala Dinas, Kepala Bidang, …).",
            "III.a",
            10,
            header_optional=True,
        ),
    ),
    SHEET_PEGAWAI: (
        Column(
            "nip",
            True,
            "NIP 18 digit, diisi sebagai teks (boleh dengan spasi). NIP yang sudah ada memperbarui "
            "pegawai itu.",
            "198503152010012001",
            22,
            text=True,
        ),
        Column("nama", True, "Nama tanpa gelar.", "Siti Rahmawati", 30),
        Column("gelar_depan", False, "Gelar di depan nama.", "Dr.", 12),
        Column("gelar_belakang", False, "Gelar di belakang nama.", "S.E., M.M.", 14),
        Column("jenis_asn", True, "PNS atau PPPK.", "PNS", 10, choices=JENIS_ASN.shown),
        Column(
            "pangkat_golongan",
            False,
            'PNS: pangkat/golongan I/a sampai IV/e (boleh tertulis seperti SIASN, mis. "Penata Tk. I '
            '(III/d)"); PPPK: golongan I sampai XVII.',
            "III/c",
            14,
            choices=PANGKAT.shown,
        ),
        Column("email", False, "Alamat email.", "siti@contoh.go.id", 26),
        Column("aktif", False, "Ya/Tidak (kosong = Ya).", "Ya", 8, choices=(YA, TIDAK)),
    ),
    SHEET_PENEMPATAN: (
        Column(
            "nip",
            True,
            "NIP pegawai (dari sheet Pegawai atau yang sudah ada).",
            "198503152010012001",
            22,
            text=True,
        ),
        Column(
            "kode_jabatan",
            True,
            "Kode jabatan (dari sheet Jabatan atau yang sudah ada).",
            "SEK",
            14,
            text=True,
        ),
        Column(
            "jenis",
            False,
            "Definitif, PLT (Pelaksana Tugas) atau PLH (Pelaksana Harian); kosong = Definitif.",
            "Definitif",
            12,
            choices=JENIS_PENEMPATAN.shown,
        ),
        Column("mulai", True, f"TMT mulai. {_DATE_HELP}", "02-01-2024", 13, date=True),
        Column(
            "selesai",
            False,
            f"Tanggal selesai; kosong = masih menjabat. {_DATE_HELP}",
            "31-12-2025",
            13,
            date=True,
        ),
        Column("nomor_sk", False, "Nomor SK penempatan.", "800/123/BKD/2024", 24),
    ),
}

SHEET_HELP = {
    SHEET_UNIT: "Struktur unit kerja (pohon): setiap unit menyebut kode unit induknya.",
    SHEET_JABATAN: "Jabatan dalam unit kerja, masing-masing dengan jabatan atasan langsungnya "
    "(dasar penentuan pejabat penilai).",
    SHEET_PEGAWAI: "Data pegawai ASN (PNS dan PPPK), dikenali dari NIP.",
    SHEET_PENEMPATAN: "Siapa memegang jabatan apa sejak kapan: definitif, PLT, atau PLH.",
}


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, located: sheet, Excel row (None for the whole file/sheet), column, the cell's value."""

    sheet: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class UnitRow:
    row: int
    kode: str
    nama: str
    kode_induk: str
    depth: int = 0
    #: SIASN's unor id (the organisation import from SIASN); empty from a workbook: left as it is.
    siasn_id: str = ""


@dataclass
class JabatanRow:
    row: int
    kode: str
    nama: str
    jenis: str
    jenjang: str
    kode_unit: str
    kode_atasan: str
    pimpinan_unit: bool
    unit_kerja_mandiri: bool
    formasi: int | None = None
    depth: int = 0


@dataclass
class PegawaiRow:
    row: int
    nip: str
    nama: str
    gelar_depan: str
    gelar_belakang: str
    jenis_asn: str
    pangkat_golongan: str
    email: str
    aktif: bool


@dataclass
class PenempatanRow:
    row: int
    nip: str
    kode_jabatan: str
    jenis: str
    mulai: datetime.date | None
    selesai: datetime.date | None
    nomor_sk: str

    @property
    def key(self) -> tuple[str, str, str, datetime.date | None]:
        return (self.nip, self.kode_jabatan, self.jenis, self.mulai)


@dataclass
class ImportPlan:
    """Parsed rows (units and jabatan ordered parents first) and every error found."""

    instansi: Instansi
    units: list[UnitRow] = field(default_factory=list)
    jabatan: list[JabatanRow] = field(default_factory=list)
    pegawai: list[PegawaiRow] = field(default_factory=list)
    penempatan: list[PenempatanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # shown in the preview; never stop an import

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.units) + len(self.jabatan) + len(self.pegawai) + len(self.penempatan)


BARU, DIUBAH, DITUTUP = "baru", "diubah", "ditutup"


@dataclass(frozen=True)
class Perubahan:
    """One row the import creates or changes, for the preview: what, and which fields from → to."""

    row: int
    aksi: str  # BARU, DIUBAH, or DITUTUP (a placement whose open end gets a selesai date)
    data: str  # the row named as a person reads it (kode + nama, NIP + nama, …)
    rincian: str = ""  # "nama: A → B; selesai: - → 31-01-2025"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0  # placements among `updated` that this import ends (Penempatan only)
    changes: list[Perubahan] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=lambda: {sheet: Counts() for sheet in DATA_SHEETS})
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def rows(self) -> list[tuple[str, Counts]]:
        return list(self.counts.items())

    @property
    def changed(self) -> int:
        """Rows created or updated; 0 when the file matched the database already."""
        return sum(c.created + c.updated for c in self.counts.values())


# --- reading the workbook -------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell's value is not acceptable; the message says why (Bahasa Indonesia)."""


@dataclass
class _Sheet:
    name: str
    header: dict[str, int]
    rows: list[tuple[int, tuple[Any, ...]]]


def _file_size(file: Any) -> int | None:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    try:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        end = file.tell()
        file.seek(position)
    except (AttributeError, OSError):
        return None
    return int(end)


def _header_name(value: Any) -> str:
    if value is None:
        return ""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower()).strip("_*")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.replace("\xa0", " ").strip())


def _read_workbook(file: Any) -> tuple[dict[str, _Sheet], list[RowError]]:
    """Every data sheet's header and non-empty rows, or the errors that stop the import."""

    def file_error(message: str) -> tuple[dict[str, _Sheet], list[RowError]]:
        return {}, [RowError("(berkas)", None, "", getattr(file, "name", "") or "", message)]

    size = _file_size(file)
    if size is not None and size > MAX_UPLOAD_BYTES:
        return file_error(
            f"Berkas terlalu besar ({size / 1024 / 1024:.1f} MB); "
            f"batasnya {MAX_UPLOAD_BYTES // 1024 // 1024} MB. Bagi data menjadi beberapa berkas."
        )
    if size == 0:
        return file_error("Berkas kosong (0 byte). Unggah berkas Excel (.xlsx) dari template.")
    try:
        workbook = spreadsheet.open_xlsx(file, MAX_ROWS_PER_SHEET + 1)
    except spreadsheet.BerkasDitolak as exc:
        return file_error(exc.pesan)
    except Exception:  # noqa: BLE001 — any unreadable upload is the same problem for the user
        return file_error(
            "Berkas tidak dapat dibaca sebagai Excel .xlsx (bukan berkas .xlsx, atau rusak). "
            'Simpan berkas di Excel/LibreOffice sebagai "Excel Workbook (.xlsx)", lalu unggah ulang.'
        )
    sheets: dict[str, _Sheet] = {}
    errors: list[RowError] = []
    try:
        by_name = {name.strip().lower(): name for name in workbook.sheetnames}
        for sheet_name in DATA_SHEETS:
            actual = by_name.get(sheet_name.lower())
            if actual is None:
                errors.append(
                    RowError(
                        sheet_name,
                        None,
                        "",
                        "",
                        f'Sheet "{sheet_name}" tidak ditemukan. Gunakan template dari tombol "Unduh template '
                        'Excel" dan jangan mengganti nama sheet (sheet boleh dibiarkan kosong).',
                    )
                )
                continue
            rows = spreadsheet.baris(workbook[actual], MAX_ROWS_PER_SHEET + 1)
            first = next(rows, (1, ()))[1]
            header: dict[str, int] = {}
            for index, value in enumerate(first):
                name = _header_name(value)
                if name and name not in header:
                    header[name] = index
            missing = [c.name for c in COLUMNS[sheet_name] if c.name not in header and not c.header_optional]
            for name in missing:
                errors.append(
                    RowError(
                        sheet_name,
                        1,
                        name,
                        "",
                        f'Kolom "{name}" tidak ada pada baris judul (baris 1) sheet {sheet_name}. '
                        f"Judul kolom harus: {', '.join(c.name for c in COLUMNS[sheet_name])}.",
                    )
                )
            data = [(n, tuple(values)) for n, values in rows if not all(_is_blank(v) for v in values)]
            sheets[sheet_name] = _Sheet(sheet_name, header, data)
    except Exception:  # noqa: BLE001 — read-only mode parses lazily: a corrupt sheet fails here
        return file_error(
            "Isi berkas Excel rusak dan tidak dapat dibaca. "
            'Simpan ulang berkas sebagai "Excel Workbook (.xlsx)", lalu unggah ulang.'
        )
    finally:
        workbook.close()
    if not errors and not any(s.rows for s in sheets.values()):
        return file_error(
            "Berkas tidak berisi data: isi minimal satu baris mulai baris 2 pada sheet Unit Kerja, Jabatan, "
            "Pegawai, atau Penempatan."
        )
    return sheets, errors


def _shown(value: Any) -> str:
    """A cell's value as the error table shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y") if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return YA if value else TIDAK
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_EXACT_FLOAT_LIMIT = 2**53  # integers above this do not survive Excel's floating-point numbers


class _Row:
    """Reads the cells of one row; each problem becomes a RowError naming this row and the column."""

    def __init__(self, sheet: _Sheet, number: int, values: tuple[Any, ...], errors: list[RowError]) -> None:
        self.sheet, self.number, self.values, self._errors = sheet, number, values, errors
        self.ok = True

    def raw(self, column: str) -> Any:
        index = self.sheet.header.get(column)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def error(self, column: str, message: str, value: Any = None) -> None:
        shown = _shown(self.raw(column)) if value is None else str(value)
        self._errors.append(RowError(self.sheet.name, self.number, column, shown, message))
        self.ok = False

    def _parse(self, column: str, parse: Callable[[Any], Any], default: Any) -> Any:
        try:
            return parse(self.raw(column))
        except _Invalid as exc:
            self.error(column, str(exc))
            return default

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        def parse(value: Any) -> str:
            text = _shown(value)
            if required and not text:
                raise _Invalid(f"{column} wajib diisi")
            if max_length is not None and len(text) > max_length:
                raise _Invalid(f"{column} terlalu panjang ({len(text)} karakter); paling banyak {max_length}")
            return text

        return str(self._parse(column, parse, ""))

    def choice(self, column: str, choices: Choices, *, required: bool = True, default: str = "") -> str:
        def parse(value: Any) -> str:
            text = _shown(value)
            if not text:
                if required:
                    raise _Invalid(f"{column} wajib diisi; pilih salah satu: {choices.listing()}")
                return default
            found = choices.get(text)
            if found is None:
                raise _Invalid(
                    f"{choices.what} tidak dikenal: '{text}'; pilih salah satu: {choices.listing()}"
                )
            return found

        return str(self._parse(column, parse, default))

    def boolean(self, column: str, *, default: bool) -> bool:
        def parse(value: Any) -> bool:
            if isinstance(value, bool):
                return value
            text = _shown(value).lower()
            if not text:
                return default
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise _Invalid(f"{column} harus Ya atau Tidak, bukan '{_shown(value)}'")

        return bool(self._parse(column, parse, default))

    def date(self, column: str, *, required: bool) -> datetime.date | None:
        def parse(value: Any) -> datetime.date | None:
            if isinstance(value, datetime.datetime):
                return value.date()
            if isinstance(value, datetime.date):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if 1 <= value <= 2958465:  # an Excel date serial in a cell not formatted as a date
                    return from_excel(value).date()
                raise _Invalid(f"{column}: angka {value} bukan tanggal")
            text = _shown(value)
            if not text:
                if required:
                    raise _Invalid(f"{column} wajib diisi (tanggal dd-mm-yyyy)")
                return None
            try:
                if m := _DMY.fullmatch(text):
                    return datetime.date(int(m[3]), int(m[2]), int(m[1]))
                if m := _YMD.fullmatch(text):
                    return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise _Invalid(f"{column}: tanggal '{text}' tidak ada di kalender") from None
            raise _Invalid(
                f"{column}: '{text}' bukan tanggal; gunakan format dd-mm-yyyy (mis. 02-01-2024) "
                "atau yyyy-mm-dd, atau sel bertipe tanggal"
            )

        result = self._parse(column, parse, None)
        return result if isinstance(result, datetime.date) else None

    def integer(self, column: str, *, minimum: int, maximum: int) -> int | None:
        def parse(value: Any) -> int | None:
            if _is_blank(value):
                return None
            text = _shown(value)
            if not re.fullmatch(r"\d+", text) or not minimum <= int(text) <= maximum:
                raise _Invalid(f"{column} harus bilangan bulat {minimum}–{maximum}, bukan '{text}'")
            return int(text)

        result = self._parse(column, parse, None)
        return result if isinstance(result, int) else None

    def nip(self, column: str = "nip") -> str:
        def parse(value: Any) -> str:
            if _is_blank(value):
                raise _Invalid("NIP wajib diisi")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                # An int came from the file's XML as written (exact); a float above 2**53 was rounded.
                exact = isinstance(value, int) or (value.is_integer() and abs(value) <= _EXACT_FLOAT_LIMIT)
                if not exact:
                    raise _Invalid(
                        "NIP harus diisi sebagai teks (format Teks), bukan angka: Excel tidak menyimpan "
                        "angka 18 digit secara utuh. Ubah format sel menjadi Teks lalu ketik ulang NIP-nya."
                    )
                text = str(int(value))
            else:
                text = re.sub(r"\s", "", str(value))
            if not re.fullmatch(r"\d{18}", text):
                raise _Invalid(f"NIP harus 18 digit angka (tertulis {len(text)} karakter)")
            try:
                nip_rules.parse(text)
            except ValueError as exc:
                raise _Invalid(str(exc)) from None
            return text

        return str(self._parse(column, parse, ""))


def _max_length(model: type, name: str) -> int:
    return int(model._meta.get_field(name).max_length)  # type: ignore[attr-defined]


# --- trees: references, cycles, depth -------------------------------------------------------------


def _walk_tree(parent_of: dict[str, str | None]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Depth of each kode in the tree `parent_of` describes, and the cycle each kode on a cycle lies on.

    A parent missing from the map counts as no parent (that error is reported where it was read).
    """
    depth: dict[str, int] = {}
    cycles: dict[str, list[str]] = {}
    for start in parent_of:
        if start in depth or start in cycles:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parent_of and node not in depth and node not in cycles:
            if node in position:
                loop = path[position[node] :]
                for kode in loop:
                    cycles[kode] = loop
                break
            position[node] = len(path)
            path.append(node)
            node = parent_of[node]
        if node is not None and node in depth:
            base = depth[node]
        elif node is not None and node in cycles:
            base = 10_000  # leads into a cycle: the cycle's error stops the import anyway
        else:
            base = -1
        for kode in reversed(path):
            if kode in cycles:
                continue
            base += 1
            depth[kode] = base
    return depth, cycles


def _check_tree(
    rows: list[Any],
    sheet: str,
    parent_column: str,
    parent_attr: str,
    existing: dict[str, str | None],
    errors: list[RowError],
) -> None:
    """Parents exist (in the file or the database), no cycles; sets `depth` on each row."""
    in_file = {r.kode for r in rows if r.kode}
    parent_of: dict[str, str | None] = dict(existing)
    for r in rows:
        if not r.kode:
            continue
        parent = getattr(r, parent_attr) or None
        if parent is not None and parent not in in_file and parent not in existing:
            where = "sheet Unit Kerja" if sheet == SHEET_UNIT else "sheet Jabatan"
            errors.append(
                RowError(
                    sheet,
                    r.row,
                    parent_column,
                    parent,
                    f"{parent_column} '{parent}' tidak ditemukan di {where} maupun di database instansi ini",
                )
            )
            parent = None
        parent_of[r.kode] = parent
    depth, cycles = _walk_tree(parent_of)
    for r in rows:
        if r.kode in cycles:
            loop = cycles[r.kode]
            start = loop.index(r.kode)
            shown = " → ".join(loop[start:] + loop[:start] + [r.kode])
            message = (
                f"{parent_column} tidak boleh menunjuk dirinya sendiri"
                if len(loop) == 1
                else f"{parent_column} membentuk siklus: {shown}"
            )
            errors.append(RowError(sheet, r.row, parent_column, getattr(r, parent_attr), message))
        r.depth = depth.get(r.kode, 0)
    rows.sort(key=lambda r: (r.depth, r.row))


def _check_one_root(
    rows: list[Any], sheet: str, parent_column: str, existing: dict[str, str | None], errors: list[RowError]
) -> None:
    """An instansi has one unit tertinggi and one jabatan tertinggi after the import (docs/rules.md §26):
    a real Pemkab imported into an instansi that has its own root is refused, not added beside it."""
    in_file = {r.kode: r for r in rows if r.kode}
    roots_file = [r for r in rows if r.kode and not getattr(r, parent_column)]
    # The root that stays: the existing one unless the file moves it under another, else the file's first.
    kept = [
        k
        for k, parent in existing.items()
        if parent is None and (k not in in_file or not getattr(in_file[k], parent_column))
    ]
    what = "unit tertinggi" if sheet == SHEET_UNIT else "jabatan tertinggi"
    first = kept[0] if kept else (roots_file[0].kode if roots_file else None)
    for r in roots_file:
        if first is None or r.kode == first:
            continue
        where = (
            f"di baris {in_file[first].row} sheet {sheet}" if first in in_file else "di database instansi ini"
        )
        errors.append(
            RowError(
                sheet,
                r.row,
                parent_column,
                "",
                f"{parent_column} kosong menjadikan '{r.kode}' {what} kedua; instansi ini sudah memiliki "
                f"{what} '{first}' ({where}). Isi {parent_column}; untuk instansi lain (mis. pemerintah "
                "kabupaten sendiri) buat instansi baru lalu impor ke sana.",
            )
        )


def _duplicates(
    rows: Iterable[Any], key: Callable[[Any], Any], sheet: str, column: str, what: str, errors: list[RowError]
) -> set[int]:
    """Report every repeat of a key within a sheet; returns the row numbers of the repeats."""
    first: dict[Any, int] = {}
    repeats: set[int] = set()
    for r in rows:
        k = key(r)
        if not k or (isinstance(k, tuple) and not all(k)):
            continue
        if k in first:
            errors.append(
                RowError(
                    sheet,
                    r.row,
                    column,
                    k if isinstance(k, str) else str(getattr(r, column, "")),
                    f"{what} sudah ada di baris {first[k]} sheet {sheet}; "
                    f"setiap {what} hanya boleh muncul sekali",
                )
            )
            repeats.add(r.row)
        else:
            first[k] = r.row
    return repeats


# --- parsing each sheet ---------------------------------------------------------------------------


def _parse_units(sheet: _Sheet, errors: list[RowError]) -> list[UnitRow]:
    result = []
    for number, values in sheet.rows:
        row = _Row(sheet, number, values, errors)
        result.append(
            UnitRow(
                number,
                kode=row.text("kode", required=True, max_length=_max_length(UnitKerja, "kode")),
                nama=row.text("nama", required=True, max_length=_max_length(UnitKerja, "nama")),
                kode_induk=row.text("kode_induk"),
            )
        )
    return result


def _parse_jabatan(sheet: _Sheet, errors: list[RowError]) -> list[JabatanRow]:
    result = []
    for number, values in sheet.rows:
        row = _Row(sheet, number, values, errors)
        item = JabatanRow(
            number,
            kode=row.text("kode", required=True, max_length=_max_length(Jabatan, "kode")),
            nama=row.text("nama", required=True, max_length=_max_length(Jabatan, "nama")),
            jenis=row.choice("jenis", JENIS_JABATAN),
            jenjang=row.choice("jenjang", JENJANG, required=False),
            kode_unit=row.text("kode_unit", required=True),
            kode_atasan=row.text("kode_atasan"),
            pimpinan_unit=row.boolean("pimpinan_unit", default=False),
            unit_kerja_mandiri=row.boolean("unit_kerja_mandiri", default=False),
            formasi=row.integer("formasi", minimum=1, maximum=9999),
        )
        eselon = row.text("eselon")
        if item.jenis == STRUKTURAL or (eselon and not item.jenis):
            # SIASN's "Struktural": the eselon decides, else the usual SOTK title (docs/rules.md §26).
            by_eselon = jabatan_rules.jenis_dari_eselon(eselon) if eselon else None
            found = by_eselon or (None if eselon else jabatan_rules.jenis_struktural_dari_nama(item.nama))
            if eselon and by_eselon is None:
                row.error(
                    "eselon", f"eselon tidak dikenal: '{eselon}'; tulis mis. II.a, II.b, III.a, III.b, IV.a"
                )
            elif found is None:
                row.error(
                    "jenis",
                    f"jenis 'Struktural' tidak dapat dipastikan dari nama jabatan '{item.nama}': isi kolom "
                    "eselon (II.a/II.b = JPT Pratama, III.a/III.b = Administrator, IV.a/IV.b = Pengawas) "
                    "atau tulis jenisnya: JPT Pratama, Administrator, atau Pengawas",
                )
            item.jenis = found.value if found else ""
        if item.jenis and not jabatan_rules.banyak_pemangku(item.jenis):
            if item.formasi and item.formasi > 1:
                row.error(
                    "formasi",
                    "formasi lebih dari 1 hanya untuk jabatan fungsional dan pelaksana; jabatan pimpinan "
                    "selalu satu pemangku — kosongkan",
                )
            item.formasi = None
        fungsional = item.jenis == JenisJabatan.FUNGSIONAL.value
        if fungsional and not item.jenjang and _is_blank(row.raw("jenjang")):
            dari_nama = jabatan_rules.jenjang_dari_nama(item.nama)  # "Perencana Ahli Madya"
            item.jenjang = dari_nama.value if dari_nama else ""
        if fungsional and not item.jenjang and _is_blank(row.raw("jenjang")):
            row.error(
                "jenjang",
                f"jenjang wajib diisi untuk jabatan Fungsional; pilih salah satu: {JENJANG.listing()}",
            )
        elif item.jenis and not fungsional and item.jenjang:
            row.error(
                "jenjang",
                "jenjang hanya untuk jabatan Fungsional; "
                f"kosongkan untuk jenis '{JenisJabatan(item.jenis).label}'",
            )
            item.jenjang = ""
        result.append(item)
    return result


def _parse_pegawai(sheet: _Sheet, errors: list[RowError]) -> list[PegawaiRow]:
    result = []
    for number, values in sheet.rows:
        row = _Row(sheet, number, values, errors)
        nip = row.nip()
        jenis = row.choice("jenis_asn", JENIS_ASN)
        pangkat = row.choice("pangkat_golongan", PANGKAT, required=False)
        if nip and jenis == JenisAsn.PNS and nip_rules.parse(nip).is_pppk:
            row.error("jenis_asn", "NIP ini berformat PPPK (digit 13-14 = 21); isi jenis_asn PPPK")
        if pangkat and jenis == JenisAsn.PNS and "/" not in pangkat:
            row.error("pangkat_golongan", "PNS memakai pangkat/golongan (mis. III/a), bukan golongan PPPK")
        if pangkat and jenis == JenisAsn.PPPK and "/" in pangkat:
            row.error("pangkat_golongan", "PPPK memakai golongan I–XVII, bukan pangkat PNS")
        email = row.text("email", max_length=_max_length(Pegawai, "email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", f"email tidak valid: '{email}'")
        result.append(
            PegawaiRow(
                number,
                nip=nip,
                nama=row.text("nama", required=True, max_length=_max_length(Pegawai, "nama")),
                gelar_depan=row.text("gelar_depan", max_length=_max_length(Pegawai, "gelar_depan")),
                gelar_belakang=row.text("gelar_belakang", max_length=_max_length(Pegawai, "gelar_belakang")),
                jenis_asn=jenis,
                pangkat_golongan=pangkat,
                email=email,
                aktif=row.boolean("aktif", default=True),
            )
        )
    return result


def _parse_penempatan(sheet: _Sheet, errors: list[RowError]) -> list[PenempatanRow]:
    result = []
    for number, values in sheet.rows:
        row = _Row(sheet, number, values, errors)
        nip = row.nip()
        mulai = row.date("mulai", required=True)
        selesai = row.date("selesai", required=False)
        if mulai and selesai and selesai < mulai:
            row.error(
                "selesai",
                f"selesai ({tanggal_panjang(selesai)}) tidak boleh sebelum mulai ({tanggal_panjang(mulai)})",
            )
            selesai = None
        result.append(
            PenempatanRow(
                number,
                nip=nip,
                kode_jabatan=row.text("kode_jabatan", required=True),
                jenis=row.choice(
                    "jenis", JENIS_PENEMPATAN, required=False, default=JenisPenempatan.DEFINITIF.value
                ),
                mulai=mulai,
                selesai=selesai,
                nomor_sk=row.text("nomor_sk", max_length=_max_length(Penempatan, "nomor_sk")),
            )
        )
    return result


def _chunks(items: list[str], size: int = NIP_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _instansi_of_nips(nips: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(nips))):
        found.update(Pegawai.objects.filter(nip__in=chunk).values_list("nip", "instansi_id"))
    return found


@dataclass(frozen=True)
class _Span:
    """A placement as it will be after the import: a file row (row) or a database row (row None)."""

    row: int | None
    nip: str
    kode_jabatan: str
    jenis: str
    mulai: datetime.date
    selesai: datetime.date | None

    def where(self) -> str:
        return f"baris {self.row} sheet Penempatan" if self.row else "data yang sudah ada di database"


def _overlapping(
    spans: list[_Span], relevant: Callable[[_Span, _Span], bool]
) -> Iterator[tuple[_Span, _Span]]:
    """Pairs (earlier, later) of spans whose date ranges share at least one day (selesai is inclusive)."""
    active: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.mulai, s.row or 0)):
        active = [a for a in active if a.selesai is None or a.selesai >= span.mulai]
        for other in active:
            if relevant(other, span):
                yield other, span
        active.append(span)


def _placements_in_db(instansi: Instansi) -> list[tuple[str, str, str, datetime.date, datetime.date | None]]:
    return list(
        Penempatan.objects.filter(pegawai__instansi=instansi).values_list(
            "pegawai__nip", "jabatan__kode", "jenis", "mulai", "selesai"
        )
    )


def _check_overlaps(
    rows: list[PenempatanRow],
    db_rows: list[tuple[str, str, str, datetime.date, datetime.date | None]],
    skip: set[int],
    errors: list[RowError],
    satu_pemangku: set[str],
) -> None:
    """A pegawai holds one definitif jabatan at a time; a jabatan in `satu_pemangku` (leadership, or the
    atasan of another) has one definitif holder at a time, a jabatan fungsional/pelaksana may have many;
    a PLT/PLH never overlaps another placement of the same pegawai on the same jabatan.

    Checked on the state after the import: database rows overlaid with the file's rows (same key = update).
    """
    file_spans = [
        _Span(r.row, r.nip, r.kode_jabatan, r.jenis, r.mulai, r.selesai)
        for r in rows
        if r.row not in skip and r.nip and r.kode_jabatan and r.mulai
    ]
    keys = {(s.nip, s.kode_jabatan, s.jenis, s.mulai) for s in file_spans}
    db_spans = [
        _Span(None, nip, kode, jenis, mulai, selesai)
        for nip, kode, jenis, mulai, selesai in db_rows
        if (nip, kode, jenis, mulai) not in keys
    ]
    spans = file_spans + db_spans
    reported: set[int] = set()

    def report(a: _Span, b: _Span, message: Callable[[_Span], str]) -> None:
        """Blame the later file row of the pair; one overlap per row is enough to fix it."""
        if a.row in reported or b.row in reported:
            return
        mine, other = (b, a) if b.row is not None else (a, b)
        assert mine.row is not None
        reported.add(mine.row)
        errors.append(RowError(SHEET_PENEMPATAN, mine.row, "mulai", f"{mine.mulai:%d-%m-%Y}", message(other)))

    definitif = JenisPenempatan.DEFINITIF.value
    by_pegawai: dict[str, list[_Span]] = defaultdict(list)
    by_jabatan: dict[str, list[_Span]] = defaultdict(list)
    by_both: dict[tuple[str, str], list[_Span]] = defaultdict(list)
    for s in spans:
        if s.jenis == definitif:
            by_pegawai[s.nip].append(s)
            if s.kode_jabatan in satu_pemangku:
                by_jabatan[s.kode_jabatan].append(s)
        by_both[(s.nip, s.kode_jabatan)].append(s)

    def involves_file(a: _Span, b: _Span) -> bool:
        return a.row is not None or b.row is not None

    def acting_pair(a: _Span, b: _Span) -> bool:
        return involves_file(a, b) and not (a.jenis == b.jenis == definitif)

    for group in by_pegawai.values():
        for a, b in _overlapping(group, involves_file):
            report(
                a,
                b,
                lambda o: (
                    "penempatan definitif tumpang tindih: pegawai ini sudah memegang jabatan definitif "
                    f"'{o.kode_jabatan}' mulai {tanggal_panjang(o.mulai)} ({o.where()}); "
                    "seorang pegawai hanya memegang satu jabatan definitif pada satu waktu — "
                    "isi tanggal selesai penempatan sebelumnya"
                ),
            )
    for group in by_jabatan.values():
        for a, b in _overlapping(group, involves_file):
            report(
                a,
                b,
                lambda o: (
                    f"jabatan '{o.kode_jabatan}' sudah dipegang secara definitif oleh NIP {o.nip} mulai "
                    f"{tanggal_panjang(o.mulai)} ({o.where()}) pada rentang tanggal yang tumpang tindih"
                ),
            )
    for group in by_both.values():
        if len(group) < 2:
            continue
        if all(s.jenis == definitif for s in group):
            continue  # two definitif placements were checked per pegawai above
        for a, b in _overlapping(group, acting_pair):
            report(
                a,
                b,
                lambda o: (
                    f"pegawai ini sudah ditempatkan pada jabatan '{o.kode_jabatan}' "
                    f"({JenisPenempatan(o.jenis).label}) mulai {tanggal_panjang(o.mulai)} ({o.where()}) "
                    "pada rentang tanggal yang tumpang tindih"
                ),
            )


def _rounded_nip_cells(sheet: _Sheet) -> list[tuple[int, float]]:
    """(row, value) of the NIP cells that Excel stored as a rounded number."""
    index = sheet.header.get("nip")
    if index is None:
        return []
    cells = ((number, values[index] if index < len(values) else None) for number, values in sheet.rows)
    return [(number, v) for number, v in cells if isinstance(v, float) and abs(v) > _EXACT_FLOAT_LIMIT]


def _check_formasi(
    plan: ImportPlan,
    db_rows: list[tuple[str, str, str, datetime.date, datetime.date | None]],
    final_jabatan: dict[str, tuple[str | None, str, int | None]],
) -> None:
    """Warn when a jabatan has more definitif holders today than its formasi (never refused: the actual
    bezetting of a unit often differs from its formasi; docs/rules.md §8.1)."""
    today = timezone.localdate()
    keys = {r.key for r in plan.penempatan}
    holders: dict[str, set[str]] = defaultdict(set)
    for nip, kode, jenis, mulai, selesai in db_rows:
        if jenis != JenisPenempatan.DEFINITIF.value or (nip, kode, jenis, mulai) in keys:
            continue
        if mulai <= today and (selesai is None or selesai >= today):
            holders[kode].add(nip)
    for r in plan.penempatan:
        definitif = r.jenis == JenisPenempatan.DEFINITIF.value
        if definitif and r.mulai and r.mulai <= today and (r.selesai is None or r.selesai >= today):
            holders[r.kode_jabatan].add(r.nip)
    rows = {r.kode: r.row for r in plan.jabatan}
    for kode, (_, _, formasi) in sorted(final_jabatan.items()):
        if formasi and len(holders.get(kode, ())) > formasi:
            plan.warnings.append(
                RowError(
                    SHEET_JABATAN,
                    rows.get(kode),
                    "formasi",
                    str(formasi),
                    f"jabatan '{kode}' dipegang {len(holders[kode])} pegawai definitif hari ini, lebih dari "
                    f"formasinya ({formasi})",
                )
            )


#: The steps a background import reports: reading, one per data sheet, the check against the saved data,
#: then the preview or the import itself (one transaction: no progress inside it).
LANGKAH_IMPOR = 7


def parse_workbook(
    file: Any, instansi: Instansi, langkah: Callable[[int, str], None] | None = None
) -> ImportPlan:
    """Read and check the whole workbook for `instansi`; the plan lists every error (nothing is written).
    ``langkah(done, text)`` is told before each step (of LANGKAH_IMPOR) when given."""
    lapor = langkah or (lambda done, teks: None)
    plan = ImportPlan(instansi)
    lapor(0, "Membaca berkas")
    sheets, plan.errors = _read_workbook(file)
    if not sheets or plan.errors:  # a missing sheet or column would make every row look wrong
        return plan
    errors = plan.errors
    empty = _Sheet("", {}, [])
    lapor(1, f"Memeriksa sheet {SHEET_UNIT}")
    plan.units = _parse_units(sheets.get(SHEET_UNIT, empty), errors)
    lapor(2, f"Memeriksa sheet {SHEET_JABATAN}")
    plan.jabatan = _parse_jabatan(sheets.get(SHEET_JABATAN, empty), errors)
    lapor(3, f"Memeriksa sheet {SHEET_PEGAWAI}")
    plan.pegawai = _parse_pegawai(sheets.get(SHEET_PEGAWAI, empty), errors)
    lapor(4, f"Memeriksa sheet {SHEET_PENEMPATAN}")
    plan.penempatan = _parse_penempatan(sheets.get(SHEET_PENEMPATAN, empty), errors)
    lapor(5, "Mencocokkan dengan data tersimpan")
    return check_plan(plan, sheets)


def check_plan(plan: ImportPlan, sheets: dict[str, _Sheet] | None = None) -> ImportPlan:
    """Check parsed rows against each other and the instansi's data (every error and warning added to the
    plan; nothing is written). Also used for rows read from elsewhere than a workbook (the organisation
    import from SIASN, ``tindak_lanjut/siasn``), which then pass no ``sheets``."""
    sheets = sheets or {}
    instansi = plan.instansi
    errors = plan.errors
    empty = _Sheet("", {}, [])

    # Unit kerja: unique kode, parents exist, no cycles.
    _duplicates(plan.units, lambda r: r.kode, SHEET_UNIT, "kode", "kode unit", errors)
    units_db = dict(UnitKerja.objects.filter(instansi=instansi).values_list("kode", "parent__kode"))
    _check_tree(plan.units, SHEET_UNIT, "kode_induk", "kode_induk", units_db, errors)
    _check_one_root(plan.units, SHEET_UNIT, "kode_induk", units_db, errors)
    unit_kodes = set(units_db) | {r.kode for r in plan.units}

    # Jabatan: unique kode, unit exists, atasan exists, no cycles.
    _duplicates(plan.jabatan, lambda r: r.kode, SHEET_JABATAN, "kode", "kode jabatan", errors)
    for r in plan.jabatan:
        if r.kode_unit and r.kode_unit not in unit_kodes:
            errors.append(
                RowError(
                    SHEET_JABATAN,
                    r.row,
                    "kode_unit",
                    r.kode_unit,
                    f"kode_unit '{r.kode_unit}' tidak ditemukan di sheet Unit Kerja "
                    "maupun di database instansi ini",
                )
            )
    jabatan_rows_db = list(
        Jabatan.objects.filter(instansi=instansi).values_list("kode", "parent__kode", "jenis", "formasi")
    )
    jabatan_db = {kode: parent for kode, parent, _, _ in jabatan_rows_db}
    _check_tree(plan.jabatan, SHEET_JABATAN, "kode_atasan", "kode_atasan", jabatan_db, errors)
    _check_one_root(plan.jabatan, SHEET_JABATAN, "kode_atasan", jabatan_db, errors)
    jabatan_kodes = set(jabatan_db) | {r.kode for r in plan.jabatan}
    # The jabatan tree after the import: jenis, formasi and atasan of every kode.
    final_jabatan = {kode: (parent, jenis, formasi) for kode, parent, jenis, formasi in jabatan_rows_db}
    final_jabatan.update(
        {r.kode: (r.kode_atasan or None, r.jenis, r.formasi) for r in plan.jabatan if r.kode}
    )
    atasan_kodes = {parent for parent, _, _ in final_jabatan.values() if parent}
    satu_pemangku = {
        kode
        for kode, (_, jenis, _) in final_jabatan.items()
        if not jenis or not jabatan_rules.banyak_pemangku(jenis) or kode in atasan_kodes
    }
    for r in plan.jabatan:
        if r.jenjang and r.kode_atasan in final_jabatan:
            jenis_atasan = final_jabatan[r.kode_atasan][1]
            warning = jabatan_rules.peringatan_kedudukan(r.jenjang, jenis_atasan or None)
            if warning:
                plan.warnings.append(RowError(SHEET_JABATAN, r.row, "kode_atasan", r.kode_atasan, warning))

    # Pegawai: unique NIP in the file, and not registered in another instansi.
    _duplicates(plan.pegawai, lambda r: r.nip, SHEET_PEGAWAI, "nip", "NIP", errors)
    owner = _instansi_of_nips(
        [r.nip for r in plan.pegawai if r.nip] + [r.nip for r in plan.penempatan if r.nip]
    )
    # A new pegawai gets a login named after the NIP (services.save_pegawai); that name must be free.
    logins_taken: set[str] = set()
    for chunk in _chunks(sorted({r.nip for r in plan.pegawai if r.nip and r.nip not in owner})):
        logins_taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    for r in plan.pegawai:
        if r.nip and owner.get(r.nip, instansi.pk) != instansi.pk:
            errors.append(
                RowError(SHEET_PEGAWAI, r.row, "nip", r.nip, "NIP sudah terdaftar di instansi lain")
            )
        elif r.nip in logins_taken:
            errors.append(
                RowError(
                    SHEET_PEGAWAI,
                    r.row,
                    "nip",
                    r.nip,
                    "NIP ini sudah dipakai sebagai nama pengguna akun lain; ubah nama pengguna akun itu dulu",
                )
            )

    # Penempatan: pegawai and jabatan exist in this instansi, no repeats, no overlaps.
    pegawai_nips = {r.nip for r in plan.pegawai if r.nip}
    # A NIP that Excel rounded in the Pegawai sheet is reported there once; the Penempatan rows naming
    # the same pegawai point back to it instead of a second "not found".
    rounded = {value: row for row, value in _rounded_nip_cells(sheets.get(SHEET_PEGAWAI, empty))}
    bad_refs: set[int] = set()
    for r in plan.penempatan:
        if r.nip and r.nip not in pegawai_nips and float(r.nip) in rounded:
            bad_refs.add(r.row)
            continue
        if r.nip and r.nip not in pegawai_nips:
            if r.nip not in owner:
                bad_refs.add(r.row)
                errors.append(
                    RowError(
                        SHEET_PENEMPATAN,
                        r.row,
                        "nip",
                        r.nip,
                        f"NIP '{r.nip}' tidak ditemukan di sheet Pegawai maupun di database instansi ini",
                    )
                )
            elif owner[r.nip] != instansi.pk:
                bad_refs.add(r.row)
                errors.append(
                    RowError(SHEET_PENEMPATAN, r.row, "nip", r.nip, "NIP sudah terdaftar di instansi lain")
                )
        if r.kode_jabatan and r.kode_jabatan not in jabatan_kodes:
            bad_refs.add(r.row)
            errors.append(
                RowError(
                    SHEET_PENEMPATAN,
                    r.row,
                    "kode_jabatan",
                    r.kode_jabatan,
                    f"kode_jabatan '{r.kode_jabatan}' tidak ditemukan di sheet Jabatan "
                    "maupun di database instansi ini",
                )
            )
    repeats = _duplicates(
        plan.penempatan,
        lambda r: r.key,
        SHEET_PENEMPATAN,
        "mulai",
        "penempatan yang sama (nip, kode_jabatan, jenis, mulai)",
        errors,
    )
    db_rows = []
    if plan.penempatan or any(formasi for _, _, formasi in final_jabatan.values()):
        db_rows = _placements_in_db(instansi)
    if plan.penempatan:
        unreliable = {e.row for e in errors if e.sheet == SHEET_PENEMPATAN and e.row is not None}
        _check_overlaps(plan.penempatan, db_rows, repeats | bad_refs | unreliable, errors, satu_pemangku)
    _check_formasi(plan, db_rows, final_jabatan)
    # Penempatan rows whose NIP is the same rounded number: the cause is the Pegawai row's, reported once.
    dependent = {
        row: rounded[value]
        for row, value in _rounded_nip_cells(sheets.get(SHEET_PENEMPATAN, empty))
        if value in rounded
    }
    errors[:] = [
        e for e in errors if not (e.sheet == SHEET_PENEMPATAN and e.column == "nip" and e.row in dependent)
    ]
    for e in list(errors):  # name the Penempatan rows that depend on a rounded NIP in the cause's message
        if e.sheet == SHEET_PEGAWAI and e.column == "nip" and e.row in rounded.values():
            rows = sorted(
                {
                    r.row
                    for r in plan.penempatan
                    if r.nip and r.nip not in pegawai_nips and rounded.get(float(r.nip)) == e.row
                }
                | {row for row, pegawai_row in dependent.items() if pegawai_row == e.row}
            )
            rows = [str(row) for row in rows]
            if rows:
                errors[errors.index(e)] = RowError(
                    e.sheet,
                    e.row,
                    e.column,
                    e.value,
                    f"{e.message} NIP ini juga dipakai di sheet Penempatan baris {', '.join(rows)}.",
                )
    plan.warnings.sort(key=lambda e: (DATA_SHEETS.index(e.sheet), e.row or 0))
    plan.errors.sort(key=lambda e: (DATA_SHEETS.index(e.sheet) if e.sheet in DATA_SHEETS else -1, e.row or 0))
    return plan


# --- writing --------------------------------------------------------------------------------------


class _ApplyFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


_FIELD_COLUMN = {
    SHEET_UNIT: {"parent": "kode_induk"},
    SHEET_JABATAN: {"parent": "kode_atasan", "unit": "kode_unit"},
    SHEET_PEGAWAI: {},
    SHEET_PENEMPATAN: {"jabatan": "kode_jabatan", "pegawai": "nip"},
}


def _failed(sheet: str, row: int, exc: Exception) -> _ApplyFailed:
    fields, pesan = spreadsheet.galat_simpan(exc)
    column = ""
    for name in fields:
        column = column or _FIELD_COLUMN[sheet].get(name, name if name != "__all__" else "")
    return _ApplyFailed(RowError(sheet, row, column, "", pesan))


def _tampil(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return YA if value else TIDAK
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    return str(getattr(value, "kode", None) or value)


def _save(
    counts: Counts,
    obj: Any,
    save: Callable[..., Any],
    user: Any,
    fields: dict[str, Any],
    row: int = 0,
    data: str = "",
) -> Any:
    """Call a service; count the row as created, updated or unchanged (the service skips unchanged rows)
    and log what it creates or changes for the preview."""
    if obj.pk is None:
        counts.created += 1
        counts.changes.append(Perubahan(row, BARU, data))
    else:
        diff = [
            f"{name}: {_tampil(getattr(obj, name))} → {_tampil(value)}"
            for name, value in fields.items()
            if getattr(obj, name) != value
        ]
        if diff:
            counts.updated += 1
            closes = "selesai" in fields and obj.selesai is None and fields["selesai"] is not None
            counts.closed += closes
            counts.changes.append(Perubahan(row, DITUTUP if closes else DIUBAH, data, "; ".join(diff)))
        else:
            counts.unchanged += 1
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return save(obj, **fields)


def _apply_tree(
    rows: list[Any],
    existing: dict[str, Any],
    make: Callable[[], Any],
    fields_of: Callable[[Any, dict[str, Any]], dict[str, Any]],
    save: Callable[..., Any],
    counts: Counts,
    user: Any,
    sheet: str,
) -> dict[str, Any]:
    """Upsert tree rows parents first. A move rewrites paths below it, so afterwards paths are re-read."""
    by_kode = dict(existing)
    moved = False
    for r in rows:  # sorted by depth in the final tree
        obj = by_kode.get(r.kode) or make()
        fields = fields_of(r, by_kode)
        parent = fields["parent"]
        if moved and obj.pk is not None:
            obj.refresh_from_db(fields=["path", "depth"])
        if moved and parent is not None:
            parent.refresh_from_db(fields=["path", "depth"])
        if obj.pk is not None and obj.parent_id != (parent.pk if parent else None):
            moved = True
        try:
            by_kode[r.kode] = _save(counts, obj, save, user, fields, r.row, f"{r.kode} {r.nama}")
        except (ValidationError, DatabaseError) as exc:
            raise _failed(sheet, r.row, exc) from exc
    return by_kode


def _cache_related(objects: Iterable[Any], name: str, by_pk: dict[int, Any]) -> None:
    """Point each object's foreign key `name` at the shared instance (no query per row, fresh paths)."""
    for obj in objects:
        related_id = getattr(obj, f"{name}_id")
        if related_id is not None and related_id in by_pk:
            setattr(obj, name, by_pk[related_id])


def _write(plan: ImportPlan, user: Any, result: ImportResult) -> None:
    instansi = plan.instansi

    # Unit kerja
    units = {u.kode: u for u in UnitKerja.objects.filter(instansi=instansi)}
    units_by_pk = {u.pk: u for u in units.values()}
    _cache_related(units.values(), "parent", units_by_pk)
    for u in units.values():
        u.instansi = instansi
    units = _apply_tree(
        plan.units,
        units,
        lambda: UnitKerja(instansi=instansi),
        lambda r, by_kode: {
            "kode": r.kode,
            "nama": r.nama,
            "parent": by_kode[r.kode_induk] if r.kode_induk else None,
            **({"siasn_id": r.siasn_id} if r.siasn_id else {}),
        },
        services.save_unit_kerja,
        result.counts[SHEET_UNIT],
        user,
        SHEET_UNIT,
    )

    # Jabatan
    jabatan = {j.kode: j for j in Jabatan.objects.filter(instansi=instansi)}
    jabatan_by_pk = {j.pk: j for j in jabatan.values()}
    _cache_related(jabatan.values(), "parent", jabatan_by_pk)
    _cache_related(jabatan.values(), "unit", {u.pk: u for u in units.values()})
    jabatan = _apply_tree(
        plan.jabatan,
        jabatan,
        lambda: Jabatan(instansi=instansi),
        lambda r, by_kode: {
            "kode": r.kode,
            "nama": r.nama,
            "jenis": r.jenis,
            "jenjang": r.jenjang,
            "unit": units[r.kode_unit],
            "parent": by_kode[r.kode_atasan] if r.kode_atasan else None,
            "pimpinan_unit": r.pimpinan_unit,
            "unit_kerja_mandiri": r.unit_kerja_mandiri,
            "formasi": r.formasi,
        },
        services.save_jabatan,
        result.counts[SHEET_JABATAN],
        user,
        SHEET_JABATAN,
    )

    # Pegawai
    nips = sorted({r.nip for r in plan.pegawai} | {r.nip for r in plan.penempatan})
    pegawai: dict[str, Pegawai] = {}
    for chunk in _chunks(nips):
        pegawai.update((p.nip, p) for p in Pegawai.objects.filter(instansi=instansi, nip__in=chunk))
    counts = result.counts[SHEET_PEGAWAI]
    for r in plan.pegawai:
        obj = pegawai.get(r.nip) or Pegawai(instansi=instansi)
        fields = {
            "nip": r.nip,
            "nama": r.nama,
            "gelar_depan": r.gelar_depan,
            "gelar_belakang": r.gelar_belakang,
            "jenis_asn": r.jenis_asn,
            "pangkat_golongan": r.pangkat_golongan,
            "email": r.email,
            "aktif": r.aktif,
        }
        try:
            pegawai[r.nip] = _save(
                counts, obj, services.save_pegawai, user, fields, r.row, f"{r.nip} {r.nama}"
            )
        except (ValidationError, DatabaseError) as exc:
            raise _failed(SHEET_PEGAWAI, r.row, exc) from exc

    # Penempatan: updates of existing rows first (they usually close a range), then new rows by date.
    existing = {
        (p.pegawai.nip, p.jabatan.kode, p.jenis, p.mulai): p
        for p in Penempatan.objects.filter(
            pegawai__instansi=instansi, jabatan__instansi=instansi
        ).select_related("pegawai", "jabatan")
    }
    pegawai_by_pk = {p.pk: p for p in pegawai.values()}
    _cache_related(existing.values(), "pegawai", pegawai_by_pk)
    _cache_related(existing.values(), "jabatan", {j.pk: j for j in jabatan.values()})
    ordered = sorted(
        plan.penempatan, key=lambda r: (r.key not in existing, r.mulai or datetime.date.min, r.row)
    )
    counts = result.counts[SHEET_PENEMPATAN]
    for r in ordered:
        obj = existing.get(r.key) or Penempatan(pegawai=pegawai[r.nip])
        fields = {
            "jabatan": jabatan[r.kode_jabatan],
            "jenis": r.jenis,
            "mulai": r.mulai,
            "selesai": r.selesai,
            "nomor_sk": r.nomor_sk,
        }
        try:
            label = f"{r.nip} {pegawai[r.nip].nama} — {r.kode_jabatan} ({JenisPenempatan(r.jenis).label})"
            _save(counts, obj, services.save_penempatan, user, fields, r.row, label)
        except (ValidationError, DatabaseError) as exc:
            raise _failed(SHEET_PENEMPATAN, r.row, exc) from exc


def preview(plan: ImportPlan, user: Any) -> ImportResult:
    """What `apply` would do, row by row, without keeping anything: the same writes in a transaction that
    is rolled back, so the preview and the import can never disagree."""
    if not plan.ok:
        raise ValueError("Rencana impor masih berisi kesalahan; perbaiki dulu sebelum pratinjau.")
    result = ImportResult()
    try:
        with transaction.atomic():
            _write(plan, user, result)
            transaction.set_rollback(True)
    except _ApplyFailed as exc:
        return ImportResult(errors=[exc.error])
    return result


def apply(plan: ImportPlan, user: Any) -> ImportResult:
    """Write a checked plan in one transaction; on any failure nothing is saved and the result says where."""
    if not plan.ok:
        raise ValueError("Rencana impor masih berisi kesalahan; perbaiki dulu sebelum menyimpan.")
    result = ImportResult()
    try:
        with transaction.atomic():
            _write(plan, user, result)
    except _ApplyFailed as exc:
        return ImportResult(errors=[exc.error])
    return result


# --- between the preview and the import ----------------------------------------------------------

PRATINJAU_BERLAKU = datetime.timedelta(minutes=30)


@transaction.atomic
def save_tertunda(user: User, instansi: Instansi, nama_berkas: str, isi: bytes) -> ImporTertunda:
    """Keep a checked upload server-side until the admin applies it (docs/rules.md §26): in the database,
    tied to this admin and instansi; expired ones and this admin's earlier one are removed."""
    ImporTertunda.objects.filter(dibuat_pada__lt=timezone.now() - PRATINJAU_BERLAKU).delete()
    ImporTertunda.objects.filter(user=user, instansi=instansi).delete()
    return ImporTertunda.objects.create(user=user, instansi=instansi, nama_berkas=nama_berkas[:255], isi=isi)


def fetch_tertunda(kode: Any, user: User, instansi: Instansi) -> ImporTertunda | None:
    """The admin's own pending upload for this instansi, or None (unknown, someone else's, or expired)."""
    row = ImporTertunda.objects.filter(kode=kode, user=user, instansi=instansi).first()
    if row is not None and row.dibuat_pada < timezone.now() - PRATINJAU_BERLAKU:
        row.delete()
        return None
    return row


def berkas_tertunda(row: ImporTertunda) -> io.BytesIO:
    """The kept upload as a file again, to be parsed (re-validated) before it is applied."""
    handle = io.BytesIO(bytes(row.isi))
    handle.name = row.nama_berkas
    return handle


# --- the template ---------------------------------------------------------------------------------


def _data_sheet(workbook: Workbook, name: str) -> None:
    ws = workbook.create_sheet(name)
    columns = COLUMNS[name]
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.name)
        cell.font = TEBAL
        cell.fill = BIRU
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.text:
            dimension.number_format = "@"
        elif column.date:
            dimension.number_format = "DD-MM-YYYY"
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                errorStyle="warning",
                errorTitle="Nilai tidak dikenal",
                error=f"Pilih salah satu: {', '.join(column.choices)}. Lihat sheet Petunjuk.",
                promptTitle=column.name,
                prompt=column.help[:250],
                showErrorMessage=True,
                showInputMessage=False,
            )
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.freeze_panes = "A2"


def _petunjuk_sheet(workbook: Workbook, instansi: Instansi | None) -> None:
    ws = workbook.active
    ws.title = SHEET_PETUNJUK
    wrap = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (22, 10, 80, 26), strict=True):
        ws.column_dimensions[letter].width = width
    lines: list[tuple[str, ...]] = [
        ("Petunjuk impor unit kerja, jabatan, pegawai, dan penempatan",),
        (f"Instansi: {instansi.nama}",) if instansi else ("",),
        ("",),
        (
            "1. Isi sheet Unit Kerja, Jabatan, Pegawai, dan Penempatan mulai baris 2. "
            "Baris 1 (judul kolom) dan nama sheet jangan diubah. "
            "Sheet yang tidak diperlukan boleh dibiarkan kosong.",
        ),
        (
            "2. Data yang sudah ada dikenali dari kodenya (unit, jabatan) atau NIP-nya (pegawai), "
            "lalu diperbarui; penempatan dikenali dari NIP + kode_jabatan + jenis + mulai. "
            "Tidak ada data yang dihapus.",
        ),
        (
            "3. Semua baris diperiksa dulu. Jika ada satu kesalahan saja, tidak ada data yang diimpor "
            "dan halaman impor menunjukkan sheet, baris, dan kolom yang perlu diperbaiki.",
        ),
        (
            "4. NIP diisi sebagai teks (kolom sudah berformat Teks): "
            "Excel tidak menyimpan angka 18 digit secara utuh.",
        ),
        (
            "5. Pilihan (jenis, jenjang, Ya/Tidak, dst.) boleh ditulis dengan huruf besar atau kecil. "
            "Tanggal: sel bertipe tanggal, atau teks dd-mm-yyyy / yyyy-mm-dd.",
        ),
        ("6. Mengimpor berkas yang sama dua kali tidak mengubah apa pun.",),
    ]
    for line in lines:
        ws.append(list(line))
    ws["A1"].font = JUDUL
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        ws.merge_cells(start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=4)
        row[0].alignment = wrap
        ws.row_dimensions[row[0].row].height = 32
    for sheet in DATA_SHEETS:
        ws.append([])
        ws.append([f'Sheet "{sheet}"', "", SHEET_HELP[sheet]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append(["Kolom", "Wajib", "Keterangan dan nilai yang diterima", "Contoh"])
        for cell in ws[ws.max_row]:
            cell.font = TEBAL
            cell.fill = BIRU
        for column in COLUMNS[sheet]:
            ws.append([column.name, "Ya" if column.required else "Tidak", column.help, column.example])
            for cell in ws[ws.max_row]:
                cell.alignment = wrap
                cell.number_format = "@"
    ws.freeze_panes = "A2"


def build_template(instansi: Instansi | None = None) -> bytes:
    """The empty import workbook: Petunjuk, then the four data sheets with headers, formats and dropdowns."""
    workbook = Workbook()
    _petunjuk_sheet(workbook, instansi)
    for sheet in DATA_SHEETS:
        _data_sheet(workbook, sheet)
    return spreadsheet.save_xlsx(workbook)


# --- as a background job ---------------------------------------------------------------------------
#
# The upload request only checks the file's size and format (`spreadsheet.periksa_cepat`) and keeps it
# (`save_tertunda`); a job reads and checks every row and builds the preview (`start_periksa`), and after the
# admin confirms, a second job checks the file again and imports it in one transaction (`start_terapkan`).
# Both runs write what the page shows (errors per sheet/row/column, the preview, the counts) as JSON beside
# the job (`hasil_impor` reads it back); row errors fail the job with a short reason.

JENIS_PERIKSA = "impor_organisasi_periksa"
JENIS_TERAPKAN = "impor_organisasi_terapkan"
MAKS_KESALAHAN_DISIMPAN = 500  # errors kept for the page (the count covers all)
MAKS_PERUBAHAN_DISIMPAN = 200  # changed rows kept per sheet for the preview (the counts cover all)


def kunci_impor(tertunda: ImporTertunda) -> str:
    """One job at a time per kept upload: the check, then the import (a double press gets the running one)."""
    return f"impor-organisasi:{tertunda.kode}"


def path_hasil(pekerjaan_id: int) -> str:
    return f"impor-organisasi/{pekerjaan_id}.json"


@dataclass
class HasilImpor:
    """What one run of the job found, as the import page shows it."""

    tahap: str  # JENIS_PERIKSA or JENIS_TERAPKAN
    nama_berkas: str
    errors: list[RowError] = field(default_factory=list)
    jumlah_kesalahan: int = 0
    warnings: list[RowError] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    lainnya: dict[str, int] = field(default_factory=dict)  # changed rows not kept, per sheet

    @property
    def ok(self) -> bool:
        return not self.jumlah_kesalahan

    def result(self) -> ImportResult:
        return ImportResult(counts=self.counts)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, isi: bytes) -> HasilImpor:
        data = json.loads(isi)
        return cls(
            tahap=data["tahap"],
            nama_berkas=data["nama_berkas"],
            errors=[RowError(**e) for e in data["errors"]],
            jumlah_kesalahan=data["jumlah_kesalahan"],
            warnings=[RowError(**e) for e in data["warnings"]],
            counts={
                sheet: Counts(**{**c, "changes": [Perubahan(**p) for p in c["changes"]]})
                for sheet, c in data["counts"].items()
            },
            lainnya=data["lainnya"],
        )


def _hasil(
    tahap: str, nama: str, errors: list[RowError], plan: ImportPlan | None, result: ImportResult | None
) -> HasilImpor:
    hasil = HasilImpor(tahap, nama, errors[:MAKS_KESALAHAN_DISIMPAN], len(errors))
    if plan is not None:
        hasil.warnings = plan.warnings[:MAKS_KESALAHAN_DISIMPAN]
    if result is not None and not errors:
        for sheet, c in result.rows():
            changes = sorted(c.changes, key=lambda p: p.row)  # in file order
            hasil.counts[sheet] = Counts(
                c.created, c.updated, c.unchanged, c.closed, changes[:MAKS_PERUBAHAN_DISIMPAN]
            )
            hasil.lainnya[sheet] = max(0, len(changes) - MAKS_PERUBAHAN_DISIMPAN)
    return hasil


def start_periksa(
    user: User, instansi: Instansi, nama_berkas: str, isi: bytes
) -> tuple[ImporTertunda, Pekerjaan]:
    """Keep an upload whose size and format passed the quick check, and queue the check of its rows."""
    require(user, "organisasi.manage_instansi", instansi, "Impor hanya untuk admin kepegawaian.")
    tertunda = save_tertunda(user, instansi, nama_berkas, isi)
    p = pekerjaan.mulai(
        JENIS_PERIKSA,
        kunci_impor(tertunda),
        user,
        instansi,
        f"Pemeriksaan impor {tertunda.nama_berkas}",
        jalankan_impor,
        kode=str(tertunda.kode),
        terapkan=False,
    )
    return tertunda, p


def start_terapkan(user: User, instansi: Instansi, tertunda: ImporTertunda) -> Pekerjaan:
    """Queue the import of a previewed upload (a double press gets the job already queued or running; the
    kept upload is removed once imported, so it cannot be imported twice)."""
    require(user, "organisasi.manage_instansi", instansi, "Impor hanya untuk admin kepegawaian.")
    return pekerjaan.mulai(
        JENIS_TERAPKAN,
        kunci_impor(tertunda),
        user,
        instansi,
        f"Impor {tertunda.nama_berkas}",
        jalankan_impor,
        kode=str(tertunda.kode),
        terapkan=True,
    )


def pekerjaan_impor(pk: int, user: User, instansi: Instansi) -> Pekerjaan | None:
    """A check or import job of this admin for this instansi (None for anyone else's)."""
    return Pekerjaan.objects.filter(
        pk=pk, pemilik_id=user.pk, instansi=instansi, jenis__in=(JENIS_PERIKSA, JENIS_TERAPKAN)
    ).first()


def jalankan_impor(laporan: Laporan, *, kode: str, terapkan: bool) -> None:
    """The job: check every row of the kept upload, then preview it or import it (all or nothing)."""
    p = laporan.pekerjaan
    tertunda = (
        ImporTertunda.objects.select_related("instansi").filter(kode=kode, user_id=p.pemilik_id).first()
    )
    if tertunda is None:
        raise GagalPekerjaan(
            "Berkas yang diunggah sudah dibatalkan atau kedaluwarsa. Unggah ulang berkasnya."
        )
    instansi = tertunda.instansi
    require(p.pemilik, "organisasi.manage_instansi", instansi, "Impor hanya untuk admin kepegawaian.")
    plan = parse_workbook(
        berkas_tertunda(tertunda), instansi, lambda done, teks: laporan.langkah(done, LANGKAH_IMPOR, teks)
    )
    result = None
    if plan.ok:
        laporan.langkah(6, LANGKAH_IMPOR, "Menyimpan data" if terapkan else "Menyusun pratinjau")
        result = apply(plan, p.pemilik) if terapkan else preview(plan, p.pemilik)
        errors = result.errors
    else:
        errors = plan.errors
    tahap = JENIS_TERAPKAN if terapkan else JENIS_PERIKSA
    hasil = _hasil(tahap, tertunda.nama_berkas, errors, plan, result)
    default_storage.delete(path_hasil(p.pk))
    default_storage.save(path_hasil(p.pk), ContentFile(hasil.to_json()))
    if errors:
        raise GagalPekerjaan(
            f"Berkas {tertunda.nama_berkas} memuat {len(errors)} kesalahan (sheet, baris, dan kolomnya ada "
            "di halaman impor); tidak ada data yang disimpan."
        )
    if terapkan:  # imported: the kept upload goes (docs/rules.md §26), so it is never imported twice
        tertunda.delete()
    laporan.langkah(LANGKAH_IMPOR, LANGKAH_IMPOR, "Selesai")
    jumlah = f"{result.changed if result else 0} baris"
    laporan.ringkas(
        f"{jumlah} dibuat atau diubah." if terapkan else f"Pratinjau siap: {jumlah} akan dibuat atau diubah."
    )


def hasil_impor(p: Pekerjaan) -> HasilImpor | None:
    """What the job's run found (None while it runs, or when it failed before reading the file)."""
    path = path_hasil(p.pk)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return HasilImpor.from_json(handle.read())
