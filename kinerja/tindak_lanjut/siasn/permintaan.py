"""The exact request bodies of the SIASN kinerja web services (docs/rules.md §21.6).

A final periodic evaluation becomes one ``POST kinerjaperiodik/save`` body, a final annual one one
``POST skp22/save`` body: the fields the public client code lists, codes never labels, no wrapper and
nothing extra. Built from the export record (:func:`ekspor.baris`, the evaluation's snapshot) plus what the
record does not hold: the pegawai's SIASN id, the SIASN id of a record already sent (so a re-send updates),
the jenjang of the pegawai's jabatan (``koefisienId``) and the uploaded documents (``path``).

A record SIASN cannot take is refused with every reason (:class:`Ditolak`), never sent half right.
Pure functions on plain values, no database access.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kinerja.rules import siasn as kode
from kinerja.rules.types import Jenjang
from kinerja.tindak_lanjut.siasn.ekspor import rows as ekspor

PERIODIK = "kinerjaperiodik/save"
TAHUNAN = "skp22/save"

#: The fields of each body, in the order the public request shapes list them (no more, no fewer).
FIELDS_PERIODIK = (
    "id",
    "pnsDinilaiId",
    "tahun",
    "periodikId",
    "koefisienId",
    "bulanMulaiPenilaian",
    "bulanSelesaiPenilaian",
    "tahunMulaiPenilaian",
    "tahunSelesaiPenilaian",
    "hasilKinerjaNilai",
    "perilakuKerjaNilai",
    "kuadranKinerjaNilai",
    "penilaiGolongan",
    "penilaiJabatanNama",
    "penilaiNama",
    "penilaiNipNrp",
    "penilaiUnorNama",
    "statusPenilai",
    "path",
)
FIELDS_TAHUNAN = (
    "id",
    "pnsDinilaiOrang",
    "tahun",
    "hasilKinerjaNilai",
    "perilakuKerjaNilai",
    "kuadranKinerjaNilai",
    "penilaiGolongan",
    "penilaiJabatan",
    "penilaiNama",
    "penilaiNipNrp",
    "penilaiUnorNama",
    "statusPenilai",
    "path",
)
#: One uploaded document as ``path`` lists it (the answer of ``upload-dok``).
FIELDS_DOKUMEN = ("dok_id", "dok_nama", "dok_uri", "object", "slug")

TANPA_ID_PEGAWAI = "ID SIASN pegawai belum diketahui: cari dulu lewat data-utama (NIP) sebelum mengirim."
SEMESTER = (
    "SIASN hanya mengenal periode bulanan dan triwulanan (periodikId 1/2); periode {bulan} bulan "
    "(mis. semester) tidak dapat dikirim ke kinerjaperiodik."
)


class Ditolak(ValueError):
    """The record cannot be sent; ``alasan`` lists every reason in Indonesian."""

    def __init__(self, alasan: Sequence[str]):
        super().__init__("; ".join(alasan))
        self.alasan = list(alasan)


@dataclass(frozen=True)
class Permintaan:
    """One POST: the endpoint (relative to the gateway's ``apisiasn/1.0/``) and its JSON body."""

    endpoint: str
    body: dict[str, Any]

    def baris_jsonl(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "body": self.body}


def golongan_penilai(golongan: str) -> tuple[str, str | None]:
    """(code sent, warning). A PNS golongan → its ``golonganPns`` code. A PPPK golongan (e.g. "IX") has no
    code in golonganPns: we send "" and warn (UNSURE, docs/rules.md §21.6). Empty stays empty."""
    if not golongan:
        return "", None
    kode_pns = kode.kode_golongan(golongan)
    if kode_pns is not None:
        return kode_pns, None
    return "", (
        f"Golongan pejabat penilai {golongan} (PPPK) tidak punya kode golonganPns di SIASN: "
        "dikirim kosong (TIDAK PASTI)."
    )


def koefisien(jenjang: str) -> str:
    """``koefisienId`` of the pegawai's jabatan fungsional; "" for a jabatan that is not fungsional
    (UNSURE: the public clients send nothing for them, docs/rules.md §21.6)."""
    if not jenjang:
        return ""
    return kode.KOEFISIEN[Jenjang(jenjang)]


def _dokumen(path: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [{k: str(d.get(k) or "") for k in FIELDS_DOKUMEN} for d in path]


def _semester(row: Mapping[str, Any]) -> list[str]:
    """A periodic record of a length SIASN has no ``periodikId`` for (a semester); only asked of a record
    `ekspor.periksa` passed, so its month fields are integers."""
    if row.get("jenisKinerja") != ekspor.PERIODIK:
        return []
    mulai = (row["tahunMulaiPenilaian"], row["bulanMulaiPenilaian"])
    selesai = (row["tahunSelesaiPenilaian"], row["bulanSelesaiPenilaian"])
    if kode.kode_periodik(mulai, selesai) is not None:
        return []
    bulan = (selesai[0] - mulai[0]) * 12 + selesai[1] - mulai[1] + 1
    return [SEMESTER.format(bulan=bulan)]


def reasons(row: Mapping[str, Any], *, pns_id: str) -> list[str]:
    """Every reason SIASN cannot take the record (empty: it can be sent): a problem the export check finds,
    no SIASN id, a periode SIASN has no ``periodikId`` for (a semester)."""
    alasan = list(ekspor.periksa(row))
    if not pns_id:
        alasan.append(TANPA_ID_PEGAWAI)
    return alasan or _semester(row)


def reasons_record(row: Mapping[str, Any]) -> list[str]:
    """The reasons that are the record's own, whatever the pegawai's SIASN id: what the file export refuses
    a row for (docs/rules.md §21.2, an id entered by hand in SIASN's form)."""
    return list(ekspor.periksa(row)) or _semester(row)


def assemble(
    row: Mapping[str, Any],
    *,
    pns_id: str,
    record_id: str = "",
    jenjang: str = "",
    path: Sequence[Mapping[str, Any]] = (),
) -> Permintaan:
    """The request of one export record without any check: what :func:`build` posts for a record SIASN
    can take, and for a refused one the body as far as the record fills it (the file export's preview
    shows it beside the reasons; it is never sent)."""
    periodik = row.get("jenisKinerja") == ekspor.PERIODIK
    golongan, _ = golongan_penilai(row.get("penilaiGolongan") or "")
    umum = {
        "id": record_id,
        "tahun": row.get("tahun"),
        "hasilKinerjaNilai": row.get("hasilKinerjaNilai"),
        "perilakuKerjaNilai": row.get("perilakuKerjaNilai"),
        "kuadranKinerjaNilai": row.get("kuadranKinerjaNilai"),
        "penilaiGolongan": golongan,
        "penilaiNama": row.get("penilaiNama"),
        "penilaiNipNrp": row.get("penilaiNipNrp"),
        "penilaiUnorNama": row.get("penilaiUnorNama"),
        "statusPenilai": row.get("statusPenilai"),
        "path": _dokumen(path),
    }
    if periodik:
        mulai = (row.get("tahunMulaiPenilaian"), row.get("bulanMulaiPenilaian"))
        selesai = (row.get("tahunSelesaiPenilaian"), row.get("bulanSelesaiPenilaian"))
        lengkap = all(isinstance(x, int) for x in (*mulai, *selesai))
        nilai = {
            **umum,
            "pnsDinilaiId": pns_id,
            "periodikId": kode.kode_periodik(mulai, selesai) if lengkap else None,  # type: ignore[arg-type]
            "koefisienId": koefisien(jenjang),
            "bulanMulaiPenilaian": row.get("bulanMulaiPenilaian"),
            "bulanSelesaiPenilaian": row.get("bulanSelesaiPenilaian"),
            "tahunMulaiPenilaian": row.get("tahunMulaiPenilaian"),
            "tahunSelesaiPenilaian": row.get("tahunSelesaiPenilaian"),
            "penilaiJabatanNama": row.get("penilaiJabatanNama"),
        }
        return Permintaan(PERIODIK, {k: nilai[k] for k in FIELDS_PERIODIK})
    # skp22 names the penilai's jabatan `penilaiJabatan` (not `…JabatanNama`) and has no month fields.
    nilai = {**umum, "pnsDinilaiOrang": pns_id, "penilaiJabatan": row.get("penilaiJabatanNama")}
    return Permintaan(TAHUNAN, {k: nilai[k] for k in FIELDS_TAHUNAN})


def build(
    row: Mapping[str, Any],
    *,
    pns_id: str,
    record_id: str = "",
    jenjang: str = "",
    path: Sequence[Mapping[str, Any]] = (),
) -> Permintaan:
    """The request for one export record (``ekspor.baris``). Raises :class:`Ditolak` with every reason
    when SIASN cannot take it (a problem the export check finds, no SIASN id, a semester period)."""
    alasan = reasons(row, pns_id=pns_id)
    if alasan:
        raise Ditolak(alasan)
    return assemble(row, pns_id=pns_id, record_id=record_id, jenjang=jenjang, path=path)


def peringatan(row: Mapping[str, Any]) -> list[str]:
    """What is sent on an UNSURE mapping for this record (shown beside a sent record, not a refusal)."""
    _, warn = golongan_penilai(row.get("penilaiGolongan") or "")
    return [warn] if warn else []
