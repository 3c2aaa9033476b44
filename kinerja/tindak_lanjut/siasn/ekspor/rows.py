"""The SIASN record of a final evaluation and the file export for instansi without API access
(docs/rules.md §21).

Two layers. :func:`baris` is the evaluation's **record**: the pegawai evaluated, the two ratings and the
predikat as SIASN codes, the pejabat penilai's identity from the evaluation's snapshot, ASN / NON ASN and
the months evaluated; :func:`periksa` lists every problem of a record (the same rules the API path refuses
on, plus what SIASN cannot check: the pegawai is not their own penilai, the months are in order, the NIP is
real). ``permintaan.py`` turns a record into the exact request body of ``kinerjaperiodik/save`` or
``skp22/save``.

The **file** (xlsx / JSON, schema ``schemas/siasn_kinerja.schema.json``) is made of :class:`BarisEkspor`:
the request the API path would post for the evaluation, BKN's uppercase labels beside its codes, and the
pegawai's NIP, name and periode for people (never sent). A row with a problem of its own carries the API
path's reasons and is never in a file, so the file and the API can never disagree. One exception, the
file's alone: a pegawai whose SIASN id is not stored yet is exported with the id empty and the warning
:data:`TANPA_ID` (the operator finds the pegawai by NIP in SIASN's form; docs/rules.md §21.2).
Pure functions on plain values, no database access.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import Any

from kinerja.common.spreadsheet import save_xlsx
from kinerja.common.tanggal import tanggal_lokal
from kinerja.common.xlsx import TEBAL
from kinerja.rules import nip as nip_rules
from kinerja.rules import siasn as kode
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.types import Predikat, Rating

SKEMA = Path(__file__).parent / "schemas" / "siasn_kinerja.schema.json"
FORMAT = "kinerja-siasn"
#: 3: a row may leave the pegawai's SIASN id empty, with :data:`TANPA_ID` in its ``peringatan`` (2: every
#: row had the id; 1 was one shape for both endpoints).
VERSI = 3
#: The warning of a file row whose only gap is the pegawai's SIASN id (docs/rules.md §21.2).
TANPA_ID = "ID SIASN belum tersimpan: cari pegawai dengan NIP saat entri di SIASN."

RATING_DARI_KODE = {v: k for k, v in kode.RATING.items()}
PREDIKAT_DARI_KODE = {v: k for k, v in kode.KUADRAN.items()}

ASN = "ASN"
NON_ASN = "NON ASN"
TAHUNAN = "TAHUNAN"
PERIODIK = "PERIODIK"

#: The record's fields and their Indonesian names (used in the problems :func:`periksa` names).
KOLOM: Sequence[tuple[str, str]] = (
    ("jenisKinerja", "Jenis"),
    ("tahun", "Tahun"),
    ("periodeNama", "Periode"),
    ("bulanMulaiPenilaian", "Bulan mulai"),
    ("bulanSelesaiPenilaian", "Bulan selesai"),
    ("tahunMulaiPenilaian", "Tahun mulai"),
    ("tahunSelesaiPenilaian", "Tahun selesai"),
    ("pnsDinilaiNip", "NIP pegawai dinilai"),
    ("pnsDinilaiNama", "Nama pegawai dinilai"),
    ("hasilKinerjaNilai", "Kode rating hasil kerja"),
    ("hasilKinerja", "Rating hasil kerja"),
    ("perilakuKerjaNilai", "Kode rating perilaku kerja"),
    ("perilakuKerja", "Rating perilaku kerja"),
    ("kuadranKinerjaNilai", "Kode predikat (kuadran)"),
    ("kuadranKinerja", "Predikat kinerja"),
    ("statusPenilai", "Status penilai"),
    ("penilaiNipNrp", "NIP pejabat penilai"),
    ("penilaiNama", "Nama pejabat penilai"),
    ("penilaiJabatanNama", "Jabatan pejabat penilai"),
    ("penilaiGolongan", "Golongan pejabat penilai"),
    ("penilaiUnorNama", "Unit kerja pejabat penilai"),
    ("tanggalFinal", "Tanggal final"),
)
FIELDS = tuple(k for k, _ in KOLOM)
LABEL = dict(KOLOM)
#: Fields that may be empty for a NON ASN penilai (someone without an NIP or a golongan).
BOLEH_KOSONG_NON_ASN = frozenset({"penilaiNipNrp", "penilaiGolongan"})
#: The penilai's identity; all empty = the evaluation has no pejabat penilai in the system.
PENILAI = ("penilaiNipNrp", "penilaiNama", "penilaiJabatanNama", "penilaiGolongan", "penilaiUnorNama")
TANPA_PENILAI = (
    "Tidak ada pejabat penilai di sistem (mis. pimpinan instansi yang dinilai pejabat non-ASN): "
    "isikan data pejabat penilai langsung di SIASN."
)
_ANGKA = frozenset(
    {
        "tahun",
        "bulanMulaiPenilaian",
        "bulanSelesaiPenilaian",
        "tahunMulaiPenilaian",
        "tahunSelesaiPenilaian",
        "hasilKinerjaNilai",
        "perilakuKerjaNilai",
        "kuadranKinerjaNilai",
    }
)
_TANGGAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GOLONGAN_PNS = re.compile(r"\b(I{1,3}V?|IV)/([a-e])\b")
_GOLONGAN_PPPK = re.compile(r"^Golongan ([IVX]+)$")


def golongan(pangkat: str) -> str:
    """The golongan ruang in a pangkat label: "Pembina (IV/a)" → "IV/a", "Golongan IX" (PPPK) → "IX";
    a bare "III/b" stays; anything else (empty, unknown) → ""."""
    pangkat = (pangkat or "").strip()
    if m := _GOLONGAN_PNS.search(pangkat):
        return f"{m.group(1)}/{m.group(2)}"
    if m := _GOLONGAN_PPPK.match(pangkat):
        return m.group(1)
    return ""


def status_penilai(penilai_nip: str, tercatat: str = "") -> str:
    """The status the admin recorded for an external penilai (``tercatat``: "ASN" / "NON ASN"); otherwise
    ASN when the penilai's number is a valid 18-digit NIP (or NI PPPK), else NON ASN."""
    if tercatat in (ASN, NON_ASN):
        return tercatat
    return ASN if penilai_nip and nip_rules.is_valid(penilai_nip) else NON_ASN


def _kode(enum: type[Rating] | type[Predikat], kode: Mapping[Any, int], value: str) -> tuple[int | None, str]:
    if not value:
        return None, ""
    member = enum(value)
    return kode[member], member.label


def baris(ev: Any) -> dict[str, Any]:
    """The SIASN record of one evaluation (an `Evaluasi` with periode, periode_penilaian and skp loaded).

    Values that are missing stay empty (None / ""), so :func:`periksa` names them; nothing is guessed.
    """
    pp = ev.periode_penilaian
    if pp is not None:
        mulai, selesai, nama = pp.mulai, pp.selesai, f"{pp.nama} {ev.periode.tahun}"
    else:
        # Annual: the months of the SKP evaluated (January–December, or the part of the year of a mutation).
        mulai, selesai, nama = ev.skp.mulai, ev.skp.selesai, f"Tahunan {ev.periode.tahun}"
    hasil_kode, hasil_label = _kode(Rating, kode.RATING, ev.rating_hasil)
    perilaku_kode, perilaku_label = _kode(Rating, kode.RATING, ev.rating_perilaku)
    kuadran_kode, kuadran_label = _kode(Predikat, kode.KUADRAN, ev.predikat)
    penilai_nip = nip_rules.normalize(ev.penilai_nip or "")
    return {
        "jenisKinerja": PERIODIK if pp is not None else TAHUNAN,
        "tahun": ev.periode.tahun,
        "periodeNama": nama,
        "bulanMulaiPenilaian": mulai.month,
        "bulanSelesaiPenilaian": selesai.month,
        "tahunMulaiPenilaian": mulai.year,
        "tahunSelesaiPenilaian": selesai.year,
        "pnsDinilaiNip": nip_rules.normalize(ev.pegawai_nip or ""),
        "pnsDinilaiNama": ev.pegawai_nama,
        "hasilKinerjaNilai": hasil_kode,
        "hasilKinerja": hasil_label,
        "perilakuKerjaNilai": perilaku_kode,
        "perilakuKerja": perilaku_label,
        "kuadranKinerjaNilai": kuadran_kode,
        "kuadranKinerja": kuadran_label,
        # An external penilai (docs/rules.md "Penilai di luar instansi"): the snapshot already holds their
        # name, number, jabatan, golongan and instansi; the status is the one the admin recorded.
        "statusPenilai": status_penilai(
            penilai_nip, ev.penilai_eksternal.status if getattr(ev, "penilai_eksternal_id", None) else ""
        ),
        "penilaiNipNrp": penilai_nip,
        "penilaiNama": ev.penilai_nama,
        "penilaiJabatanNama": ev.penilai_jabatan_nama,
        "penilaiGolongan": golongan(ev.penilai_pangkat),
        "penilaiUnorNama": ev.penilai_unit,
        # The instansi's local date (docs/rules.md §22): 00:30 WIB on 10 January is 10 January.
        "tanggalFinal": ev.final_pada and tanggal_lokal(ev.final_pada).isoformat() or "",
    }


def _kosong(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bulat(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def periksa(row: Mapping[str, Any]) -> list[str]:
    """Every problem of one record, in Indonesian (empty list: the record may be exported)."""
    masalah: list[str] = []
    asing = sorted(set(row) - set(FIELDS))
    if asing:
        masalah.append(f"Kolom tidak dikenal: {', '.join(asing)}.")
    non_asn = row.get("statusPenilai") == NON_ASN
    tanpa_penilai = all(_kosong(row.get(f)) for f in PENILAI)
    if tanpa_penilai:
        masalah.append(TANPA_PENILAI)
    for field in FIELDS:
        value = row.get(field)
        if _kosong(value):
            if tanpa_penilai and field in PENILAI:
                continue
            if not (non_asn and field in BOLEH_KOSONG_NON_ASN):
                masalah.append(f"{LABEL[field]} kosong.")
            continue
        if field in _ANGKA and not _bulat(value):
            masalah.append(f"{LABEL[field]} harus berupa bilangan bulat.")
    # From here on a number field that is not an integer counts as absent (already reported).
    row = {k: (None if k in _ANGKA and not _bulat(v) else v) for k, v in row.items()}
    if row.get("jenisKinerja") not in (None, "", TAHUNAN, PERIODIK):
        masalah.append("Jenis harus TAHUNAN atau PERIODIK.")

    pegawai_nip = row.get("pnsDinilaiNip") or ""
    if pegawai_nip and not nip_rules.is_valid(pegawai_nip):
        masalah.append(f"NIP pegawai dinilai tidak sah ({pegawai_nip}).")
    penilai_nip = row.get("penilaiNipNrp") or ""
    if pegawai_nip and penilai_nip and nip_rules.normalize(pegawai_nip) == nip_rules.normalize(penilai_nip):
        masalah.append("Pejabat penilai sama dengan pegawai yang dinilai (NIP sama).")
    status = row.get("statusPenilai")
    if status not in (None, "", ASN, NON_ASN):
        masalah.append("Status penilai harus ASN atau NON ASN.")
    elif status and status != status_penilai(penilai_nip):
        masalah.append(
            "Status penilai ASN memerlukan NIP pejabat penilai 18 digit yang sah."
            if status == ASN
            else "Status penilai NON ASN padahal NIP pejabat penilai adalah NIP ASN yang sah."
        )

    for bulan in ("bulanMulaiPenilaian", "bulanSelesaiPenilaian"):
        b = row.get(bulan)
        if isinstance(b, int) and not 1 <= b <= 12:
            masalah.append(f"{LABEL[bulan]} harus 1–12.")
    mulai = (row.get("tahunMulaiPenilaian"), row.get("bulanMulaiPenilaian"))
    selesai = (row.get("tahunSelesaiPenilaian"), row.get("bulanSelesaiPenilaian"))
    if all(isinstance(x, int) for x in (*mulai, *selesai)) and mulai > selesai:  # type: ignore[operator]
        masalah.append("Bulan mulai penilaian sesudah bulan selesai.")
    tahun = row.get("tahun")
    if isinstance(tahun, int) and tahun not in (
        row.get("tahunMulaiPenilaian"),
        row.get("tahunSelesaiPenilaian"),
    ):
        masalah.append("Tahun penilaian tidak sesuai dengan bulan yang dinilai.")

    ratings: dict[str, Rating | None] = {}
    for field in ("hasilKinerja", "perilakuKerja"):
        kode = row.get(field + "Nilai")
        r = RATING_DARI_KODE.get(kode) if isinstance(kode, int) else None
        ratings[field] = r
        if kode is not None and r is None:
            masalah.append(f"{LABEL[field + 'Nilai']} harus 1, 2 atau 3.")
        elif r is not None and row.get(field) != r.label:
            masalah.append(f"{LABEL[field]} tidak sesuai dengan kodenya ({kode} = {r.label}).")
    kode_kuadran = row.get("kuadranKinerjaNilai")
    p = PREDIKAT_DARI_KODE.get(kode_kuadran) if isinstance(kode_kuadran, int) else None
    if kode_kuadran is not None and p is None:
        masalah.append("Kode predikat (kuadran) harus 1–5.")
    elif p is not None:
        if row.get("kuadranKinerja") != p.label:
            masalah.append(f"Predikat kinerja tidak sesuai dengan kodenya ({kode_kuadran} = {p.label}).")
        hasil, perilaku = ratings["hasilKinerja"], ratings["perilakuKerja"]
        if hasil is not None and perilaku is not None and kuadran_predikat(hasil, perilaku) != p:
            seharusnya = kuadran_predikat(hasil, perilaku)
            masalah.append(
                f"Predikat {p.label} tidak sesuai kuadran: rating hasil kerja {hasil.label} dan "
                f"rating perilaku kerja {perilaku.label} menghasilkan {seharusnya.label}."
            )
    tanggal = row.get("tanggalFinal")
    if isinstance(tanggal, str) and tanggal and not _TANGGAL.fullmatch(tanggal):
        masalah.append("Tanggal final harus berbentuk YYYY-MM-DD.")
    return masalah


# --- the file export ------------------------------------------------------------------------------------

#: Indonesian column headers of the request fields (both endpoints).
JUDUL_FIELD: Mapping[str, str] = {
    "id": "ID riwayat SIASN (kosong = baru)",
    "pnsDinilaiId": "ID SIASN pegawai dinilai",
    "pnsDinilaiOrang": "ID SIASN pegawai dinilai",
    "tahun": "Tahun",
    "periodikId": "Kode periodik",
    "koefisienId": "Kode koefisien",
    "bulanMulaiPenilaian": "Bulan mulai",
    "bulanSelesaiPenilaian": "Bulan selesai",
    "tahunMulaiPenilaian": "Tahun mulai",
    "tahunSelesaiPenilaian": "Tahun selesai",
    "hasilKinerjaNilai": "Kode rating hasil kerja",
    "perilakuKerjaNilai": "Kode rating perilaku kerja",
    "kuadranKinerjaNilai": "Kode predikat (kuadran)",
    "penilaiGolongan": "Kode golongan pejabat penilai",
    "penilaiJabatanNama": "Jabatan pejabat penilai",
    "penilaiJabatan": "Jabatan pejabat penilai",
    "penilaiNama": "Nama pejabat penilai",
    "penilaiNipNrp": "NIP/NRP pejabat penilai",
    "penilaiUnorNama": "Unit kerja pejabat penilai",
    "statusPenilai": "Status penilai",
    "path": "Dokumen",
}
#: The coded fields and the table of BKN's label of each code (an unknown or empty code has no label).
LABEL_KODE: Mapping[str, Mapping[Any, str]] = {
    "periodikId": kode.LABEL_PERIODIK,
    "koefisienId": kode.LABEL_KOEFISIEN,
    "hasilKinerjaNilai": kode.LABEL_RATING,
    "perilakuKerjaNilai": kode.LABEL_RATING,
    "kuadranKinerjaNilai": kode.LABEL_KUADRAN,
    "penilaiGolongan": kode.LABEL_GOLONGAN,
}
#: What identifies the row for people; never sent (SIASN knows the pegawai by ``pnsDinilaiId``).
IDENTITAS: Sequence[tuple[str, str]] = (
    ("nip", "NIP pegawai dinilai (identitas, tidak dikirim)"),
    ("nama", "Nama pegawai dinilai (tidak dikirim)"),
    ("periode", "Periode (tidak dikirim)"),
    ("tanggalFinal", "Tanggal final (tidak dikirim)"),
)


def labels(body: Mapping[str, Any]) -> dict[str, str]:
    """BKN's label of every code in a request body ("" where the code is empty or unknown)."""
    return {f: str(tabel.get(body[f], "")) for f, tabel in LABEL_KODE.items() if f in body}


@dataclass(frozen=True)
class BarisEkspor:
    """One row of the file: the request the API path posts for a final evaluation (``endpoint`` and
    ``body``, exactly; for a refused row the body as far as the record fills it), BKN's labels beside the
    codes, and the pegawai's identity for people. ``alasan``: why it is refused (then it is never in a
    file); ``peringatan``: what the API path sends on an UNSURE mapping (a PPPK penilai's golongan), and
    :data:`TANPA_ID` when the pegawai's SIASN id is left empty."""

    endpoint: str
    body: dict[str, Any]
    identitas: dict[str, Any]
    alasan: list[str] = _field(default_factory=list)
    peringatan: list[str] = _field(default_factory=list)

    @property
    def label(self) -> dict[str, str]:
        return labels(self.body)

    @property
    def valid(self) -> bool:
        return not self.alasan

    @property
    def masalah(self) -> list[str]:
        return self.alasan

    @property
    def pns_id(self) -> str:
        """The pegawai's SIASN id, whatever the endpoint calls it."""
        return str(self.body.get("pnsDinilaiId") or self.body.get("pnsDinilaiOrang") or "")

    @property
    def penilai_jabatan(self) -> str:
        """The penilai's jabatan, whatever the endpoint calls it."""
        return str(self.body.get("penilaiJabatanNama") or self.body.get("penilaiJabatan") or "")

    @property
    def tanpa_id(self) -> bool:
        """Exported without the pegawai's SIASN id (found by NIP when entered in SIASN)."""
        return TANPA_ID in self.peringatan

    @property
    def pegawai(self) -> str:
        return f"{self.identitas.get('nama') or '(tanpa nama)'} ({self.identitas.get('nip') or '-'})"

    def as_json(self) -> dict[str, Any]:
        keterangan = {"peringatan": list(self.peringatan)} if self.peringatan else {}
        return {
            "endpoint": self.endpoint,
            "body": self.body,
            "label": self.label,
            "identitas": self.identitas,
            **keterangan,
        }


def identitas(row: Mapping[str, Any]) -> dict[str, Any]:
    """The identifying part of a record (:func:`baris`), for people reading the file."""
    return {
        "nip": row.get("pnsDinilaiNip") or "",
        "nama": row.get("pnsDinilaiNama") or "",
        "periode": row.get("periodeNama") or "",
        "tanggalFinal": row.get("tanggalFinal") or "",
    }


@dataclass(frozen=True)
class HasilPeriksa:
    valid: list[BarisEkspor]
    bermasalah: list[BarisEkspor]

    @property
    def tanpa_id(self) -> int:
        """Valid rows exported without the pegawai's SIASN id."""
        return sum(1 for r in self.valid if r.tanpa_id)

    @property
    def lengkap(self) -> bool:
        return not self.bermasalah


def check_all(rows: Iterable[BarisEkspor]) -> HasilPeriksa:
    """The rows that may be exported, and those refused (with their reasons)."""
    valid: list[BarisEkspor] = []
    bermasalah: list[BarisEkspor] = []
    for row in rows:
        (valid if row.valid else bermasalah).append(row)
    return HasilPeriksa(valid, bermasalah)


def dokumen_json(
    rows: Sequence[BarisEkspor],
    *,
    instansi_kode: str,
    instansi_nama: str,
    tahun: int,
    endpoint: str,
    periode_nama: str,
    unit_nama: str | None,
    dibuat_pada: str,
) -> dict[str, Any]:
    """The whole JSON export (the top-level object of the schema)."""
    return {
        "format": FORMAT,
        "versi": VERSI,
        "instansi": {"kode": instansi_kode, "nama": instansi_nama},
        "tahun": tahun,
        "endpoint": endpoint,
        "periodeNama": periode_nama,
        "unitKerja": unit_nama,
        "dibuatPada": dibuat_pada,
        "jumlah": len(rows),
        "data": [row.as_json() for row in rows],
    }


def ke_json(dokumen: Mapping[str, Any]) -> bytes:
    return json.dumps(dokumen, ensure_ascii=False, indent=2).encode()


def kolom_xlsx(fields: Sequence[str]) -> list[tuple[str, str]]:
    """The xlsx columns for one endpoint's body ``fields``: (key in row 2, header in row 3). Request fields
    keep their name; the label beside a code is ``label.<field>``, identification ``identitas.<key>`` (the
    JSON's paths), so an import maps on the names and skips what is not sent. ``path`` (the documents) has
    no column: without API access the PDF is uploaded in SIASN's own form."""
    cols: list[tuple[str, str]] = [("endpoint", "Endpoint SIASN")]
    cols += [(f"identitas.{k}", h) for k, h in IDENTITAS[:3]]
    for f in fields:
        if f == "path":
            continue
        cols.append((f, JUDUL_FIELD[f]))
        if f in LABEL_KODE:
            cols.append((f"label.{f}", f"{JUDUL_FIELD[f]}: label (tidak dikirim)"))
    cols.append((f"identitas.{IDENTITAS[3][0]}", IDENTITAS[3][1]))
    cols.append(("peringatan", "Peringatan (tidak dikirim)"))
    return cols


def nilai_kolom(row: BarisEkspor, key: str) -> Any:
    if key == "endpoint":
        return row.endpoint
    if key == "peringatan":
        return " ".join(row.peringatan)
    bagian, _, nama = key.partition(".")
    if bagian == "label":
        return row.label.get(nama, "")
    if bagian == "identitas":
        return row.identitas.get(nama, "")
    return row.body.get(key)


#: Text cells: ids and codes that are strings in the request, and NIPs (leading digits survive).
_TEKS = frozenset(
    {"id", "pnsDinilaiId", "pnsDinilaiOrang", "periodikId", "koefisienId", "penilaiGolongan",
     "penilaiNipNrp", "identitas.nip"}
)  # fmt: skip


def ke_xlsx(rows: Sequence[BarisEkspor], judul: str) -> bytes:
    """One sheet "Kinerja": a title row, the field names (row 2, what an import maps on), the Indonesian
    headers (row 3), then one row per request; the columns are those of the rows' endpoint (a file holds
    one endpoint: the annual evaluations or one periode penilaian)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    fields = list(rows[0].body) if rows else []
    kolom = kolom_xlsx(fields)
    wb = Workbook()
    ws = wb.active
    ws.title = "Kinerja"
    ws.cell(row=1, column=1, value=judul).font = TEBAL
    for col, (key, header) in enumerate(kolom, start=1):
        ws.cell(row=2, column=col, value=key).font = Font(italic=True, color="666666")
        ws.cell(row=3, column=col, value=header).font = TEBAL
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(header) + 4))
    for r, row in enumerate(rows, start=4):
        for col, (key, _) in enumerate(kolom, start=1):
            cell = ws.cell(row=r, column=col, value=nilai_kolom(row, key))
            if key in _TEKS:
                cell.number_format = "@"
    ws.freeze_panes = "A4"
    return save_xlsx(wb)
