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
from kinerja.tindak_lanjut.siasn import ekspor

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
    alasan = list(ekspor.periksa(row))
    if not pns_id:
        alasan.append(TANPA_ID_PEGAWAI)
    periodik = row.get("jenisKinerja") == ekspor.PERIODIK
    periodik_id = None
    if periodik and not alasan:
        mulai = (row["tahunMulaiPenilaian"], row["bulanMulaiPenilaian"])
        selesai = (row["tahunSelesaiPenilaian"], row["bulanSelesaiPenilaian"])
        periodik_id = kode.kode_periodik(mulai, selesai)
        if periodik_id is None:
            bulan = (selesai[0] - mulai[0]) * 12 + selesai[1] - mulai[1] + 1
            alasan.append(SEMESTER.format(bulan=bulan))
    if alasan:
        raise Ditolak(alasan)
    golongan, _ = golongan_penilai(row["penilaiGolongan"])
    umum = {
        "id": record_id,
        "tahun": row["tahun"],
        "hasilKinerjaNilai": row["hasilKinerjaNilai"],
        "perilakuKerjaNilai": row["perilakuKerjaNilai"],
        "kuadranKinerjaNilai": row["kuadranKinerjaNilai"],
        "penilaiGolongan": golongan,
        "penilaiNama": row["penilaiNama"],
        "penilaiNipNrp": row["penilaiNipNrp"],
        "penilaiUnorNama": row["penilaiUnorNama"],
        "statusPenilai": row["statusPenilai"],
        "path": _dokumen(path),
    }
    if periodik:
        nilai = {
            **umum,
            "pnsDinilaiId": pns_id,
            "periodikId": periodik_id,
            "koefisienId": koefisien(jenjang),
            "bulanMulaiPenilaian": row["bulanMulaiPenilaian"],
            "bulanSelesaiPenilaian": row["bulanSelesaiPenilaian"],
            "tahunMulaiPenilaian": row["tahunMulaiPenilaian"],
            "tahunSelesaiPenilaian": row["tahunSelesaiPenilaian"],
            "penilaiJabatanNama": row["penilaiJabatanNama"],
        }
        return Permintaan(PERIODIK, {k: nilai[k] for k in FIELDS_PERIODIK})
    # skp22 names the penilai's jabatan `penilaiJabatan` (not `…JabatanNama`) and has no month fields.
    nilai = {**umum, "pnsDinilaiOrang": pns_id, "penilaiJabatan": row["penilaiJabatanNama"]}
    return Permintaan(TAHUNAN, {k: nilai[k] for k in FIELDS_TAHUNAN})


def peringatan(row: Mapping[str, Any]) -> list[str]:
    """What is sent on an UNSURE mapping for this record (shown beside a sent record, not a refusal)."""
    _, warn = golongan_penilai(row.get("penilaiGolongan") or "")
    return [warn] if warn else []
