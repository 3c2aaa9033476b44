"""Reading an uploaded list of NIP → SIASN id pairs (xlsx or CSV) for instansi without API access
(docs/rules.md §21.2, "ID SIASN dari berkas").

The file has a header row with a NIP column and a SIASN id column, in any order and among other columns;
the names SIASN's own download uses ("NIP_BARU", "PNS_ID") are recognised, so that file can be uploaded as
it is. Every row is checked and every problem reported with its row number (§23.3); nothing of the
database is read here (whether the NIP is a pegawai of the instansi is `selectors_id`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from kinerja.common.spreadsheet import BATAS_UNGGAH_XLSX, BerkasDitolak, baris, open_xlsx, save_xlsx
from kinerja.common.xlsx import TEBAL
from kinerja.rules import nip as nip_rules

#: Rows read, the header included (an instansi has at most some tens of thousands of pegawai).
BATAS_BARIS = 20_001
MAX_UPLOAD_BYTES = BATAS_UNGGAH_XLSX
#: Header names (normalised: lower case, anything but letters and digits as one space).
KOLOM_NIP = ("nip", "nip baru", "nipbaru")
KOLOM_ID = ("id siasn", "id siasn pegawai", "pns id", "pnsid", "id pns")
#: Rows searched for the header (a title may stand above it).
BARIS_JUDUL_MAKS = 10
PANJANG_ID = 64  # IdSiasnPegawai.pns_id
#: A SIASN id as the public clients show it: 32 hex digits, or a UUID; we accept letters, digits and
#: dashes and leave the rest to SIASN (Choice, docs/rules.md §21.2).
_ID = re.compile(r"[0-9A-Za-z-]+")
_NIP = re.compile(r"[0-9]{18}")
_BUKAN_HURUF = re.compile(r"[^0-9a-z]+")

PESAN_JUDUL = (
    "Baris judul tidak ditemukan: berkas harus memiliki kolom “NIP” dan kolom “ID SIASN” (atau “NIP_BARU” "
    "dan “PNS_ID” seperti unduhan SIASN) pada salah satu dari 10 baris pertama."
)
PESAN_BUKAN_BERKAS = (
    "Berkas tidak dapat dibaca: unggah berkas Excel (.xlsx) atau CSV (dipisah koma atau titik koma) "
    "berisi kolom NIP dan ID SIASN."
)


@dataclass(frozen=True)
class Pasangan:
    """One row of the file: its row number, the NIP and the SIASN id."""

    baris: int
    nip: str
    pns_id: str


@dataclass(frozen=True)
class Galat:
    """A problem of the file (``baris`` 0: the file as a whole) in Bahasa Indonesia."""

    baris: int
    pesan: str


def _nama_kolom(value: Any) -> str:
    return _BUKAN_HURUF.sub(" ", str(value or "").lower()).strip()


def _teks(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _rows_csv(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    try:
        teks = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        teks = data.decode("cp1252", errors="replace")
    contoh = teks[:4096]
    try:
        dialek: Any = csv.Sniffer().sniff(contoh, delimiters=",;\t")
    except csv.Error:
        dialek = csv.excel
    reader = csv.reader(io.StringIO(teks), dialek)
    rows = []
    for nomor, row in enumerate(reader, 1):
        if nomor > BATAS_BARIS:
            raise BerkasDitolak(
                f"Berkas ditolak: lebih panjang dari {BATAS_BARIS} baris. Bagi data menjadi beberapa berkas."
            )
        rows.append((nomor, tuple(row)))
    return rows


def _rows(berkas: Any, nama: str) -> list[tuple[int, tuple[Any, ...]]]:
    berkas.seek(0)
    awal = berkas.read(4)
    berkas.seek(0)
    if awal == b"PK\x03\x04":
        wb = open_xlsx(berkas, BATAS_BARIS)
        try:
            return list(baris(wb.worksheets[0], BATAS_BARIS))
        finally:
            wb.close()
    if nama.lower().endswith(".xlsx"):
        raise ValueError("not an xlsx")
    data = berkas.read(MAX_UPLOAD_BYTES + 1)
    if b"\x00" in data:
        raise ValueError("binary")
    return _rows_csv(data)


def _kolom(judul: tuple[Any, ...], nama: tuple[str, ...]) -> int | None:
    names = [_nama_kolom(v) for v in judul]
    for n in nama:
        if n in names:
            return names.index(n)
    return None


def _periksa_nip(value: Any) -> tuple[str, list[str]]:
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        return "", [
            f"NIP tersimpan sebagai angka sehingga digitnya hilang ({value:.0f}): format kolom NIP sebagai "
            "Teks, ketik ulang NIP-nya, lalu unggah lagi."
        ]
    teks = _teks(value)
    if not teks:
        return "", ["NIP kosong."]
    # The shape only: whether it is a pegawai of the instansi (whose NIP was checked when saved) is asked
    # of the database next, and that is what matters here.
    nip = nip_rules.normalize(teks)
    if _NIP.fullmatch(nip):
        return nip, []
    return "", [f"NIP harus 18 digit angka (tertulis {len(nip)} karakter: {teks!r})."]


def _periksa_id(value: Any, nip: str) -> tuple[str, list[str]]:
    teks = _teks(value)
    if len(teks) > PANJANG_ID:
        return "", [f"ID SIASN lebih dari {PANJANG_ID} karakter ({len(teks)})."]
    if not _ID.fullmatch(teks):
        return "", [f"ID SIASN “{teks}” hanya boleh berisi huruf, angka dan tanda hubung (-)."]
    if nip and teks == nip:
        return "", [
            "ID SIASN sama dengan NIP: SIASN mengenal pegawai dengan ID-nya (PNS_ID pada unduhan SIASN), "
            "bukan NIP."
        ]
    return teks, []


@dataclass(frozen=True)
class IsiBerkas:
    pasangan: list[Pasangan]
    galat: list[Galat]
    #: Rows with an NIP and no id: skipped (the template lists every pegawai; the admin fills some).
    tanpa_id: int = 0


def read_pasangan(berkas: Any, nama: str) -> IsiBerkas:
    """Every pair of the file and every problem found (rows with both cells empty, or an NIP without an
    id, are skipped). A file with any problem is refused whole by the caller."""
    ukuran = getattr(berkas, "size", None)
    if ukuran is not None and ukuran > MAX_UPLOAD_BYTES:
        batas = MAX_UPLOAD_BYTES // 1024 // 1024
        return IsiBerkas(
            [], [Galat(0, f"Berkas terlalu besar ({ukuran // 1024} KB); paling besar {batas} MB.")]
        )
    try:
        rows = _rows(berkas, nama)
    except BerkasDitolak as e:
        return IsiBerkas([], [Galat(0, e.pesan)])
    except Exception:  # noqa: BLE001 — any unreadable file gets the same clear message
        return IsiBerkas([], [Galat(0, PESAN_BUKAN_BERKAS)])
    judul = next(
        (
            (nomor, row)
            for nomor, row in rows[:BARIS_JUDUL_MAKS]
            if _kolom(row, KOLOM_NIP) is not None and _kolom(row, KOLOM_ID) is not None
        ),
        None,
    )
    if judul is None:
        return IsiBerkas([], [Galat(0, PESAN_JUDUL)])
    nomor_judul, kepala = judul
    k_nip, k_id = _kolom(kepala, KOLOM_NIP), _kolom(kepala, KOLOM_ID)
    assert k_nip is not None and k_id is not None
    pasangan: list[Pasangan] = []
    galat: list[Galat] = []
    nip_di: dict[str, Pasangan] = {}
    id_di: dict[str, Pasangan] = {}
    tanpa_id = 0
    for nomor, row in rows:
        if nomor <= nomor_judul:
            continue
        nilai_nip = row[k_nip] if k_nip < len(row) else None
        nilai_id = row[k_id] if k_id < len(row) else None
        if not _teks(nilai_id):
            tanpa_id += bool(_teks(nilai_nip))
            continue
        nip, masalah = _periksa_nip(nilai_nip)
        pns_id, masalah_id = _periksa_id(nilai_id, nip)
        masalah += masalah_id
        if nip and (lain := nip_di.get(nip)) is not None and lain.pns_id != pns_id:
            masalah.append(f"NIP {nip} sudah tercantum di baris {lain.baris} dengan ID SIASN lain.")
        if pns_id and (lain := id_di.get(pns_id)) is not None and lain.nip != nip:
            masalah.append(f"ID SIASN {pns_id} sudah dipakai untuk NIP {lain.nip} di baris {lain.baris}.")
        if masalah:
            galat += [Galat(nomor, m) for m in masalah]
            continue
        p = Pasangan(nomor, nip, pns_id)
        if nip in nip_di:
            continue  # the same pair twice: once is enough
        nip_di[nip] = id_di[pns_id] = p
        pasangan.append(p)
    if not pasangan and not galat:
        galat.append(Galat(0, "Berkas tidak berisi satu pun pasangan NIP dan ID SIASN di bawah baris judul."))
    return IsiBerkas(pasangan, galat, tanpa_id)


def template_xlsx(pegawai: list[tuple[str, str, str]]) -> bytes:
    """The file to fill: NIP (text), name (not read), the id stored now (empty where none)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ID SIASN"
    for col, (judul, lebar) in enumerate((("NIP", 22), ("Nama (tidak dibaca)", 40), ("ID SIASN", 40)), 1):
        ws.cell(row=1, column=col, value=judul).font = TEBAL
        ws.column_dimensions["ABC"[col - 1]].width = lebar
    for r, (nip, nama, pns_id) in enumerate(pegawai, start=2):
        for col, value in enumerate((nip, nama, pns_id), 1):
            ws.cell(row=r, column=col, value=value).number_format = "@"
    ws.freeze_panes = "A2"
    return save_xlsx(wb)
