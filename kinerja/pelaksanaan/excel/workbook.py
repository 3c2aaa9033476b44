"""Bulk Excel for a pegawai: realisasi of one periode and catatan kegiatan, filled offline.

`build_workbook` makes the xlsx of one SKP and periode: sheet "Realisasi" (one row per indikator, keyed by
the `kunci` column, prefilled with what is saved), sheet "Catatan Kegiatan" (the periode's catatan so far,
then empty rows with a dropdown of the rencana aksi), and a hidden sheet "Info" naming the SKP and periode.

Upload is two steps, like the organisation import (`kinerja.organisasi.impor.services`):

1. `parse_workbook` reads every row, checks it (numbers, keys of this SKP, dates inside the periode, jam
   selesai after jam mulai, the periode's lock, the owner) and compares it with what is saved. It returns
   a `RencanaUnggah` with the rows that change something and every error (sheet, row, column, value,
   message in Bahasa Indonesia). Rows equal to the saved data are counted as unchanged and not written.
2. `apply` writes the changing rows through the services (`services.save_realisasi`,
   `services_catatan.save_catatan`, which check owner and locks again) in one transaction: any failure
   rolls everything back and is reported on its row.

Catatan rows are matched with saved ones by (tanggal, jam mulai, kegiatan), so uploading the same file
twice neither duplicates nor changes anything.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja.common import spreadsheet
from kinerja.common.spreadsheet import BATAS_UNGGAH_XLSX, BerkasDitolak, open_xlsx
from kinerja.common.xlsx import BIRU, TEBAL
from kinerja.organisasi.impor.services import RowError
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan import selectors, services
from kinerja.pelaksanaan.catatan import services as svc
from kinerja.pelaksanaan.catatan.selectors import nomor_rhk
from kinerja.pelaksanaan.models import CatatanKegiatan, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.permissions import is_pemilik
from kinerja.rules.alur import Status
from kinerja.rules.realisasi import format_tanggal

MAX_UPLOAD_BYTES = BATAS_UNGGAH_XLSX
MAX_ROWS = 5000
TEMPLATE_ROWS_CATATAN = 300  # empty rows with the dropdown after the saved catatan

SHEET_REALISASI = "Realisasi"
SHEET_CATATAN = "Catatan Kegiatan"
SHEET_INFO = "Info"
SHEET_PETUNJUK = "Petunjuk"

KOLOM_REALISASI = ("kunci", "rhk", "indikator", "satuan", "target", "realisasi", "penjelasan")
KOLOM_CATATAN = ("tanggal", "jam_mulai", "jam_selesai", "kegiatan", "jumlah_output", "satuan", "rencana_aksi")
LEBAR_REALISASI = (11, 40, 45, 12, 16, 14, 45)
LEBAR_CATATAN = (13, 11, 11, 50, 14, 14, 60)

_ISI_FILL = PatternFill("solid", fgColor="FFF9DB")  # the cells the pegawai fills
_ABU = Font(color="808080")
_KUNCI = re.compile(r"IND-(\d+)", re.IGNORECASE)


# =========================================================================================================
# Download
# =========================================================================================================


def _rhk_dan_indikator(skp: Skp) -> tuple[list[Rhk], dict[int, str]]:
    rhk_list = list(
        Rhk.objects.filter(skp=skp)
        .order_by("jenis", "urutan", "pk")
        .prefetch_related(Prefetch("indikator", queryset=selectors.indikator_qs(skp.periode)))
    )
    return rhk_list, nomor_rhk(rhk_list)


def label_aksi(nomor: str, teks: str) -> str:
    """The dropdown text of a rencana aksi: the RHK number first, so equal texts of two RHK differ."""
    return f"{nomor} · {' '.join(teks.split())}"[:250]


def _aksi_periode(
    skp: Skp, periode: PeriodePenilaian, nomor: dict[int, str]
) -> list[tuple[str, RencanaAksi]]:
    aksi = (
        RencanaAksi.objects.filter(rhk__skp=skp, periode_penilaian=periode)
        .select_related("rhk")
        .order_by("rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk")
    )
    return [(label_aksi(nomor[a.rhk_id], a.teks), a) for a in aksi]


def _header(ws: Any, kolom: tuple[str, ...], lebar: tuple[int, ...]) -> None:
    for i, (nama, w) in enumerate(zip(kolom, lebar, strict=True), start=1):
        cell = ws.cell(row=1, column=i, value=nama)
        cell.font = TEBAL
        cell.fill = BIRU
        ws.column_dimensions[cell.column_letter].width = w
    ws.freeze_panes = "A2"


def build_workbook(skp: Skp, periode: PeriodePenilaian) -> bytes:
    """The xlsx of one SKP and periode (see the module docstring)."""
    daftar = selectors.periode_list(skp.periode)
    rhk_list, nomor = _rhk_dan_indikator(skp)
    aksi = _aksi_periode(skp, periode, nomor)
    label_by_pk = {a.pk: label for label, a in aksi}
    wb = Workbook()

    ws = wb.active
    ws.title = SHEET_PETUNJUK
    ws.column_dimensions["A"].width = 110
    baris = [
        f"Realisasi {periode.nama} {skp.periode.tahun} · {skp.pegawai_nama} ({skp.pegawai_nip})",
        f"Periode {format_tanggal(periode.mulai)} – {format_tanggal(periode.selesai)}; "
        f"batas pengisian {format_tanggal(periode.batas_realisasi)}.",
        "",
        "1. Sheet Realisasi: isi kolom realisasi (angka untuk indikator bersatuan; koma atau titik untuk "
        "desimal) dan penjelasan. Kolom kunci, rhk, indikator, satuan, dan target jangan diubah.",
        "2. Sheet Catatan Kegiatan: satu baris per kegiatan. tanggal (dd-mm-yyyy) di dalam periode ini, "
        "jam mulai/selesai (jj:mm), kegiatan, jumlah output dan satuannya, rencana aksi (pilih dari daftar).",
        "3. Unggah berkas ini di halaman Realisasi › Unggah Excel. Semua baris diperiksa dulu; bila ada satu "
        "kesalahan saja tidak ada yang disimpan, dan halaman menunjukkan sheet, baris, dan kolomnya.",
        "4. Baris yang sama dengan data tersimpan dilewati; mengunggah berkas yang sama dua kali tidak "
        "mengubah apa pun. Catatan kegiatan dikenali dari tanggal, jam mulai, dan kegiatan.",
        "5. Nama sheet dan baris judul (baris 1) jangan diubah.",
    ]
    for teks in baris:
        ws.append([teks])
    ws["A1"].font = Font(bold=True, size=13)
    for row in ws.iter_rows(min_row=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet(SHEET_REALISASI)
    _header(ws, KOLOM_REALISASI, LEBAR_REALISASI)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in rhk_list:
        for ind in r.indikator.all():
            b = selectors.baris_indikator(ind, periode, daftar)
            real = b.realisasi
            nilai: Any = None
            if real is not None:
                nilai = real.nilai_angka.normalize() if real.nilai_angka is not None else real.nilai_teks
            ws.append(
                [
                    f"IND-{ind.pk}",
                    f"{nomor[r.pk]} {r.teks}",
                    ind.teks,
                    ind.satuan if b.numerik else "(kualitatif)",
                    b.target,
                    nilai,
                    real.narasi if real else None,
                ]
            )
            n = ws.max_row
            ws.cell(row=n, column=1).font = _ABU
            for c in (2, 3, 7):
                ws.cell(row=n, column=c).alignment = wrap
            for c in (6, 7):
                ws.cell(row=n, column=c).fill = _ISI_FILL

    ws = wb.create_sheet(SHEET_CATATAN)
    _header(ws, KOLOM_CATATAN, LEBAR_CATATAN)
    catatan = CatatanKegiatan.objects.filter(
        skp=skp, tanggal__gte=periode.mulai, tanggal__lte=periode.selesai
    ).order_by("tanggal", "jam_mulai", "pk")
    for c in catatan:
        ws.append(
            [
                c.tanggal,
                c.jam_mulai,
                c.jam_selesai,
                c.kegiatan,
                c.jumlah_output.normalize() if c.jumlah_output is not None else None,
                c.satuan_output,
                label_by_pk.get(c.rencana_aksi_id or 0, ""),
            ]
        )
    akhir = ws.max_row + TEMPLATE_ROWS_CATATAN
    for n, row in enumerate(ws.iter_rows(min_row=2, max_col=3), start=2):
        row[0].number_format = "DD-MM-YYYY"
        row[1].number_format = row[2].number_format = "HH:MM"
        ws.cell(row=n, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    # the empty rows get their formats from the column (no cells are created, so rows typed or appended
    # after the saved catatan follow them directly)
    ws.column_dimensions["A"].number_format = "DD-MM-YYYY"
    ws.column_dimensions["B"].number_format = "HH:MM"
    ws.column_dimensions["C"].number_format = "HH:MM"

    info = wb.create_sheet(SHEET_INFO)
    info.append(["skp", skp.pk])
    info.append(["periode", periode.nomor])
    info.append(["dibuat", timezone.localtime().strftime("%d-%m-%Y %H:%M")])
    for i, (label, _) in enumerate(aksi, start=1):
        info.cell(row=i, column=4, value=label)
    info.sheet_state = "hidden"
    if aksi:
        dv = DataValidation(
            type="list",
            formula1=f"'{SHEET_INFO}'!$D$1:$D${len(aksi)}",
            allow_blank=True,
            errorStyle="warning",
            errorTitle="Rencana aksi tidak dikenal",
            error="Pilih rencana aksi dari daftar.",
            showErrorMessage=True,
        )
        ws.add_data_validation(dv)
        dv.add(f"G2:G{akhir}")

    wb.active = 1
    return spreadsheet.save_xlsx(wb)


def nama_berkas(skp: Skp, periode: PeriodePenilaian) -> str:
    nama = re.sub(r"[^A-Za-z0-9]+", "-", periode.nama).strip("-").lower()
    return f"realisasi-{nama}-{skp.periode.tahun}-{skp.pegawai_nip}.xlsx"


# =========================================================================================================
# Upload: parse and check everything
# =========================================================================================================


@dataclass
class Hitungan:
    dibuat: int = 0
    diubah: int = 0
    sama: int = 0
    kosong: int = 0  # realisasi rows left empty

    @property
    def jumlah(self) -> int:
        return self.dibuat + self.diubah + self.sama + self.kosong


@dataclass
class BarisRealisasi:
    row: int
    indikator: Indikator
    nilai_angka: Decimal | None
    nilai_teks: str
    narasi: str
    baru: bool


@dataclass
class BarisCatatan:
    row: int
    data: svc.DataCatatan
    catatan: CatatanKegiatan | None


@dataclass
class RencanaUnggah:
    skp: Skp | None = None
    periode: PeriodePenilaian | None = None
    realisasi: list[BarisRealisasi] = field(default_factory=list)
    catatan: list[BarisCatatan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    hitungan: dict[str, Hitungan] = field(
        default_factory=lambda: {SHEET_REALISASI: Hitungan(), SHEET_CATATAN: Hitungan()}
    )
    ditolak: bool = False  # the file belongs to someone else's SKP

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    pass


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.replace("\xa0", " ").strip())


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if value.time() != datetime.time() else f"{value:%d-%m-%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def _angka(value: Any) -> Decimal | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise _Invalid("bukan angka")
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return services.parse_angka(value)
    except ValidationError:
        raise _Invalid("bukan angka") from None


def _tanggal(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 2958465:
        return from_excel(value).date()
    teks = _shown(value)
    if not teks:
        return None
    for pola, urutan in (
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", (3, 2, 1)),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", (1, 2, 3)),
    ):
        if m := re.fullmatch(pola, teks):
            try:
                return datetime.date(int(m[urutan[0]]), int(m[urutan[1]]), int(m[urutan[2]]))
            except ValueError:
                raise _Invalid(f"tanggal '{teks}' tidak ada di kalender") from None
    raise _Invalid(f"'{teks}' bukan tanggal; gunakan format dd-mm-yyyy (mis. 24-11-2026)")


def _jam(value: Any) -> datetime.time | None:
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        menit = round(value * 24 * 60)
        return datetime.time(menit // 60 % 24, menit % 60)
    teks = _shown(value)
    if not teks:
        return None
    if m := re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?", teks):
        jam, menit = int(m[1]), int(m[2])
        if jam < 24 and menit < 60:
            return datetime.time(jam, menit)
    raise _Invalid(f"'{teks}' bukan jam; gunakan format jj:mm (mis. 08:30)")


def _norm(teks: str) -> str:
    return " ".join(teks.split()).casefold()


def _baca(
    file: Any,
) -> tuple[
    dict[str, list[tuple[int, tuple[Any, ...]]]], dict[str, dict[str, int]], dict[str, Any], list[RowError]
]:
    """Rows (number, values) and header of the two data sheets, the Info values, or the file's errors."""

    def gagal(pesan: str) -> tuple[Any, Any, Any, list[RowError]]:
        return {}, {}, {}, [RowError("(berkas)", None, "", getattr(file, "name", "") or "", pesan)]

    size = getattr(file, "size", None)
    if isinstance(size, int) and size > MAX_UPLOAD_BYTES:
        return gagal(f"Berkas terlalu besar; batasnya {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
    try:
        wb = open_xlsx(file, MAX_ROWS + 1)
    except BerkasDitolak as exc:
        return gagal(exc.pesan)
    except Exception:  # noqa: BLE001 — any unreadable upload is the same problem for the user
        return gagal(
            "Berkas tidak dapat dibaca sebagai Excel .xlsx (bukan .xlsx, atau rusak). Gunakan berkas yang "
            'diunduh dari halaman realisasi dan simpan sebagai "Excel Workbook (.xlsx)".'
        )
    rows: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
    headers: dict[str, dict[str, int]] = {}
    info: dict[str, Any] = {}
    errors: list[RowError] = []
    try:
        nama = {n.strip().lower(): n for n in wb.sheetnames}
        if SHEET_INFO.lower() not in nama:
            return gagal(
                'Sheet "Info" tidak ditemukan: berkas ini bukan berkas realisasi dari aplikasi. Unduh berkas '
                "Excel dari halaman realisasi Anda, isi, lalu unggah kembali."
            )
        for r in wb[nama[SHEET_INFO.lower()]].iter_rows(min_row=1, max_row=3, max_col=2, values_only=True):
            if r and r[0]:
                info[str(r[0]).strip().lower()] = r[1] if len(r) > 1 else None
        for sheet, kolom in ((SHEET_REALISASI, KOLOM_REALISASI), (SHEET_CATATAN, KOLOM_CATATAN)):
            actual = nama.get(sheet.lower())
            if actual is None:
                errors.append(
                    RowError(
                        sheet, None, "", "", f'Sheet "{sheet}" tidak ditemukan; jangan mengganti nama sheet.'
                    )
                )
                continue
            it = spreadsheet.baris(wb[actual], MAX_ROWS + 1)
            first = next(it, (1, ()))[1]
            header = {}
            for i, v in enumerate(first):
                h = re.sub(r"[\s\-]+", "_", str(v).strip().lower()) if v is not None else ""
                if h and h not in header:
                    header[h] = i
            for k in kolom:
                if k not in header:
                    errors.append(
                        RowError(
                            sheet,
                            1,
                            k,
                            "",
                            f'Kolom "{k}" tidak ada pada baris judul (baris 1). '
                            f"Judul kolom harus: {', '.join(kolom)}.",
                        )
                    )
            data = [(n, tuple(values)) for n, values in it if not all(_is_blank(v) for v in values)]
            rows[sheet], headers[sheet] = data, header
    except Exception:  # noqa: BLE001 — read-only mode parses lazily: a corrupt sheet fails here
        return gagal(
            "Isi berkas Excel rusak dan tidak dapat dibaca. Simpan ulang sebagai .xlsx lalu unggah lagi."
        )
    finally:
        wb.close()
    return rows, headers, info, errors


class _Baris:
    def __init__(
        self, sheet: str, header: dict[str, int], n: int, values: tuple[Any, ...], errors: list[RowError]
    ):
        self.sheet, self.header, self.n, self.values, self.errors = sheet, header, n, values, errors
        self.ok = True
        self.kolom_salah: set[str] = set()

    def raw(self, kolom: str) -> Any:
        i = self.header.get(kolom)
        return self.values[i] if i is not None and i < len(self.values) else None

    def error(self, kolom: str, pesan: str) -> None:
        self.errors.append(RowError(self.sheet, self.n, kolom, _shown(self.raw(kolom)), pesan))
        self.ok = False
        self.kolom_salah.add(kolom)

    def teks(self, kolom: str) -> str:
        return _shown(self.raw(kolom))


def _galat_berkas(plan: RencanaUnggah, sheet: str, pesan: str, nilai: str = "") -> None:
    """An error of the whole workbook: no row, no column."""
    plan.errors.append(RowError(sheet, None, "", nilai, pesan))


def _pemilik_skp(plan: RencanaUnggah, info: dict[str, Any], user: User) -> None:
    try:
        skp_id, nomor = int(info.get("skp")), int(info.get("periode"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        _galat_berkas(
            plan, SHEET_INFO, "Sheet Info rusak: SKP dan periode tidak terbaca. Unduh ulang berkas Excel."
        )
        return
    skp = Skp.objects.select_related("periode", "instansi", "pegawai").filter(pk=skp_id).first()
    if skp is None or not is_pemilik(user, skp):
        plan.ditolak = True
        _galat_berkas(
            plan,
            "(berkas)",
            "Berkas ini untuk SKP pegawai lain. Anda hanya dapat mengunggah realisasi SKP Anda sendiri; "
            "unduh berkas Excel dari halaman realisasi Anda.",
        )
        return
    if skp.status != Status.DISETUJUI.value:
        status = skp.status_enum.label.lower()
        _galat_berkas(
            plan, "(berkas)", f"SKP ini berstatus {status}; realisasi diisi pada SKP yang sudah disetujui."
        )
        return
    periode = (
        PeriodePenilaian.objects.filter(periode=skp.periode, nomor=nomor).select_related("periode").first()
    )
    if periode is None:
        _galat_berkas(
            plan, SHEET_INFO, "Periode dalam berkas tidak dikenal. Unduh ulang berkas Excel.", str(nomor)
        )
        return
    plan.skp, plan.periode = skp, periode


def _periksa_realisasi(plan: RencanaUnggah, rows: list[Any], header: dict[str, int], status: Any) -> None:
    skp, periode = plan.skp, plan.periode
    assert skp is not None and periode is not None
    indikator = {
        i.pk: i
        for i in Indikator.objects.filter(rhk__skp=skp)
        .select_related("rhk")
        .prefetch_related(Prefetch("realisasi", queryset=Realisasi.objects.filter(periode_penilaian=periode)))
    }
    for i in indikator.values():
        i.rhk.skp = skp  # one shared SKP: the service reads it without a query per row
    hitung = plan.hitungan[SHEET_REALISASI]
    dilihat: dict[int, int] = {}
    for n, values in rows:
        b = _Baris(SHEET_REALISASI, header, n, values, plan.errors)
        kunci = b.teks("kunci")
        m = _KUNCI.fullmatch(kunci) or (re.fullmatch(r"(\d+)", kunci))
        ind = indikator.get(int(m[1])) if m else None
        if ind is None:
            b.error(
                "kunci",
                "Indikator tidak ada dalam SKP ini. Jangan mengubah kolom kunci; "
                "unduh ulang berkasnya bila perlu.",
            )
            continue
        if ind.pk in dilihat:  # reported, and its value still checked below
            b.error(
                "kunci", f"Indikator ini sudah ada di baris {dilihat[ind.pk]}; satu indikator satu baris."
            )
        else:
            dilihat[ind.pk] = n
        lama = next(iter(ind.realisasi.all()), None)
        narasi = b.teks("penjelasan")
        numerik = ind.target_angka is not None
        angka, teks = None, ""
        if numerik:
            try:
                angka = _angka(b.raw("realisasi"))
            except _Invalid:
                b.error("realisasi", "Realisasi harus berupa angka, mis. 12 atau 12,5.")
                continue
            if angka is not None:
                if angka < 0:
                    b.error("realisasi", "Realisasi tidak boleh negatif.")
                    continue
                if abs(angka) >= Decimal(10) ** 14:
                    b.error("realisasi", "Angka terlalu besar.")
                    continue
                angka = angka.quantize(Decimal("0.0001"))
            kosong = angka is None
        else:
            teks = b.teks("realisasi")
            kosong = not teks
        if kosong:
            if narasi and (lama is None or lama.narasi != narasi):
                b.error("realisasi", "Isi realisasi; penjelasan saja tidak dapat disimpan.")
            elif b.ok:
                hitung.kosong += 1
            continue
        if not b.ok:
            continue
        if (
            lama is not None
            and lama.nilai_angka == angka
            and lama.nilai_teks == teks
            and lama.narasi == narasi
        ):
            hitung.sama += 1
            continue
        if not status.boleh:
            b.error("realisasi", status.alasan)
            continue
        plan.realisasi.append(BarisRealisasi(n, ind, angka, teks, narasi, lama is None))


_KOLOM_FIELD = {
    "tanggal": "tanggal",
    "kegiatan": "kegiatan",
    "jam_mulai": "jam_mulai",
    "jam_selesai": "jam_selesai",
    "jumlah_output": "jumlah_output",
    "rencana_aksi": "rencana_aksi",
    "indikator": "rencana_aksi",
    "satuan_output": "satuan",
}


def _periksa_catatan(plan: RencanaUnggah, rows: list[Any], header: dict[str, int], status: Any) -> None:
    skp, periode = plan.skp, plan.periode
    assert skp is not None and periode is not None
    _, nomor = _rhk_dan_indikator(skp)
    aksi_by_label: dict[str, RencanaAksi | None] = {}
    for label, a in _aksi_periode(skp, periode, nomor):
        for kunci in (_norm(label), _norm(a.teks)):
            aksi_by_label[kunci] = None if kunci in aksi_by_label and aksi_by_label[kunci] != a else a
    ada = {
        (c.tanggal, c.jam_mulai, c.kegiatan.strip()): c
        for c in CatatanKegiatan.objects.filter(
            skp=skp, tanggal__gte=periode.mulai, tanggal__lte=periode.selesai
        ).select_related("skp__periode")
    }
    rentang = f"{format_tanggal(periode.mulai)} – {format_tanggal(periode.selesai)}"
    hitung = plan.hitungan[SHEET_CATATAN]
    dilihat: dict[tuple[Any, ...], int] = {}
    for n, values in rows:
        b = _Baris(SHEET_CATATAN, header, n, values, plan.errors)
        try:
            tanggal = _tanggal(b.raw("tanggal"))
            if tanggal is None:
                b.error("tanggal", "Tanggal wajib diisi (dd-mm-yyyy).")
        except _Invalid as exc:
            b.error("tanggal", f"Tanggal tidak valid: {exc}.")
            tanggal = None
        jam = {}
        for k in ("jam_mulai", "jam_selesai"):
            try:
                jam[k] = _jam(b.raw(k))
            except _Invalid as exc:
                b.error(k, f"Jam tidak valid: {exc}.")
                jam[k] = None
        kegiatan = b.teks("kegiatan")
        if not kegiatan:
            b.error("kegiatan", "Kegiatan wajib diisi.")
        try:
            jumlah = _angka(b.raw("jumlah_output"))
        except _Invalid:
            b.error("jumlah_output", "Jumlah output harus berupa angka, mis. 3 atau 2,5.")
            jumlah = None
        label = b.teks("rencana_aksi")
        aksi = None
        if label:
            aksi = aksi_by_label.get(_norm(label))
            if aksi is None:
                b.error(
                    "rencana_aksi",
                    f"Rencana aksi tidak dikenal untuk {periode.nama}; pilih dari daftar di sel ini.",
                )
        # every check a value allows is made even when another cell of the row is wrong, so one upload
        # reports all the problems of the file (docs/rules.md §23)
        if tanggal is not None and not periode.mulai <= tanggal <= periode.selesai:
            b.error("tanggal", f"Tanggal di luar {periode.nama} ({rentang}).")
        if jam["jam_mulai"] and jam["jam_selesai"] and jam["jam_selesai"] < jam["jam_mulai"]:
            b.error("jam_selesai", "Jam selesai tidak boleh sebelum jam mulai.")
        kunci_baris = (tanggal, jam["jam_mulai"], kegiatan)
        if tanggal is not None and kegiatan:
            if kunci_baris in dilihat:
                b.error(
                    "kegiatan",
                    "Kegiatan yang sama (tanggal, jam mulai, kegiatan) sudah ada di baris "
                    f"{dilihat[kunci_baris]}.",
                )
            else:
                dilihat[kunci_baris] = n
        data = svc.DataCatatan(
            tanggal=tanggal,
            kegiatan=kegiatan,
            jam_mulai=jam["jam_mulai"],
            jam_selesai=jam["jam_selesai"],
            jumlah_output=jumlah,
            satuan_output=b.teks("satuan"),
            rencana_aksi_id=aksi.pk if aksi else None,
        )
        for k, pesan in svc.kesalahan_isian(data).items():  # the service's own value checks, all of them
            if _KOLOM_FIELD.get(k, "tanggal") not in b.kolom_salah:
                b.error(_KOLOM_FIELD.get(k, "tanggal"), pesan)
        if not b.ok or tanggal is None:
            continue
        lama = ada.get(kunci_baris)
        if lama is not None:
            aksi_lama = aksi
            indikator = (
                svc.indikator_untuk_aksi(aksi, data.satuan_output, list(aksi.rhk.indikator.all()))
                if aksi
                else None
            )
            if svc.sama(lama, data, aksi_lama, indikator):
                hitung.sama += 1
                continue
        if not status.boleh:
            b.error("tanggal", status.alasan)
            continue
        try:
            ditemukan_skp, _, _, _ = svc.periksa(skp.pegawai_id, data)
        except ValidationError as exc:
            for k, pesan in exc.message_dict.items():
                b.error(_KOLOM_FIELD.get(k, "tanggal"), " ".join(pesan))
            continue
        if ditemukan_skp.pk != skp.pk:
            b.error(
                "tanggal", "Pada tanggal ini berlaku SKP lain; catat kegiatan itu lewat berkas SKP tersebut."
            )
            continue
        plan.catatan.append(BarisCatatan(n, data, lama))


def parse_workbook(file: Any, user: User) -> RencanaUnggah:
    """Read and check every row of an uploaded workbook; nothing is written."""
    plan = RencanaUnggah()
    rows, headers, info, errors = _baca(file)
    plan.errors.extend(errors)
    if not info:
        return plan
    _pemilik_skp(plan, info, user)
    if plan.skp is None or plan.periode is None:
        return plan
    # a sheet whose header is broken is not checked row by row (every row would look wrong); the other
    # sheet still is, so one upload reports everything (docs/rules.md §23)
    rusak = {e.sheet for e in errors}
    status = selectors.status_pengisian(plan.skp.pegawai_id, plan.periode)
    if SHEET_REALISASI in rows and SHEET_REALISASI not in rusak:
        _periksa_realisasi(plan, rows[SHEET_REALISASI], headers[SHEET_REALISASI], status)
    if SHEET_CATATAN in rows and SHEET_CATATAN not in rusak:
        _periksa_catatan(plan, rows[SHEET_CATATAN], headers[SHEET_CATATAN], status)
    return plan


# =========================================================================================================
# Upload: write
# =========================================================================================================


class _Gagal(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _gagal(sheet: str, row: int, exc: Exception, kolom_bawaan: str) -> _Gagal:
    fields, pesan = spreadsheet.galat_simpan(exc)
    kolom = _KOLOM_FIELD.get(fields[-1], kolom_bawaan) if fields else kolom_bawaan  # the last field named
    return _Gagal(RowError(sheet, row, kolom, "", pesan))


def apply(plan: RencanaUnggah, user: User) -> list[RowError]:
    """Write the rows of a checked plan in one transaction; returns the error that rolled it back, if any."""
    if not plan.ok or plan.skp is None or plan.periode is None:
        raise ValueError("Berkas masih berisi kesalahan; perbaiki dulu sebelum menyimpan.")
    periode = plan.periode
    try:
        with transaction.atomic():
            if plan.realisasi:
                try:
                    dibuat, diubah = services.save_realisasi_banyak(
                        plan.skp,
                        periode,
                        user,
                        [
                            services.IsiRealisasi(r.indikator, r.nilai_angka, r.nilai_teks, r.narasi)
                            for r in plan.realisasi
                        ],
                    )
                except services.GagalBaris as exc:
                    raise _gagal(
                        SHEET_REALISASI, plan.realisasi[exc.indeks].row, exc.error, "realisasi"
                    ) from exc
                except (ValidationError, DatabaseError) as exc:
                    raise _gagal(SHEET_REALISASI, plan.realisasi[0].row, exc, "realisasi") from exc
                hitung = plan.hitungan[SHEET_REALISASI]
                hitung.dibuat += dibuat
                hitung.diubah += diubah
            for c in plan.catatan:
                try:
                    svc.save_catatan(user, c.data, catatan=c.catatan)
                except (ValidationError, DatabaseError) as exc:
                    raise _gagal(SHEET_CATATAN, c.row, exc, "tanggal") from exc
                hitung = plan.hitungan[SHEET_CATATAN]
                if c.catatan is None:
                    hitung.dibuat += 1
                else:
                    hitung.diubah += 1
    except _Gagal as exc:
        for h in plan.hitungan.values():
            h.dibuat = h.diubah = 0
        return [exc.error]
    return []
